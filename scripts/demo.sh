#!/usr/bin/env bash
# The main job, end to end: builds the package, then exchanges tokens against the local OpenID
# provider (started and stopped here), or against a real Auth0 tenant when AUTH0_DOMAIN,
# AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, AUTH0_SECRET, AUTH0_SUBJECT_TOKEN and
# AUTH0_SUBJECT_TOKEN_TYPE (and optionally AUTH0_AUDIENCE) are set.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/build.sh
step "Demo dependencies"
npm_ci "$ROOT/tests/provider"
npm_ci "$ROOT/tests/js"
done_step

# The demo imports the package by name, as a user would; tests/js links it to pkg/.
demo="$ROOT/tests/js/.build/demo.mjs"
mkdir -p "$(dirname "$demo")" && cp scripts/demo.mjs "$demo"
if [ -n "${AUTH0_DOMAIN:-}" ]; then
  for v in AUTH0_CLIENT_ID AUTH0_CLIENT_SECRET AUTH0_SECRET AUTH0_SUBJECT_TOKEN AUTH0_SUBJECT_TOKEN_TYPE; do
    [ -n "${!v:-}" ] || die "$v must be set to run against a real tenant"
  done
  step "Walk-through against $AUTH0_DOMAIN"
  node "$demo"
else
  step "Walk-through against the local provider"
  node tests/provider/harness.mjs -- node "$demo"
fi
