#!/usr/bin/env bash
# The main job, end to end: builds the package, bundles the Worker example (worker-example/) with
# `wrangler deploy --dry-run`, runs it in workerd (Miniflare) and walks through its routes:
# exchange → login → me → token → logout. Against the local OpenID provider (started and stopped
# here), or against a real Auth0 tenant when AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET,
# AUTH0_SECRET, AUTH0_SUBJECT_TOKEN and AUTH0_SUBJECT_TOKEN_TYPE (and optionally AUTH0_AUDIENCE)
# are set. SESSION_STORE=cookie keeps the session in cookies instead of Workers KV.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/build.sh
step "Demo dependencies (the local provider, the Worker example's wrangler and Miniflare)"
npm_ci "$ROOT/tests/provider"
npm_ci "$ROOT/worker-example"
install_packed "$ROOT/worker-example" "$(pack_package)" # the package as npm would publish it
done_step

if [ -n "${AUTH0_DOMAIN:-}" ]; then
  for v in AUTH0_CLIENT_ID AUTH0_CLIENT_SECRET AUTH0_SECRET AUTH0_SUBJECT_TOKEN AUTH0_SUBJECT_TOKEN_TYPE; do
    [ -n "${!v:-}" ] || die "$v must be set to run against a real tenant"
  done
  step "The Worker example against $AUTH0_DOMAIN"
  node scripts/demo.mjs
else
  step "The Worker example against the local provider"
  node tests/provider/harness.mjs -- node scripts/demo.mjs
fi
