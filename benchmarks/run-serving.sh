#!/usr/bin/env bash
# The serving benchmarks of issue #4 (G1, G3, G4, G5, G6) in one run, each a ratio against a
# baseline measured in the same run, plus Triton's perf_analyzer on the same server and a
# latency-vs-throughput PNG. Writes benchmarks/results/<date>-serving/ (README.md with the table,
# raw/, machine.txt, server logs, latency-vs-throughput.png).
#
# Usage: benchmarks/run-serving.sh [--no-build] [--quick] [--repeats N] [--no-pin] [--out DIR]
#                                  [--note TEXT] [--no-perf-analyzer]
#   --no-build          use the jars in app/target and benchmarks/target as they are
#   --quick             seconds-long windows and one repeat: checks the script, not the server
#   --repeats N         repeats of each measurement; the report takes medians (default 3)
#   --no-pin            do not pin the client and the servers to separate cores with taskset
#   --out DIR           results directory (default benchmarks/results/<UTC date>-serving)
#   --note TEXT         a paragraph for the top of README.md (e.g. "development run, busy machine")
#   --no-perf-analyzer  skip perf_analyzer
# Needs: JDK 17, Maven (unless --no-build), python3 (reads JSON), taskset (util-linux) for pinning,
#        .venv/bin/perf_analyzer (scripts/python-env.sh) for the perf_analyzer step.
# Bounded: about 25 minutes with the defaults on 2 cores, about 2 with --quick.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
APP_JAR="app/target/agora.jar"
BENCH_JAR="benchmarks/target/benchmarks.jar"
PERF_ANALYZER=".venv/bin/perf_analyzer"
BUILD=1
QUICK=0
REPEATS=3
PIN=1
PERF=1
NOTE=""
OUT=""
READY_TIMEOUT_S=120
VERSION=1.0.0

die() { echo "run-serving.sh: ERROR: $*" >&2; exit 1; }
log() { echo "run-serving.sh: $(date -u +%H:%M:%S) $*" >&2; }

# the arguments as recorded in the results, less --note's text (it describes, it does not reproduce)
ARGS=""
skip=0
for arg in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  if [ "$arg" = --note ]; then skip=1; continue; fi
  ARGS+="${ARGS:+ }$(printf '%q' "$arg")"
done
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --quick) QUICK=1; shift ;;
    --repeats) REPEATS="${2:?--repeats needs a number}"; shift 2 ;;
    --no-pin) PIN=0; shift ;;
    --no-perf-analyzer) PERF=0; shift ;;
    --out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    --note) NOTE="${2:?--note needs a text}"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done
