"""Triton's own Python gRPC client (tritonclient 2.73.0) against `agora serve`, unchanged.

Every call passes the API key the way tritonclient passes any header: ``headers=``.
"""

import numpy as np
import pytest
import tritonclient.grpc as grpcclient
from tritonclient.utils import InferenceServerException


@pytest.fixture(scope="module")
def triton(agora_server):
    client = grpcclient.InferenceServerClient(agora_server.grpc_target)
    yield client
    client.close()


@pytest.fixture(scope="module")
def auth(agora_server):
    return agora_server.headers


def infer_mlp(triton, auth, x):
    infer_input = grpcclient.InferInput("input", list(x.shape), "FP32")
    infer_input.set_data_from_numpy(x)
    result = triton.infer(
        "mlp", [infer_input], outputs=[grpcclient.InferRequestedOutput("output")], headers=auth
    )
    return result.as_numpy("output")


def test_server_is_live_and_ready(triton, auth):
    assert triton.is_server_live(headers=auth) is True
    assert triton.is_server_ready(headers=auth) is True


def test_published_models_are_ready(triton, auth):
    for model in ("mlp", "int64", "two-in-two-out", "static-batch"):
        assert triton.is_model_ready(model, headers=auth) is True, model
    assert triton.is_model_ready("mlp", "1.0.0", headers=auth) is True


def test_server_metadata(triton, auth):
    metadata = triton.get_server_metadata(headers=auth)

    assert metadata.name
    assert metadata.version


def test_model_metadata_names_datatypes_and_dynamic_shapes(triton, auth):
    metadata = triton.get_model_metadata("mlp", headers=auth)

    assert metadata.name == "mlp"
    assert "1.0.0" in metadata.versions
    assert [(t.name, t.datatype, list(t.shape)) for t in metadata.inputs] == [("input", "FP32", [-1, 32])]
    assert [(t.name, t.datatype, list(t.shape)) for t in metadata.outputs] == [("output", "FP32", [-1, 2])]


def test_model_config_reports_batching_with_dims_without_the_batch_dim(triton, auth):
    config = triton.get_model_config("mlp", headers=auth).config

    assert config.name == "mlp"
    assert config.max_batch_size > 0
    assert [(i.name, list(i.dims)) for i in config.input] == [("input", [32])]
    assert [(o.name, list(o.dims)) for o in config.output] == [("output", [2])]


def test_static_first_dimension_means_no_batching(triton, auth):
    config = triton.get_model_config("static-batch", headers=auth).config

    assert config.max_batch_size == 0
    assert [(i.name, list(i.dims)) for i in config.input] == [("x", [1, 16])]


def test_mlp_matches_onnxruntime(triton, auth, reference_session):
    x = np.random.default_rng(42).standard_normal((4, 32)).astype(np.float32)

    actual = infer_mlp(triton, auth, x)

    expected = reference_session("mlp.onnx").run(["output"], {"input": x})[0]
    assert actual.shape == (4, 2)
    assert actual.dtype == np.float32
    np.testing.assert_allclose(actual, expected, atol=1e-6, rtol=0)


def test_int64_model_matches_onnxruntime(triton, auth, reference_session):
    ids = np.array([[1, -2, 3, 1 << 40], [0, 7, -9, 5]], dtype=np.int64)
    infer_input = grpcclient.InferInput("ids", [2, 4], "INT64")
    infer_input.set_data_from_numpy(ids)

    result = triton.infer("int64", [infer_input], headers=auth)

    expected = reference_session("int64.onnx").run(["doubled"], {"ids": ids})[0]
    actual = result.as_numpy("doubled")
    assert actual.dtype == np.int64
    np.testing.assert_array_equal(actual, expected)


def test_two_inputs_two_outputs_match_onnxruntime(triton, auth, reference_session):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((3, 8)).astype(np.float32)
    b = rng.standard_normal((3, 8)).astype(np.float32)
    inputs = []
    for name, value in (("a", a), ("b", b)):
        infer_input = grpcclient.InferInput(name, [3, 8], "FP32")
        infer_input.set_data_from_numpy(value)
        inputs.append(infer_input)

    result = triton.infer("two-in-two-out", inputs, headers=auth)

    expected_sum, expected_product = reference_session("two_in_two_out.onnx").run(
        ["sum", "product"], {"a": a, "b": b}
    )
    np.testing.assert_allclose(result.as_numpy("sum"), expected_sum, atol=1e-6, rtol=0)
    np.testing.assert_allclose(result.as_numpy("product"), expected_product, atol=1e-6, rtol=0)


def test_static_batch_model_matches_onnxruntime(triton, auth, reference_session):
    x = np.random.default_rng(5).standard_normal((1, 16)).astype(np.float32)
    infer_input = grpcclient.InferInput("x", [1, 16], "FP32")
    infer_input.set_data_from_numpy(x)

    result = triton.infer("static-batch", [infer_input], headers=auth)

    expected = reference_session("static_batch.onnx").run(["y"], {"x": x})[0]
    np.testing.assert_allclose(result.as_numpy("y"), expected, atol=1e-6, rtol=0)


def test_wrong_datatype_is_invalid_argument_then_a_good_request_works(triton, auth, reference_session):
    wrong = grpcclient.InferInput("input", [1, 32], "FP64")
    wrong.set_data_from_numpy(np.zeros((1, 32), dtype=np.float64))

    with pytest.raises(InferenceServerException) as raised:
        triton.infer("mlp", [wrong], headers=auth)
    assert raised.value.status() == "StatusCode.INVALID_ARGUMENT"

    x = np.ones((2, 32), dtype=np.float32)
    expected = reference_session("mlp.onnx").run(["output"], {"input": x})[0]
    np.testing.assert_allclose(infer_mlp(triton, auth, x), expected, atol=1e-6, rtol=0)


def test_unknown_model_is_not_found_then_a_good_request_works(triton, auth):
    infer_input = grpcclient.InferInput("input", [1, 32], "FP32")
    infer_input.set_data_from_numpy(np.zeros((1, 32), dtype=np.float32))

    with pytest.raises(InferenceServerException) as raised:
        triton.infer("no-such-model", [infer_input], headers=auth)
    assert raised.value.status() == "StatusCode.NOT_FOUND"

    assert infer_mlp(triton, auth, np.zeros((1, 32), dtype=np.float32)).shape == (1, 2)
