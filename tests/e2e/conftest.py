"""End-to-end fixtures: the real `agora serve` (app/target/agora.jar) on ephemeral loopback ports.

* ``models_dir``     the test models, written by the Java generator in the testing module.
* ``agora_server``   one server for the session, with mlp, int64, two-in-two-out and
                     static-batch published through the ``agora publish`` CLI (version 1.0.0).
                     ``agora_server.api_key`` is the administrator key it printed on its first
                     start; ``agora_server.headers`` is ``{"authorization": "Bearer <key>"}``,
                     what tritonclient's calls take as ``headers=``.
* ``identity_models`` the identity model of every OIP datatype published on ``agora_server``
                     as ``identity-<datatype>`` 1.0.0 (datatype -> model name).
* ``start_server``   starts more servers (own data dirs); each is stopped at teardown.
* ``publish_cli``    publishes a file through the CLI.
* ``wait_until``     polls a condition with a deadline (no fixed sleeps).

Every call but health needs an API key: the fixtures read the bootstrap administrator key from
the server's output (``agora: bootstrap admin key: agora_...``).

Run from the repository root after `mvn package` (or `mvn verify`) and `scripts/python-env.sh`:
``.venv/bin/pytest -q tests/e2e``.
"""

from __future__ import annotations

import os
import queue
import re
import shlex
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_JAR = REPO_ROOT / "app" / "target" / "agora.jar"
TESTING_TARGET = REPO_ROOT / "testing" / "target"

READY_TIMEOUT_S = float(os.environ.get("AGORA_E2E_READY_TIMEOUT", "120"))
STOP_TIMEOUT_S = 60.0
MODEL_READY_TIMEOUT_S = 60.0
CLI_TIMEOUT_S = 180.0
JAVA_OPTS = shlex.split(os.environ.get("AGORA_E2E_JAVA_OPTS", ""))

# model name (DNS-label style, as the registry requires) -> file written by GenerateTestModels;
# each is published as 1.0.0 on the session server
SESSION_MODELS = {
    "mlp": "mlp.onnx",
    "int64": "int64.onnx",
    "two-in-two-out": "two_in_two_out.onnx",
    "static-batch": "static_batch.onnx",
}
VERSION = "1.0.0"

# Every Open Inference Protocol datatype; the testing module generates an Identity model for each
# (x [-1,4] -> y [-1,4], file identity_<datatype>.onnx).
OIP_DATATYPES = (
    "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
    "FP16", "BF16", "FP32", "FP64", "BYTES",
)  # fmt: skip
# GenerateTestModels writes only TestModels.ORT_RUNNABLE_DATATYPES, which leaves these out (ONNX
# Runtime's Java API cannot feed them as such; the server rewrites such inputs, UnsignedInputs).
# tests/e2e/WriteIdentityModels.java writes them with the same generator, TestModels.identity.
NOT_IN_GENERATED_SET = ("UINT16", "UINT32", "UINT64")
WRITE_IDENTITY_MODELS = Path(__file__).resolve().parent / "WriteIdentityModels.java"


def identity_model_name(datatype: str) -> str:
    return f"identity-{datatype.lower()}"


def identity_file_name(datatype: str) -> str:
    return f"identity_{datatype.lower()}.onnx"

_LISTEN_LINE = re.compile(r"^agora: (gRPC|HTTP) listening on (\S+):(\d+)\s*$")
_KEY_LINE = re.compile(r"^agora: bootstrap admin key: (agora_\S+)\s*$")
_READY_LINE = "agora: ready"


def bearer(api_key: str) -> dict[str, str]:
    """The header every call carries: tritonclient's ``headers=``, gRPC metadata."""
    return {"authorization": f"Bearer {api_key}"}


def _require_file(path: Path, how: str) -> Path:
    if not path.is_file():
        pytest.fail(f"{path} is missing: {how}", pytrace=False)
    return path


def _testing_jar() -> Path:
    jars = sorted(
        jar
        for jar in TESTING_TARGET.glob("agora-testing-*.jar")
        if not jar.name.endswith(("-sources.jar", "-javadoc.jar", "-tests.jar"))
    )
    if not jars:
        pytest.fail(f"no agora-testing jar in {TESTING_TARGET}: run `mvn package` first", pytrace=False)
    return jars[-1]


def _java(*args: str) -> list[str]:
    return ["java", *JAVA_OPTS, *args]


