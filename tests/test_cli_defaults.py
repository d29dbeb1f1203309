"""``python -m nnspec train`` without options is the book's chapter-5 run on the MNIST sample.

The pages say so (docs/training.md; `--iters 400` and `--iters 800` are the runs of the claims
``training.sgd-learns`` and ``training.backprop-learns``): these specs check what the command hands
to ``nnspec.training.train`` and that its table is that run's table, number for number.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from nnspec import __main__ as cli
from nnspec import datasets
from nnspec.networks import TwoLayerNet
from nnspec.training import train

# The book's chapter-5 settings (train_neuralnet.py), as the claims of chapters 4 and 5 state them:
# 784-50-10, batch 100, learning rate 0.1; its full-MNIST run is 10,000 iterations.
N_IN, HIDDEN, N_OUT, BATCH, LR, BOOK_ITERS = 784, 50, 10, 100, 0.1, 10_000
SHORT = 2  # iterations of the run compared: two mini-batches, two evaluations (0 and 2) of all 5,000 images


def _handed_to_train(monkeypatch, *argv):
    """Run ``nnspec train ARGV`` up to its call of ``train``; return what that call received."""
    seen = {}

    def stop(net, train_data, test_data, **kwargs):
        seen.update(net=net, train=train_data, test=test_data, **kwargs)
        raise FloatingPointError("stopped before training")

    monkeypatch.setattr("nnspec.training.train", stop)
    assert cli.main(["train", *argv], out=io.StringIO()) == 1  # the stop above
    return seen


@pytest.mark.claim("training.backprop-learns")
def test_the_defaults_are_the_books_chapter_5_run(monkeypatch):
    """No option: TwoLayerNet 784-50-10 with its initial weights of seed 0 (std 0.01), SGD at learning
    rate 0.1, batches of 100 drawn with seed 0, 10,000 iterations."""
    seen = _handed_to_train(monkeypatch)
    book = TwoLayerNet(N_IN, HIDDEN, N_OUT, rng=0)
    net = seen["net"]
    assert net.params.keys() == book.params.keys()
    for name, value in book.params.items():
        assert net.params[name].dtype == np.float64
        np.testing.assert_array_equal(net.params[name], value, err_msg=name)
    assert repr(seen["optimizer"]) == f"SGD(lr={LR})"
    assert (seen["iters"], seen["batch_size"], seen["rng"]) == (BOOK_ITERS, BATCH, 0)


@pytest.mark.claim("training.backprop-learns")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_it_trains_on_the_sample_normalized_and_flattened(dtype, monkeypatch):
    """The data are the sample's 4,000 training and 1,000 test images as rows of 784 pixels x/255 in
    [0, 1] of the dtype asked for (float64 by default), with the digits 0..9 as integer labels."""
    seen = _handed_to_train(monkeypatch, *([] if dtype == "float64" else ["--dtype", dtype]))
    expected = datasets.load_sample(normalize=True, flatten=True, one_hot_label=False, dtype=dtype)
    for (x, t), (x_want, t_want), n in zip((seen["train"], seen["test"]), expected, (4000, 1000), strict=True):
        assert x.dtype == np.dtype(dtype) and x.shape == (n, N_IN)
        assert x.min() == 0 and x.max() == 1
        np.testing.assert_array_equal(x, x_want)
        assert np.issubdtype(t.dtype, np.integer) and t.shape == (n,)
        assert set(np.unique(t).tolist()) == set(range(N_OUT))
        np.testing.assert_array_equal(t, t_want)


@pytest.mark.claim("training.sgd-learns")
def test_the_table_is_the_claims_run():
    """`nnspec train --iters N` prints the table of train(TwoLayerNet(784, 50, 10, rng=0), the float64
    sample, batch 100, lr 0.1, rng=0) for N iterations, digit for digit except the seconds."""
    out = io.StringIO()
    assert cli.main(["train", "--iters", str(SHORT), "--no-progress"], out=out) == 0
    (x_train, t_train), (x_test, t_test) = datasets.load_sample(dtype=np.float64)
    net = TwoLayerNet(N_IN, HIDDEN, N_OUT, rng=0)
    r = train(net, (x_train, t_train), (x_test, t_test), iters=SHORT, batch_size=BATCH, lr=LR, rng=0)

    def numbers(lines):  # every column but the seconds
        return [line.split()[:5] for line in lines]

    printed = out.getvalue().splitlines()
    assert numbers(printed[2:-1]) == numbers(r.table().splitlines()[1:])
    assert len(printed) == 2 + 2 + 1  # first line, header, rows at iterations 0 and 2, final line
