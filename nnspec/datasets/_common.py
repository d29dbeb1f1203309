r"""What both MNIST sources share: where files live, the errors, and the book's output options."""

from __future__ import annotations

import os
from os import PathLike
from pathlib import Path

import numpy as np

from ..validation import resolve_dtype

__all__ = [
    "DataNotFoundError",
    "ChecksumError",
    "DownloadError",
    "cache_dir",
    "prepare",
]

N_CLASSES = 10
IMAGE_SHAPE = (28, 28)
N_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]


class DataNotFoundError(FileNotFoundError):
    """A data set is not on this machine; the message says how to get it."""


class ChecksumError(ValueError):
    """A file's size or digest is not the one the checksum table expects."""


class DownloadError(OSError):
    """A download failed (HTTP error, unreachable mirror, connection cut)."""


def cache_dir(cache_dir: str | PathLike | None = None) -> Path:
    r"""The per-user folder where nnspec keeps derived and downloaded data.

    The first of: the ``cache_dir`` argument, the environment variable ``NNSPEC_CACHE``,
    ``$XDG_CACHE_HOME/nnspec``, ``~/.cache/nnspec``. The folder is not created here.

    Parameters
    ----------
    cache_dir : str, path-like or None
        An explicit folder; wins over everything else.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> cache_dir("/tmp/my-cache").as_posix()
    '/tmp/my-cache'
    """
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get("NNSPEC_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "nnspec"


def check_flag(value, name: str) -> bool:
    """``value`` as a bool; anything but ``True``/``False`` is a ``TypeError`` naming ``name``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_options(normalize, flatten, one_hot_label, dtype) -> tuple:
    """The book's three flags checked as bools, and ``dtype`` as a floating dtype."""
    return (
        check_flag(normalize, "normalize"),
        check_flag(flatten, "flatten"),
        check_flag(one_hot_label, "one_hot_label"),
        resolve_dtype(dtype),
    )


def prepare(x: np.ndarray, t: np.ndarray, normalize: bool, flatten: bool, one_hot_label: bool, dtype) -> tuple:
    r"""Apply the book's ``load_mnist`` options to raw images and labels.

    Parameters
    ----------
    x : numpy.ndarray
        ``uint8`` images, shape $(N, 784)$ or $(N, 28, 28)$, values 0..255; the caller's own
        array (it may be returned reshaped, not copied).
    t : numpy.ndarray
        ``uint8`` labels, shape $(N,)$, values 0..9.
    normalize : bool
        Scale pixels to $[0, 1]$: $x / 255$ in ``dtype``; otherwise keep ``uint8`` 0..255.
    flatten : bool
        Shape $(N, 784)$; otherwise $(N, 1, 28, 28)$ (one channel, as in the book).
    one_hot_label : bool
        Labels as one-hot rows, shape $(N, 10)$ in ``dtype``; otherwise ``uint8`` of shape $(N,)$.
    dtype : floating dtype
        Of normalised images and one-hot labels.

    Returns
    -------
    tuple
        ``(x, t)`` with the shapes above.
    """
    normalize, flatten, one_hot_label, dt = check_options(normalize, flatten, one_hot_label, dtype)
    n = x.shape[0]
    x = x.reshape(n, N_PIXELS) if flatten else x.reshape(n, 1, *IMAGE_SHAPE)
    if normalize:
        x = x.astype(dt)
        x /= dt.type(255)
    if one_hot_label:
        t = np.eye(N_CLASSES, dtype=dt)[t]
    return x, t
