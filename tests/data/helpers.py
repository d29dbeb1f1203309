"""Helpers for the data specs: an IDX writer written independently of nnspec's reader."""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np

from nnspec.datasets import MnistFile

CODES = {"u1": 0x08, "i1": 0x09, "i2": 0x0B, "i4": 0x0C, "f4": 0x0D, "f8": 0x0E}


def idx_bytes(arr: np.ndarray) -> bytes:
    """``arr`` as an IDX file: magic 00 00 <type> <ndim>, big-endian uint32 sizes, big-endian values."""
    arr = np.asarray(arr)
    code = CODES[arr.dtype.str[1:]]
    head = bytes([0, 0, code, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    return head + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def table_entry(name: str, data: bytes, *, md5: bool = True, sha256: bool = True) -> MnistFile:
    """The checksum-table row of ``data``: its size and its digests."""
    return MnistFile(
        name,
        len(data),
        md5=hashlib.md5(data).hexdigest() if md5 else None,
        sha256=hashlib.sha256(data).hexdigest() if sha256 else None,
    )


def synthetic_mnist(n_train: int = 6, n_test: int = 4, seed: int = 0) -> dict[str, tuple[str, bytes, np.ndarray]]:
    """Four small MNIST-shaped gzip files under the book's keys: key -> (filename, bytes, array)."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train_img": ("train-images-idx3-ubyte.gz", rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8)),
        "train_label": ("train-labels-idx1-ubyte.gz", rng.integers(0, 10, n_train, dtype=np.uint8)),
        "test_img": ("t10k-images-idx3-ubyte.gz", rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8)),
        "test_label": ("t10k-labels-idx1-ubyte.gz", rng.integers(0, 10, n_test, dtype=np.uint8)),
    }
    return {key: (name, gz(idx_bytes(arr)), arr) for key, (name, arr) in arrays.items()}


def listing(folder: Path) -> list[str]:
    """Every entry in ``folder`` (hidden temporary files included), or [] if it does not exist."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
