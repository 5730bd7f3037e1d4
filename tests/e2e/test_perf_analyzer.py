"""Triton's perf_analyzer (2.60.0, service kind `triton`, gRPC) against `agora serve`, unchanged.

The runs are kept short (a fixed number of requests per concurrency level, not windows that must
agree within a stability bound, which a busy CI machine may never reach); they check that the tool
works end to end and measures non-zero throughput, not how fast the server is
(benchmarks/perf-analyzer.sh does that). The API key goes as a header: ``-H "authorization: Bearer …"``.
"""

import csv
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PERF_ANALYZER = REPO_ROOT / ".venv" / "bin" / "perf_analyzer"

PERF_TIMEOUT_S = 300
# Windows of a fixed request count, accepted whatever their spread: the run shows the tool works;
# insisting that windows agree within 10 % fails on a loaded machine ("Failed to obtain stable
# measurement"). (--request-count would be simpler but refuses a concurrency range.)
SHORT_RUN = [
    "--measurement-mode", "count_windows",
    "--measurement-request-count", "100",
    "--stability-percentage", "1000",
    "--max-trials", "5",
]  # fmt: skip


def run_perf_analyzer(server, model, csv_path, *extra, protocol="grpc"):
    if not PERF_ANALYZER.is_file():
        pytest.fail(f"{PERF_ANALYZER} is missing: run scripts/python-env.sh", pytrace=False)
    target = server.grpc_target if protocol == "grpc" else str(server.http)
    command = [
        str(PERF_ANALYZER), "-m", model, "-i", protocol, "-u", target,
        "-H", f"authorization: Bearer {server.api_key}",
        *SHORT_RUN, *extra, "-f", str(csv_path),
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=PERF_TIMEOUT_S
    )
    assert result.returncode == 0, (
        f"perf_analyzer exited {result.returncode}\n{' '.join(command)}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    with open(csv_path, newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows, f"empty CSV; stdout:\n{result.stdout}"
    return rows, result.stdout


def test_mlp_at_concurrency_1_and_4(agora_server, tmp_path):
    rows, stdout = run_perf_analyzer(
        agora_server, "mlp", tmp_path / "mlp.csv", "--concurrency-range", "1:4:3"
    )

    by_concurrency = {int(row["Concurrency"]): float(row["Inferences/Second"]) for row in rows}
    assert sorted(by_concurrency) == [1, 4], stdout
    assert all(throughput > 0 for throughput in by_concurrency.values()), by_concurrency


def test_static_batch_model_needs_no_shape_option(agora_server, tmp_path):
    rows, stdout = run_perf_analyzer(
        agora_server, "static-batch", tmp_path / "static.csv", "--concurrency-range", "1"
    )

    assert [int(row["Concurrency"]) for row in rows] == [1], stdout
    assert float(rows[0]["Inferences/Second"]) > 0, rows


def test_mlp_over_http_at_concurrency_1_and_4(agora_server, tmp_path):
    rows, stdout = run_perf_analyzer(
        agora_server, "mlp", tmp_path / "mlp-http.csv", "--concurrency-range", "1:4:3", protocol="http"
    )

    by_concurrency = {int(row["Concurrency"]): float(row["Inferences/Second"]) for row in rows}
    assert sorted(by_concurrency) == [1, 4], stdout
    assert all(throughput > 0 for throughput in by_concurrency.values()), by_concurrency
