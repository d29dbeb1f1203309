"""The real MNIST files of ../shared/data/mnist (skipped with the reason when absent)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from nnspec.datasets import MNIST_FILES, DataNotFoundError, load_mnist, load_mnist_test, read_idx, verify_file


@pytest.mark.claim("mnist.checksums")
def test_checksum_table_matches_real_files(shared_mnist_dir, evidence):
    """Every MNIST file present has exactly the size, MD5 and SHA-256 of the table."""
    checked = []
    for key, spec in MNIST_FILES.items():
        path = shared_mnist_dir / spec.filename
        if not path.is_file():
            continue  # the shared data has no training images; the table checks them by size + MD5
        data = path.read_bytes()
        assert len(data) == spec.size, key
        assert hashlib.md5(data).hexdigest() == spec.md5, key
        if spec.sha256 is not None:
            assert hashlib.sha256(data).hexdigest() == spec.sha256, key
        verify_file(path, spec)
        checked.append(spec.filename)
    assert {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"} <= set(checked)
    evidence("files checked", checked)


@pytest.mark.claim("mnist.checksums")
def test_every_file_has_a_digest_and_all_but_one_a_sha256():
    """Each table row has a size and an MD5; all but the training images also a SHA-256."""
    no_sha = [spec.filename for spec in MNIST_FILES.values() if spec.sha256 is None]
    assert no_sha == ["train-images-idx3-ubyte.gz"]
    assert all(spec.md5 and len(spec.md5) == 32 for spec in MNIST_FILES.values())
    assert sum(spec.size for spec in MNIST_FILES.values()) == 9912422 + 28881 + 1648877 + 4542


@pytest.mark.claim("mnist.test-set")
def test_real_test_set(shared_mnist_dir, evidence):
    """The MNIST test set is 10,000 uint8 images of 28x28 pixels (0..255) with labels 0..9, every digit present."""
    x = read_idx(shared_mnist_dir / "t10k-images-idx3-ubyte.gz")
    t = read_idx(shared_mnist_dir / "t10k-labels-idx1-ubyte.gz")
    assert x.shape == (10000, 28, 28) and x.dtype == np.uint8
    assert t.shape == (10000,) and t.dtype == np.uint8
    assert int(x.min()) == 0 and int(x.max()) == 255
    counts = np.bincount(t, minlength=10)
    assert len(counts) == 10 and counts.min() > 0
    evidence("images per digit 0..9", counts)
    evidence("mean pixel (0..255)", float(x.mean()))
    # The loader gives the same data in the book's layout.
    x_test, t_test = load_mnist_test(data_dir=shared_mnist_dir)
    assert x_test.shape == (10000, 784) and x_test.dtype == np.float32
    np.testing.assert_array_equal(x_test, x.reshape(10000, 784) / np.float32(255))
    np.testing.assert_array_equal(t_test, t)


@pytest.mark.claim("mnist.test-set")
def test_real_train_labels(shared_mnist_dir, evidence):
    """The training labels are 60,000 digits 0..9."""
    path = shared_mnist_dir / "train-labels-idx1-ubyte.gz"
    if not path.is_file():
        pytest.skip(f"needs {path.name} in the shared data")
    t = read_idx(path)
    assert t.shape == (60000,) and t.dtype == np.uint8 and int(t.max()) == 9
    evidence("training images per digit 0..9", np.bincount(t, minlength=10))


@pytest.mark.claim("mnist.explicit-source")
def test_incomplete_real_folder_is_an_error_not_the_sample(shared_mnist_dir):
    """load_mnist on a folder without the training images raises, naming the missing file."""
    missing = [s.filename for s in MNIST_FILES.values() if not (shared_mnist_dir / s.filename).is_file()]
    if not missing:
        (x_train, t_train), (x_test, _) = load_mnist(data_dir=shared_mnist_dir)
        assert x_train.shape == (60000, 784) and x_test.shape == (10000, 784)
        return
    with pytest.raises(DataNotFoundError) as info:
        load_mnist(data_dir=shared_mnist_dir)
    for name in missing:
        assert name in str(info.value)
