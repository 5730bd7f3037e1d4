"""agora.Client against a small fake server in this process (loopback, ephemeral port).

Checks what the client puts on the wire and how it reads answers; the real server is
exercised by tests/e2e.
"""

import hashlib
import socket
from concurrent import futures

import grpc
import numpy as np
import pytest
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

import agora
from agora import errors, tensors
from agora._proto.inference import grpc_service_pb2 as inference_pb2
from agora._proto.inference import grpc_service_pb2_grpc as inference_grpc
from agora._proto.registry.v1 import registry_pb2, registry_pb2_grpc


def abort_with_reason(context, code, reason, message):
    detail = any_pb2.Any()
    detail.Pack(error_details_pb2.ErrorInfo(reason=reason, domain="agora.dev"))
    status = status_pb2.Status(code=code.value[0], message=message, details=[detail])
    context.abort_with_status(rpc_status.to_status(status))


class FakeInference(inference_grpc.GRPCInferenceServiceServicer):
    """Doubles every FP32/INT64 input; echoes BYTES; knows only the model 'm'."""

    def __init__(self):
        self.requests = []

    def ServerReady(self, request, context):
        return inference_pb2.ServerReadyResponse(ready=True)

    def ModelInfer(self, request, context):
        self.requests.append(request)
        if request.model_name != "m":
            abort_with_reason(context, grpc.StatusCode.NOT_FOUND, "MODEL_NOT_FOUND", "no model")
        response = inference_pb2.ModelInferResponse(model_name="m", model_version="1.0.0")
        wanted = {o.name for o in request.outputs}
        for tensor, raw in zip(request.inputs, request.raw_input_contents):
            name = tensor.name + "_out"
            if wanted and name not in wanted:
                continue
            value = tensors.decode(tensor.datatype, tensor.shape, raw)
            if tensor.datatype != "BYTES":
                value = value * 2
            datatype, shape, out = tensors.encode(value)
            response.outputs.add(name=name, datatype=datatype, shape=shape)
            response.raw_output_contents.append(out)
        return response


class FakeRegistry(registry_pb2_grpc.RegistryServiceServicer):
    def __init__(self):
        self.models = {}
        self.uploads = []
        self.published = []

    def GetModel(self, request, context):
        if request.name not in self.models:
            abort_with_reason(context, grpc.StatusCode.NOT_FOUND, "MODEL_NOT_FOUND", "unknown")
        return self.models[request.name]

    def CreateModel(self, request, context):
        if request.model.name in self.models:
            abort_with_reason(context, grpc.StatusCode.ALREADY_EXISTS, "MODEL_ALREADY_EXISTS", "exists")
        self.models[request.model.name] = request.model
        return request.model

    def ListModels(self, request, context):
        names = sorted(self.models)
        start = int(request.page_token or 0)
        page = names[start : start + 1]  # one per page, to exercise paging
        token = str(start + 1) if start + 1 < len(names) else ""
        return registry_pb2.ListModelsResponse(models=[self.models[n] for n in page], next_page_token=token)

    def UploadVersion(self, request_iterator, context):
        messages = list(request_iterator)
        self.uploads.append(messages)
        header = messages[0].header
        data = b"".join(m.chunk for m in messages[1:])
        if hashlib.sha256(data).hexdigest() != header.sha256:
            abort_with_reason(context, grpc.StatusCode.INVALID_ARGUMENT, "DIGEST_MISMATCH", "bad digest")
        return registry_pb2.ModelVersion(model=header.model, version=header.version, stage=registry_pb2.STAGE_DRAFT)

    def PublishVersion(self, request, context):
        self.published.append((request.model, request.version))
        return registry_pb2.ModelVersion(
            model=request.model, version=request.version, stage=registry_pb2.STAGE_PUBLISHED
        )


