"""Status details -> agora.errors classes, from the ErrorInfo reason and never the message."""

import grpc
import pytest
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2

from agora import errors
from agora._proto.errors.v1 import errors_pb2


class FakeCall(grpc.RpcError, grpc.Call):
    """Just enough of a failed grpc call for grpc_status.rpc_status.from_call."""

    def __init__(self, code, message, details=()):
        self._code = code
        self._message = message
        status = status_pb2.Status(code=code.value[0], message=message)
        for detail in details:
            packed = any_pb2.Any()
            packed.Pack(detail)
            status.details.append(packed)
        self._trailing = (("grpc-status-details-bin", status.SerializeToString()),) if details else ()

    def code(self):
        return self._code

    def details(self):
        return self._message

    def trailing_metadata(self):
        return self._trailing

    def initial_metadata(self):
        return ()

    def is_active(self):
        return False

    def time_remaining(self):
        return None

    def cancel(self):
        return False

    def add_callback(self, callback):
        return False


def info(reason, domain=errors.DOMAIN, **metadata):
    return error_details_pb2.ErrorInfo(reason=reason, domain=domain, metadata=metadata)


EXPECTED_FAMILY = {
    "INVALID_FIELD": (grpc.StatusCode.INVALID_ARGUMENT, errors.InvalidArgument),
    "MODEL_NOT_FOUND": (grpc.StatusCode.NOT_FOUND, errors.NotFound),
    "VERSION_NOT_FOUND": (grpc.StatusCode.NOT_FOUND, errors.NotFound),
    "MODEL_ALREADY_EXISTS": (grpc.StatusCode.ALREADY_EXISTS, errors.AlreadyExists),
    "VERSION_ALREADY_EXISTS": (grpc.StatusCode.ALREADY_EXISTS, errors.AlreadyExists),
    "DIGEST_MISMATCH": (grpc.StatusCode.INVALID_ARGUMENT, errors.InvalidArgument),
    "ARTIFACT_TOO_LARGE": (grpc.StatusCode.RESOURCE_EXHAUSTED, errors.ResourceExhausted),
    "INVALID_ARTIFACT": (grpc.StatusCode.INVALID_ARGUMENT, errors.InvalidArgument),
    "TRUNCATED_UPLOAD": (grpc.StatusCode.INVALID_ARGUMENT, errors.InvalidArgument),
    "LIFECYCLE_VIOLATION": (grpc.StatusCode.FAILED_PRECONDITION, errors.FailedPrecondition),
    "INCOMPATIBLE_SIGNATURE": (grpc.StatusCode.FAILED_PRECONDITION, errors.FailedPrecondition),
    "GOVERNANCE_GATE_FAILED": (grpc.StatusCode.FAILED_PRECONDITION, errors.FailedPrecondition),
    "ALIAS_NOT_FOUND": (grpc.StatusCode.NOT_FOUND, errors.NotFound),
    "TEAM_NOT_FOUND": (grpc.StatusCode.NOT_FOUND, errors.NotFound),
    "TEAM_ALREADY_EXISTS": (grpc.StatusCode.ALREADY_EXISTS, errors.AlreadyExists),
    "API_KEY_NOT_FOUND": (grpc.StatusCode.NOT_FOUND, errors.NotFound),
    "ARTIFACT_CORRUPTED": (grpc.StatusCode.DATA_LOSS, errors.DataLoss),
    "INVALID_TENSOR": (grpc.StatusCode.INVALID_ARGUMENT, errors.InvalidArgument),
    "MODEL_NOT_READY": (grpc.StatusCode.UNAVAILABLE, errors.Unavailable),
    "INFERENCE_FAILED": (grpc.StatusCode.INTERNAL, errors.Internal),
    "UNAUTHENTICATED": (grpc.StatusCode.UNAUTHENTICATED, errors.Unauthenticated),
    "PERMISSION_DENIED": (grpc.StatusCode.PERMISSION_DENIED, errors.PermissionDenied),
    "QUOTA_EXCEEDED": (grpc.StatusCode.RESOURCE_EXHAUSTED, errors.ResourceExhausted),
    "LIMIT_EXCEEDED": (grpc.StatusCode.RESOURCE_EXHAUSTED, errors.ResourceExhausted),
    "STORE_UNAVAILABLE": (grpc.StatusCode.UNAVAILABLE, errors.Unavailable),
    "CONFLICT": (grpc.StatusCode.ABORTED, errors.Aborted),
    "RESYNC_REQUIRED": (grpc.StatusCode.OUT_OF_RANGE, errors.ResyncRequired),
    "INTERNAL_ERROR": (grpc.StatusCode.INTERNAL, errors.Internal),
    "NOT_IMPLEMENTED": (grpc.StatusCode.UNIMPLEMENTED, errors.Unimplemented),
}


