"""Chapter 6 · the two loss comparisons (optimizers, initial weights): their settings, their runs, their bars."""

from __future__ import annotations

import io
import re
import sys
from concurrent.futures import Executor, Future

import numpy as np
import pytest

from nnspec.experiments import child_seeds, compare, compare_inits, compare_optimizers, load_data
from nnspec.networks import MultiLayerNet, init_scale
from nnspec.optimizers import make_optimizer
from nnspec.training import train


class RecordingExecutor(Executor):
    """Records every submitted task; returns ``fake(args, kwargs)`` without running it, or runs it."""

    def __init__(self, fake=None):
        self.tasks, self.fake = [], fake

    def submit(self, fn, /, *args, **kwargs):
        self.tasks.append((fn, args, kwargs))
        future = Future()
        future.set_result(self.fake(args, kwargs) if self.fake else fn(*args, **kwargs))
        return future


def _losses(args, kwargs):
    """A stand-in run whose i-th mini-batch loss is i."""
    return np.arange(kwargs["iters"], dtype=float)


def _tiny(seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((40, 12)), np.arange(40) % 3), None


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def recorded(monkeypatch):
    """A pool that records the runs it is handed and answers with ``_losses``; no run may go past it."""

    def run_here(*args, **kwargs):
        raise AssertionError("a run of the comparison went past its executor")

    monkeypatch.setattr(compare, "train_losses", run_here)
    return run_here


def _check_books_runs(pool, run_here, settings):
    """Every run: the whole training part of the sample, 784-[100]×4-10, 2,000 iterations of batch 128, the same
    draws and batches (those of seed 0); ``settings`` lists each run's weight_init_std and optimizer."""
    (x_train, t_train), _ = load_data()
    assert [fn for fn, _, _ in pool.tasks] == [run_here] * len(settings)
    (x0, t0), *_ = pool.tasks[0][1]
    np.testing.assert_array_equal(x0, x_train)
    np.testing.assert_array_equal(t0, t_train)
    for (_, ((x, t), hidden, net_kwargs, (name, opt_settings)), kw), (init, optimizer) in zip(pool.tasks, settings):
        assert (x is x0 or np.array_equal(x, x0)) and (t is t0 or np.array_equal(t, t0))
        assert hidden == (100,) * 4 and set(net_kwargs) == {"weight_init_std"}
        assert init_scale(net_kwargs["weight_init_std"], 100) == init_scale(init, 100)
        assert repr(make_optimizer(name, **opt_settings)) == optimizer
        assert (kw["iters"], kw["batch_size"]) == (2000, 128)
        assert (kw["init_seed"], kw["batch_seed"]) == tuple(child_seeds(0, 2))


@pytest.mark.claim("optimizer.mnist-compare")
def test_the_optimizer_comparison_runs_the_books_settings(recorded, capsys):
    """By default: SGD, Momentum, AdaGrad and Adam at their own default rates, He initialisation, the book's
    2,000 iterations of batch 128 on the sample, seed 0, no bar; the final loss is the mean of the last 100."""
    pool = RecordingExecutor(_losses)
    res = compare_optimizers(executor=pool)
    sgd, momentum, adagrad, adam = (repr(make_optimizer(n)) for n in ("SGD", "Momentum", "AdaGrad", "Adam"))
    _check_books_runs(pool, recorded, [("he", sgd), ("he", momentum), ("he", adagrad), ("he", adam)])
    assert list(res["loss"]) == ["SGD", "Momentum", "AdaGrad", "Adam"]
    np.testing.assert_array_equal(res["iterations"], np.arange(1, 2001))
    assert res["final_loss"] == dict.fromkeys(res["loss"], np.arange(1900, 2000).mean())
    assert capsys.readouterr().err == ""


@pytest.mark.claim("init.mnist-compare")
def test_the_init_comparison_runs_the_books_settings(recorded, capsys):
    """By default: weights of std 0.01, Xavier and He, each trained with SGD at 0.01, the book's 2,000 iterations
    of batch 128 on the sample, seed 0, no bar; the results are keyed by str(init)."""
    pool = RecordingExecutor(_losses)
    res = compare_inits(executor=pool)
    sgd = repr(make_optimizer("sgd", lr=0.01))
    _check_books_runs(pool, recorded, [(0.01, sgd), ("xavier", sgd), ("he", sgd)])
    assert list(res["loss"]) == ["0.01", "xavier", "he"]
    assert res["final_loss"] == dict.fromkeys(res["loss"], np.arange(1900, 2000).mean())
    assert capsys.readouterr().err == ""


