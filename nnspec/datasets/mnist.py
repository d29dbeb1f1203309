r"""Full MNIST (60,000 training and 10,000 test images) from its four IDX ``.gz`` files.

The files are read from a data folder: the ``data_dir`` argument, else the environment variable
``NNSPEC_DATA``, else ``<cache>/mnist`` (see [`cache_dir`][nnspec.datasets.cache_dir]). They are
downloaded only when you ask (``download=True`` or
[`download_mnist`][nnspec.datasets.download_mnist]), from a mirror you can choose (``mirror=`` or
``NNSPEC_MNIST_MIRROR``). Every file is checked against the size and the digests of
[`MNIST_FILES`][nnspec.datasets.MNIST_FILES] before it is read, a download is written to a
temporary file in the same folder and renamed into place only once it has passed, and nothing is
ever unpickled.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np

from ._common import (
    IMAGE_SHAPE,
    N_CLASSES,
    ChecksumError,
    DataNotFoundError,
    DownloadError,
    cache_dir,
    check_options,
    prepare,
)
from .idx import read_idx

__all__ = [
    "MnistFile",
    "MNIST_FILES",
    "DEFAULT_MIRROR",
    "mnist_dir",
    "mnist_mirror",
    "verify_file",
    "download_mnist",
    "load_mnist",
    "load_mnist_test",
]


@dataclass(frozen=True)
class MnistFile:
    """One file of the checksum table: its name, its exact size, and its known digests.

    ``sha256`` or ``md5`` may be ``None`` when that digest is not known; at least one must be
    given. Every digest that is given is checked.
    """

    filename: str
    size: int
    md5: str | None = None
    sha256: str | None = None

    def __post_init__(self) -> None:
        if self.md5 is None and self.sha256 is None:
            raise ValueError(f"MnistFile {self.filename!r}: give at least one digest (md5 or sha256)")


MNIST_FILES: Mapping[str, MnistFile] = {
    "train_img": MnistFile(
        "train-images-idx3-ubyte.gz",
        9912422,
        md5="f68b3c2dcbeaaa9fbdd348bbdeb94873",
    ),
    "train_label": MnistFile(
        "train-labels-idx1-ubyte.gz",
        28881,
        md5="d53e105ee54ea40749a09fcbcd1e9432",
        sha256="3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    ),
    "test_img": MnistFile(
        "t10k-images-idx3-ubyte.gz",
        1648877,
        md5="9fb629c4189551a2d022fa330f9573f3",
        sha256="8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    ),
    "test_label": MnistFile(
        "t10k-labels-idx1-ubyte.gz",
        4542,
        md5="ec29112dd5afa0611ce80d1b7f02629c",
        sha256="f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    ),
}
"""The four files of MNIST under the book's keys (``train_img``, ``train_label``, ``test_img``,
``test_label``). Sizes and MD5 digests are the well-known ones; the SHA-256 digests were computed
from copies whose MD5 matched. The training images' SHA-256 is not pinned, so that file is checked
by size and MD5."""

DEFAULT_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"
"""Where [`download_mnist`][nnspec.datasets.download_mnist] fetches from unless told otherwise:
the copy of the original files that torchvision downloads from. Any folder serving the same four files works
(``NNSPEC_MNIST_MIRROR`` or ``mirror=``), including a local ``file://`` folder."""

_KEYS = ("train_img", "train_label", "test_img", "test_label")
_CHUNK = 1 << 16
_SCHEMES = ("http", "https", "file")


def mnist_dir(data_dir: str | PathLike | None = None) -> Path:
    r"""The folder that holds (or will hold) the four MNIST files.

    The first of: the ``data_dir`` argument, the environment variable ``NNSPEC_DATA`` (a folder
    holding the four ``.gz`` files directly), ``<cache>/mnist``.

    Parameters
    ----------
    data_dir : str, path-like or None

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> mnist_dir("/data/mnist").as_posix()
    '/data/mnist'
    """
    if data_dir is not None:
        return Path(data_dir).expanduser()
    env = os.environ.get("NNSPEC_DATA")
    if env:
        return Path(env).expanduser()
    return cache_dir() / "mnist"


