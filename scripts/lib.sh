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

ensure_firefox() {
  if ! command -v firefox-esr >/dev/null && ! command -v firefox >/dev/null; then
    echo "    installing Debian's firefox-esr"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null
    fi
  fi
  if ! command -v geckodriver >/dev/null; then
    echo "    installing geckodriver (cargo install, builds from source, about 3 minutes)"
    cargo install geckodriver --quiet
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

# pack_package: packs pkg/ into target/pack/ (npm pack, as npm would publish it); prints the path.
pack_package() {
  mkdir -p "$ROOT/target/pack" && rm -f "$ROOT/target/pack/"*.tgz
  echo "$ROOT/target/pack/$(cd "$ROOT/target/pack" && npm pack "$ROOT/pkg" --silent)"
}

# install_packed DIR TARBALL: replaces DIR's auth0-edge (linked to pkg/ by its lock file) with
# the packed tarball, so DIR's tests run what npm would publish: the "files" list, not pkg/.
install_packed() {
  (cd "$1" && npm install --no-save --no-audit --no-fund --loglevel=error "$2")
  [ ! -L "$1/node_modules/auth0-edge" ] || die "${1#$ROOT/}: auth0-edge is still the pkg/ link"
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
# IN is wasm-bindgen's output (its exports and imports are the glue's: none is removed).
# -Oz twice around --flatten --rereloop (binaryen's relooper rebuilds the control flow, then it
# shrinks again); -ocimfs 20: a function with one caller is inlined only if tiny; -aimfs 6:
# functions up to 6 bytes are inlined at every call; --converge: repeat while it still shrinks
# (the figures behind each choice: bench/PROFILE.md and the commit that set them).
# --strip-producers/--strip-target-features: sections no runtime reads.
WASM_OPT_PACKAGE_FLAGS=(-Oz --flatten --rereloop -Oz -ocimfs 20 -aimfs 6 --converge
  --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue)
wasm_opt_package() {
  local in=$1 out=$2
  shift 2
  "$ROOT/node_modules/.bin/wasm-opt" "${WASM_OPT_PACKAGE_FLAGS[@]}" "$@" "$in" -o "$out"
}

# worker-build 0.8, workers-rs' build command (builds from source, about 3 minutes the first time).
ensure_worker_build() {
  case "$(worker-build --version 2>/dev/null)" in
    0.8.*) ;;
    *) echo "    installing worker-build 0.8 (cargo install, builds from source, about 3 minutes)"
       cargo install worker-build --version "^0.8" --quiet ;;
  esac
}

# build_rust_worker: the Rust Worker example (worker-example/rust) into its build/ with
# worker-build --release, pointed at this machine's wasm-bindgen (the crate's exact version),
# wasm-opt and esbuild (the root's npm packages): it downloads its own otherwise.
build_rust_worker() {
  ensure_worker_build
  ensure_wasm_bindgen_cli
  npm_ci "$ROOT"
  (cd "$ROOT/worker-example/rust" \
    && WASM_BINDGEN_BIN="$(command -v wasm-bindgen)" WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt" \
       ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild" worker-build --release)
}
