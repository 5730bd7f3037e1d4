"""Triton's perf_analyzer (2.60.0) runs against every generated test model, over gRPC and HTTP.

Every model the testing module generates is published on the session server: mlp, int64,
two-in-two-out and static-batch (conftest's SESSION_MODELS) and the identity model of each of the
fourteen OIP datatypes (``identity_models``). perf_analyzer reads each model's metadata and config,
makes up input data (random values; random 128-character strings for BYTES) and must finish with
exit code 0 and a measured throughput above zero in its CSV report.

No model has a dynamic dimension other than the batch one (every model but static-batch batches
along its first dimension, which perf_analyzer fills from ``-b``; static-batch's shape is fully
fixed), so none needs ``--shape``; ``test_no_model_needs_a_shape_option`` checks that, so a new
model that does will fail here until SHAPES names it.

perf_analyzer -i http can also put tensors into JSON (``--input-tensor-format json
--output-tensor-format json``); that is run for the models whose datatypes its JSON path handles
(JSON_FORMAT_MODELS). It refuses FP16 and BF16 itself ("datatype 'FP16' is not supported with
JSON"), sends BOOL as garbage (``"data":[null,0,true,[]]``, which the server refuses with a 400), and
aborts in glibc ("free(): invalid next size") on reading a well-formed FP64 JSON answer.

Runs are short on purpose: a fixed number of requests (``--request-count``) instead of windows
that must stabilise. They show the tool works against the server; benchmarks/ measures speed.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
import tritonclient.grpc as grpcclient

REPO_ROOT = Path(__file__).resolve().parents[2]
PERF_ANALYZER = REPO_ROOT / ".venv" / "bin" / "perf_analyzer"
PERF_TIMEOUT_S = 120
REQUESTS = "20"

SESSION_MODELS = ("mlp", "int64", "two-in-two-out", "static-batch")
DATATYPES = (
    "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
    "FP16", "BF16", "FP32", "FP64", "BYTES",
)  # fmt: skip
MODELS = (*SESSION_MODELS, *(f"identity-{datatype.lower()}" for datatype in DATATYPES))
# perf_analyzer's JSON tensor format works for these (see the module comment for the others);
# random UINT64 values above 2^63 - 1 and random strings go through the server's JSON codec
JSON_FORMAT_MODELS = ("mlp", "int64", "two-in-two-out", "identity-uint64", "identity-int8", "identity-bytes")
# model -> ["--shape", "input:d1,d2", ...] for models with dynamic dimensions other than batch
SHAPES: dict[str, list[str]] = {}


@pytest.fixture(scope="module")
def published(agora_server, identity_models):
    """Every generated model is published and ready (the session models by agora_server)."""
    assert set(MODELS) == set(SESSION_MODELS) | set(identity_models.values())
    return agora_server


def run_perf_analyzer(server, model, protocol, csv_path, *extra):
    if not PERF_ANALYZER.is_file():
        pytest.fail(f"{PERF_ANALYZER} is missing: run scripts/python-env.sh", pytrace=False)
    target = server.grpc_target if protocol == "grpc" else str(server.http)
    command = [
        str(PERF_ANALYZER), "-m", model, "-i", protocol, "-u", target,
        "-H", f"authorization: Bearer {server.api_key}",
        "--concurrency-range", "1", "--request-count", REQUESTS,
        *SHAPES.get(model, []), *extra, "-f", str(csv_path),
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=PERF_TIMEOUT_S
    )
    assert result.returncode == 0, (
        f"perf_analyzer exited {result.returncode}\n{' '.join(command)}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    with open(csv_path, newline="") as file:
        return list(csv.DictReader(file)), result.stdout


def test_no_model_needs_a_shape_option(published):
    client = grpcclient.InferenceServerClient(published.grpc_target)
    try:
        dynamic = {}
        for model in MODELS:
            config = client.get_model_config(model, headers=published.headers).config
            for tensor in config.input:
                # dims exclude the batch dimension when max_batch_size > 0
                if any(dim < 0 for dim in tensor.dims):
                    dynamic.setdefault(model, []).append(tensor.name)
    finally:
        client.close()

    assert {model: names for model, names in dynamic.items() if model not in SHAPES} == {}


@pytest.mark.parametrize("protocol", ["grpc", "http"])
@pytest.mark.parametrize("model", MODELS)
def test_perf_analyzer_measures_throughput(published, model, protocol, tmp_path):
    rows, stdout = run_perf_analyzer(published, model, protocol, tmp_path / "report.csv")

    assert [int(row["Concurrency"]) for row in rows] == [1], stdout
    assert float(rows[0]["Inferences/Second"]) > 0, rows


@pytest.mark.parametrize("model", JSON_FORMAT_MODELS)
def test_perf_analyzer_over_http_with_json_tensors(published, model, tmp_path):
    rows, stdout = run_perf_analyzer(
        published, model, "http", tmp_path / "report.csv",
        "--input-tensor-format", "json", "--output-tensor-format", "json",
    )  # fmt: skip

    assert [int(row["Concurrency"]) for row in rows] == [1], stdout
    assert float(rows[0]["Inferences/Second"]) > 0, rows
