"""Chapter 6 · the data every experiment trains on, and the seeds of its runs."""

from __future__ import annotations

import numpy as np
import pytest

from nnspec import datasets
from nnspec.experiments import child_seeds, load_data

pytestmark = pytest.mark.claim("experiment.data-and-seeds")

SAMPLE_TRAIN, SAMPLE_TEST = 4000, 1000  # the offline sample's split (nnspec.datasets.load_sample)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_default_source_is_the_sample_as_rows_of_pixels_in_0_1(dtype):
    """``load_data()`` is the sample: (4000, 784) and (1000, 784) pixels in [0, 1] of the dtype asked
    for (float64 by default), digit labels as integers — exactly ``load_sample``'s normalized rows."""
    kw = {} if dtype is np.float64 else {"dtype": dtype}
    (x, t), (x_test, t_test) = load_data(**kw)
    assert x.shape == (SAMPLE_TRAIN, 784) and x_test.shape == (SAMPLE_TEST, 784)
    assert x.dtype == x_test.dtype == dtype
    assert 0.0 <= x.min() and x.max() <= 1.0 and x.max() == 1.0
    assert t.shape == (SAMPLE_TRAIN,) and t_test.shape == (SAMPLE_TEST,)
    assert np.issubdtype(t.dtype, np.integer) and set(np.unique(t)) == set(range(10))
    (x_ref, t_ref), _ = datasets.load_sample(normalize=True, flatten=True, one_hot_label=False, dtype=dtype)
    np.testing.assert_array_equal(x, x_ref)
    np.testing.assert_array_equal(t, t_ref)


def test_full_mnist_is_asked_for_in_the_same_format(monkeypatch, tmp_path):
    """``load_data("mnist", …)`` reads full MNIST in the sample's format (normalized, flattened, integer
    labels), from ``data_dir``, downloading only when ``download=True``, in the dtype asked for."""
    calls = []

    def recording_load_mnist(**kw):
        calls.append(kw)
        return "the data"

    monkeypatch.setattr(datasets, "load_mnist", recording_load_mnist)
    assert load_data("mnist", data_dir=tmp_path) == "the data"
    assert load_data("mnist", data_dir=tmp_path, download=True, dtype=np.float32) == "the data"
    common = dict(normalize=True, flatten=True, one_hot_label=False, data_dir=tmp_path)
    assert calls == [common | dict(download=False, dtype=np.float64), common | dict(download=True, dtype=np.float32)]


def test_an_unknown_source_is_refused_by_name():
    with pytest.raises(ValueError, match=r"^source must be 'sample' or 'mnist', got 'cifar'$"):
        load_data("cifar")


def test_child_seeds_are_draws_over_the_whole_32_bit_range():
    """``child_seeds(rng, n)`` is ``default_rng(rng).integers(0, 2**32, size=n)`` as Python ints: the same
    seed gives the same seeds, a Generator's stream is used (and advanced), and the draws span the full
    range of a 32-bit seed."""
    seeds = child_seeds(0, 2000)
    assert seeds == [int(s) for s in np.random.default_rng(0).integers(0, 2**32, size=2000)]
    assert all(type(s) is int for s in seeds)
    assert 0 <= min(seeds) < 2**24 and 2**32 - 2**24 < max(seeds) < 2**32
    assert child_seeds(0, 3) == seeds[:3] and child_seeds(1, 3) != seeds[:3]
    gen = np.random.default_rng(5)
    first, second = child_seeds(gen, 2), child_seeds(gen, 2)
    assert first + second == child_seeds(5, 4)
