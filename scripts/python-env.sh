#!/usr/bin/env bash
# Creates or updates the project's Python environment at <repo>/.venv:
#   - the virtualenv itself (installs Debian's python3-venv if venv creation fails),
#   - the pinned tools from requirements-dev.txt,
#   - perf_analyzer (scripts/install-perf-analyzer.sh),
#   - the Python SDK from sdk/python (editable), which generates its gRPC stubs from proto/.
# Idempotent and non-interactive; a second run with nothing changed takes about a second.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
REQUIREMENTS="$ROOT/requirements-dev.txt"
STAMP_DIR="$VENV/.agora-stamps"

log() { echo "python-env: $*"; }
die() { echo "python-env: ERROR: $*" >&2; exit 1; }

command -v python3 >/dev/null 2>&1 || die "python3 is not installed"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

create_venv() {
  python3 -m venv "$VENV" 2>/dev/null && [ -x "$VENV/bin/pip" ]
}

# 1. The virtualenv.
if [ -x "$PY" ] && "$PY" -c 'import sys' >/dev/null 2>&1 && [ -x "$VENV/bin/pip" ]; then
  log "virtualenv present: $VENV"
else
  rm -rf "$VENV"
  if ! create_venv; then
    rm -rf "$VENV"
    log "python3 -m venv failed; installing python3-venv"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv </dev/null
    create_venv || die "python3 -m venv still fails after installing python3-venv"
  fi
  log "created virtualenv $VENV ($("$PY" --version))"
fi
mkdir -p "$STAMP_DIR"

pip_install() {
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$PY" -m pip install --no-input -q "$@" </dev/null
}

# 2. Pinned tools; skipped while requirements-dev.txt is unchanged.
req_hash="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [ "$(cat "$STAMP_DIR/requirements" 2>/dev/null || true)" = "$req_hash" ]; then
  log "requirements-dev.txt unchanged; skipping pip install"
else
  log "installing requirements-dev.txt"
  pip_install -r "$REQUIREMENTS"
  "$PY" -m pip check || die "installed packages have conflicting requirements"
  echo "$req_hash" >"$STAMP_DIR/requirements"
  log "installed requirements-dev.txt"
fi

# 3. perf_analyzer (its own script skips when already installed).
bash "$ROOT/scripts/install-perf-analyzer.sh"

# 4. The SDK, editable, built without isolation from the pinned tools above. The stubs are
#    regenerated whenever a .proto file or the SDK's build files change.
#    The checkout's path is part of the stamp: an editable install points at one checkout.
sdk_hash="$( (cd "$ROOT" && echo "$ROOT" && cat sdk/python/pyproject.toml sdk/python/setup.py \
  sdk/python/build_protos.py proto/src/main/proto/inference/*.proto \
  proto/src/main/proto/agora/*/v1/*.proto) | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP_DIR/sdk" 2>/dev/null || true)" = "$sdk_hash" ] \
  && [ -f "$ROOT/sdk/python/src/agora/_proto/inference/grpc_service_pb2.py" ] \
  && "$PY" -c 'import agora, sys; sys.exit(not agora.__file__.startswith(sys.argv[1]))' \
    "$ROOT/sdk/python/" >/dev/null 2>&1; then
  log "agora SDK up to date"
else
  log "installing the agora SDK (sdk/python, editable)"
  pip_install --no-build-isolation --no-deps -e "$ROOT/sdk/python"
  "$PY" -c 'import agora, agora.client' || die "import agora fails after install"
  "$PY" -m pip check || die "the SDK's requirements are not met"
  echo "$sdk_hash" >"$STAMP_DIR/sdk"
  log "installed agora SDK"
fi

log "ready: $VENV (python $("$PY" -c 'import sys; print(sys.version.split()[0])'))"
