"""Chapter 5 · training with backpropagation: TwoLayerNet learns MNIST digits.

On the 5,000-image sample (always available) the spec measures the test accuracy after 20 epochs.
On the full MNIST set (60,000 training images) it repeats the book's run — 10,000 iterations —
when the files are on this machine, and skips with the reason otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from nnspec import datasets
from nnspec.networks import TwoLayerNet
from nnspec.training import train
from tests.claims import ROOT

# The book's chapter-5 settings (train_neuralnet.py): 784-50-10, batch 100, learning rate 0.1.
HIDDEN, BATCH, LR = 50, 100, 0.1

# 20 epochs of the 4,000-image sample (800 iterations). Measured once by hand with seeds 0-9 (the
# same seed for the initial weights and the batches): test accuracy 0.894-0.907, mean 0.903,
# standard deviation 0.004. 0.87 is 8 standard deviations below the mean and 0.024 below the worst
# seed, so seed noise cannot fail it, while a broken gradient (a flipped sign, labels misaligned
# with their images) leaves the net at chance, 0.1; a correct net is only at about 0.85 after 5 epochs.
SAMPLE_EPOCHS = 20
SAMPLE_MIN_TEST_ACC = 0.87
# Over the same seeds the mean of the last 50 mini-batch losses was 0.207-0.238, about a tenth of
# the first 50 (2.25-2.28, about ln 10 = 2.30); requiring under a fifth leaves a factor of two.
SAMPLE_MAX_LOSS_RATIO = 0.2

# Full MNIST, the book's run: 10,000 iterations (about 16.7 epochs of 600 iterations). The book
# reports a test accuracy of about 0.97 for it. 0.96 leaves a point for seed variation. NOT measured
# here: the training images are not in the shared data, so this spec skips on CI; it runs wherever
# the full set has been downloaded (see docs/training.md).
MNIST_ITERS = 10_000
MNIST_MIN_TEST_ACC = 0.96


@pytest.fixture(scope="module")
def sample():
    return datasets.load_sample(normalize=True, flatten=True, one_hot_label=False, dtype=np.float64)


@pytest.mark.claim("training.backprop-learns")
def test_backprop_learns_the_sample(sample, evidence):
    """20 epochs of backprop + SGD on the sample: test accuracy above 0.87 (measured ~0.90)."""
    (x_train, t_train), (x_test, t_test) = sample
    net = TwoLayerNet(784, HIDDEN, 10, rng=0)
    iters = SAMPLE_EPOCHS * (len(x_train) // BATCH)
    r = train(net, (x_train, t_train), (x_test, t_test), iters=iters, batch_size=BATCH, lr=LR, rng=0)

    evidence("iterations (epochs)", f"{iters} ({SAMPLE_EPOCHS})")
    evidence("mean loss, first / last 50 iterations", [round(r.loss[:50].mean(), 4), round(r.loss[-50:].mean(), 4)])
    evidence("train accuracy", r.train_acc[-1])
    evidence("test accuracy", r.test_acc[-1])
    evidence("test accuracy per epoch", np.round(r.test_acc, 3))
    evidence(
        "required", f"test accuracy ≥ {SAMPLE_MIN_TEST_ACC}; last-50 mean loss < {SAMPLE_MAX_LOSS_RATIO} × first-50"
    )

    assert r.test_acc[-1] >= SAMPLE_MIN_TEST_ACC, r.table()
    assert r.loss[-50:].mean() < SAMPLE_MAX_LOSS_RATIO * r.loss[:50].mean(), r.table()


def _full_mnist():
    """Full MNIST from the usual places, or skip saying where it looked and how to get it."""
    shared = Path(os.environ.get("NNSPEC_SHARED_DATA", ROOT.parent / "shared" / "data"))  # as in conftest
    tried = []
    for where in (None, shared / "mnist"):  # None: the data_dir argument's default (NNSPEC_DATA, else the cache)
        try:
            return datasets.load_mnist(
                normalize=True, flatten=True, one_hot_label=False, data_dir=where, dtype=np.float64
            )
        except datasets.DataNotFoundError:
            tried.append(str(datasets.mnist_dir(where)))
    pytest.skip(
        "needs the full MNIST training set, not found in "
        + " or ".join(tried)
        + "; download it once with `python -m nnspec.datasets download` (or set NNSPEC_DATA to its folder)"
    )


@pytest.mark.slow
@pytest.mark.claim("training.backprop-learns")
def test_backprop_learns_full_mnist(evidence):
    """The book's run on all 60,000 training images: 10,000 iterations, test accuracy about 0.97."""
    (x_train, t_train), (x_test, t_test) = _full_mnist()
    net = TwoLayerNet(784, HIDDEN, 10, rng=0)
    r = train(net, (x_train, t_train), (x_test, t_test), iters=MNIST_ITERS, batch_size=BATCH, lr=LR, rng=0)

    evidence("full MNIST: train accuracy", r.train_acc[-1])
    evidence("full MNIST: test accuracy", r.test_acc[-1])
    evidence("full MNIST: seconds", round(r.total_seconds, 1))
    evidence("full MNIST: required", f"test accuracy ≥ {MNIST_MIN_TEST_ACC} (the book: about 0.97)")

    assert r.test_acc[-1] >= MNIST_MIN_TEST_ACC, r.table()
