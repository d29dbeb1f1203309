"""Full MNIST: explicit downloads from a mirror, verified, atomic; loading from a data folder.

Every download goes to a tiny HTTP server the spec starts on 127.0.0.1 and serves small synthetic
files whose sizes and digests the spec puts in the checksum table (``files=``).
"""

from __future__ import annotations

import hashlib
import inspect
import re
import socket
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnspec.datasets import (
    DEFAULT_MIRROR,
    ChecksumError,
    DataNotFoundError,
    DownloadError,
    MnistFile,
    cache_dir,
    download_mnist,
    load,
    load_mnist,
    load_mnist_test,
    mnist_dir,
    mnist_mirror,
    verify_file,
)
from nnspec.datasets import mnist as mnist_module
from nnspec.datasets.__main__ import main as cli
from tests.data.helpers import gz, idx_bytes, listing, synthetic_mnist, table_entry

SYNTH = synthetic_mnist()
TABLE = {key: table_entry(name, data) for key, (name, data, _) in SYNTH.items()}
BODIES = {name: data for name, data, _ in SYNTH.values()}
ONE = TABLE["test_label"]  # the file the failure specs fetch
ONE_BODY = BODIES[ONE.filename]


def fetch_one(folder, mirror_url, spec=ONE):
    return download_mnist(
        folder, mirror=mirror_url, files={**TABLE, "test_label": spec}, keys=["test_label"], progress=False
    )


# --------------------------------------------------------------------------- downloads


@pytest.mark.claim("mnist.download-verified")
def test_download_good_files_then_load(mirror, tmp_path, capsys):
    """A download of files matching the table lands in the folder under their names, and loads."""
    url = mirror.serve("good", BODIES)
    folder = tmp_path / "mnist"
    (x_train, t_train), (x_test, t_test) = load_mnist(data_dir=folder, download=True, mirror=url, files=TABLE)
    assert listing(folder) == sorted(BODIES)
    assert len(mirror.requests) == 4
    assert "downloading" in capsys.readouterr().err
    np.testing.assert_array_equal(x_train, SYNTH["train_img"][2].reshape(-1, 784) / np.float32(255))
    np.testing.assert_array_equal(t_train, SYNTH["train_label"][2])
    np.testing.assert_array_equal(x_test, SYNTH["test_img"][2].reshape(-1, 784) / np.float32(255))
    np.testing.assert_array_equal(t_test, SYNTH["test_label"][2])
    # Present and correct: a second request downloads nothing.
    load_mnist(data_dir=folder, download=True, mirror=url, files=TABLE)
    assert len(mirror.requests) == 4


FAILURES = {
    # name: (route kind, body served, exception, message)
    "truncated": ("ok", ONE_BODY[:-7], ChecksumError, "size"),
    "cut mid-transfer": ("cut", ONE_BODY, DownloadError, "download failed"),
    "wrong checksum": ("ok", ONE_BODY[:-1] + bytes([ONE_BODY[-1] ^ 1]), ChecksumError, "SHA-256"),
    "too long": ("ok", ONE_BODY + b"\x00" * 100_000, ChecksumError, "more than the expected"),
    "404": ("404", b"", DownloadError, "HTTP 404"),
}


@pytest.mark.claim("mnist.download-verified")
@pytest.mark.parametrize("case", list(FAILURES))
def test_failed_download_leaves_nothing(case, mirror, tmp_path):
    """A truncated file, a connection cut mid-file, a wrong checksum, an oversized body and a 404
    each raise a clear error naming the URL, and leave no file, partial or final, in the folder."""
    kind, body, error, message = FAILURES[case]
    url = mirror.serve("bad", {ONE.filename: body}, kind=kind)
    folder = tmp_path / "mnist"
    with pytest.raises(error, match=message) as info:
        fetch_one(folder, url)
    assert url + ONE.filename in str(info.value)
    assert listing(folder) == []


@pytest.mark.claim("mnist.download-verified")
def test_md5_is_checked_when_no_sha256_is_known(mirror, tmp_path):
    """For a file with only an MD5 in the table (like the training images), a wrong MD5 is refused."""
    bad = ONE_BODY[:-1] + bytes([ONE_BODY[-1] ^ 1])
    url = mirror.serve("md5", {ONE.filename: bad})
    md5_only = table_entry(ONE.filename, ONE_BODY, sha256=False)
    with pytest.raises(ChecksumError, match="MD5"):
        fetch_one(tmp_path, url, md5_only)
    assert listing(tmp_path) == []
    url = mirror.serve("md5-good", {ONE.filename: ONE_BODY})
    fetch_one(tmp_path, url, md5_only)
    assert listing(tmp_path) == [ONE.filename]