def poll_until(condition: Callable[[], object], timeout_s: float, what: str, interval_s: float = 0.1):
    """Calls ``condition`` until it returns a truthy value (returned) or the deadline passes.

    Exceptions from ``condition`` count as "not yet"; the last one is reported on timeout.
    """
    deadline = time.monotonic() + timeout_s
    last_error: BaseException | None = None
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # noqa: BLE001 - reported below
            last_error = error
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            pytest.fail(f"timed out after {timeout_s:.0f}s waiting for {what}{detail}", pytrace=False)
        time.sleep(interval_s)  # poll interval, not a synchronisation delay


@dataclass
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


class AgoraServer:
    """One `agora serve` process; its merged stdout/stderr is kept for failure messages."""

    def __init__(self, data_dir: Path, api_key: str | None = None) -> None:
        self.data_dir = data_dir
        self.api_key = api_key  # given for a restart on a data dir bootstrapped before
        self.grpc: Address | None = None
        self.http: Address | None = None
        self._lines: list[str] = []
        self._events: queue.Queue[str | None] = queue.Queue()
        self._process: subprocess.Popen[str] | None = None
        self.exit_code: int | None = None

    @property
    def grpc_target(self) -> str:
        return str(self.grpc)

    @property
    def http_url(self) -> str:
        return f"http://{self.http}"

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.api_key)


    def output(self) -> str:
        return "".join(self._lines)

    def start(self) -> "AgoraServer":
        command = _java(
            "-jar", str(_require_file(APP_JAR, "run `mvn package` first")),
            "serve", "--data-dir", str(self.data_dir),
            "--grpc-port", "0", "--http-port", "0", "--host", "127.0.0.1",
        )  # fmt: skip
        self._process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        threading.Thread(target=self._pump, name="agora-stdout", daemon=True).start()
        self._await_ready()
        return self

    def _pump(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.append(line)
            self._events.put(line)
        self._events.put(None)

    def _await_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self._events.get(timeout=max(remaining, 0.001))
            except queue.Empty:
                self._kill()
                pytest.fail(
                    f"agora serve printed no '{_READY_LINE}' within {READY_TIMEOUT_S:.0f}s; output:\n{self.output()}",
                    pytrace=False,
                )
            if line is None:
                code = self._process.wait()
                pytest.fail(f"agora serve exited with {code} before it was ready; output:\n{self.output()}", pytrace=False)
            key = _KEY_LINE.match(line.strip())
            if key:
                self.api_key = key.group(1)
            match = _LISTEN_LINE.match(line.strip())
            if match:
                address = Address(match.group(2), int(match.group(3)))
                if match.group(1) == "gRPC":
                    self.grpc = address
                else:
                    self.http = address
            elif line.strip() == _READY_LINE:
                if self.grpc is None or self.http is None:
                    self._kill()
                    pytest.fail(f"'{_READY_LINE}' came before both listening lines; output:\n{self.output()}", pytrace=False)
                if self.api_key is None:
                    self._kill()
                    pytest.fail(f"a new data dir printed no bootstrap admin key; output:\n{self.output()}", pytrace=False)
                return

    def stop(self) -> int:
        """Sends SIGTERM and waits for the exit; returns the exit code."""
        if self._process is None:
            raise RuntimeError("not started")
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._kill()
                pytest.fail(f"agora serve did not stop within {STOP_TIMEOUT_S:.0f}s of SIGTERM; output:\n{self.output()}", pytrace=False)
        self.exit_code = self._process.returncode
        return self.exit_code

    def assert_stopped_cleanly(self) -> None:
        code = self.stop()
        assert code in (0, 143), f"agora serve exited with {code} after SIGTERM; output:\n{self.output()}"

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()


def publish_cli_process(
    server: AgoraServer, model_file: Path, model: str, version: str, api_key: str | None = None
) -> subprocess.CompletedProcess:
    """Runs `agora publish FILE --model M --version V --server ... --api-key K` (default key: the
    server's administrator key) and returns the finished process, whatever its exit code."""
    command = _java(
        "-jar", str(APP_JAR), "publish", str(model_file),
        "--model", model, "--version", version, "--server", server.grpc_target,
        "--api-key", api_key or server.api_key,
    )  # fmt: skip
    return subprocess.run(
        command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=CLI_TIMEOUT_S
    )


def run_publish_cli(server: AgoraServer, model_file: Path, model: str, version: str) -> str:
    """`agora publish FILE --model M --version V --server ...` as the administrator; returns its stdout."""
    result = publish_cli_process(server, model_file, model, version)
    assert result.returncode == 0, (
        f"agora publish {model} {version} exited {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}\nserver output:\n{server.output()}"
    )
    expected = f"published {model} {version}"
    assert any(line.startswith(expected) for line in result.stdout.splitlines()), (
        f"no line starting '{expected}' in publish output:\n{result.stdout}"
    )
    return result.stdout


def wait_model_ready(server: AgoraServer, model: str, version: str = "") -> None:
    import tritonclient.grpc as grpcclient

    client = grpcclient.InferenceServerClient(server.grpc_target)
    try:
        poll_until(
            lambda: client.is_model_ready(model, version, headers=server.headers),
            MODEL_READY_TIMEOUT_S,
            f"model {model} {version or '(latest)'} to be ready on {server.grpc_target}",
        )
    finally:
        client.close()


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models")
    classpath = f"{_testing_jar()}{os.pathsep}{_require_file(APP_JAR, 'run `mvn package` first')}"
    result = subprocess.run(
        _java("-cp", classpath, "dev.agora.testing.models.GenerateTestModels", str(out)),
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert result.returncode == 0, f"GenerateTestModels failed:\n{result.stdout}\n{result.stderr}"
    for name in SESSION_MODELS.values():
        _require_file(out / name, f"GenerateTestModels did not write it:\n{result.stdout}\n{result.stderr}")
    extra = subprocess.run(
        _java("-cp", classpath, str(WRITE_IDENTITY_MODELS), str(out), *NOT_IN_GENERATED_SET),
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert extra.returncode == 0, f"WriteIdentityModels failed:\n{extra.stdout}\n{extra.stderr}"
    for datatype in OIP_DATATYPES:
        _require_file(out / identity_file_name(datatype), f"no identity model was written for {datatype}")
    return out


@pytest.fixture(scope="session")
def start_server(tmp_path_factory):
    """Factory: ``start_server(data_dir=None, api_key=None)`` starts a server (fresh data dir by
    default; pass the first start's ``api_key`` when restarting on its data dir)."""
    started: list[AgoraServer] = []

    def start(data_dir: Path | None = None, api_key: str | None = None) -> AgoraServer:
        server = AgoraServer(data_dir or tmp_path_factory.mktemp("agora-data"), api_key)
        started.append(server)
        return server.start()

    yield start
    failures = []
    for server in started:
        if server.running():
            code = server.stop()
            if code not in (0, 143):
                failures.append(f"exit {code}:\n{server.output()}")
    assert not failures, "servers did not stop cleanly:\n" + "\n".join(failures)


@pytest.fixture(scope="session")
def agora_server(start_server, models_dir) -> AgoraServer:
    server = start_server()
    for model, file_name in SESSION_MODELS.items():
        run_publish_cli(server, models_dir / file_name, model, VERSION)
    for model in SESSION_MODELS:
        wait_model_ready(server, model)
    return server


@pytest.fixture(scope="session")
def identity_models(agora_server, models_dir) -> dict[str, str]:
    """Publishes identity_<datatype>.onnx as ``identity-<datatype>`` 1.0.0 for every OIP datatype
    (through the SDK, which is quicker than one CLI process each; re-publishing the same bytes is
    an idempotent success, so other modules may publish the same files) and waits until each is
    ready. Returns datatype -> model name."""
    import agora

    models = {datatype: identity_model_name(datatype) for datatype in OIP_DATATYPES}
    with agora.Client(agora_server.grpc_target, api_key=agora_server.api_key, timeout=60) as client:
        for datatype, model in models.items():
            client.publish(models_dir / identity_file_name(datatype), model, VERSION)
    for model in models.values():
        wait_model_ready(agora_server, model, VERSION)
    return models


@pytest.fixture(scope="session")
def publish_cli():
    return run_publish_cli


@pytest.fixture(scope="session")
def publish_cli_as():
    """``publish_cli_as(server, file, model, version, api_key)``: the finished CLI process."""
    return publish_cli_process


@pytest.fixture(scope="session")
def wait_until():
    return poll_until


@pytest.fixture(scope="session")
def model_ready():
    return wait_model_ready


@pytest.fixture(scope="session")
def reference_session(models_dir):
    """onnxruntime sessions on the same model files, for reference results."""
    import onnxruntime as ort

    sessions = {}

    def session(file_name: str):
        if file_name not in sessions:
            sessions[file_name] = ort.InferenceSession(str(models_dir / file_name), providers=["CPUExecutionProvider"])
        return sessions[file_name]

    return session
