#!/usr/bin/env bash
# Benchmarks `agora serve` with Triton's perf_analyzer (gRPC, service kind triton) on the mlp test
# model at concurrency 1 and 4, and records the results with a description of the machine in
# benchmarks/results/perf-analyzer/<date>/.
#
# Usage: benchmarks/perf-analyzer.sh [--server HOST:PORT [--api-key KEY]] [--interval-ms N]
#   --server       benchmark a running server (mlp is published there if missing) instead of
#                  starting one on ephemeral loopback ports with a temporary data directory.
#   --api-key      the key for --server (default: $AGORA_API_KEY); a server started here is
#                  called with the administrator key it prints on its first start.
#   --interval-ms  perf_analyzer measurement window (default 5000, perf_analyzer's own default).
# Needs: mvn package (app/target/agora.jar, testing/target/agora-testing-*.jar) and
#        scripts/python-env.sh (.venv/bin/perf_analyzer).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
APP_JAR="$ROOT/app/target/agora.jar"
PERF_ANALYZER="$ROOT/.venv/bin/perf_analyzer"
SERVER=""
API_KEY="${AGORA_API_KEY:-}"
INTERVAL_MS=5000
MODEL=mlp
VERSION=1.0.0
READY_TIMEOUT_S=120

die() { echo "perf-analyzer.sh: ERROR: $*" >&2; exit 1; }
log() { echo "perf-analyzer.sh: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --server) SERVER="${2:?--server needs HOST:PORT}"; shift 2 ;;
    --api-key) API_KEY="${2:?--api-key needs a key}"; shift 2 ;;
    --interval-ms) INTERVAL_MS="${2:?--interval-ms needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done

[ -f "$APP_JAR" ] || die "$APP_JAR is missing: run mvn package"
[ -x "$PERF_ANALYZER" ] || die "$PERF_ANALYZER is missing: run scripts/python-env.sh"
TESTING_JAR="$(ls "$ROOT"/testing/target/agora-testing-*.jar 2>/dev/null | grep -v -e '-sources' -e '-javadoc' -e '-tests' | head -n 1 || true)"
[ -n "$TESTING_JAR" ] || die "no agora-testing jar in testing/target: run mvn package"

OUT="$ROOT/benchmarks/results/perf-analyzer/$(date -u +%Y-%m-%d)"
[ -e "$OUT" ] && OUT="$OUT-$(date -u +%H%M%S)"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start_server() {
  local line data_dir="$WORK/data" deadline
  mkdir -p "$data_dir"
  coproc AGORA { exec java -jar "$APP_JAR" serve --data-dir "$data_dir" \
    --grpc-port 0 --http-port 0 --host 127.0.0.1 2>&1; }
  SERVER_PID="$AGORA_PID"
  deadline=$((SECONDS + READY_TIMEOUT_S))
  while :; do
    [ "$SECONDS" -lt "$deadline" ] || die "server not ready in ${READY_TIMEOUT_S}s; see $OUT/server.log"
    IFS= read -r -t $((deadline - SECONDS > 0 ? deadline - SECONDS : 1)) line <&"${AGORA[0]}" \
      || die "server exited or stalled before it was ready; see $OUT/server.log"
    case "$line" in
      # the key stays out of server.log: the results directory is committed
      "agora: bootstrap admin key: "*)
        API_KEY="${line#agora: bootstrap admin key: }"
        echo "agora: bootstrap admin key: (kept out of this log)" >>"$OUT/server.log"
        continue ;;
    esac
    echo "$line" >>"$OUT/server.log"
    case "$line" in
      "agora: gRPC listening on "*) SERVER="${line#agora: gRPC listening on }" ;;
      "agora: ready") break ;;
    esac
  done
  [ -n "$SERVER" ] || die "the server printed no gRPC address"
  # keep draining the server's output so it never blocks on a full pipe (a coproc's own
  # descriptors are not inherited by background jobs, a duplicate is)
  local drain
  exec {drain}<&"${AGORA[0]}"
  cat <&"$drain" >>"$OUT/server.log" &
  exec {drain}<&-
  log "server ready on $SERVER (pid $SERVER_PID)"
}

if [ -z "$SERVER" ]; then
  start_server
fi
[ -n "$API_KEY" ] || die "no API key: pass --api-key or set AGORA_API_KEY (agora serve prints the administrator's on its first start)"

java -cp "$TESTING_JAR:$APP_JAR" dev.agora.testing.models.GenerateTestModels "$WORK/models" >/dev/null
if AGORA_API_KEY="$API_KEY" java -jar "$APP_JAR" publish "$WORK/models/mlp.onnx" \
  --model "$MODEL" --version "$VERSION" --server "$SERVER" >"$WORK/publish.log" 2>&1; then
  log "$(grep '^published' "$WORK/publish.log" || echo "published $MODEL $VERSION")"
else
  # On a reused server the version may exist already; perf_analyzer below tells if mlp is missing.
  log "publish did not succeed (kept going):"; cat "$WORK/publish.log"
fi

{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git_commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p')"
  echo "kernel: $(uname -r)"
  echo "java:"; java -version 2>&1 | sed 's/^/  /'
  echo "memory (free -g):"; free -g | sed 's/^/  /'
  echo "perf_analyzer: $("$PERF_ANALYZER" --version 2>&1 | head -n 1)"
  echo "server: $SERVER ($([ -n "$SERVER_PID" ] && echo "started by this script" || echo "given"))"
  echo "command: perf_analyzer -m $MODEL -i grpc -u $SERVER -H 'authorization: Bearer \$AGORA_API_KEY' --concurrency-range 1:4:3 --measurement-interval $INTERVAL_MS -f perf_analyzer.csv"
} >"$OUT/machine.txt"

log "running perf_analyzer (concurrency 1 and 4, ${INTERVAL_MS} ms windows)"
set +e
"$PERF_ANALYZER" -m "$MODEL" -i grpc -u "$SERVER" -H "authorization: Bearer $API_KEY" --concurrency-range 1:4:3 \
  --measurement-interval "$INTERVAL_MS" -f "$OUT/perf_analyzer.csv" 2>&1 | tee "$OUT/perf_analyzer.stdout"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || die "perf_analyzer exited $status"

log "results in $OUT:"
ls -1 "$OUT"
