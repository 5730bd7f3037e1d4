"""The Python SDK (agora.Client) against `agora serve`: publish, infer, error mapping."""

import hashlib

import numpy as np
import pytest

import agora
from agora import errors

MODEL = "mlp-sdk"
VERSION = "2.0.0"


@pytest.fixture(scope="module")
def client(agora_server):
    with agora.Client(agora_server.grpc_target, api_key=agora_server.api_key, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def published(client, models_dir, agora_server, model_ready):
    version = client.publish(models_dir / "mlp.onnx", MODEL, VERSION)
    model_ready(agora_server, MODEL, VERSION)
    return version


def test_publish_creates_the_model_and_records_the_artifact(client, published, models_dir):
    data = (models_dir / "mlp.onnx").read_bytes()

    assert (published.model, published.version) == (MODEL, VERSION)
    assert published.artifact.sha256 == hashlib.sha256(data).hexdigest()
    assert published.artifact.size_bytes == len(data)
    assert [(t.name, t.datatype, list(t.shape)) for t in published.signature.inputs] == [("input", "FP32", [-1, 32])]
    assert MODEL in [model.name for model in client.list_models()]
    assert client.get_model(MODEL).latest_published_version == VERSION


def test_infer_matches_onnxruntime(client, published, reference_session):
    x = np.random.default_rng(11).standard_normal((5, 32)).astype(np.float32)
    expected = reference_session("mlp.onnx").run(["output"], {"input": x})[0]

    for version in (VERSION, ""):
        outputs = client.infer(MODEL, {"input": x}, version=version)
        assert list(outputs) == ["output"]
        assert outputs["output"].dtype == np.float32
        np.testing.assert_allclose(outputs["output"], expected, atol=1e-6, rtol=0)


def test_model_metadata_and_readiness(client, published):
    metadata = client.model_metadata(MODEL)

    assert [(t.name, t.datatype, list(t.shape)) for t in metadata.outputs] == [("output", "FP32", [-1, 2])]
    assert client.is_ready() is True
    assert client.model_ready(MODEL, VERSION) is True


def test_unknown_model_raises_not_found_with_reason_then_infer_works(client, published):
    x = np.zeros((1, 32), dtype=np.float32)

    with pytest.raises(errors.NotFound) as raised:
        client.infer("no-such-model", {"input": x})
    assert raised.value.reason == "MODEL_NOT_FOUND"

    with pytest.raises(errors.NotFound) as raised:
        client.get_model("no-such-model")
    assert raised.value.reason == "MODEL_NOT_FOUND"

    assert client.infer(MODEL, {"input": x})["output"].shape == (1, 2)


def test_wrong_datatype_raises_invalid_argument_then_infer_works(client, published):
    with pytest.raises(errors.InvalidArgument) as raised:
        client.infer(MODEL, {"input": np.zeros((1, 32), dtype=np.float64)})
    assert raised.value.reason == "INVALID_TENSOR"

    assert client.infer(MODEL, {"input": np.zeros((1, 32), dtype=np.float32)})["output"].shape == (1, 2)


def test_republishing_a_version_with_other_bytes_raises_already_exists(client, published, models_dir):
    with pytest.raises(errors.AlreadyExists) as raised:
        client.publish(models_dir / "int64.onnx", MODEL, VERSION)
    assert raised.value.reason == "VERSION_ALREADY_EXISTS"

    # the published version is untouched
    assert client.infer(MODEL, {"input": np.ones((1, 32), dtype=np.float32)})["output"].shape == (1, 2)


def test_creating_an_existing_model_raises_already_exists(client, published):
    with pytest.raises(errors.AlreadyExists) as raised:
        client.create_model(MODEL, summary="again")
    assert raised.value.reason == "MODEL_ALREADY_EXISTS"

    assert client.get_model(MODEL).name == MODEL
