"""The Agora client: inference (Open Inference Protocol v2) and the model registry over gRPC."""

from __future__ import annotations

import functools
import hashlib
import os
import warnings
from typing import Iterable, Iterator, Mapping, Sequence

import grpc
import numpy as np

from agora import errors, tensors
from agora._access import API_KEY_ENV, AccessCalls
from agora._governance import GovernanceCalls
from agora._proto.access.v1 import access_pb2_grpc
from agora._proto.inference import grpc_service_pb2 as inference_pb2
from agora._proto.inference import grpc_service_pb2_grpc as inference_grpc
from agora._proto.registry.v1 import registry_pb2
from agora._proto.registry.v1 import aliases_pb2_grpc, registry_pb2_grpc, usage_pb2_grpc

__all__ = ["Client", "CHUNK_BYTES"]

#: Upload chunk size; the registry accepts at most 1 MiB per message.
CHUNK_BYTES = 1024 * 1024

_UNLIMITED_MESSAGES = [
    ("grpc.max_send_message_length", -1),
    ("grpc.max_receive_message_length", -1),
]


def _mapped(method):
    """Runs a client method, turning gRPC failures into agora.errors exceptions."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except grpc.RpcError as error:
            raise errors.from_rpc_error(error) from error

    return wrapper


class Client(AccessCalls, GovernanceCalls):
    """A connection to an Agora server (registry and inference on one gRPC port).

    Use as a context manager, or call :meth:`close`::

        with agora.Client("localhost:8001", api_key="agora_...") as client:
            outputs = client.infer("mlp", {"input": np.zeros((1, 32), np.float32)})

    Every call carries the API key as ``authorization: Bearer <key>``. Failures raise
    :class:`agora.errors.AgoraError` subclasses (no or a bad key: ``Unauthenticated``; a role
    or scope missing: ``PermissionDenied``).
    """

    def __init__(
        self,
        target: str = "localhost:8001",
        *,
        api_key: str | None = None,
        timeout: float | None = 60.0,
        metadata: Sequence[tuple[str, str]] = (),
        channel: grpc.Channel | None = None,
    ) -> None:
        """
        Args:
            target: ``host:port`` of the server's gRPC port.
            api_key: the ``agora_<id>_<secret>`` key to call with; None reads the
                ``AGORA_API_KEY`` environment variable (no key at all: only health works).
            timeout: deadline in seconds for each call (None: no deadline).
            metadata: extra gRPC metadata sent with every call.
            channel: an existing channel to use instead of opening one to ``target``;
                the client then does not close it.
        """
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV, "")
        self._owns_channel = channel is None
        self._channel = channel or grpc.insecure_channel(target, options=_UNLIMITED_MESSAGES)
        self._timeout = timeout
        auth = (("authorization", f"Bearer {key.strip()}"),) if key.strip() else ()
        self._metadata = auth + tuple(metadata)
        self._inference = inference_grpc.GRPCInferenceServiceStub(self._channel)
        self._registry = registry_pb2_grpc.RegistryServiceStub(self._channel)
        self._aliases = aliases_pb2_grpc.AliasServiceStub(self._channel)
        self._usage = usage_pb2_grpc.UsageServiceStub(self._channel)
        self._access = access_pb2_grpc.AccessServiceStub(self._channel)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Closes the channel if this client opened it."""
        if self._owns_channel:
            self._channel.close()

    @_mapped
    def _call(self, rpc, request):
        return rpc(request, timeout=self._timeout, metadata=self._metadata)

    # ---- health and metadata -------------------------------------------------------------

    @_mapped
    def is_live(self) -> bool:
        """Whether the server answers (ServerLive)."""
        return self._call(self._inference.ServerLive, inference_pb2.ServerLiveRequest()).live

    @_mapped
    def is_ready(self) -> bool:
        """Whether the server is ready for inference (ServerReady)."""
        return self._call(self._inference.ServerReady, inference_pb2.ServerReadyRequest()).ready

    @_mapped
    def model_ready(self, model: str, version: str = "") -> bool:
        """Whether a model version (default: the latest published) is loaded and ready."""
        request = inference_pb2.ModelReadyRequest(name=model, version=version)
        return self._call(self._inference.ModelReady, request).ready

    @_mapped
    def model_metadata(self, model: str, version: str = "") -> inference_pb2.ModelMetadataResponse:
        """Input and output names, datatypes and shapes (-1 for dynamic dimensions)."""
        request = inference_pb2.ModelMetadataRequest(name=model, version=version)
        return self._call(self._inference.ModelMetadata, request)

    # ---- inference -----------------------------------------------------------------------

    @_mapped
    def infer(
        self,
        model: str,
        inputs: Mapping[str, np.ndarray],
        version: str = "",
        outputs: Iterable[str] | None = None,
    ) -> dict[str, np.ndarray]:
        """Runs the model on numpy inputs and returns its outputs by name.

        Args:
            model: model name.
            inputs: input name to array; the datatype follows the array's dtype
                (object, bytes and str arrays are sent as BYTES).
            version: semantic version; empty for the latest published version.
            outputs: names of the outputs to return; None for all.
        """
        request = inference_pb2.ModelInferRequest(model_name=model, model_version=version)
        for name, array in inputs.items():
            datatype, shape, raw = tensors.encode(np.asarray(array))
            request.inputs.add(name=name, datatype=datatype, shape=shape)
            request.raw_input_contents.append(raw)
        for name in outputs or ():
            request.outputs.add(name=name)
        response, call = self._inference.ModelInfer.with_call(
            request, timeout=self._timeout, metadata=self._metadata
        )
        _warn_if_deprecated(call.initial_metadata())
        return _decode_outputs(response)

    # ---- registry ------------------------------------------------------------------------

    @_mapped
    def create_model(self, name: str, summary: str = "", **metadata) -> registry_pb2.Model:
        """Registers a model name with descriptive fields of ``agora.registry.v1.Model``
        (e.g. ``owner_team="search"``, ``tags=["nlp"]``). Without ``owner_team`` the model
        belongs to the team of this client's key."""
        if not metadata.get("owner_team"):
            metadata["owner_team"] = self.who_am_i().team
        try:
            model = registry_pb2.Model(name=name, summary=summary, **metadata)
        except ValueError as error:
            raise TypeError(f"create_model: {error}") from None
        request = registry_pb2.CreateModelRequest(model=model)
        return self._call(self._registry.CreateModel, request)

    @_mapped
    def get_model(self, name: str) -> registry_pb2.Model:
        """One model's registry record."""
        return self._call(self._registry.GetModel, registry_pb2.GetModelRequest(name=name))

    @_mapped
    def list_models(self) -> list[registry_pb2.Model]:
        """Every model, in name order (all pages)."""
        models: list[registry_pb2.Model] = []
        token = ""
        while True:
            request = registry_pb2.ListModelsRequest(page_token=token)
            page = self._call(self._registry.ListModels, request)
            models.extend(page.models)
            token = page.next_page_token
            if not token:
                return models

    @_mapped
    def list_versions(self, model: str) -> list[registry_pb2.ModelVersion]:
        """A model's versions, newest semantic version first (all pages)."""
        versions: list[registry_pb2.ModelVersion] = []
        token = ""
        while True:
            request = registry_pb2.ListVersionsRequest(model=model, page_token=token)
            page = self._call(self._registry.ListVersions, request)
            versions.extend(page.versions)
            token = page.next_page_token
            if not token:
                return versions

    @_mapped
    def upload(
        self, path: str | os.PathLike, model: str, version: str, changelog: str = ""
    ) -> registry_pb2.ModelVersion:
        """Uploads an ONNX file as a DRAFT version (streamed in chunks of at most 1 MiB)."""
        digest, size = _sha256_and_size(path)
        header = registry_pb2.UploadHeader(
            model=model, version=version, sha256=digest, size_bytes=size, changelog=changelog
        )
        return self._registry.UploadVersion(
            _upload_messages(header, path), timeout=self._timeout, metadata=self._metadata
        )

    @_mapped
    def publish_version(self, model: str, version: str) -> registry_pb2.ModelVersion:
        """Makes a DRAFT version PUBLISHED (a no-op for an already published one)."""
        request = registry_pb2.PublishVersionRequest(model=model, version=version)
        return self._call(self._registry.PublishVersion, request)

    def publish(
        self,
        path: str | os.PathLike,
        model: str,
        version: str,
        create_if_missing: bool = True,
        changelog: str = "",
        owner_team: str = "",
    ) -> registry_pb2.ModelVersion:
        """Uploads an ONNX file and publishes it as ``model`` ``version``.

        Creates the model first when it does not exist and ``create_if_missing`` is true, owned
        by ``owner_team`` (empty: the team of this client's key). Raises
        :class:`agora.errors.AlreadyExists` when the version exists with other bytes.
        """
        if create_if_missing:
            try:
                self.get_model(model)
            except errors.NotFound:
                try:
                    self.create_model(model, owner_team=owner_team)
                except errors.AlreadyExists:
                    pass  # created concurrently: fine
        self.upload(path, model, version, changelog=changelog)
        return self.publish_version(model, version)


