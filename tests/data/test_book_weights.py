"""The book's chapter-3 weights ship with nnspec, with their origin and licence, unchanged."""

from __future__ import annotations

import hashlib
import shutil
import sys

import numpy as np
import pytest

from nnspec.datasets import BOOK_CH3_WEIGHTS_SHA256, ChecksumError, book_ch3_weights
from nnspec.datasets import book as book_module
from nnspec.networks import forward, load_weights
from tests.claims import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = None

SHAPES = {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}


@pytest.mark.claim("weights.book-ch3-shipped")
def test_shipped_weights_are_the_books_network(evidence):
    """The shipped file loads without unpickling as the book's 784-50-100-10 float32 network,
    its digest is the one nnspec records, and its licence file travels beside it."""
    path = book_ch3_weights()
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    assert {k: v.shape for k, v in arrays.items()} == SHAPES
    assert all(v.dtype == np.float32 for v in arrays.values())
    net = load_weights(path)
    assert forward(net, np.zeros((2, 784), np.float32)).shape == (2, 10)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == BOOK_CH3_WEIGHTS_SHA256
    licence = path.with_name("book-ch03-sample-weights.LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Copyright (c) 2016 Koki Saitoh" in licence
    assert "oreilly-japan/deep-learning-from-scratch" in licence
    evidence("arrays: shape", [f"{k} {'×'.join(map(str, v.shape))}" for k, v in arrays.items()])
    evidence("parameters", sum(v.size for v in arrays.values()))
    evidence("SHA-256 of the file", BOOK_CH3_WEIGHTS_SHA256[:16] + "…")


@pytest.mark.claim("weights.book-ch3-shipped")
def test_shipped_weights_equal_the_reference_copy(shared_book_ch3_weights):
    """Byte for byte the reference file in ../shared/data (converted from the book's pickle)."""
    assert book_ch3_weights().read_bytes() == shared_book_ch3_weights.read_bytes()


@pytest.mark.claim("weights.book-ch3-shipped")
def test_changed_weights_are_refused(tmp_path, monkeypatch):
    """One flipped byte, and nnspec refuses the file instead of classifying with other weights."""
    damaged = tmp_path / "book-ch03-sample-weights.npz"
    shutil.copyfile(book_ch3_weights(), damaged)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(book_module, "_FILE", damaged)
    with pytest.raises(ChecksumError, match=f"expected {BOOK_CH3_WEIGHTS_SHA256}"):
        book_ch3_weights()


@pytest.mark.claim("weights.book-ch3-shipped")
@pytest.mark.skipif(tomllib is None, reason="reading pyproject.toml needs tomllib (Python >= 3.11)")
def test_a_built_package_ships_the_weights_and_licence():
    """pyproject.toml lists both files as package data, so a wheel of nnspec carries them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = config["tool"]["setuptools"]["package-data"]["nnspec.datasets"]
    shipped = book_ch3_weights()
    for name in (shipped.name, "book-ch03-sample-weights.LICENSE.txt"):
        assert name in listed and (shipped.parent / name).is_file(), name


@pytest.mark.claim("weights.book-ch3-shipped")
def test_changed_weights_message_says_what_to_do(tmp_path, monkeypatch):
    """The refusal names the file, both digests, and the remedy (reinstall nnspec)."""
    damaged = tmp_path / "book-ch03-sample-weights.npz"
    damaged.write_bytes(b"not the weights")
    monkeypatch.setattr(book_module, "_FILE", damaged)
    digest = hashlib.sha256(b"not the weights").hexdigest()
    with pytest.raises(ChecksumError) as info:
        book_ch3_weights()
    assert str(info.value) == (
        f"book-ch03-sample-weights.npz: SHA-256 {digest}, expected {BOOK_CH3_WEIGHTS_SHA256}; "
        "the shipped weights were changed or damaged (reinstall nnspec)"
    )