def mnist_mirror(mirror: str | None = None) -> str:
    r"""The base URL to download from, ending in ``/``.

    The first of: the ``mirror`` argument, the environment variable ``NNSPEC_MNIST_MIRROR``,
    [`DEFAULT_MIRROR`][nnspec.datasets.DEFAULT_MIRROR]. Only ``http``, ``https`` and ``file`` URLs are accepted.

    Examples
    --------
    >>> mnist_mirror("https://example.org/mnist")
    'https://example.org/mnist/'
    """
    base = mirror if mirror is not None else (os.environ.get("NNSPEC_MNIST_MIRROR") or DEFAULT_MIRROR)
    if not isinstance(base, str):
        raise TypeError(f"mirror must be a URL string, got {type(base).__name__}")
    scheme = urllib.parse.urlsplit(base).scheme
    if scheme not in _SCHEMES:
        raise ValueError(f"mirror must be an http, https or file URL, got {base!r}")
    return base if base.endswith("/") else base + "/"


def _checked_table(files) -> Mapping[str, MnistFile]:
    files = MNIST_FILES if files is None else files
    if not isinstance(files, Mapping) or not all(isinstance(v, MnistFile) for v in files.values()):
        raise TypeError(f"files must be a mapping of key -> MnistFile, got {type(files).__name__}")
    missing = [k for k in _KEYS if k not in files]
    if missing:
        raise ValueError(f"files must have the keys {list(_KEYS)}; missing {missing}")
    return files


def _digests(path: Path) -> tuple[str, str]:
    md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):  # pragma: no mutate (equivalent: same digests; chunks bound memory)
            md5.update(chunk)
            sha.update(chunk)
    return md5.hexdigest(), sha.hexdigest()


def verify_file(path: str | PathLike, expected: MnistFile) -> None:
    r"""Check a file's size and every digest the table gives for it.

    Parameters
    ----------
    path : str or path-like
    expected : MnistFile
        Size in bytes, and the MD5 and/or SHA-256 hex digest.

    Raises
    ------
    ChecksumError
        The size or a digest differs; the message gives both values.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "abc")
    >>> with open(path, "wb") as fh:
    ...     _ = fh.write(b"abc")
    >>> verify_file(path, MnistFile("abc", 3, md5="900150983cd24fb0d6963f7d28e17f72"))
    """
    problem = _mismatch(Path(path), expected)
    if problem:
        raise ChecksumError(f"{path}: {problem}")


def _mismatch(path: Path, expected: MnistFile) -> str | None:
    """What is wrong with the file at ``path``, or None when it matches ``expected``."""
    size = path.stat().st_size
    if size != expected.size:
        return f"size {size} bytes, expected {expected.size} for {expected.filename}"
    md5, sha = _digests(path)
    for algo, want, got in (("SHA-256", expected.sha256, sha), ("MD5", expected.md5, md5)):
        if want is not None and got != want.lower():
            return f"{algo} {got}, expected {want} for {expected.filename}"
    return None


def _fetch(url: str, folder: Path, expected: MnistFile, timeout: float) -> Path:
    """Download ``url`` into ``folder/expected.filename``: temporary file, verify, then rename."""
    final = folder / expected.filename
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{expected.filename}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (scheme checked)
                    announced = resp.headers.get("Content-Length")
                    received = 0
                    while chunk := resp.read(_CHUNK):
                        received += len(chunk)
                        if received > expected.size:
                            raise ChecksumError(
                                f"{url}: the server sends more than the expected {expected.size} bytes "
                                f"of {expected.filename}; nothing was kept"
                            )
                        out.write(chunk)
            except urllib.error.HTTPError as exc:
                exc.close()
                raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}; nothing was kept") from None
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                reason = getattr(exc, "reason", None) or exc
                raise DownloadError(
                    f"{url}: download failed ({type(exc).__name__}: {reason}); nothing was kept"
                ) from exc
            if announced is not None and announced.isdigit() and int(announced) != received:
                raise DownloadError(
                    f"{url}: download failed: the connection closed after {received} of {announced} bytes; "
                    f"nothing was kept"
                )
            out.flush()
            os.fsync(out.fileno())
        problem = _mismatch(tmp, expected)
        if problem:
            raise ChecksumError(f"{url}: the downloaded file fails its check ({problem}); nothing was kept")
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)  # pragma: no mutate (equivalent: tmp always exists here)
        raise
    return final


