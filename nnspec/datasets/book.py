r"""The book's pretrained chapter-3 weights, shipped with nnspec.

The book's chapter 3 classifies the MNIST test set with a 784-50-100-10 network whose weights
it publishes as ``ch03/sample_weight.pkl`` in its code repository
(``oreilly-japan/deep-learning-from-scratch``, MIT License, Copyright (c) 2016 Koki Saitoh).
nnspec ships those weights converted to ``book-ch03-sample-weights.npz``: six float32 arrays
``W1`` (784, 50), ``b1`` (50,), ``W2`` (50, 100), ``b2`` (100,), ``W3`` (100, 10), ``b3`` (10,),
the same numbers, in a format NumPy reads without unpickling. The licence travels with the file
(``book-ch03-sample-weights.LICENSE.txt`` beside it).

With inputs scaled to $[0, 1]$ they classify 9,352 of the 10,000 MNIST test images correctly,
the book's 0.9352: ``python -m nnspec.datasets download --test-only`` fetches the test set, and
``pytest --claim network.book-mnist-accuracy`` checks the number.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ._common import ChecksumError

__all__ = ["BOOK_CH3_WEIGHTS_SHA256", "book_ch3_weights"]

_FILE = Path(__file__).with_name("book-ch03-sample-weights.npz")

BOOK_CH3_WEIGHTS_SHA256 = "bc3cfd4a0205bf2e83501b8a5128bf73389c98793f22c87a6c2f5e7e3c82ddaa"
"""SHA-256 of the shipped ``book-ch03-sample-weights.npz`` (170,112 bytes)."""


def book_ch3_weights() -> Path:
    """The shipped file of the book's chapter-3 weights, checked against its SHA-256.

    Load it with [`load_weights`][nnspec.networks.load_weights], which never unpickles.

    Returns
    -------
    pathlib.Path
        ``book-ch03-sample-weights.npz`` inside the installed ``nnspec.datasets`` package.

    Raises
    ------
    ChecksumError
        The file was changed or damaged; the message gives both digests.
    FileNotFoundError
        The file is missing from this installation.

    Examples
    --------
    >>> from nnspec.networks import load_weights
    >>> net = load_weights(book_ch3_weights())
    >>> {k: v.shape for k, v in net.items()}["W2"], net["W1"].dtype
    ((50, 100), dtype('float32'))
    """
    digest = hashlib.sha256(_FILE.read_bytes()).hexdigest()
    if digest != BOOK_CH3_WEIGHTS_SHA256:
        raise ChecksumError(
            f"{_FILE.name}: SHA-256 {digest}, expected {BOOK_CH3_WEIGHTS_SHA256}; "
            "the shipped weights were changed or damaged (reinstall nnspec)"
        )
    return _FILE