class DeprecatedVersionWarning(FutureWarning):
    """The model version that answered is deprecated: it still serves, until its sunset.

    The message is the server's sentence (``agora-deprecation`` response header); ``sunset`` and
    ``successor_version`` carry the ``agora-sunset`` and ``agora-successor-version`` headers
    (empty strings when the server named none).
    """

    def __init__(self, message: str, sunset: str = "", successor_version: str = ""):
        super().__init__(message)
        self.sunset = sunset
        self.successor_version = successor_version


def _warn_if_deprecated(headers) -> None:
    values = dict(headers or ())
    message = values.get("agora-deprecation")
    if message:
        warnings.warn(
            DeprecatedVersionWarning(
                message,
                values.get("agora-sunset", ""),
                values.get("agora-successor-version", ""),
            ),
            stacklevel=4,
        )


def _decode_outputs(response: inference_pb2.ModelInferResponse) -> dict[str, np.ndarray]:
    raw_contents = response.raw_output_contents
    if raw_contents and len(raw_contents) != len(response.outputs):
        raise errors.Internal(
            grpc.StatusCode.INTERNAL,
            None,
            f"response has {len(response.outputs)} outputs but {len(raw_contents)} raw contents",
        )
    result = {}
    for index, output in enumerate(response.outputs):
        if raw_contents:
            raw = raw_contents[index]
        else:
            raw = _typed_contents_as_raw(output)
        result[output.name] = tensors.decode(output.datatype, output.shape, raw)
    return result


