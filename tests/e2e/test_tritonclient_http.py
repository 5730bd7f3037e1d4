"""Triton's own Python HTTP client (tritonclient 2.73.0) against `agora serve`'s KServe v2 REST API.

tritonclient.http sends tensors with Triton's binary tensor extension by default; the JSON form is
exercised too. Every call passes the API key as a header, as with the gRPC client.
"""

import numpy as np
import pytest
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException


@pytest.fixture(scope="module")
def triton(agora_server):
    client = httpclient.InferenceServerClient(str(agora_server.http))
    yield client
    client.close()


@pytest.fixture(scope="module")
def auth(agora_server):
    # tritonclient.http writes Inference-Header-Content-Length into the headers dict it is given,
    # so every call gets a fresh copy (a stale length would truncate the next request's JSON).
    return agora_server.headers


def test_health_and_readiness(triton, auth):
    assert triton.is_server_live() is True
    assert triton.is_server_ready() is True
    assert triton.is_model_ready("mlp", headers=dict(auth)) is True


def test_metadata_and_config_match_the_grpc_answers(triton, auth):
    metadata = triton.get_model_metadata("mlp", headers=dict(auth))
    config = triton.get_model_config("mlp", headers=dict(auth))

    assert metadata["inputs"] == [{"name": "input", "datatype": "FP32", "shape": [-1, 32]}]
    assert metadata["outputs"] == [{"name": "output", "datatype": "FP32", "shape": [-1, 2]}]
    assert config["max_batch_size"] > 0
    assert config["input"][0]["dims"] == [32]


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "json"])
def test_mlp_matches_onnxruntime(triton, auth, reference_session, binary):
    x = np.random.default_rng(11).standard_normal((5, 32)).astype(np.float32)
    infer_input = httpclient.InferInput("input", list(x.shape), "FP32")
    infer_input.set_data_from_numpy(x, binary_data=binary)
    output = httpclient.InferRequestedOutput("output", binary_data=binary)

    result = triton.infer("mlp", [infer_input], outputs=[output], headers=dict(auth))

    expected = reference_session("mlp.onnx").run(["output"], {"input": x})[0]
    np.testing.assert_allclose(result.as_numpy("output"), expected, atol=1e-6, rtol=0)


def test_int64_and_two_output_models(triton, auth, reference_session):
    ids = np.array([[1, -2, 3, 1 << 40]], dtype=np.int64)
    ids_input = httpclient.InferInput("ids", [1, 4], "INT64")
    ids_input.set_data_from_numpy(ids)
    doubled = triton.infer("int64", [ids_input], headers=dict(auth)).as_numpy("doubled")
    np.testing.assert_array_equal(doubled, ids * 2)

    a = np.arange(8, dtype=np.float32).reshape(1, 8)
    b = np.full((1, 8), 0.5, dtype=np.float32)
    inputs = []
    for name, value in (("a", a), ("b", b)):
        tensor = httpclient.InferInput(name, [1, 8], "FP32")
        tensor.set_data_from_numpy(value, binary_data=False)
        inputs.append(tensor)
    result = triton.infer("two-in-two-out", inputs, headers=dict(auth))
    np.testing.assert_allclose(result.as_numpy("sum"), a + b, atol=1e-6, rtol=0)
    np.testing.assert_allclose(result.as_numpy("product"), a * b, atol=1e-6, rtol=0)


def test_refusals_carry_the_status_and_a_sentence(triton, auth):
    wrong = httpclient.InferInput("input", [1, 32], "FP64")
    wrong.set_data_from_numpy(np.zeros((1, 32), dtype=np.float64))
    with pytest.raises(InferenceServerException) as raised:
        triton.infer("mlp", [wrong], headers=dict(auth))
    assert raised.value.status() == "400"
    assert "input" in raised.value.message()

    with pytest.raises(InferenceServerException) as missing:
        triton.get_model_metadata("no-such-model", headers=dict(auth))
    assert missing.value.status() == "404"

    with pytest.raises(InferenceServerException) as anonymous:
        triton.get_model_metadata("mlp")
    assert anonymous.value.status() == "401"

    x = np.ones((1, 32), dtype=np.float32)
    good = httpclient.InferInput("input", [1, 32], "FP32")
    good.set_data_from_numpy(x)
    assert triton.infer("mlp", [good], headers=dict(auth)).as_numpy("output").shape == (1, 2)