@pytest.fixture
def fake_server():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    inference, registry = FakeInference(), FakeRegistry()
    inference_grpc.add_GRPCInferenceServiceServicer_to_server(inference, server)
    registry_pb2_grpc.add_RegistryServiceServicer_to_server(registry, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with agora.Client(f"127.0.0.1:{port}", timeout=10) as client:
            yield client, inference, registry
    finally:
        server.stop(grace=None)


def test_infer_sends_raw_inputs_and_decodes_raw_outputs(fake_server):
    client, inference, _ = fake_server
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    ids = np.array([[1, -2]], dtype=np.int64)
    words = np.array([b"a", b"bc"], dtype=object)

    outputs = client.infer("m", {"x": x, "ids": ids, "words": words}, version="1.0.0")

    sent = inference.requests[-1]
    assert sent.model_version == "1.0.0"
    assert [(t.name, t.datatype, list(t.shape)) for t in sent.inputs] == [
        ("x", "FP32", [2, 4]),
        ("ids", "INT64", [1, 2]),
        ("words", "BYTES", [2]),
    ]
    assert sent.raw_input_contents[0] == x.tobytes()
    assert not sent.inputs[0].HasField("contents")
    np.testing.assert_array_equal(outputs["x_out"], x * 2)
    assert outputs["x_out"].dtype == np.float32
    np.testing.assert_array_equal(outputs["ids_out"], ids * 2)
    assert outputs["words_out"].tolist() == [b"a", b"bc"]


def test_infer_requests_only_named_outputs(fake_server):
    client, inference, _ = fake_server

    outputs = client.infer("m", {"x": np.ones((1, 2), np.float32), "y": np.ones(1, np.int32)}, outputs=["y_out"])

    assert [o.name for o in inference.requests[-1].outputs] == ["y_out"]
    assert list(outputs) == ["y_out"]


def test_unknown_model_raises_not_found_then_a_good_call_succeeds(fake_server):
    client, _, _ = fake_server

    with pytest.raises(errors.NotFound) as raised:
        client.infer("missing", {"x": np.ones((1, 2), np.float32)})
    assert raised.value.reason == "MODEL_NOT_FOUND"
    assert raised.value.code == grpc.StatusCode.NOT_FOUND

    assert client.is_ready() is True
    assert "x_out" in client.infer("m", {"x": np.ones((1, 2), np.float32)})


def test_publish_creates_model_streams_chunks_with_digest_and_publishes(fake_server, tmp_path):
    client, _, registry = fake_server
    payload = np.random.default_rng(1).bytes(2 * agora.CHUNK_BYTES + 12345)
    artifact = tmp_path / "model.onnx"
    artifact.write_bytes(payload)

    version = client.publish(artifact, "new-model", "2.0.0")

    assert version.stage == registry_pb2.STAGE_PUBLISHED
    assert "new-model" in registry.models
    messages = registry.uploads[-1]
    header = messages[0].header
    assert messages[0].WhichOneof("content") == "header"
    assert (header.model, header.version) == ("new-model", "2.0.0")
    assert header.sha256 == hashlib.sha256(payload).hexdigest()
    assert header.size_bytes == len(payload)
    chunks = [m.chunk for m in messages[1:]]
    assert all(m.WhichOneof("content") == "chunk" for m in messages[1:])
    assert max(len(c) for c in chunks) <= agora.CHUNK_BYTES
    assert b"".join(chunks) == payload
    assert registry.published == [("new-model", "2.0.0")]


def test_publish_into_an_existing_model_does_not_create_it_again(fake_server, tmp_path):
    client, _, registry = fake_server
    client.create_model("existing", summary="there already", owner_team="search", tags=["a"])
    artifact = tmp_path / "m.onnx"
    artifact.write_bytes(b"onnx")

    client.publish(artifact, "existing", "1.0.0")

    assert registry.models["existing"].summary == "there already"
    assert list(registry.models["existing"].tags) == ["a"]
    assert registry.published == [("existing", "1.0.0")]


def test_create_model_twice_raises_already_exists_then_listing_works(fake_server):
    client, _, _ = fake_server
    client.create_model("b-model")
    client.create_model("a-model")

    with pytest.raises(errors.AlreadyExists) as raised:
        client.create_model("a-model")
    assert raised.value.reason == "MODEL_ALREADY_EXISTS"

    assert [m.name for m in client.list_models()] == ["a-model", "b-model"]


def test_create_model_with_an_unknown_field_is_a_type_error(fake_server):
    client, _, _ = fake_server

    with pytest.raises(TypeError):
        client.create_model("x", colour="blue")


def test_connection_failure_is_unavailable_without_reason():
    # A bound socket that never listens: connections to it are refused.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        with agora.Client(f"127.0.0.1:{closed.getsockname()[1]}", timeout=5) as client:
            with pytest.raises(errors.Unavailable) as raised:
                client.is_ready()
    assert raised.value.reason is None