def download_mnist(
    data_dir: str | PathLike | None = None,
    *,
    mirror: str | None = None,
    files: Mapping[str, MnistFile] | None = None,
    keys=None,
    timeout: float = 60.0,
    progress: bool = True,
) -> Path:
    r"""Download the MNIST files that are missing or fail their check, and verify them.

    Each file goes to a temporary file in ``data_dir`` and is renamed into place only after its
    size and digests match ``files``; on any failure the temporary file is removed, so the folder
    never holds a partial file. Files already present and correct are not downloaded again.

    Parameters
    ----------
    data_dir : str, path-like or None
        Destination (created if needed); see [`mnist_dir`][nnspec.datasets.mnist_dir].
    mirror : str or None
        Base URL; see [`mnist_mirror`][nnspec.datasets.mnist_mirror]. The URL of a file is ``mirror + filename``.
    files : mapping of str to MnistFile or None
        The checksum table; [`MNIST_FILES`][nnspec.datasets.MNIST_FILES] by default.
    keys : iterable of str or None
        Which entries of ``files`` to fetch; all four by default.
    timeout : float
        Seconds to wait for the server on each connection (60 by default); a server silent
        for longer is a [`DownloadError`][nnspec.datasets.DownloadError].
    progress : bool
        Print one line per downloaded file to standard error.

    Returns
    -------
    pathlib.Path
        The data folder.

    Raises
    ------
    DownloadError
        HTTP error (e.g. 404), unreachable server, or a connection cut mid-file.
    ChecksumError
        The downloaded bytes have the wrong size or digest.
    """
    files = _checked_table(files)
    keys = _KEYS if keys is None else tuple(keys)
    unknown = [k for k in keys if k not in files]
    if unknown:
        raise ValueError(f"keys must be among {list(files)}, got {unknown}")
    folder = mnist_dir(data_dir)
    base = mnist_mirror(mirror)
    folder.mkdir(parents=True, exist_ok=True)
    for key in keys:
        spec = files[key]
        target = folder / spec.filename
        if target.is_file():
            try:
                verify_file(target, spec)
                continue
            except ChecksumError:
                pass  # a damaged copy: fetch a good one to replace it
        url = base + spec.filename
        if progress:
            print(f"nnspec: downloading {url} ({spec.size / 1e6:.1f} MB) -> {target}", file=sys.stderr)
        _fetch(url, folder, spec, timeout)
    return folder


def _missing_message(folder: Path, missing: list[MnistFile], what: str) -> str:
    names = ", ".join(spec.filename for spec in missing)
    megabytes = sum(spec.size for spec in missing) / 1e6
    return (
        f"{what} is not complete in {folder}: missing {names}.\n"
        f"  Download it ({megabytes:.1f} MB, each file checked against its checksum) with\n"
        f"      python -m nnspec.datasets download --dir {folder}\n"
        f"  or by passing download=True (and the same data_dir) to the loader.\n"
        f"  Or copy the files into that folder, or point NNSPEC_DATA (or data_dir=) at a folder that has them.\n"
        f"  For a 5,000-image sample that works offline, ask for it explicitly: "
        f"nnspec.datasets.load('sample') (pip install 'nnspec[sample]')."
    )


def _read_checked(folder: Path, spec: MnistFile) -> np.ndarray:
    path = folder / spec.filename
    try:
        verify_file(path, spec)
    except ChecksumError as exc:
        raise ChecksumError(
            f"{exc}. The file is damaged or not the original: delete it and download again "
            f"(load_mnist(download=True) replaces it)."
        ) from None
    return read_idx(path)


def _load_pair(folder: Path, files, img_key: str, label_key: str) -> tuple[np.ndarray, np.ndarray]:
    x = _read_checked(folder, files[img_key])
    t = _read_checked(folder, files[label_key])
    img_name, label_name = files[img_key].filename, files[label_key].filename
    if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE:
        raise ValueError(f"{img_name}: expected uint8 images of shape (N, 28, 28), got {x.dtype} {x.shape}")
    if t.dtype != np.uint8 or t.ndim != 1 or len(t) != len(x):
        raise ValueError(f"{label_name}: expected {len(x)} uint8 labels, got {t.dtype} {t.shape}")
    if t.size and t.max() >= N_CLASSES:
        raise ValueError(f"{label_name}: labels must be 0..9, found {int(t.max())}")
    return x, t