def test_every_reason_in_the_closed_set_has_a_family():
    reasons = {name for name in errors_pb2.ErrorReason.keys() if name != "ERROR_REASON_UNSPECIFIED"}

    assert reasons == set(EXPECTED_FAMILY)


@pytest.mark.parametrize("reason", sorted(EXPECTED_FAMILY))
def test_reason_selects_the_family(reason):
    code, family = EXPECTED_FAMILY[reason]

    error = errors.from_rpc_error(FakeCall(code, "something failed", [info(reason, model="m")]))

    assert type(error) is family
    assert isinstance(error, errors.AgoraError)
    assert error.code == code
    assert error.reason == reason
    assert error.message == "something failed"
    assert error.metadata == {"model": "m"}


def test_message_text_never_decides_the_family():
    call = FakeCall(grpc.StatusCode.ALREADY_EXISTS, "model not found", [info("VERSION_ALREADY_EXISTS")])

    error = errors.from_rpc_error(call)

    assert isinstance(error, errors.AlreadyExists)
    assert error.reason == "VERSION_ALREADY_EXISTS"


def test_status_without_error_info_is_classified_by_code_without_reason():
    error = errors.from_rpc_error(FakeCall(grpc.StatusCode.UNAVAILABLE, "connection refused"))

    assert type(error) is errors.Unavailable
    assert error.reason is None


def test_error_info_of_another_domain_is_ignored():
    call = FakeCall(grpc.StatusCode.NOT_FOUND, "nope", [info("MODEL_NOT_FOUND", domain="example.com")])

    error = errors.from_rpc_error(call)

    assert type(error) is errors.NotFound
    assert error.reason is None


def test_unknown_reason_falls_back_to_the_code_family():
    call = FakeCall(grpc.StatusCode.FAILED_PRECONDITION, "later", [info("SOMETHING_NEW")])

    error = errors.from_rpc_error(call)

    assert type(error) is errors.FailedPrecondition
    assert error.reason == "SOMETHING_NEW"


def test_retry_info_becomes_retry_delay():
    retry = error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(seconds=2, nanos=500_000_000))
    call = FakeCall(grpc.StatusCode.RESOURCE_EXHAUSTED, "slow down", [info("QUOTA_EXCEEDED"), retry])

    error = errors.from_rpc_error(call)

    assert isinstance(error, errors.ResourceExhausted)
    assert error.retry_delay == pytest.approx(2.5)


def test_details_that_contradict_the_call_are_ignored():
    call = FakeCall(grpc.StatusCode.NOT_FOUND, "gone", [info("MODEL_NOT_FOUND")])
    call._code = grpc.StatusCode.INTERNAL  # the status proto still says NOT_FOUND

    error = errors.from_rpc_error(call)

    assert type(error) is errors.Internal
    assert error.reason is None


def test_code_value_matches_google_rpc_code():
    assert grpc.StatusCode.NOT_FOUND.value[0] == code_pb2.NOT_FOUND
