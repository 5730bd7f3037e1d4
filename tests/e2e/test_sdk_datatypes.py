"""Every numpy datatype the SDK sends goes through the real server bit-exactly (identity models)."""

import numpy as np
import pytest

import agora

VERSION = "1.0.0"
SAMPLES = {
    "bool": np.array([[True, False, True, True], [False, False, True, False]]),
    "uint8": np.array([[0, 1, 127, 255]], dtype=np.uint8),
    "uint16": np.array([[0, 1, 32768, 65535]], dtype=np.uint16),
    "uint32": np.array([[0, 1, 2**31, 2**32 - 1]], dtype=np.uint32),
    "uint64": np.array([[0, 1, 2**63, 2**64 - 1]], dtype=np.uint64),
    "int8": np.array([[-128, -1, 0, 127]], dtype=np.int8),
    "int16": np.array([[-32768, -1, 0, 32767]], dtype=np.int16),
    "int32": np.array([[-(2**31), -1, 0, 2**31 - 1]], dtype=np.int32),
    "int64": np.array([[-(2**63), -1, 0, 2**63 - 1]], dtype=np.int64),
    "fp16": np.array([[-65504.0, -0.0, 1e-4, np.inf]], dtype=np.float16),
    "fp32": np.array([[np.float32(np.pi), -1e-38, 3.4e38, -np.inf]], dtype=np.float32),
    "fp64": np.array([[np.pi, -1e-308, 1.7e308, 0.1]], dtype=np.float64),
}
# BF16 is not here: numpy has no bfloat16 to send. BYTES has its own test below (object arrays).


@pytest.fixture(scope="module")
def client(agora_server, models_dir, model_ready):
    with agora.Client(agora_server.grpc_target, api_key=agora_server.api_key, timeout=60) as client:
        for datatype in [*SAMPLES, "bytes"]:
            client.publish(models_dir / f"identity_{datatype}.onnx", f"identity-{datatype}", VERSION)
        for datatype in [*SAMPLES, "bytes"]:
            model_ready(agora_server, f"identity-{datatype}", VERSION)
        yield client


@pytest.mark.parametrize("datatype", sorted(SAMPLES))
def test_identity_round_trip(client, datatype):
    sent = SAMPLES[datatype]

    received = client.infer(f"identity-{datatype}", {"x": sent})["y"]

    assert received.shape == sent.shape
    assert received.dtype == sent.dtype
    assert received.tobytes() == sent.tobytes()


def test_bytes_round_trip(client):
    sent = np.array([[b"", "caf\u00e9".encode(), b"a\x00b", b"x" * 1000]], dtype=object)

    received = client.infer("identity-bytes", {"x": sent})["y"]

    assert received.shape == sent.shape
    assert received.tolist() == sent.tolist()
