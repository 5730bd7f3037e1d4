"""numpy <-> raw tensor bytes, as the Open Inference Protocol lays them out."""

import struct

import numpy as np
import pytest

from agora import tensors

NUMERIC = [
    (np.bool_, "BOOL"),
    (np.uint8, "UINT8"),
    (np.uint16, "UINT16"),
    (np.uint32, "UINT32"),
    (np.uint64, "UINT64"),
    (np.int8, "INT8"),
    (np.int16, "INT16"),
    (np.int32, "INT32"),
    (np.int64, "INT64"),
    (np.float16, "FP16"),
    (np.float32, "FP32"),
    (np.float64, "FP64"),
]


@pytest.mark.parametrize("dtype,datatype", NUMERIC)
def test_numeric_round_trip(dtype, datatype):
    rng = np.random.default_rng(7)
    array = (rng.standard_normal((3, 4)) * 100).astype(dtype)

    encoded_type, shape, raw = tensors.encode(array)
    decoded = tensors.decode(encoded_type, shape, raw)

    assert encoded_type == datatype
    assert shape == [3, 4]
    assert len(raw) == array.size * np.dtype(dtype).itemsize
    assert decoded.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(decoded, array)


@pytest.mark.parametrize("dtype,datatype", NUMERIC)
def test_dtype_of_inverts_datatype_of(dtype, datatype):
    assert tensors.datatype_of(dtype) == datatype
    assert tensors.dtype_of(datatype) == np.dtype(dtype).newbyteorder("<")


def test_raw_bytes_are_little_endian_row_major():
    array = np.array([[1, 2], [3, 256]], dtype=np.int32)

    _, _, raw = tensors.encode(array)

    assert raw == struct.pack("<4i", 1, 2, 3, 256)


def test_big_endian_and_non_contiguous_inputs_are_normalised():
    big = np.arange(6, dtype=">f4").reshape(2, 3)
    transposed = big.T  # not C-contiguous

    datatype, shape, raw = tensors.encode(transposed)

    assert datatype == "FP32"
    assert shape == [3, 2]
    assert raw == struct.pack("<6f", 0, 3, 1, 4, 2, 5)


def test_bool_is_one_byte_per_element():
    _, _, raw = tensors.encode(np.array([True, False, True]))

    assert raw == b"\x01\x00\x01"


def test_bytes_elements_carry_four_byte_little_endian_length_prefixes():
    array = np.array([b"ab", b"", "h\u00e9"], dtype=object)

    datatype, shape, raw = tensors.encode(array)

    assert datatype == "BYTES"
    assert shape == [3]
    assert raw == b"\x02\x00\x00\x00ab" + b"\x00\x00\x00\x00" + b"\x03\x00\x00\x00h\xc3\xa9"


def test_bytes_round_trip_keeps_shape_and_returns_bytes_objects():
    array = np.array([[b"x", b"yz"], [b"", b"\x00\xff"]], dtype=object)

    decoded = tensors.decode(*tensors.encode(array))

    assert decoded.shape == (2, 2)
    assert decoded.dtype == object
    assert decoded.tolist() == [[b"x", b"yz"], [b"", b"\x00\xff"]]


def test_fixed_width_bytes_and_unicode_arrays_are_bytes_tensors():
    assert tensors.encode(np.array([b"ab", b"c"]))[0] == "BYTES"
    datatype, _, raw = tensors.encode(np.array(["ab", "c"]))
    assert datatype == "BYTES"
    assert tensors.decode_bytes(raw) == [b"ab", b"c"]


def test_bytes_element_of_another_type_is_refused():
    with pytest.raises(TypeError):
        tensors.encode(np.array([1, b"a"], dtype=object))


def test_truncated_bytes_contents_are_refused():
    with pytest.raises(ValueError, match="length prefix"):
        tensors.decode_bytes(b"\x01\x00")
    with pytest.raises(ValueError, match="declares 5 bytes"):
        tensors.decode_bytes(b"\x05\x00\x00\x00abc")


def test_bytes_element_count_must_match_shape():
    raw = tensors.encode_bytes([b"a", b"b"])

    with pytest.raises(ValueError, match="needs 3 elements"):
        tensors.decode("BYTES", [3], raw)


def test_numeric_size_must_match_shape():
    with pytest.raises(ValueError, match="needs 16 bytes"):
        tensors.decode("FP32", [2, 2], b"\x00" * 12)


def test_bf16_is_widened_to_float32():
    # 1.0 and -2.5 as bfloat16: the high halves of their float32 patterns.
    raw = struct.pack("<2H", 0x3F80, 0xC020)

    decoded = tensors.decode("BF16", [2], raw)

    assert decoded.dtype == np.float32
    np.testing.assert_array_equal(decoded, [1.0, -2.5])


def test_unsupported_dtype_and_datatype_are_refused():
    with pytest.raises(TypeError):
        tensors.datatype_of(np.complex64)
    with pytest.raises(ValueError):
        tensors.dtype_of("FP8")


def test_scalar_and_empty_tensors():
    datatype, shape, raw = tensors.encode(np.float32(1.5))
    assert (datatype, shape) == ("FP32", [])
    assert tensors.decode(datatype, shape, raw) == np.float32(1.5)

    empty = np.zeros((0, 32), dtype=np.float32)
    assert tensors.decode(*tensors.encode(empty)).shape == (0, 32)