_TYPED_FIELDS = {
    "BOOL": "bool_contents",
    "UINT8": "uint_contents",
    "UINT16": "uint_contents",
    "UINT32": "uint_contents",
    "UINT64": "uint64_contents",
    "INT8": "int_contents",
    "INT16": "int_contents",
    "INT32": "int_contents",
    "INT64": "int64_contents",
    "FP32": "fp32_contents",
    "FP64": "fp64_contents",
}


def _typed_contents_as_raw(output) -> bytes:
    """Servers may answer with typed contents instead of raw bytes; re-encode them."""
    if output.datatype == tensors.BYTES:
        return tensors.encode_bytes(output.contents.bytes_contents)
    field = _TYPED_FIELDS.get(output.datatype)
    if field is None:
        raise ValueError(f"output {output.name}: no typed contents for datatype {output.datatype}")
    values = np.asarray(list(getattr(output.contents, field)), dtype=tensors.dtype_of(output.datatype))
    return values.tobytes()


def _sha256_and_size(path: str | os.PathLike) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(CHUNK_BYTES), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _upload_messages(
    header: registry_pb2.UploadHeader, path: str | os.PathLike
) -> Iterator[registry_pb2.UploadVersionRequest]:
    yield registry_pb2.UploadVersionRequest(header=header)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(CHUNK_BYTES), b""):
            yield registry_pb2.UploadVersionRequest(chunk=chunk)