@pytest.mark.claim("mnist.download-verified")
def test_damaged_file_is_replaced_only_by_a_verified_one(mirror, tmp_path):
    """A damaged local copy is refused when loading, and a download replaces it only with good bytes."""
    target = tmp_path / ONE.filename
    for name, data, _ in SYNTH.values():
        (tmp_path / name).write_bytes(data)
    target.write_bytes(b"\x00" * ONE.size)
    with pytest.raises(ChecksumError, match="delete it and download again"):
        load_mnist(data_dir=tmp_path, files=TABLE)
    bad_url = mirror.serve("bad", {ONE.filename: b"\x00" * ONE.size})
    with pytest.raises(ChecksumError):
        fetch_one(tmp_path, bad_url)
    assert target.read_bytes() == b"\x00" * ONE.size  # the old file is untouched by a failed download
    assert listing(tmp_path) == sorted(BODIES)
    good_url = mirror.serve("good", {ONE.filename: ONE_BODY})
    fetch_one(tmp_path, good_url)
    assert target.read_bytes() == ONE_BODY
    load_mnist(data_dir=tmp_path, files=TABLE)


@pytest.mark.claim("mnist.download-verified")
@settings(max_examples=25)
@given(position=st.integers(0, ONE.size - 1), flip=st.integers(1, 255))
def test_any_single_byte_change_is_caught(position, flip, tmp_path_factory):
    """Changing any one byte of a file, by any amount, fails its check."""
    path = tmp_path_factory.mktemp("flip") / ONE.filename
    data = bytearray(ONE_BODY)
    data[position] ^= flip
    path.write_bytes(bytes(data))
    with pytest.raises(ChecksumError):
        verify_file(path, ONE)


def test_unreachable_mirror_is_a_download_error(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DownloadError, match="download failed"):
        fetch_one(tmp_path, f"http://127.0.0.1:{port}/mnist")
    assert listing(tmp_path) == []


def test_file_mirror_and_env_settings(tmp_path, monkeypatch):
    """A local folder works as a mirror (file:// URL); NNSPEC_DATA and NNSPEC_MNIST_MIRROR are honoured."""
    source = tmp_path / "source"
    source.mkdir()
    for name, data in BODIES.items():
        (source / name).write_bytes(data)
    dest = tmp_path / "dest"
    monkeypatch.setenv("NNSPEC_DATA", str(dest))
    monkeypatch.setenv("NNSPEC_MNIST_MIRROR", source.as_uri())
    assert mnist_dir() == dest
    assert mnist_mirror() == source.as_uri() + "/"
    x_test, t_test = load_mnist_test(download=True, files=TABLE)
    assert x_test.shape == (4, 784)
    assert listing(dest) == sorted(n for n in BODIES if n.startswith("t10k"))


