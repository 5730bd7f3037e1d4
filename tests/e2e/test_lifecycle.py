"""Aliases, deprecation and retirement through the Python SDK against `agora serve`: the registry's
lifecycle reaches serving through the change feed (decision 0025)."""

import datetime
import warnings

import numpy as np
import pytest

import agora
from agora import errors

MODEL = "mlp-lifecycle"
X = np.zeros((1, 32), np.float32)


@pytest.fixture(scope="module")
def client(agora_server):
    with agora.Client(agora_server.grpc_target, api_key=agora_server.api_key, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def two_versions(client, models_dir, agora_server, model_ready):
    client.publish(models_dir / "mlp.onnx", MODEL, "1.0.0")
    client.publish(models_dir / "mlp.onnx", MODEL, "1.1.0")
    model_ready(agora_server, MODEL, "1.1.0")


def test_an_alias_serves_the_version_it_points_to_and_keeps_its_history(client, two_versions, wait_until):
    client.set_alias(MODEL, "stable", "1.0.0")
    before_move = datetime.datetime.now(datetime.timezone.utc)
    moved = client.set_alias(MODEL, "stable", "1.1.0")

    assert moved.version == "1.1.0"
    assert client.get_alias(MODEL, "stable").version == "1.1.0"
    assert client.get_alias(MODEL, "latest").version == "1.1.0"
    assert [a.alias for a in client.list_aliases(MODEL) if not a.computed] == ["stable"]
    history = client.alias_history(MODEL, "stable")
    assert [(h.from_version, h.to_version) for h in history] == [("1.0.0", "1.1.0"), ("", "1.0.0")]
    assert [h.to_version for h in client.alias_history(MODEL, "stable", at=before_move)] == ["1.0.0"]
    assert "output" in client.infer(MODEL, {"input": X}, version="stable")


def test_an_unknown_alias_is_not_found_then_a_good_call_works(client, two_versions):
    with pytest.raises(errors.NotFound) as raised:
        client.infer(MODEL, {"input": X}, version="nightly")
    assert raised.value.reason == "ALIAS_NOT_FOUND"
    assert "output" in client.infer(MODEL, {"input": X})


def test_deprecation_warns_callers_and_retirement_refuses_them_naming_the_successor(
    client, two_versions, wait_until
):
    sunset = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=40)
    deprecated = client.deprecate_version(MODEL, "1.0.0", sunset, successor_version="1.1.0")
    assert deprecated.successor_version == "1.1.0"

    def warned():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            client.infer(MODEL, {"input": X}, version="1.0.0")
        return [w.message for w in caught if issubclass(w.category, agora.DeprecatedVersionWarning)]

    notice = wait_until(warned, 30, "a deprecation warning from version 1.0.0")[0]
    assert notice.successor_version == "1.1.0"
    assert "move to version 1.1.0" in str(notice)
    assert notice.sunset.startswith(sunset.strftime("%Y-%m-%d"))

    client.retire_version(MODEL, "1.0.0")

    def refused():
        try:
            client.infer(MODEL, {"input": X}, version="1.0.0")
        except errors.FailedPrecondition as error:
            return error
        return None

    error = wait_until(refused, 30, "version 1.0.0 refused as retired")
    assert error.reason == "LIFECYCLE_VIOLATION"
    assert "1.1.0" in str(error)
    assert "output" in client.infer(MODEL, {"input": X}, version="1.1.0")


def test_review_transitions_through_the_sdk(client, two_versions, models_dir):
    client.upload(models_dir / "mlp.onnx", MODEL, "1.2.0")

    assert client.submit_for_review(MODEL, "1.2.0").stage == agora.client.registry_pb2.STAGE_IN_REVIEW
    rejected = client.reject_version(MODEL, "1.2.0", "the card has no limitations section")
    assert rejected.stage == agora.client.registry_pb2.STAGE_REJECTED
    assert client.reopen_version(MODEL, "1.2.0").stage == agora.client.registry_pb2.STAGE_DRAFT


def test_curation_lists_nothing_not_updated_for_a_year_and_refuses_an_unknown_kind(client, two_versions):
    assert MODEL not in [m.name for m in client.curation_candidates("not-updated", 365)]
    with pytest.raises(ValueError):
        client.curation_candidates("stale", 30)


def test_calls_are_metered_per_version_and_the_model_is_no_longer_a_no_consumers_candidate(
    client, two_versions, wait_until
):
    client.infer(MODEL, {"input": X}, version="1.1.0")
    me = client.who_am_i().team

    def metered():
        rows = [r for r in client.usage(model=MODEL) if r.version == "1.1.0" and r.consumer_team == me]
        return rows if rows and rows[0].requests > 0 else None

    rows = wait_until(metered, 60, "usage of 1.1.0 reported to the registry")
    assert rows[0].day == datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    assert MODEL not in [m.name for m in client.curation_candidates("no-consumers", 1)]
