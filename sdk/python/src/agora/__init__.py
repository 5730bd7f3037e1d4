"""Agora Python SDK.

* :class:`agora.Client` — inference (Open Inference Protocol v2, numpy in and out) and the
  model registry (create, upload, publish, list) over one gRPC connection.
* :mod:`agora.errors` — exceptions mapped from the server's ErrorInfo reason.
* :class:`agora.DeprecatedVersionWarning` — warned when a deprecated model version answers.
* :mod:`agora.tensors` — the numpy <-> raw tensor bytes codec.
"""

from agora import errors, tensors
from agora.client import CHUNK_BYTES, Client, DeprecatedVersionWarning
from agora.errors import AgoraError

__all__ = [
    "Client",
    "AgoraError",
    "DeprecatedVersionWarning",
    "errors",
    "tensors",
    "CHUNK_BYTES",
]
__version__ = "0.1.0"
