#!/usr/bin/env bash
# The newcomer's first command: installs what is missing, builds Agora, starts `agora serve`
# (registry + inference in one process, data in ./agora-data), publishes the demo MLP as model
# `demo-mlp` version 1.0.0, calls it once, and prints how to call it yourself. The server stays in
# the foreground until Ctrl-C. Ports: gRPC 8001 and HTTP 8000 unless AGORA_GRPC_PORT /
# AGORA_HTTP_PORT say otherwise (0 picks free ports).
#
# Every call needs an API key. On the first start the server prints its administrator key once;
# the demo uses it, prints it, and keeps it in build/demo-admin-key (mode 600) so a second run on
# the same ./agora-data can use it again (AGORA_API_KEY, when set, wins).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-prereqs.sh
echo "demo: building (tests skipped; scripts/test.sh runs them)"
mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true package

jar="$root/app/target/agora.jar"
testing_jar=$(ls "$root"/testing/target/agora-testing-*.jar | grep -v -e sources -e tests | head -1)
mkdir -p build/demo-models
java -cp "$testing_jar:$jar" dev.agora.testing.models.GenerateTestModels build/demo-models >/dev/null

log="$root/build/agora-serve.log"
java -jar "$jar" serve --data-dir "$root/agora-data" \
  --grpc-port "${AGORA_GRPC_PORT:-8001}" --http-port "${AGORA_HTTP_PORT:-8000}" >"$log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' INT TERM
trap 'kill -TERM $server 2>/dev/null || true' EXIT

for _ in $(seq 1 600); do
  grep -q '^agora: ready' "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log"; echo "demo: agora serve exited"; exit 1; }
  sleep 0.2
done
grep -q '^agora: ready' "$log" || { cat "$log"; echo "demo: server not ready"; exit 1; }
grpc=$(sed -n 's/^agora: gRPC listening on //p' "$log")
http=$(sed -n 's/^agora: HTTP listening on //p' "$log")

key_file="$root/build/demo-admin-key"
key="${AGORA_API_KEY:-$(sed -n 's/^agora: bootstrap admin key: //p' "$log")}"
if [ -n "$key" ]; then
  (umask 077 && printf '%s\n' "$key" >"$key_file")
elif [ -s "$key_file" ]; then
  key=$(cat "$key_file")
else
  echo "demo: ./agora-data was set up before and its administrator key is not in $key_file;"
  echo "demo: set AGORA_API_KEY to that key, or remove ./agora-data to start afresh."
  exit 1
fi
export AGORA_API_KEY="$key"
echo "demo: calling with the administrator key $key"

java -jar "$jar" publish build/demo-models/mlp.onnx --model demo-mlp --version 1.0.0 \
  --summary "Demo MLP: 32 features in, 2 scores out" --server "$grpc"

echo
echo "demo: one call through tritonclient:"
.venv/bin/python examples/call_demo.py "$grpc" "$key"
cat <<MSG

Agora is serving the demo model 'demo-mlp' version 1.0.0.
  gRPC (Open Inference Protocol v2, Triton-compatible): $grpc
  HTTP health:                                         http://$http/v2/health/ready

The administrator API key (every call but health needs a key; keep it secret):
  $key

Call it yourself (paste in another terminal, from $(pwd)):
  .venv/bin/python examples/call_demo.py $grpc $key

Publish your own model:
  java -jar app/target/agora.jar publish my_model.onnx --model my-model --version 1.0.0 --server $grpc --api-key $key

Give a team its own keys (Python CLI; see README.md):
  .venv/bin/python -m agora --server $grpc --api-key $key keys create --team admins --scope inference

Server log: $log. Press Ctrl-C to stop.
MSG
trap - EXIT
wait $server
