"""agora.Client against a small fake server in this process (loopback, ephemeral port).

Checks what the client puts on the wire and how it reads answers; the real server is
exercised by tests/e2e.
"""

import hashlib
import socket
from concurrent import futures
from types import SimpleNamespace

import grpc
import numpy as np
import pytest
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

import agora
from agora import errors, tensors
from agora._proto.access.v1 import access_pb2, access_pb2_grpc
from agora._proto.inference import grpc_service_pb2 as inference_pb2
from agora._proto.inference import grpc_service_pb2_grpc as inference_grpc
from agora._proto.registry.v1 import registry_pb2, registry_pb2_grpc


def abort_with_reason(context, code, reason, message):
    detail = any_pb2.Any()
    detail.Pack(error_details_pb2.ErrorInfo(reason=reason, domain="agora.dev"))
    status = status_pb2.Status(code=code.value[0], message=message, details=[detail])
    context.abort_with_status(rpc_status.to_status(status))


API_KEY = "agora_0123456789abcdef_" + "k" * 38  # the fake server does not check the checksum


class FakeInference(inference_grpc.GRPCInferenceServiceServicer):
    """Doubles every FP32/INT64 input; echoes BYTES; knows only the model 'm'."""

    def __init__(self):
        self.requests = []
        self.metadata = []

    def ServerReady(self, request, context):
        self.metadata.append(dict(context.invocation_metadata()))
        return inference_pb2.ServerReadyResponse(ready=True)

    def ModelInfer(self, request, context):
        self.requests.append(request)
        if request.model_name != "m":
            abort_with_reason(context, grpc.StatusCode.NOT_FOUND, "MODEL_NOT_FOUND", "no model")
        version = request.model_version or "1.0.0"
        if version == "0.9.0":
            context.send_initial_metadata(
                (
                    ("agora-deprecation", "Version '0.9.0' of model 'm' is deprecated; move to version 1.0.0."),
                    ("agora-successor-version", "1.0.0"),
                )
            )
        response = inference_pb2.ModelInferResponse(model_name="m", model_version=version)
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


class FakeAccess(access_pb2_grpc.AccessServiceServicer):
    """Says every caller is alice of team fraud; hands out one fixed key."""

    def __init__(self):
        self.requests = []

    def WhoAmI(self, request, context):
        return access_pb2.Caller(principal="alice", team="fraud", roles=[access_pb2.ROLE_PUBLISHER])

    def SetTeamMember(self, request, context):
        self.requests.append(request)
        return access_pb2.Team(name=request.team, members=[request.member])

    def CreateApiKey(self, request, context):
        self.requests.append(request)
        key = access_pb2.ApiKey(id="0123456789abcdef", team=request.team, principal=request.principal)
        return access_pb2.CreateApiKeyResponse(key=key, token=API_KEY)

    def ListApiKeys(self, request, context):
        self.requests.append(request)
        if request.page_token:
            return access_pb2.ListApiKeysResponse(keys=[access_pb2.ApiKey(id="second")])
        return access_pb2.ListApiKeysResponse(keys=[access_pb2.ApiKey(id="first")], next_page_token="2")


@pytest.fixture
def fakes(monkeypatch):
    monkeypatch.delenv("AGORA_API_KEY", raising=False)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    parts = SimpleNamespace(inference=FakeInference(), registry=FakeRegistry(), access=FakeAccess())
    inference_grpc.add_GRPCInferenceServiceServicer_to_server(parts.inference, server)
    registry_pb2_grpc.add_RegistryServiceServicer_to_server(parts.registry, server)
    access_pb2_grpc.add_AccessServiceServicer_to_server(parts.access, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    parts.target = f"127.0.0.1:{port}"
    try:
        with agora.Client(parts.target, api_key=API_KEY, timeout=10) as client:
            parts.client = client
            yield parts
    finally:
        server.stop(grace=None)


@pytest.fixture
def fake_server(fakes):
    return fakes.client, fakes.inference, fakes.registry


def test_every_call_carries_the_api_key_as_a_bearer_token(fakes):
    assert fakes.client.is_ready() is True

    assert fakes.inference.metadata[-1]["authorization"] == f"Bearer {API_KEY}"


def test_the_key_comes_from_agora_api_key_when_none_is_given(fakes, monkeypatch):
    monkeypatch.setenv("AGORA_API_KEY", "agora_from_the_environment")
    with agora.Client(fakes.target, timeout=10) as client:
        client.is_ready()
    with agora.Client(fakes.target, api_key="", timeout=10) as client:
        client.is_ready()

    assert fakes.inference.metadata[-2]["authorization"] == "Bearer agora_from_the_environment"
    assert "authorization" not in fakes.inference.metadata[-1]


def test_keys_and_members_go_through_the_access_service(fakes):
    created = fakes.client.create_api_key(team="fraud", principal="carol", scopes=["inference"])
    team = fakes.client.set_team_member("fraud", "batch", ["consumer", "reviewer"], kind="service-account")
    keys = fakes.client.list_api_keys(team="fraud")

    assert created.token == API_KEY
    key_request, member_request = fakes.access.requests[0], fakes.access.requests[1]
    assert (key_request.team, key_request.principal, list(key_request.scopes)) == ("fraud", "carol", ["inference"])
    assert list(member_request.member.roles) == [access_pb2.ROLE_CONSUMER, access_pb2.ROLE_REVIEWER]
    assert member_request.member.kind == access_pb2.PRINCIPAL_KIND_SERVICE_ACCOUNT
    assert team.members[0].principal == "batch"
    assert [key.id for key in keys] == ["first", "second"]
    with pytest.raises(ValueError):
        fakes.client.set_team_member("fraud", "x", ["owner"])


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


def test_a_deprecated_version_answers_with_a_warning_naming_the_successor(fake_server):
    client, _, _ = fake_server

    with pytest.warns(agora.DeprecatedVersionWarning, match="move to version 1.0.0") as warned:
        outputs = client.infer("m", {"x": np.ones((1, 2), np.float32)}, version="0.9.0")

    assert warned[0].message.successor_version == "1.0.0"
    np.testing.assert_array_equal(outputs["x_out"], np.full((1, 2), 2, np.float32))


def test_a_current_version_answers_without_a_warning(fake_server, recwarn):
    client, _, _ = fake_server

    client.infer("m", {"x": np.ones((1, 2), np.float32)}, version="1.0.0")

    assert not [w for w in recwarn if issubclass(w.category, agora.DeprecatedVersionWarning)]


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
    assert registry.models["new-model"].owner_team == "fraud"  # the key's team (WhoAmI)
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


def test_the_cli_creates_a_key_and_prints_it_alone_on_stdout(fakes, capsys):
    from agora.__main__ import main

    code = main(["--server", fakes.target, "--api-key", API_KEY, "keys", "create", "--team", "fraud",
                 "--principal", "carol", "--scope", "inference"])  # fmt: skip

    out, err = capsys.readouterr()
    assert code == 0
    assert out == API_KEY + "\n"
    assert "shown only now" in err
    assert list(fakes.access.requests[-1].scopes) == ["inference"]


def test_generated_keys_have_the_format_and_checksum_servers_check():
    import re
    import zlib

    from agora._access import generate_key

    keys = {generate_key() for _ in range(100)}

    assert len(keys) == 100
    for key in keys:
        assert re.fullmatch(r"agora_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}", key)
        alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        value = 0
        for char in key[-6:]:
            value = value * 62 + alphabet.index(char)
        assert value == zlib.crc32(key[:-6].encode("ascii"))
