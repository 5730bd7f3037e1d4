"""API keys against the real `agora serve`: without a key only health answers; a consumer calls
models but cannot publish; a revoked key stops working on the inference services within 2 s."""

import uuid

import grpc
import numpy as np
import pytest
import tritonclient.grpc as grpcclient
from tritonclient.utils import InferenceServerException

import agora
from agora import errors

REVOCATION_DEADLINE_S = 2.0


def infer_mlp(target, headers=None):
    client = grpcclient.InferenceServerClient(target)
    try:
        infer_input = grpcclient.InferInput("input", [1, 32], "FP32")
        infer_input.set_data_from_numpy(np.ones((1, 32), dtype=np.float32))
        return client.infer("mlp", [infer_input], headers=headers).as_numpy("output")
    finally:
        client.close()


def refused_as(call):
    """The status name a failing tritonclient call ended with, or None when it succeeded."""
    try:
        call()
    except InferenceServerException as error:
        return error.status()
    return None


@pytest.fixture(scope="module")
def admin(agora_server):
    with agora.Client(agora_server.grpc_target, api_key=agora_server.api_key, timeout=60) as client:
        yield client


@pytest.fixture
def consumer(admin):
    """A fresh team with a consumer, and that consumer's key."""
    team = f"e2e-{uuid.uuid4().hex[:8]}"
    admin.create_team(team)
    admin.set_team_member(team, "carol", ["consumer"])
    created = admin.create_api_key(team=team, principal="carol")
    return created


def test_without_a_key_only_health_answers(agora_server, admin):
    assert refused_as(lambda: infer_mlp(agora_server.grpc_target)) == "StatusCode.UNAUTHENTICATED"
    with agora.Client(agora_server.grpc_target, api_key="", timeout=30) as anonymous:
        with pytest.raises(errors.Unauthenticated) as raised:
            anonymous.list_models()
    assert raised.value.reason == "UNAUTHENTICATED"
    assert "authorization: Bearer" in raised.value.message

    with grpc.insecure_channel(agora_server.grpc_target) as channel:
        check = channel.unary_unary(
            "/grpc.health.v1.Health/Check", request_serializer=None, response_deserializer=None
        )
        assert check(b"", timeout=30) == b"\x08\x01"  # HealthCheckResponse{status: SERVING}

    assert infer_mlp(agora_server.grpc_target, agora_server.headers).shape == (1, 2)


def test_a_malformed_key_is_refused_saying_so(agora_server):
    broken = agora_server.api_key[:-1]

    with agora.Client(agora_server.grpc_target, api_key=broken, timeout=30) as client:
        with pytest.raises(errors.Unauthenticated) as raised:
            client.list_models()

    assert "malformed" in raised.value.message
    assert infer_mlp(agora_server.grpc_target, agora_server.headers).shape == (1, 2)


def test_a_consumer_calls_models_but_cannot_publish(agora_server, consumer, models_dir, publish_cli_as):
    key = consumer.token
    assert infer_mlp(agora_server.grpc_target, {"authorization": f"Bearer {key}"}).shape == (1, 2)

    with agora.Client(agora_server.grpc_target, api_key=key, timeout=60) as client:
        assert client.who_am_i().principal == "carol"
        with pytest.raises(errors.PermissionDenied) as raised:
            client.publish(models_dir / "mlp.onnx", "carols-model", "1.0.0", owner_team=consumer.key.team)
        assert raised.value.reason == "PERMISSION_DENIED"
        assert "publisher role" in raised.value.message
        assert "mlp" in [model.name for model in client.list_models()]

    cli = publish_cli_as(agora_server, models_dir / "mlp.onnx", "carols-cli-model", "1.0.0", key)
    assert cli.returncode == 1, cli.stdout + cli.stderr
    assert "PERMISSION_DENIED" in cli.stderr


def test_a_revoked_key_stops_working_within_two_seconds(agora_server, admin, consumer, wait_until):
    headers = {"authorization": f"Bearer {consumer.token}"}
    assert infer_mlp(agora_server.grpc_target, headers).shape == (1, 2)

    admin.revoke_api_key(consumer.key.id)

    wait_until(
        lambda: refused_as(lambda: infer_mlp(agora_server.grpc_target, headers)) == "StatusCode.UNAUTHENTICATED",
        REVOCATION_DEADLINE_S,
        "the revoked key to be refused by the inference service",
        interval_s=0.05,
    )
    with agora.Client(agora_server.grpc_target, api_key=consumer.token, timeout=30) as client:
        with pytest.raises(errors.Unauthenticated) as raised:
            client.list_models()
    assert "revoked" in raised.value.message
    assert infer_mlp(agora_server.grpc_target, agora_server.headers).shape == (1, 2)
