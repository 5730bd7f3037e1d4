"""Agora Python SDK.

* :class:`agora.Client` — inference (Open Inference Protocol v2, numpy in and out) and the
  model registry (create, upload, publish, list) over one gRPC connection.
* :mod:`agora.errors` — exceptions mapped from the server's ErrorInfo reason.
* :mod:`agora.tensors` — the numpy <-> raw tensor bytes codec.
"""

from agora import errors, tensors
from agora.client import CHUNK_BYTES, Client
from agora.errors import AgoraError

__all__ = ["Client", "AgoraError", "errors", "tensors", "CHUNK_BYTES"]
__version__ = "0.1.0"