@pytest.mark.claim("optimizer.mnist-compare", "init.mnist-compare")
@pytest.mark.parametrize("iters", [5, 50, 999, 2500])
@pytest.mark.parametrize("comparison", [compare_optimizers, compare_inits])
def test_the_final_loss_is_the_mean_of_the_last_tenth_at_most_100(comparison, iters, recorded):
    """``final_loss`` averages the last ⌊iters / 10⌋ mini-batch losses, at least 1 and at most 100."""
    res = comparison(_tiny(), rng=1, iters=iters, executor=RecordingExecutor(_losses))
    tail = max(1, min(100, iters // 10))
    assert set(res["final_loss"].values()) == {np.arange(iters - tail, iters).mean()}
    np.testing.assert_array_equal(res["iterations"], np.arange(1, iters + 1))


@pytest.mark.claim("optimizer.mnist-compare", "init.mnist-compare")
def test_each_run_is_train_with_its_settings():
    """A run trains a fresh ``MultiLayerNet`` with ``train`` on the training part given, its optimizer and the
    comparison's iterations and batch size, seeded by the comparison's seed (the same for every run); the
    executor runs every training, and the loss of every mini-batch comes back."""
    data = _tiny()
    (x, t), _ = data
    init_seed, batch_seed = child_seeds(3, 2)
    kw = dict(hidden=(6,), iters=4, batch_size=10, rng=3)
    pool = RecordingExecutor()
    by_optimizer = compare_optimizers(data, ("SGD", "Adam"), executor=pool, **kw)["loss"]
    by_init = compare_inits(data, (0.5, "xavier"), lr=0.3, executor=pool, **kw)["loss"]
    assert len(pool.tasks) == 4
    runs = [(by_optimizer["SGD"], "he", make_optimizer("SGD")), (by_optimizer["Adam"], "he", make_optimizer("Adam"))]
    runs += [(by_init[str(init)], init, make_optimizer("sgd", lr=0.3)) for init in (0.5, "xavier")]
    for got, init, optimizer in runs:
        net = MultiLayerNet(12, [6], 3, weight_init_std=init, rng=init_seed)
        want = train(net, (x, t), None, iters=4, batch_size=10, optimizer=optimizer, rng=batch_seed, progress=False)
        np.testing.assert_array_equal(got, want.loss)


@pytest.mark.claim("optimizer.mnist-compare", "init.mnist-compare")
@pytest.mark.parametrize(("comparison", "label", "runs"), [(compare_optimizers, "optimizers", 4),
                                                          (compare_inits, "initial weights", 3)])  # fmt: skip
def test_one_bar_over_the_runs_and_none_of_their_own(comparison, label, runs, monkeypatch):
    """A comparison draws no bar unless asked, even on a terminal; asked, one bar with its label counts the runs,
    and the runs never draw bars of their own."""
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setattr("nnspec.training.progress.AUTO_PROGRESS_DELAY", 0.0)
    tiny = dict(hidden=(3,), iters=2, batch_size=10)
    comparison(_tiny(), **tiny)
    assert sys.stderr.getvalue() == ""
    bar = io.StringIO()
    comparison(_tiny(), progress=bar, **tiny)
    assert re.search(rf"(^|\r){label}: .*{runs}/{runs}", bar.getvalue())
    assert sys.stderr.getvalue() == ""


@pytest.mark.claim("optimizer.mnist-compare", "init.mnist-compare")
def test_one_run_trains_with_its_optimizers_settings():
    """``train_losses`` (one run of a comparison) hands the optimizer's settings on: SGD at lr 0.3 is not SGD
    at its default 0.01, and the losses are those of ``train`` with ``SGD(lr=0.3)``."""
    (x, t), _ = _tiny()
    kw = dict(iters=4, batch_size=10, init_seed=5, batch_seed=6)
    got = compare.train_losses((x, t), (6,), {"weight_init_std": "he"}, ("sgd", {"lr": 0.3}), **kw)
    net = MultiLayerNet(12, [6], 3, weight_init_std="he", rng=5)
    want = train(
        net, (x, t), None, iters=4, batch_size=10, optimizer=make_optimizer("sgd", lr=0.3), rng=6, progress=False
    )
    np.testing.assert_array_equal(got, want.loss)
    default = compare.train_losses((x, t), (6,), {"weight_init_std": "he"}, ("sgd", {}), **kw)
    assert not np.array_equal(got, default)
