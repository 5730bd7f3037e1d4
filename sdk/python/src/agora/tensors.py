"""Tensor codec: numpy arrays to and from the Open Inference Protocol's raw tensor bytes.

Raw contents are row-major and little-endian with no padding. ``BYTES`` tensors are a
sequence of elements, each a 4-byte little-endian length followed by that many bytes.
``BF16`` outputs, which numpy has no type for, are widened to float32 on decode.
"""

from __future__ import annotations

import struct
from typing import Iterable, Sequence

import numpy as np

__all__ = [
    "BYTES",
    "datatype_of",
    "dtype_of",
    "encode",
    "decode",
    "encode_bytes",
    "decode_bytes",
]

BYTES = "BYTES"

_NUMERIC = {
    "BOOL": np.dtype(np.bool_),
    "UINT8": np.dtype("<u1"),
    "UINT16": np.dtype("<u2"),
    "UINT32": np.dtype("<u4"),
    "UINT64": np.dtype("<u8"),
    "INT8": np.dtype("<i1"),
    "INT16": np.dtype("<i2"),
    "INT32": np.dtype("<i4"),
    "INT64": np.dtype("<i8"),
    "FP16": np.dtype("<f2"),
    "FP32": np.dtype("<f4"),
    "FP64": np.dtype("<f8"),
}
_DATATYPE_BY_KIND_SIZE = {
    (np.dtype(t).kind, np.dtype(t).itemsize): name for name, t in _NUMERIC.items()
}
_LENGTH = struct.Struct("<I")


def datatype_of(dtype: np.dtype | type) -> str:
    """The protocol datatype name for a numpy dtype (object, bytes and str arrays are BYTES)."""
    dtype = np.dtype(dtype)
    if dtype.kind in ("O", "S", "U"):
        return BYTES
    try:
        return _DATATYPE_BY_KIND_SIZE[(dtype.kind, dtype.itemsize)]
    except KeyError:
        raise TypeError(f"numpy dtype {dtype} has no Open Inference Protocol datatype") from None


def dtype_of(datatype: str) -> np.dtype:
    """The little-endian numpy dtype for a protocol datatype (object for BYTES, float32 for BF16)."""
    if datatype == BYTES:
        return np.dtype(object)
    if datatype == "BF16":
        return np.dtype("<f4")
    try:
        return _NUMERIC[datatype]
    except KeyError:
        raise ValueError(f"unknown datatype {datatype!r}") from None


def encode(array: np.ndarray) -> tuple[str, list[int], bytes]:
    """Encodes an array as (datatype, shape, raw bytes)."""
    array = np.asarray(array)
    datatype = datatype_of(array.dtype)
    shape = [int(d) for d in array.shape]
    if datatype == BYTES:
        return datatype, shape, encode_bytes(array.reshape(-1, order="C"))
    little = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    return datatype, shape, little.tobytes(order="C")


def decode(datatype: str, shape: Sequence[int], raw: bytes) -> np.ndarray:
    """Decodes raw bytes of the given datatype into an array of the given shape."""
    shape = tuple(int(d) for d in shape)
    if any(d < 0 for d in shape):
        raise ValueError(f"shape {list(shape)} has a negative dimension")
    count = int(np.prod(shape, dtype=np.int64))
    if datatype == BYTES:
        elements = decode_bytes(raw)
        if len(elements) != count:
            raise ValueError(f"BYTES tensor of shape {list(shape)} needs {count} elements, got {len(elements)}")
        result = np.empty(count, dtype=object)
        result[:] = elements
        return result.reshape(shape)
    if datatype == "BF16":
        _check_size(datatype, shape, raw, count * 2)
        halves = np.frombuffer(raw, dtype="<u2").astype("<u4")
        return (halves << 16).view("<f4").reshape(shape)
    dtype = dtype_of(datatype)
    _check_size(datatype, shape, raw, count * dtype.itemsize)
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def encode_bytes(elements: Iterable[object]) -> bytes:
    """Serialises BYTES elements: each ``bytes`` (or ``str``, as UTF-8) with a 4-byte LE length."""
    parts = []
    for element in elements:
        if isinstance(element, (bytes, bytearray, memoryview)):
            data = bytes(element)
        elif isinstance(element, str):
            data = element.encode("utf-8")
        else:
            raise TypeError(f"BYTES elements must be bytes or str, not {type(element).__name__}")
        parts.append(_LENGTH.pack(len(data)))
        parts.append(data)
    return b"".join(parts)


def decode_bytes(raw: bytes) -> list[bytes]:
    """Splits serialised BYTES contents into their elements."""
    view = memoryview(raw)
    elements = []
    offset = 0
    while offset < len(view):
        if offset + 4 > len(view):
            raise ValueError(f"BYTES contents end inside a length prefix at offset {offset}")
        (length,) = _LENGTH.unpack_from(view, offset)
        offset += 4
        if offset + length > len(view):
            raise ValueError(f"BYTES element at offset {offset - 4} declares {length} bytes, {len(view) - offset} remain")
        elements.append(bytes(view[offset : offset + length]))
        offset += length
    return elements


def _check_size(datatype: str, shape: tuple[int, ...], raw: bytes, expected: int) -> None:
    if len(raw) != expected:
        raise ValueError(f"{datatype} tensor of shape {list(shape)} needs {expected} bytes, got {len(raw)}")