[[ "$REPEATS" =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive number"

# --- durations -------------------------------------------------------------------------------
if [ "$QUICK" = 1 ]; then
  REPEATS=1
  SERVER_WARMUP=2s
  WIDE_WARMUP=2s
  FLOOR_SECONDS=2
  G1_WARMUP=2s; G1_DURATION=3s
  MAX_LEVELS=1,16,64; MAX_WARMUP=2s; MAX_LEVEL_WARMUP=500ms; MAX_DURATION=2s
  G5_WARMUP=1s; G5_LEAD_IN=2s; G5_DURATION=4s
  CURVE_FRACTIONS="0.25 0.5 0.9"; CURVE_WARMUP=1s; CURVE_LEAD_IN=1s; CURVE_DURATION=2s
  JMH_ORT=(-wi 1 -w 1s -i 2 -r 1s); JMH_GC=(-wi 1 -w 1s -i 2 -r 1s)
  PA_INTERVAL_MS=1000; PA_TIMEOUT_S=40
else
  SERVER_WARMUP=60s
  WIDE_WARMUP=20s
  FLOOR_SECONDS=10
  # every load-generator run is a fresh client JVM: seconds-long warm-ups left its compiler
  # running in the measured window (decision 0023, session-4 amendment)
  G1_WARMUP=20s; G1_DURATION=20s
  MAX_LEVELS=1,4,16,64,256; MAX_WARMUP=10s; MAX_LEVEL_WARMUP=1s; MAX_DURATION=4s
  # an open loop's own code compiles only once it runs: the closed-loop warm-up is followed by a
  # lead-in at the measured rate, so that the client's compiler is quiet in the window
  G5_WARMUP=10s; G5_LEAD_IN=20s; G5_DURATION=15s
  CURVE_FRACTIONS="0.1 0.25 0.5 0.75 0.9"; CURVE_WARMUP=10s; CURVE_LEAD_IN=5s; CURVE_DURATION=5s
  JMH_ORT=(-wi 2 -w 2s -i 3 -r 2s); JMH_GC=(-wi 3 -w 2s -i 3 -r 2s)
  PA_INTERVAL_MS=3000; PA_TIMEOUT_S=60
fi

# --- cores -----------------------------------------------------------------------------------
CPUS="$(nproc)"
CLIENT_PIN=()
SERVER_PIN=()
if [ "$PIN" = 1 ] && [ "$CPUS" -ge 2 ] && command -v taskset >/dev/null; then
  half=$((CPUS / 2))
  CLIENT_CPUS="0"; [ "$half" -gt 1 ] && CLIENT_CPUS="0-$((half - 1))"
  SERVER_CPUS="$half"; [ "$((CPUS - 1))" -gt "$half" ] && SERVER_CPUS="$half-$((CPUS - 1))"
  CLIENT_PIN=(taskset -c "$CLIENT_CPUS")
  SERVER_PIN=(taskset -c "$SERVER_CPUS")
  PINNING="client (load generator, perf_analyzer) on CPUs $CLIENT_CPUS; servers (agora serve, echo, in-process ORT) on CPUs $SERVER_CPUS"
else
  PINNING="none (--no-pin, fewer than 2 CPUs, or no taskset): client and servers share all $CPUS CPUs"
fi

# --- build -----------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  log "building app and benchmarks (mvn package -DskipTests)"
  mvn -B -q ${MAVEN_OFFLINE--o} -DskipTests -Dspotless.check.skip=true package -pl app,benchmarks -am \
    || die "the build failed"
fi
[ -f "$APP_JAR" ] || die "$APP_JAR is missing: run without --no-build"
[ -f "$BENCH_JAR" ] || die "$BENCH_JAR is missing: run without --no-build"
if [ "$PERF" = 1 ] && [ ! -x "$PERF_ANALYZER" ]; then
  log "no $PERF_ANALYZER (scripts/python-env.sh installs it): skipping perf_analyzer"
  PERF=0
fi

LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
DATE="$(date -u +%Y-%m-%d)"
[ -n "$OUT" ] || OUT="benchmarks/results/$DATE-serving"
[ -e "$OUT" ] && OUT="$OUT-$(date -u +%H%M%S)"
RAW="$OUT/raw"
mkdir -p "$RAW/perf_analyzer"
WORK="$(mktemp -d)"
AGORA_PID=""
ECHO_PID=""

cleanup() {
  for pid in $AGORA_PID $ECHO_PID; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  # the key stays out of the committed log
  [ -f "$WORK/agora.out" ] && sed 's/^agora: bootstrap admin key: .*/agora: bootstrap admin key: (kept out of this log)/' \
    "$WORK/agora.out" >"$OUT/server-agora.log"
  [ -f "$WORK/echo.out" ] && cp "$WORK/echo.out" "$OUT/server-echo.log"
  rm -rf "$WORK"
}
trap cleanup EXIT

# wait_for FILE LINE-PREFIX: prints the rest of the first line of FILE that starts with it
wait_for() {
  local file="$1" prefix="$2" pid="$3" deadline=$((SECONDS + READY_TIMEOUT_S)) line
  while [ "$SECONDS" -lt "$deadline" ]; do
    line="$(grep -m 1 "^$prefix" "$file" 2>/dev/null || true)"
    if [ -n "$line" ]; then
      echo "${line#"$prefix"}"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "the server exited before it printed '$prefix': see $file"
    sleep 0.2
  done
  die "no '$prefix' from the server in ${READY_TIMEOUT_S}s"
}

# the machine's own floor, before any server runs: how late each idle core wakes a sleeping thread
log "the machine's floor: wake-up latency of the client's and the servers' cores for $FLOOR_SECONDS s"
"${CLIENT_PIN[@]}" java -cp "$BENCH_JAR" dev.agora.benchmarks.machine.WakeUpLatency \
  --seconds "$FLOOR_SECONDS" --cores "client, CPUs ${CLIENT_CPUS:-any}" >"$RAW/wake-ups-client.json" &
FLOOR_CLIENT=$!
"${SERVER_PIN[@]}" java -cp "$BENCH_JAR" dev.agora.benchmarks.machine.WakeUpLatency \
  --seconds "$FLOOR_SECONDS" --cores "servers, CPUs ${SERVER_CPUS:-any}" >"$RAW/wake-ups-server.json" \
  || log "the wake-up latency of the servers' cores failed (kept going)"
wait "$FLOOR_CLIENT" || log "the wake-up latency of the client's cores failed (kept going)"

log "starting agora serve and the echo server ($PINNING)"
# G4's wide model gets its own batching (decision 0027): up to 128 rows, and a first request waits
# up to 2 ms for company instead of running alone while the others queue (decision 0023)
"${SERVER_PIN[@]}" java -jar "$APP_JAR" serve --data-dir "$WORK/data" --grpc-port 0 --http-port 0 \
  --host 127.0.0.1 --model-batching wide=128,PT0.002S >"$WORK/agora.out" 2>&1 &
AGORA_PID=$!
"${SERVER_PIN[@]}" java -cp "$BENCH_JAR" dev.agora.benchmarks.echo.EchoServerMain --port 0 \
  >"$WORK/echo.out" 2>&1 &
ECHO_PID=$!
wait_for "$WORK/agora.out" "agora: ready" "$AGORA_PID" >/dev/null
AGORA="$(wait_for "$WORK/agora.out" "agora: gRPC listening on " "$AGORA_PID")"
AGORA_API_KEY="$(wait_for "$WORK/agora.out" "agora: bootstrap admin key: " "$AGORA_PID")"
export AGORA_API_KEY
wait_for "$WORK/echo.out" "echo: ready" "$ECHO_PID" >/dev/null
ECHO="$(wait_for "$WORK/echo.out" "echo: gRPC listening on " "$ECHO_PID")"
log "agora serve on $AGORA (pid $AGORA_PID), echo on $ECHO (pid $ECHO_PID)"

java -cp "$BENCH_JAR" dev.agora.benchmarks.load.LoadGenerator models "$WORK/models" >/dev/null
for model in mlp mlp-unbatched wide wide-unbatched; do
  java -jar "$APP_JAR" publish "$WORK/models/$model.onnx" --model "$model" --version "$VERSION" \
    --server "$AGORA" >"$WORK/publish-$model.log" 2>&1 \
    || { cat "$WORK/publish-$model.log" >&2; die "publishing $model failed"; }
done
log "published mlp, mlp-unbatched, wide and wide-unbatched $VERSION"

COMMANDS="$RAW/commands.tsv"
echo -e "all\tbenchmarks/run-serving.sh${ARGS:+ $ARGS}" >"$COMMANDS"
LG=(java -cp "$BENCH_JAR" dev.agora.benchmarks.load.LoadGenerator)

# record KEY CMD...: logs the command with the servers' addresses as $AGORA/$ECHO, their process
# ids as $AGORA_PID/$ECHO_PID and the key as $AGORA_API_KEY (raw/ is committed), then runs it
record() {
  local key="$1" text
  shift
  text="$*"
  text="${text//$AGORA_API_KEY/\$AGORA_API_KEY}"
  text="${text//$AGORA/\$AGORA}"
  text="${text//$ECHO/\$ECHO}"
  text="${text//$OUT\//\$OUT/}"
  text="${text//--server-pid $AGORA_PID/--server-pid \$AGORA_PID}"
  text="${text//--server-pid $ECHO_PID/--server-pid \$ECHO_PID}"
  echo -e "$key\t$text" >>"$COMMANDS"
  "$@"
}

# load KEY NAME SUBCOMMAND ARGS...: one load-generator run, JSON to raw/NAME.json
load() {
  local key="$1" name="$2"
  shift 2
  log "$name"
  # a failed run is logged and left out (the report marks what is missing), the others go on
  record "$key" "${CLIENT_PIN[@]}" "${LG[@]}" "$@" --label "$name" --out "$RAW/$name.json" \
    --csv "$RAW/runs.csv" >/dev/null 2>>"$RAW/load-generator.stderr" \
    || log "$name failed (kept going; see raw/load-generator.stderr)"
}

# median_of PREFIX EXPRESSION: the median of EXPRESSION over raw/PREFIX-<n>.json
median_of() {
  python3 - "$RAW" "$1" "$2" <<'PY'
import glob, json, statistics, sys
raw, prefix, expr = sys.argv[1:]
values = [eval(expr, {}, {"r": json.load(open(f))}) for f in sorted(glob.glob(f"{raw}/{prefix}-[0-9]*.json"))]
print(statistics.median(values))
PY
}

MLP=(--address "$AGORA" --model mlp --model-version "$VERSION")
UNBATCHED=(--address "$AGORA" --model mlp-unbatched --model-version "$VERSION")
ECHO_MLP=(--address "$ECHO" --model mlp --model-version "$VERSION")
# G4 runs on a model heavy enough for batching to pay (256 features per row, 11 MB of weights)
WIDE=(--address "$AGORA" --model wide --model-version "$VERSION" --features 256)
WIDE_UNBATCHED=(--address "$AGORA" --model wide-unbatched --model-version "$VERSION" --features 256)

# Both JVMs warm up first (JIT compilation, heap sizing): a freshly started server still compiles
# for a minute, and its first G1 repeat measured the compiler, not the server. Not recorded.
for target in agora echo; do
  address="$AGORA"; [ "$target" = echo ] && address="$ECHO"
  log "warming up $target for $SERVER_WARMUP"
  "${CLIENT_PIN[@]}" "${LG[@]}" closed --target "$target" --address "$address" --model mlp \
    --model-version "$VERSION" -c 2 --warmup 1s --duration "$SERVER_WARMUP" --label "warmup-$target" \
    --out "$WORK/warmup-$target.json" >/dev/null 2>>"$RAW/load-generator.stderr" \
    || log "warming up $target failed (kept going)"
done
# G4's paths (batches of many sizes, the wide model's buffers) compile under G4's own load: the
# server was still compiling in the first G4 repeat otherwise (5 % of its CPU in session 6)
for model in wide wide-unbatched; do
  log "warming up agora on $model for $WIDE_WARMUP"
  "${CLIENT_PIN[@]}" "${LG[@]}" closed --target agora --address "$AGORA" --model "$model" \
    --model-version "$VERSION" --features 256 -c 64 --warmup 1s --duration "$WIDE_WARMUP" \
    --label "warmup-$model" --out "$WORK/warmup-$model.json" >/dev/null \
    2>>"$RAW/load-generator.stderr" || log "warming up agora on $model failed (kept going)"
done

for r in $(seq 1 "$REPEATS"); do
  # G1: c=1, ModelInfer vs the echo of the same bytes, side by side in one client that alternates
  # between them in blocks, so both see the same client, the same warm-up and the same noise
  log "g1-$r (alternating agora and echo)"
  record g1 "${CLIENT_PIN[@]}" "${LG[@]}" alternate --target agora "${MLP[@]}" --echo-address "$ECHO" \
    --warmup "$G1_WARMUP" --duration "$G1_DURATION" --label "g1-{target}-$r" --out "$RAW/g1-{target}-$r.json" \
    --hgrm "$RAW/g1-{target}-$r.hgrm" --csv "$RAW/runs.csv" >/dev/null 2>>"$RAW/load-generator.stderr" \
    || log "g1-$r failed (kept going; see raw/load-generator.stderr)"
done
MAX_ARGS=(--levels "$MAX_LEVELS" --warmup "$MAX_WARMUP" --level-warmup "$MAX_LEVEL_WARMUP" --duration "$MAX_DURATION")
for r in $(seq 1 "$REPEATS"); do
  # G3: unbatched maximum vs the echo's; the batchable MLP's maximum sets G5's rate
  load g3 "g3-agora-unbatched-$r" max --target agora "${UNBATCHED[@]}" "${MAX_ARGS[@]}"
  load g3 "g3-echo-$r" max --target echo "${ECHO_MLP[@]}" "${MAX_ARGS[@]}"
  load max "max-agora-mlp-$r" max --target agora "${MLP[@]}" "${MAX_ARGS[@]}"
  # G4: the wide model with batching on, and the same graph with the batch fixed at 1
  load g4 "g4-agora-batched-$r" max --target agora "${WIDE[@]}" "${MAX_ARGS[@]}"
  load g4 "g4-agora-unbatched-$r" max --target agora "${WIDE_UNBATCHED[@]}" "${MAX_ARGS[@]}"
  # G4a's other side, in-process ONNX Runtime at batch 32, right after this repeat's G4 runs: the
  # host's speed drifts by tens of percent within a run, so both sides are measured together
  log "ort-batch32-$r (in-process ONNX Runtime, wide model, batch 32, JMH throughput)"
  record ort "${SERVER_PIN[@]}" java -jar "$BENCH_JAR" OnnxRuntimeBaseline -p batch=32 -p model=wide \
    -bm thrpt -tu s -f 1 "${JMH_ORT[@]}" -rf json -rff "$RAW/ort-batch32-$r.json" \
    >"$RAW/ort-batch32-$r.txt" 2>&1 \
    || log "in-process ORT failed (kept going; see raw/ort-batch32-$r.txt)"
done

AGORA_MAX="$(median_of max-agora-mlp 'r["best"]["achievedRate"]')" || die "no maximum measured for mlp"
ECHO_MAX="$(median_of g3-echo 'r["best"]["achievedRate"]')" || die "no maximum measured for the echo"
G5_RATE="$(python3 -c "print(round(0.5 * $AGORA_MAX))")"
log "maxima: agora mlp $AGORA_MAX req/s, echo $ECHO_MAX req/s; G5 at $G5_RATE req/s"
G5_ARGS=(--rate "$G5_RATE" --warmup "$G5_WARMUP" --lead-in "$G5_LEAD_IN" --duration "$G5_DURATION")
for r in $(seq 1 "$REPEATS"); do
  # G5: open loop at half of the measured maximum, latency from the intended start; the echo at
  # the same rate through the same client is the floor that the client and the machine set
  load g5 "g5-agora-$r" open --target agora "${MLP[@]}" "${G5_ARGS[@]}" --server-pid "$AGORA_PID" \
    --hgrm "$RAW/g5-agora-$r.hgrm"
  load g5 "g5-echo-$r" open --target echo "${ECHO_MLP[@]}" "${G5_ARGS[@]}" --server-pid "$ECHO_PID" \
    --hgrm "$RAW/g5-echo-$r.hgrm"
done
for fraction in $CURVE_FRACTIONS; do
  pct="$(python3 -c "print(f'{round(100 * $fraction):03d}')")"
  load curve "curve-agora-$pct" open --target agora "${MLP[@]}" --server-pid "$AGORA_PID" \
    --rate "$(python3 -c "print(round($fraction * $AGORA_MAX))")" --warmup "$CURVE_WARMUP" \
    --lead-in "$CURVE_LEAD_IN" --duration "$CURVE_DURATION"
  load curve "curve-echo-$pct" open --target echo "${ECHO_MLP[@]}" --server-pid "$ECHO_PID" \
    --rate "$(python3 -c "print(round($fraction * $ECHO_MAX))")" --warmup "$CURVE_WARMUP" \
    --lead-in "$CURVE_LEAD_IN" --duration "$CURVE_DURATION"
done

if [ "$PERF" = 1 ]; then
  G4_C="$(median_of g4-agora-batched 'r["best"]["concurrency"]' | cut -d. -f1)" || G4_C=64
  G3_C="$(median_of g3-agora-unbatched 'r["best"]["concurrency"]' | cut -d. -f1)" || G3_C=16
  # perfa NAME MODEL LOAD-ARGS...: perf_analyzer on the client's cores, bounded in time
  perfa() {
    local name="$1" model="$2"
    shift 2
    log "perf_analyzer $name"
    set +e
    record perf-analyzer "${CLIENT_PIN[@]}" timeout "$PA_TIMEOUT_S" "$PERF_ANALYZER" -m "$model" -x "$VERSION" -i grpc \
      -u "$AGORA" -H "authorization: Bearer $AGORA_API_KEY" "$@" --measurement-interval "$PA_INTERVAL_MS" \
      --stability-percentage 30 --max-trials 8 -f "$RAW/perf_analyzer/$name.csv" >"$RAW/perf_analyzer/$name.stdout" 2>&1
    local status=$?
    set -e
    [ "$status" -eq 0 ] || log "perf_analyzer $name exited $status (kept going; see raw/perf_analyzer/$name.stdout)"
  }
  perfa g1-mlp-c1 mlp --concurrency-range 1
  perfa g3-mlp-unbatched-c"$G3_C" mlp-unbatched --concurrency-range "$G3_C"
  perfa g4-wide-c"$G4_C" wide --concurrency-range "$G4_C"
  perfa g5-mlp-rate"$G5_RATE" mlp --request-rate-range "$G5_RATE"
fi

log "G6: allocation per ModelInfer (JMH -prof gc, in-process transport)"
record g6 java -jar "$BENCH_JAR" InProcessModelInferBenchmark -p batch=1 -prof gc -f 1 "${JMH_GC[@]}" \
  -rf json -rff "$RAW/g6-jmh.json" >"$RAW/g6-jmh.txt" 2>&1 || log "G6 failed (kept going; see raw/g6-jmh.txt)"

{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git_commit: $(git rev-parse HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- . ':!benchmarks/results' 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "arguments: ${ARGS:-(none)}"
  echo "repeats: $REPEATS"
  echo "pinning: $PINNING"
  echo "load average at the start (1/5/15 min): $LOAD_AT_START"
  echo "load average at the end (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "kernel: $(uname -r)"
  echo "java:"; java -version 2>&1 | sed 's/^/  /'
  echo "memory (free -g):"; free -g | sed 's/^/  /'
  if [ "$PERF" = 1 ]; then echo "perf_analyzer: $("$PERF_ANALYZER" --version 2>&1 | head -n 1)"; fi
  echo "lscpu:"; lscpu | sed 's/^/  /'
} >"$OUT/machine.txt"

# stop the servers now so that their logs are complete for the report
cleanup
trap - EXIT
AGORA_PID=""; ECHO_PID=""
java -cp "$BENCH_JAR" dev.agora.benchmarks.report.ServingReport --dir "$OUT" --note "$NOTE" >&2
log "done: $OUT/README.md"