def test_locations_and_mirror_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("NNSPEC_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "nnspec"
    assert mnist_dir() == tmp_path / "xdg" / "nnspec" / "mnist"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "nnspec"
    assert cache_dir(tmp_path / "mine") == tmp_path / "mine"
    assert mnist_dir(tmp_path) == tmp_path
    assert mnist_mirror() == DEFAULT_MIRROR and DEFAULT_MIRROR.startswith("https://")
    assert mnist_mirror("http://127.0.0.1/x/") == "http://127.0.0.1/x/"
    with pytest.raises(ValueError, match="mirror must be an http, https or file URL, got 'ftp://x'"):
        mnist_mirror("ftp://x")
    with pytest.raises(TypeError, match="mirror must be a URL string, got int"):
        mnist_mirror(3)


def test_table_and_key_errors(tmp_path):
    with pytest.raises(ValueError, match="at least one digest"):
        MnistFile("x.gz", 1)
    with pytest.raises(TypeError, match="files must be a mapping of key -> MnistFile, got list"):
        load_mnist(data_dir=tmp_path, files=[("train_img", ONE)])
    with pytest.raises(ValueError, match=r"missing \['test_label'\]"):
        load_mnist(data_dir=tmp_path, files={k: v for k, v in TABLE.items() if k != "test_label"})
    with pytest.raises(ValueError, match="keys must be among"):
        download_mnist(tmp_path, files=TABLE, keys=["everything"])


# --------------------------------------------------------------------------- explicit source


@pytest.mark.claim("mnist.explicit-source")
def test_missing_full_set_is_an_error_that_says_how(mirror, tmp_path):
    """Without download=True nothing is fetched; a missing file raises DataNotFoundError that names
    the file, the download command, and the sample; the sample is never returned instead."""
    url = mirror.serve("good", BODIES)
    folder = tmp_path / "empty"
    for call in (
        lambda: load_mnist(data_dir=folder, mirror=url, files=TABLE),
        lambda: load_mnist_test(data_dir=folder, mirror=url, files=TABLE),
        lambda: load("mnist", data_dir=folder, mirror=url, files=TABLE),
    ):
        with pytest.raises(DataNotFoundError) as info:
            call()
        text = str(info.value)
        assert "t10k-images-idx3-ubyte.gz" in text and "python -m nnspec.datasets download" in text
        assert "download=True" in text and "load('sample')" in text
    assert mirror.requests == []  # no silent download
    assert listing(folder) == []  # and no folder created
    with pytest.raises(FileNotFoundError):  # DataNotFoundError is a FileNotFoundError
        load_mnist(data_dir=folder)


@pytest.mark.claim("mnist.explicit-source")
def test_load_requires_a_named_source():
    """load() has no default source: the caller names "sample" or "mnist"."""
    with pytest.raises(TypeError):
        load()  # the missing argument is the point
    for bad in ("everything", "MNIST", None, 1):
        with pytest.raises(ValueError, match=r"source must be one of \['sample', 'mnist'\]"):
            load(bad)


# --------------------------------------------------------------------------- the book's options


@pytest.mark.claim("mnist.book-options")
def test_full_set_options(tmp_path):
    """normalize, flatten and one_hot_label shape the arrays as the book's load_mnist does."""
    for name, data in BODIES.items():
        (tmp_path / name).write_bytes(data)
    raw_x, raw_t = SYNTH["test_img"][2], SYNTH["test_label"][2]
    (_, _), (x, t) = load_mnist(False, False, True, data_dir=tmp_path, files=TABLE, dtype=np.float64)
    assert x.dtype == np.uint8 and x.shape == (4, 1, 28, 28)
    np.testing.assert_array_equal(x[:, 0], raw_x)
    assert t.shape == (4, 10) and t.dtype == np.float64
    np.testing.assert_array_equal(t.argmax(axis=1), raw_t)
    np.testing.assert_array_equal(t.sum(axis=1), 1.0)
    x, t = load_mnist_test(True, True, False, data_dir=tmp_path, files=TABLE, dtype="float64")
    assert x.dtype == np.float64 and 0 <= x.min() and x.max() <= 1
    np.testing.assert_array_equal(x * 255, raw_x.reshape(4, 784))


def test_files_with_the_wrong_content_are_refused(tmp_path):
    """Files that pass the (spec-made) table but do not hold MNIST-shaped data are refused."""
    cases = {
        "test_img": (np.zeros((4, 27, 28), np.uint8), "expected uint8 images of shape"),
        "test_label": (np.zeros(3, np.uint8), "expected 4 uint8 labels"),
    }
    cases_extra = {"test_label": (np.array([0, 1, 2, 10], np.uint8), "labels must be 0..9, found 10")}
    for mapping in (cases, cases_extra):
        for key, (arr, message) in mapping.items():
            table = dict(TABLE)
            for name, data in BODIES.items():
                (tmp_path / name).write_bytes(data)
            data = gz(idx_bytes(arr))
            (tmp_path / TABLE[key].filename).write_bytes(data)
            table[key] = table_entry(TABLE[key].filename, data)
            with pytest.raises(ValueError, match=message):
                load_mnist_test(data_dir=tmp_path, files=table)


def test_bad_options_are_type_errors(tmp_path):
    with pytest.raises(TypeError, match="normalize must be True or False, got str 'yes'"):
        load_mnist("yes", data_dir=tmp_path)
    with pytest.raises(TypeError, match="one_hot_label must be True or False"):
        load_mnist_test(one_hot_label=1, data_dir=tmp_path)
    with pytest.raises(TypeError, match="dtype must be a floating dtype"):
        load_mnist(dtype=np.int32, data_dir=tmp_path)


# --------------------------------------------------------------------------- command line


def test_command_line(mirror, tmp_path, capsys):
    """python -m nnspec.datasets download / check, against the local mirror."""
    folder = tmp_path / "cli"
    assert cli(["check", "--dir", str(folder)]) == 1
    assert capsys.readouterr().out.count("missing") == 4
    url = mirror.serve("cli", {})
    assert cli(["download", "--dir", str(folder), "--mirror", url, "--test-only"]) == 1
    assert "HTTP 404" in capsys.readouterr().err
    assert listing(folder) == []
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"\x00" * 4542)
    assert cli(["check", "--dir", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "BAD" in out and "SHA-256" in out


def test_command_line_success(mirror, tmp_path, capsys, monkeypatch):
    """download then check, with the spec's table standing in for MNIST_FILES."""
    import nnspec.datasets.__main__ as cli_module
    import nnspec.datasets.mnist as mnist_module

    monkeypatch.setattr(mnist_module, "MNIST_FILES", TABLE)
    monkeypatch.setattr(cli_module, "MNIST_FILES", TABLE)
    url = mirror.serve("good", BODIES)
    folder = tmp_path / "cli"
    assert cli(["download", "--dir", str(folder), "--mirror", url, "--test-only"]) == 0
    assert "verified" in capsys.readouterr().out
    assert listing(folder) == sorted(n for n in BODIES if n.startswith("t10k"))
    assert cli(["check", "--dir", str(folder)]) == 1  # the training files are still missing
    out = capsys.readouterr().out
    assert out.count("ok ") == 2 and out.count("missing") == 2
    assert cli(["download", "--dir", str(folder), "--mirror", url]) == 0
    assert cli(["check", "--dir", str(folder)]) == 0


# --------------------------------------------------------------------------- the download path in detail


@pytest.mark.claim("mnist.download-verified")
def test_download_writes_beside_the_target_then_renames(mirror, tmp_path, monkeypatch):
    """The data folder is created with its parents; each file is written to a hidden
    ``.<name>.*.part`` file in that folder and renamed into place, and a file already present and
    correct does not stop the others from being fetched."""
    renames = []
    real_replace = mnist_module.os.replace

    def spy(src, dst):
        renames.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(mnist_module.os, "replace", spy)
    url = mirror.serve("good", BODIES)
    folder = tmp_path / "a" / "b" / "mnist"
    first = TABLE["train_img"].filename
    folder.mkdir(parents=True)
    (folder / first).write_bytes(BODIES[first])  # the first key is present and correct
    assert download_mnist(folder.as_posix(), mirror=url, files=TABLE, progress=False) == folder
    assert listing(folder) == sorted(BODIES)
    assert sorted(dst.name for _, dst in renames) == sorted(n for n in BODIES if n != first)
    for src, dst in renames:
        assert dst.parent == folder and src.parent == folder
        assert src.name.startswith(f".{dst.name}.") and src.name.endswith(".part")
    nested = tmp_path / "c" / "d" / "mnist"
    download_mnist(nested, mirror=url, files=TABLE, keys=["test_label"], progress=False)
    assert listing(nested) == [ONE.filename]


@pytest.mark.claim("mnist.download-verified")
def test_progress_line(mirror, tmp_path, capsys):
    """With progress on, each file to fetch prints one line to standard error: the URL, the size
    in megabytes to one decimal (10^6 bytes), and the destination."""
    big = MnistFile(ONE.filename, 1_050_000, md5="0" * 32)
    url = mirror.serve("none", {})
    with pytest.raises(DownloadError, match="HTTP 404"):
        download_mnist(tmp_path, mirror=url, files={**TABLE, "test_label": big}, keys=["test_label"])
    err = capsys.readouterr().err
    assert err == f"nnspec: downloading {url}{ONE.filename} (1.1 MB) -> {tmp_path / ONE.filename}\n"


@pytest.mark.claim("mnist.download-verified")
def test_a_silent_server_times_out(mirror, tmp_path):
    """A server that stops sending for longer than ``timeout`` seconds is a DownloadError that
    names the URL and the cause, and nothing is kept; the default timeout is 60 seconds."""
    assert inspect.signature(download_mnist).parameters["timeout"].default == 60.0
    url = mirror.serve("slow", {ONE.filename: ONE_BODY}, kind="stall")
    with pytest.raises(DownloadError) as info:
        download_mnist(tmp_path, mirror=url, files=TABLE, keys=["test_label"], timeout=0.2, progress=False)
    # Timed out reading the body (TimeoutError), or, on a busy machine, waiting for the headers (URLError).
    assert re.fullmatch(
        re.escape(f"{url}{ONE.filename}: download failed (")
        + r"(TimeoutError|URLError): timed out\); nothing was kept",
        str(info.value),
    ), str(info.value)
    assert listing(tmp_path) == []
    with pytest.raises(DownloadError, match=re.escape(f"{url}t10k-images-idx3-ubyte.gz: HTTP 404")):
        load_mnist_test(data_dir=tmp_path / "t", download=True, mirror=url, files=TABLE)  # the same mirror


@pytest.mark.claim("mnist.download-verified")
def test_unreachable_mirror_message(tmp_path):
    """An unreachable server is a DownloadError naming the URL, the kind of failure and its reason."""
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/mnist/"
    with pytest.raises(DownloadError) as info:
        fetch_one(tmp_path, url)
    assert re.fullmatch(
        re.escape(f"{url}{ONE.filename}: download failed (URLError: ") + r"\[Errno \d+\] Connection refused\); "
        r"nothing was kept",
        str(info.value),
    ), str(info.value)


BIG_ARR = np.random.default_rng(3).integers(0, 256, (130, 28, 28), dtype=np.uint8)
BIG_BODY = idx_bytes(BIG_ARR)  # 101,936 bytes: more than one 64 KiB read
BIG = table_entry(ONE.filename, BIG_BODY)


@pytest.mark.claim("mnist.download-verified")
def test_oversized_body_is_counted_across_reads(mirror, tmp_path):
    """A body longer than the table's size is refused as such even when every single read is
    shorter than the file: what counts is the total received."""
    url = mirror.serve("long", {ONE.filename: BIG_BODY + BIG_BODY[:40_000]})
    with pytest.raises(ChecksumError, match=f"more than the expected {BIG.size} bytes"):
        fetch_one(tmp_path, url, BIG)
    assert listing(tmp_path) == []


@pytest.mark.claim("mnist.download-verified")
def test_endless_body_is_cut_off(mirror, tmp_path):
    """A server that never stops sending is refused as soon as it exceeds the expected size: the
    download stops reading instead of taking everything the server sends."""
    url = mirror.serve("flood", {ONE.filename: b"\x00" * 100_000}, kind="flood")
    with pytest.raises(ChecksumError, match="more than the expected"):
        fetch_one(tmp_path, url)
    assert mirror.done.wait(10)
    assert mirror.sent[f"/flood/{ONE.filename}"] < mirror.FLOOD * 100_000
    assert listing(tmp_path) == []


@pytest.mark.claim("mnist.download-verified")
def test_checksum_messages_in_full(tmp_path):
    """A digest mismatch names the file, the algorithm, the digest found and the one expected."""
    path = tmp_path / ONE.filename
    path.write_bytes(ONE_BODY[:-1] + bytes([ONE_BODY[-1] ^ 1]))
    md5, sha = hashlib.md5(path.read_bytes()).hexdigest(), hashlib.sha256(path.read_bytes()).hexdigest()
    for spec, algo, got, want in (
        (ONE, "SHA-256", sha, ONE.sha256),
        (table_entry(ONE.filename, ONE_BODY, sha256=False), "MD5", md5, ONE.md5),
    ):
        with pytest.raises(ChecksumError) as info:
            verify_file(path, spec)
        assert str(info.value) == f"{path}: {algo} {got}, expected {want} for {ONE.filename}"


@pytest.mark.claim("mnist.explicit-source")
def test_missing_message_in_full(tmp_path):
    """The DataNotFoundError says which set is incomplete, in which folder, which files are
    missing, and how many megabytes (10^6 bytes) a download fetches."""
    folder = tmp_path / "empty"
    table = {**TABLE, "test_img": MnistFile(TABLE["test_img"].filename, 1_049_000, md5="0" * 32)}
    with pytest.raises(DataNotFoundError) as info:
        load_mnist_test(data_dir=folder, files={**table, "test_label": MnistFile(ONE.filename, 1000, md5="0" * 32)})
    lines = str(info.value).splitlines()
    assert lines[0] == (
        f"The MNIST test set is not complete in {folder}: missing t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz."
    )
    assert lines[1] == "  Download it (1.1 MB, each file checked against its checksum) with"
    assert lines[2] == f"      python -m nnspec.datasets download --dir {folder}"
    with pytest.raises(DataNotFoundError) as info:
        load_mnist(data_dir=folder, files=TABLE)
    assert str(info.value).startswith(f"MNIST is not complete in {folder}: missing train-images-idx3-ubyte.gz, ")


@pytest.mark.claim("mnist.test-set")
def test_files_of_the_wrong_type_are_refused(tmp_path):
    """Images or labels that are not uint8, even with the right shape, are refused naming the file."""
    for key, arr, message in (
        ("test_img", np.zeros((4, 28, 28), np.int8), "t10k-images-idx3-ubyte.gz: expected uint8 images of shape"),
        ("test_label", np.zeros(4, np.int8), "t10k-labels-idx1-ubyte.gz: expected 4 uint8 labels"),
    ):
        for name, data in BODIES.items():
            (tmp_path / name).write_bytes(data)
        data = gz(idx_bytes(arr))
        (tmp_path / TABLE[key].filename).write_bytes(data)
        with pytest.raises(ValueError, match=message):
            load_mnist_test(data_dir=tmp_path, files={**TABLE, key: table_entry(TABLE[key].filename, data)})
