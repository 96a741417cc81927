# Shared helpers for the scripts: progress output and idempotent installs.
# Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml")
export PATH="$HOME/.cargo/bin:$PATH"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

_step_start=0
step() { # step "what is happening"
  _step_start=$(date +%s)
  printf '\n\033[1m==> %s\033[0m\n' "$*"
}
done_step() {
  printf '    done in %ss\n' "$(( $(date +%s) - _step_start ))"
}
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || { echo "    installing the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown; }
}

ensure_wasm_bindgen_cli() {
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    echo "    installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (builds from source, about 3 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    echo "    installing Debian's chromium and chromium-driver"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
  fi
}

# npm_ci DIR: install DIR's locked dependencies unless node_modules is already up to date.
npm_ci() {
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "    npm ci in ${dir#$ROOT/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# run_logged NAME CMD...: runs CMD with its output in target/test-logs/NAME.log; prints the last
# summary lines on success and the whole log on failure (then fails).
run_logged() {
  local name="$1"; shift
  mkdir -p "$ROOT/target/test-logs"
  local log="$ROOT/target/test-logs/$name.log"
  if "$@" >"$log" 2>&1; then
    # Summary lines of node:test, cargo test and deno test (colours stripped); never fails.
    sed 's/\x1b\[[0-9;]*m//g' "$log" \
      | grep -E '^(ℹ (tests|pass|fail|skipped|duration_ms)|test result:|ok \||FAILED|[0-9]+ passed)' \
      | sed 's/^/    /' | tail -n 8 || true
  else
    local rc=$?
    cat "$log"
    die "$name failed (exit $rc); full log: $log"
  fi
}

# A throwaway virtualenv with the real peer, auth0-server-python, for the interop tests.
PY_PEER_VERSION=1.0.0b20
ensure_python_peer() {
  local venv="$ROOT/target/py-peer"
  if ! "$venv/bin/python" -c "import auth0_server_python" 2>/dev/null \
     || [ "$("$venv/bin/python" -m pip show auth0-server-python 2>/dev/null | sed -n 's/^Version: //p')" != "$PY_PEER_VERSION" ]; then
    echo "    creating a virtualenv with auth0-server-python $PY_PEER_VERSION"
    rm -rf "$venv" && python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "auth0-server-python==$PY_PEER_VERSION"
  fi
  export AUTH0_EDGE_PYTHON="$venv/bin/python"
}

# wasm-opt as the package's .wasm is built: wasm_opt_package IN OUT [more flags, e.g. -g].
# -ocimfs 20: a function with one caller is inlined only if tiny. The operations each have one
# caller (the dispatcher in src/js.rs), and inlining them all made one 20 KB function that V8
# compiles, lazily but whole, on the first call: measured, the first configure took 2.3 -> 1.8 ms
# and the .wasm shrank by 0.8 KB gz. --converge: repeat -Oz while it still shrinks (-0.2 KB).
# -aimfs 6: functions up to 6 bytes are inlined at every call (default 2): 14 fewer functions
# for V8 to compile lazily on the first client (130 -> 116), -17 B gz.
# --strip-producers/--strip-target-features: custom sections no runtime reads (-0.2 KB gz).
# --remove-exports __*: the linker's __heap_base and __data_end, which nothing reads.
# --flatten --rereloop between two -Oz: the control flow rebuilt by binaryen's relooper, then
# shrunk again (-206 B gz; login CPU unchanged in a same-process A/B, 0.95-0.98x).
# (The flags alone, in order, are WASM_OPT_PACKAGE_FLAGS: bench/profile.sh hands them to
# bench/lib/profile.mjs, which optimises a trimmed module the same way.)
WASM_OPT_PACKAGE_FLAGS=(--remove-exports --pass-arg=remove-exports@__* -Oz --flatten --rereloop -Oz
  -ocimfs 20 -aimfs 6 --converge --strip-producers --strip-target-features --enable-bulk-memory
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types
  --enable-multivalue)
wasm_opt_package() {
  local in=$1 out=$2
  shift 2
  "$ROOT/node_modules/.bin/wasm-opt" "${WASM_OPT_PACKAGE_FLAGS[@]}" "$@" "$in" -o "$out"
}