def _ensure(folder, files, keys, download, mirror, what) -> None:
    if download:
        download_mnist(folder, mirror=mirror, files=files, keys=keys)
    missing = [files[k] for k in keys if not (folder / files[k].filename).is_file()]
    if missing:
        raise DataNotFoundError(_missing_message(folder, missing, what))


def load_mnist(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    *,
    data_dir: str | PathLike | None = None,
    download: bool = False,
    mirror: str | None = None,
    files: Mapping[str, MnistFile] | None = None,
    dtype=np.float32,
):
    r"""Full MNIST with the book's signature: ``(x_train, t_train), (x_test, t_test)``.

    Reads the four files from [`mnist_dir`][nnspec.datasets.mnist_dir] after checking each one's size and digests.
    Never falls back to the sample: when a file is missing it raises
    [`DataNotFoundError`][nnspec.datasets.DataNotFoundError] saying how to download it.

    Parameters
    ----------
    normalize : bool
        Pixels as ``dtype`` in $[0, 1]$ ($x/255$); otherwise ``uint8`` 0..255.
    flatten : bool
        Images as rows of 784; otherwise shape $(N, 1, 28, 28)$.
    one_hot_label : bool
        Labels as one-hot rows of 10 (``dtype``); otherwise ``uint8`` digits 0..9.
    data_dir : str, path-like or None
        See [`mnist_dir`][nnspec.datasets.mnist_dir].
    download : bool
        Fetch missing files first (explicitly; never done otherwise). See
        [`download_mnist`][nnspec.datasets.download_mnist].
    mirror : str or None
        See [`mnist_mirror`][nnspec.datasets.mnist_mirror].
    files : mapping of str to MnistFile or None
        The checksum table; [`MNIST_FILES`][nnspec.datasets.MNIST_FILES] by default.
    dtype : floating dtype
        Of normalised images and one-hot labels; ``float32`` as in the book.

    Returns
    -------
    tuple
        ``((x_train, t_train), (x_test, t_test))``: ``x_train`` of shape $(60000, 784)$ (or
        $(60000, 1, 28, 28)$), ``t_train`` of shape $(60000,)$ (or $(60000, 10)$), and likewise
        10,000 test images.

    Raises
    ------
    DataNotFoundError
        A file is missing (and ``download`` is False).
    ChecksumError
        A file's size or digest is wrong.
    """
    opts = check_options(normalize, flatten, one_hot_label, dtype)
    files = _checked_table(files)
    folder = mnist_dir(data_dir)
    _ensure(folder, files, _KEYS, download, mirror, "MNIST")
    train = _load_pair(folder, files, "train_img", "train_label")
    test = _load_pair(folder, files, "test_img", "test_label")
    return prepare(*train, *opts), prepare(*test, *opts)


def load_mnist_test(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    *,
    data_dir: str | PathLike | None = None,
    download: bool = False,
    mirror: str | None = None,
    files: Mapping[str, MnistFile] | None = None,
    dtype=np.float32,
):
    r"""Only the 10,000 MNIST test images: ``(x_test, t_test)``.

    Needs just the two ``t10k-*`` files, enough to evaluate a trained network (the book's
    chapter 3). Parameters as [`load_mnist`][nnspec.datasets.load_mnist].

    Returns
    -------
    tuple
        ``(x_test, t_test)``: shape $(10000, 784)$ (or $(10000, 1, 28, 28)$) and $(10000,)$
        (or $(10000, 10)$).
    """
    opts = check_options(normalize, flatten, one_hot_label, dtype)
    files = _checked_table(files)
    folder = mnist_dir(data_dir)
    _ensure(folder, files, ("test_img", "test_label"), download, mirror, "The MNIST test set")
    return prepare(*_load_pair(folder, files, "test_img", "test_label"), *opts)
