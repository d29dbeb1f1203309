r"""The IDX file format of MNIST (plain or gzip-compressed), read without pickle.

An IDX file is a 4-byte magic number ``0x00 0x00 <type> <ndim>``, then ``ndim`` big-endian uint32
dimension sizes $d_1, \dots, d_n$, then the $\prod_i d_i$ values in C order, big-endian. Its size
is therefore exactly

$$4 + 4\,n + \text{itemsize}\cdot\prod_{i=1}^{n} d_i \ \text{bytes}.$$

MNIST uses type ``0x08`` (unsigned byte): the image files have ``ndim = 3`` (count, 28, 28) and
the label files ``ndim = 1`` (count).
"""

from __future__ import annotations

import gzip
import math
import struct
import zlib
from os import PathLike, fspath

import numpy as np

__all__ = ["read_idx", "parse_idx", "IDX_TYPES"]

IDX_TYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
"""Type code (third byte of the magic number) -> big-endian NumPy dtype of the values."""

_GZIP_MAGIC = b"\x1f\x8b"


def parse_idx(data: bytes, name: str = "data") -> np.ndarray:
    r"""Parse the bytes of an (uncompressed) IDX file.

    The size is checked against the header before any value is read: a file of
    $4 + 4n + \text{itemsize}\cdot\prod_i d_i$ bytes is accepted, anything else is refused.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str
        Used in error messages (usually the file name).

    Returns
    -------
    numpy.ndarray
        Shape $(d_1, \dots, d_n)$ given by the header, native byte order (``uint8`` for MNIST).
        A fresh, writable array.

    Raises
    ------
    TypeError
        ``data`` is not bytes-like.
    ValueError
        Bad magic number, unknown type code, truncated header, or a size that does not match
        the header.

    Examples
    --------
    >>> parse_idx(bytes([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9]))
    array([7, 8, 9], dtype=uint8)
    >>> parse_idx(bytes([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4])).shape
    (2, 2)
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(
            f"{name}: not an IDX file: expected magic number 00 00 <type> <ndim>, "
            f"got {data[:4].hex(' ') or 'an empty file'}"
        )
    code, ndim = data[2], data[3]
    if code not in IDX_TYPES:
        known = ", ".join(f"0x{c:02x}" for c in IDX_TYPES)
        raise ValueError(f"{name}: unknown IDX type code 0x{code:02x}; expected one of {known}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{name}: truncated IDX header: {len(data)} bytes, need {header} for {ndim} dimensions")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = IDX_TYPES[code]
    expected = header + math.prod(shape) * dtype.itemsize  # Python ints: no overflow
    if len(data) != expected:
        raise ValueError(
            f"{name}: IDX size mismatch: the header says shape {shape} of {dtype.name}, "
            f"which needs {expected} bytes, but the file has {len(data)}"
        )
    arr = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return arr.astype(dtype.newbyteorder("="))


def read_idx(path: str | PathLike) -> np.ndarray:
    r"""Read an IDX file from disk, decompressing it when it is gzip.

    Compression is recognised from the file's first two bytes (``1f 8b``), not from its name,
    so ``t10k-images-idx3-ubyte`` and ``t10k-images-idx3-ubyte.gz`` both work.

    Parameters
    ----------
    path : str or path-like
        E.g. ``t10k-images-idx3-ubyte.gz``.

    Returns
    -------
    numpy.ndarray
        As [`parse_idx`][nnspec.datasets.parse_idx]; for MNIST images shape $(N, 28, 28)$, for
        labels $(N,)$, ``uint8``.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        A corrupt or truncated gzip stream, or any defect [`parse_idx`][nnspec.datasets.parse_idx] refuses.

    Examples
    --------
    >>> import gzip, os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "tiny-idx1-ubyte.gz")
    >>> with gzip.open(path, "wb") as fh:
    ...     _ = fh.write(bytes([0, 0, 0x08, 1, 0, 0, 0, 2, 4, 2]))
    >>> read_idx(path)
    array([4, 2], dtype=uint8)
    """
    path = fspath(path)
    with open(path, "rb") as fh:
        raw = fh.read()
    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise ValueError(f"{path}: corrupt or truncated gzip file ({exc})") from exc
    return parse_idx(raw, name=str(path))
