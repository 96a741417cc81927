"""The real peer for interop tests: auth0-server-python's own sealing functions.

Reads one JSON request on stdin, writes one JSON answer on stdout:
  {"op": "decrypt", "token", "secret", "salt"} -> the state, validated by the SDK's StateData model
  {"op": "encrypt", "payload", "secret", "salt"} -> {"token": ...}
"""
import json
import sys

from auth0_server_python.auth_types import StateData
from auth0_server_python.encryption.encrypt import decrypt, encrypt

request = json.load(sys.stdin)
if request["op"] == "decrypt":
    state = decrypt(request["token"], request["secret"], request["salt"])
    StateData(**state)  # raises if the shape is not the SDK's
    json.dump(state, sys.stdout)
elif request["op"] == "encrypt":
    json.dump({"token": encrypt(request["payload"], request["secret"], request["salt"])}, sys.stdout)
else:
    sys.exit(f"unknown op {request['op']!r}")
