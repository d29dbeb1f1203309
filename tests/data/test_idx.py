"""The IDX reader on files the spec writes itself: every valid file round-trips, every defect is refused."""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec.datasets import parse_idx, read_idx
from tests.data.helpers import gz, idx_bytes

# Every element type the IDX format defines, in native byte order (the reader's promise).
IDX_DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]

idx_arrays = st.sampled_from(IDX_DTYPES).flatmap(
    lambda dt: hnp.arrays(
        dt,
        hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=5),
        elements=hnp.from_dtype(np.dtype(dt), allow_nan=False, allow_infinity=False),
    )
)


@pytest.mark.claim("mnist.idx-format")
@given(arr=idx_arrays, compressed=st.booleans())
@example(arr=np.arange(6, dtype=np.uint8).reshape(1, 2, 3), compressed=True)
@example(arr=np.array([-1, 256, -32768], dtype=np.int16), compressed=False)
@example(arr=np.zeros((0, 28, 28), dtype=np.uint8), compressed=True)
def test_idx_round_trip(arr, compressed, tmp_path_factory):
    """Writing any array as IDX (magic, big-endian sizes, big-endian values) and reading it back
    gives the same shape, dtype and values, plain or gzip."""
    data = idx_bytes(arr)
    assert len(data) == 4 + 4 * arr.ndim + arr.size * arr.itemsize
    path = tmp_path_factory.mktemp("idx") / "a-idx-ubyte"
    path.write_bytes(gz(data) if compressed else data)
    for got in (parse_idx(data), read_idx(path)):
        assert got.shape == arr.shape
        assert got.dtype == np.dtype(arr.dtype).newbyteorder("=")
        assert got.dtype.isnative
        np.testing.assert_array_equal(got, arr)
        assert got.flags.writeable


@pytest.mark.claim("mnist.idx-format")
def test_idx_header_layout_by_hand():
    """The exact bytes of a 2x3 uint8 image file: 00 00 08 02, 2, 3, then the 6 pixels row by row."""
    data = bytes([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(parse_idx(data), [[1, 2, 3], [4, 5, 6]])
    # int16 values are big-endian: 01 02 is 258, not 513
    assert parse_idx(bytes([0, 0, 0x0B, 1, 0, 0, 0, 1, 1, 2])).tolist() == [258]


GOOD = idx_bytes(np.arange(12, dtype=np.uint8).reshape(3, 4))

BAD_FILES = {
    "empty": (b"", "not an IDX file"),
    "bad magic": (b"\x01" + GOOD[1:], "magic number"),
    "magic cut short": (GOOD[:3], "magic number"),
    "bad type code": (GOOD[:2] + b"\x07" + GOOD[3:], "unknown IDX type code 0x07"),
    "truncated header": (GOOD[:9], "truncated IDX header"),
    "truncated data": (GOOD[:-1], "size mismatch"),
    "extra byte": (GOOD + b"\x00", "size mismatch"),
    "huge header": (bytes([0, 0, 8, 3]) + b"\xff" * 12 + b"\x00", "size mismatch"),
}


@pytest.mark.claim("mnist.idx-format")
@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_idx_refuses_malformed_files(case, compressed, tmp_path):
    """A wrong magic number, an unknown type code, a short header, or a size that disagrees with
    the header is a ValueError naming the file and the defect, for plain and gzip files."""
    data, message = BAD_FILES[case]
    path = tmp_path / "bad-idx1-ubyte"
    path.write_bytes(gz(data) if compressed else data)
    with pytest.raises(ValueError, match=message) as info:
        read_idx(path)
    assert str(path) in str(info.value)
    with pytest.raises(ValueError, match=message):
        parse_idx(data)


@pytest.mark.claim("mnist.idx-format")
@pytest.mark.parametrize("defect", ["truncated", "corrupt"])
def test_idx_refuses_broken_gzip(defect, tmp_path):
    """A gzip stream cut short or with damaged compressed bytes is a ValueError, not a crash."""
    packed = bytearray(gz(idx_bytes(np.arange(4096, dtype=np.int32))))
    if defect == "truncated":
        packed = packed[: len(packed) // 2]
    else:
        packed[20:40] = b"\xff" * 20
    path = tmp_path / "broken.gz"
    path.write_bytes(bytes(packed))
    with pytest.raises(ValueError, match="corrupt or truncated gzip"):
        read_idx(path)


@pytest.mark.claim("mnist.idx-format")
def test_idx_detects_gzip_by_content_not_name(tmp_path):
    """Compression is recognised from the bytes: a plain file named .gz and a gzip file without
    .gz both read correctly."""
    plain_named_gz = tmp_path / "plain.gz"
    plain_named_gz.write_bytes(GOOD)
    gzip_no_suffix = tmp_path / "packed"
    with gzip.open(gzip_no_suffix, "wb") as fh:
        fh.write(GOOD)
    for path in (plain_named_gz, gzip_no_suffix, str(gzip_no_suffix)):
        np.testing.assert_array_equal(read_idx(path), np.arange(12).reshape(3, 4))


def test_idx_argument_errors(tmp_path):
    with pytest.raises(TypeError, match="data must be bytes, got str"):
        parse_idx("00000801")
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "absent.gz")
    np.testing.assert_array_equal(parse_idx(bytearray(GOOD)), parse_idx(memoryview(GOOD)))


@pytest.mark.claim("mnist.idx-format")
def test_idx_refusal_messages_in_full():
    """Each refusal names the file (``data`` when no name is given) and shows what was found:
    the first four bytes of a bad magic number, or the known type codes."""
    cases = {
        b"": "data: not an IDX file: expected magic number 00 00 <type> <ndim>, got an empty file",
        b"\x01\x02\x03\x04\x05": "data: not an IDX file: expected magic number 00 00 <type> <ndim>, got 01 02 03 04",
        bytes(
            [0, 0, 0x07, 1, 0]
        ): "data: unknown IDX type code 0x07; expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e",
    }
    for data, message in cases.items():
        with pytest.raises(ValueError) as info:
            parse_idx(data)
        assert str(info.value) == message
    with pytest.raises(ValueError, match=r"^t10k: not an IDX file"):
        parse_idx(b"\x01\x02\x03\x04", name="t10k")


@pytest.mark.claim("mnist.idx-format")
def test_idx_a_bare_magic_number_is_a_size_error():
    """Four bytes with a good magic number are an IDX header whose values are missing: a 0-D
    ``uint8`` file needs $4 + 1$ bytes, so it is refused for its size, and the 5-byte file reads."""
    with pytest.raises(ValueError, match=r"^data: IDX size mismatch: .* needs 5 bytes, but the file has 4$"):
        parse_idx(bytes([0, 0, 0x08, 0]))
    assert parse_idx(bytes([0, 0, 0x08, 0, 7])).tolist() == 7
