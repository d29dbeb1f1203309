"""The IDX file format of MNIST (plain or gzip-compressed), read without pickle.

An IDX file is a 4-byte magic number ``0x00 0x00 <type> <ndim>``, then ``ndim`` big-endian uint32
dimension sizes, then the values in C order, big-endian.
"""

from __future__ import annotations

import gzip
import struct
from os import PathLike

import numpy as np

__all__ = ["read_idx", "parse_idx", "IDX_TYPES"]

IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def parse_idx(data: bytes, name: str = "data") -> np.ndarray:
    """Parse the bytes of an (uncompressed) IDX file.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str
        Used in error messages (usually the file name).

    Returns
    -------
    numpy.ndarray
        Shape given by the header, native byte order (``uint8`` for MNIST).

    Raises
    ------
    ValueError
        Bad magic number, unknown type code, or a size that does not match the header.

    Examples
    --------
    >>> parse_idx(bytes([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9]))
    array([7, 8, 9], dtype=uint8)
    """
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{name}: not an IDX file (magic number {data[:4].hex() or 'missing'})")
    code, ndim = data[2], data[3]
    if code not in IDX_TYPES:
        raise ValueError(f"{name}: unknown IDX type code 0x{code:02x}; expected one of {[hex(c) for c in IDX_TYPES]}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{name}: truncated IDX header ({len(data)} bytes, need {header})")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = IDX_TYPES[code]
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        raise ValueError(f"{name}: IDX size mismatch: header says shape {shape} ({expected} bytes), file has {len(data)}")
    arr = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return arr.astype(dtype.newbyteorder("="))


def read_idx(path: str | PathLike) -> np.ndarray:
    """Read an IDX file from disk; ``.gz`` files are decompressed.

    Parameters
    ----------
    path : str or path-like
        E.g. ``t10k-images-idx3-ubyte.gz``.

    Returns
    -------
    numpy.ndarray
        As :func:`parse_idx`.
    """
    path = str(path)
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            data = fh.read()
    except (gzip.BadGzipFile, EOFError) as exc:
        raise ValueError(f"{path}: corrupt gzip file ({exc})") from exc
    return parse_idx(data, name=path)
