"""Errors raised by the Agora client.

Every failed call raises an :class:`AgoraError` subclass chosen from the
``google.rpc.ErrorInfo`` reason the server attaches to the status (the closed set in
``agora/errors/v1/errors.proto``), never from the human-readable message. A status without
an Agora ErrorInfo (for example a connection failure raised by gRPC itself) is classified by
its status code and has ``reason`` ``None``.
"""

from __future__ import annotations

from typing import Mapping

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

__all__ = [
    "AgoraError",
    "InvalidArgument",
    "NotFound",
    "AlreadyExists",
    "ResourceExhausted",
    "FailedPrecondition",
    "Unavailable",
    "Aborted",
    "Unauthenticated",
    "PermissionDenied",
    "Internal",
    "DataLoss",
    "Unimplemented",
    "ResyncRequired",
    "DOMAIN",
    "error_class_for",
    "from_rpc_error",
]

DOMAIN = "agora.dev"


class AgoraError(Exception):
    """A failed Agora call.

    Attributes:
        code: the gRPC status code.
        reason: the ErrorReason name (e.g. ``"MODEL_NOT_FOUND"``), or None when the status
            carried no Agora ErrorInfo.
        message: the server's sentence for humans; do not parse it.
        metadata: ErrorInfo metadata (e.g. the model name), possibly empty.
        retry_delay: seconds the server asks the caller to wait (RetryInfo), or None.
    """

    def __init__(
        self,
        code: grpc.StatusCode,
        reason: str | None,
        message: str,
        *,
        metadata: Mapping[str, str] | None = None,
        retry_delay: float | None = None,
    ) -> None:
        super().__init__(f"{code.name}{f' {reason}' if reason else ''}: {message}")
        self.code = code
        self.reason = reason
        self.message = message
        self.metadata = dict(metadata or {})
        self.retry_delay = retry_delay


class InvalidArgument(AgoraError):
    """The request is malformed: a field, a tensor, or an artifact."""


class NotFound(AgoraError):
    """The named model, version or alias does not exist."""


class AlreadyExists(AgoraError):
    """The model or version exists already (published versions are immutable)."""


class ResourceExhausted(AgoraError):
    """A size limit, rate or quota was exceeded; see ``retry_delay``."""


class FailedPrecondition(AgoraError):
    """Not allowed in the current lifecycle stage, or the version's signature breaks the
    previous published one without a major version bump."""


class Unavailable(AgoraError):
    """The server, store or model is not available right now; retrying may succeed."""


class Aborted(AgoraError):
    """A concurrent writer won; retry the operation."""


class Unauthenticated(AgoraError):
    """No API key, or one that is malformed, unknown, revoked or expired."""


class PermissionDenied(AgoraError):
    """The key's principal lacks the role on the team, or the key lacks the scope."""


class Internal(AgoraError):
    """The server failed unexpectedly; the message carries a correlation id."""


class DataLoss(AgoraError):
    """Stored data is corrupted."""


class Unimplemented(AgoraError):
    """The server does not implement this operation."""


class ResyncRequired(AgoraError):
    """A change-feed watch cannot resume from the requested revision (history compacted,
    registry restarted, or the client read too slowly): re-list, then watch again from
    ``int(metadata["current_revision"]) + 1``."""


# The one mapping from ErrorReason names to error families.
_CLASS_BY_REASON: dict[str, type[AgoraError]] = {
    "INVALID_FIELD": InvalidArgument,
    "DIGEST_MISMATCH": InvalidArgument,
    "INVALID_ARTIFACT": InvalidArgument,
    "TRUNCATED_UPLOAD": InvalidArgument,
    "INVALID_TENSOR": InvalidArgument,
    "MODEL_NOT_FOUND": NotFound,
    "VERSION_NOT_FOUND": NotFound,
    "ALIAS_NOT_FOUND": NotFound,
    "MODEL_ALREADY_EXISTS": AlreadyExists,
    "VERSION_ALREADY_EXISTS": AlreadyExists,
    "TEAM_ALREADY_EXISTS": AlreadyExists,
    "TEAM_NOT_FOUND": NotFound,
    "API_KEY_NOT_FOUND": NotFound,
    "ARTIFACT_TOO_LARGE": ResourceExhausted,
    "QUOTA_EXCEEDED": ResourceExhausted,
    "LIMIT_EXCEEDED": ResourceExhausted,
    "LIFECYCLE_VIOLATION": FailedPrecondition,
    "INCOMPATIBLE_SIGNATURE": FailedPrecondition,
    "GOVERNANCE_GATE_FAILED": FailedPrecondition,
    "MODEL_NOT_READY": Unavailable,
    "STORE_UNAVAILABLE": Unavailable,
    "CONFLICT": Aborted,
    "RESYNC_REQUIRED": ResyncRequired,
    "UNAUTHENTICATED": Unauthenticated,
    "PERMISSION_DENIED": PermissionDenied,
    "INFERENCE_FAILED": Internal,
    "INTERNAL_ERROR": Internal,
    "ARTIFACT_CORRUPTED": DataLoss,
    "NOT_IMPLEMENTED": Unimplemented,
}

# Only for statuses without an Agora ErrorInfo.
_CLASS_BY_CODE: dict[grpc.StatusCode, type[AgoraError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.OUT_OF_RANGE: InvalidArgument,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExists,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhausted,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: Unavailable,
    grpc.StatusCode.ABORTED: Aborted,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.INTERNAL: Internal,
    grpc.StatusCode.UNKNOWN: Internal,
    grpc.StatusCode.DATA_LOSS: DataLoss,
    grpc.StatusCode.UNIMPLEMENTED: Unimplemented,
}


def error_class_for(code: grpc.StatusCode, reason: str | None) -> type[AgoraError]:
    """The error class for a reason, or for the status code when there is no known reason."""
    if reason is not None and reason in _CLASS_BY_REASON:
        return _CLASS_BY_REASON[reason]
    return _CLASS_BY_CODE.get(code, AgoraError)


def from_rpc_error(error: grpc.RpcError) -> AgoraError:
    """Converts a failed gRPC call into the matching :class:`AgoraError` subclass."""
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    message = (error.details() if hasattr(error, "details") else None) or ""
    reason = None
    metadata: dict[str, str] = {}
    retry_delay = None
    for detail in _status_details(error):
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            if info.domain == DOMAIN and reason is None:
                reason = info.reason
                metadata = dict(info.metadata)
        elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            retry = error_details_pb2.RetryInfo()
            detail.Unpack(retry)
            retry_delay = retry.retry_delay.ToTimedelta().total_seconds()
    cls = error_class_for(code, reason)
    return cls(code, reason, message, metadata=metadata, retry_delay=retry_delay)


def _status_details(error: grpc.RpcError):
    if not hasattr(error, "trailing_metadata"):
        return []
    try:
        status = rpc_status.from_call(error)
    except ValueError:
        # grpc-status-details-bin disagrees with the call's own code or message: ignore it.
        return []
    return list(status.details) if status is not None else []
