"""Chapter 6 · batch norm over a range of initial weight scales (the book's run, smaller)."""

from __future__ import annotations

import re
from concurrent.futures import Executor, Future

import numpy as np
import pytest

from nnspec.experiments import batchnorm_comparison

# Batch norm against the weight scale, smaller than the book's (16 scales, 20 epochs): 8 scales from
# 1 to 1e-4, [100]×5, 10 epochs of the first 1,000 sample images, SGD 0.01, batch 100. Measured with
# seeds 0-2: final training accuracy with batch norm 0.20-0.28 at scale 1, 0.96-1.00 around 1e-2,
# 0.41-0.51 at 1e-4, reaching 0.5 at 5-6 of the 8 scales; without, the run at scale 1 diverged,
# 0.90-0.92 at scale 0.27 and 0.10-0.21 everywhere else. Batch norm ended higher at 7 of 8 on every
# seed. Bounds: higher at 6 or more, learning (≥ 0.5) at 5 or more against at most 2.
BN_SCALES = np.logspace(0, -4, 8)
BN_SEEDS = (0, 1)


@pytest.mark.claim("batchnorm.learns-faster")
@pytest.mark.parametrize("seed", BN_SEEDS)
def test_batchnorm_learns_over_a_wide_range_of_scales(seed, evidence):
    res = batchnorm_comparison(scales=BN_SCALES, hidden=(100,) * 5, epochs=10, rng=seed)
    bn, plain = res["final"]["batchnorm"], res["final"]["plain"]
    higher = int(np.sum((bn > plain) | np.isnan(plain)))  # a diverged plain run (NaN) learned nothing
    evidence(f"seed {seed}: final training accuracy with batch norm, scales 1 … 1e-4", np.round(bn, 2))
    evidence(f"seed {seed}: without (nan: diverged)", np.round(plain, 2))
    assert not res["diverged"]["batchnorm"]
    assert higher >= 6
    assert np.sum(bn >= 0.5) >= 5 and np.sum(np.nan_to_num(plain) >= 0.5) <= 2


class RecordingExecutor(Executor):
    """Records every submitted task; returns ``fake(args, kwargs)`` without running it, or runs it."""

    def __init__(self, fake=None):
        self.tasks, self.fake = [], fake

    def submit(self, fn, /, *args, **kwargs):
        self.tasks.append((fn, args, kwargs))
        future = Future()
        future.set_result(self.fake(args, kwargs) if self.fake else fn(*args, **kwargs))
        return future


def _curve(args, kwargs):
    """A stand-in run: accuracy rising from 0 to the scale over the epochs, diverged when batch norm is off."""
    return np.linspace(0.0, args[4], kwargs["epochs"] + 1), not args[5]


@pytest.mark.claim("batchnorm.learns-faster")
def test_the_comparison_runs_the_books_settings(monkeypatch, capsys):
    """By default: the book's 16 scales (1 … 1e-4), batch norm then plain at each, on the first 1,000 sample
    images, 784-[100]×5-10, 20 epochs of SGD 0.01 with batches of 100, seed 0, no bar; every run of a
    comparison starts from the same draws and sees the same batches; the scales come back as floats."""
    from nnspec.experiments import BOOK_SCALES, batchnorm
    from nnspec.experiments import load_data as sample

    def run_here(*args, **kwargs):
        raise AssertionError("a run of the comparison went past its executor")

    monkeypatch.setattr(batchnorm, "train_accuracy_curve", run_here)
    pool = RecordingExecutor(_curve)
    res = batchnorm_comparison(executor=pool)
    data = sample()
    (x_train, t_train), _ = data
    assert len(pool.tasks) == 32 and all(fn is run_here for fn, _, _ in pool.tasks)
    x0, t0 = pool.tasks[0][1][:2]
    np.testing.assert_array_equal(x0, x_train[:1000])
    np.testing.assert_array_equal(t0, t_train[:1000])
    for i, (_, (x, t, n_out, hidden, scale, use_bn), kw) in enumerate(pool.tasks):
        assert (x is x0 or np.array_equal(x, x0)) and (t is t0 or np.array_equal(t, t0))
        assert (n_out, hidden, scale, use_bn) == (10, (100,) * 5, BOOK_SCALES[i // 2], i % 2 == 0)
        assert {k: kw[k] for k in ("epochs", "batch_size", "lr")} == {"epochs": 20, "batch_size": 100, "lr": 0.01}
    seeds = {(kw["init_seed"], kw["batch_seed"]) for _, _, kw in pool.tasks}
    assert len(seeds) == 1
    np.testing.assert_array_equal(res["scales"], BOOK_SCALES)
    np.testing.assert_array_equal(res["epochs"], np.arange(21))
    np.testing.assert_array_equal(res["final"]["batchnorm"], BOOK_SCALES)
    assert res["diverged"] == {"batchnorm": [], "plain": list(BOOK_SCALES)}
    assert capsys.readouterr().err == ""  # no bar by default

    def seeds_of(rng):
        pool = RecordingExecutor(_curve)
        batchnorm_comparison(data, [1, 2], rng=rng, executor=pool)
        return {(kw["init_seed"], kw["batch_seed"]) for _, _, kw in pool.tasks}

    assert seeds_of(0) == seeds != seeds_of(1)  # the default seed is 0
    out = batchnorm_comparison(data, [1, 2], executor=RecordingExecutor(_curve))
    assert out["scales"].dtype == np.float64 and out["final"]["batchnorm"].tolist() == [1.0, 2.0]


def _tiny(seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((40, 12)), np.arange(40) % 3), None


@pytest.mark.claim("batchnorm.learns-faster")
def test_each_run_is_train_with_the_comparisons_settings():
    """A run trains ``MultiLayerNet(scale, batch norm or not)`` with ``train`` for epochs × ⌊n / batch⌋
    iterations on the first ``n_train`` images given, at rate ``lr``, one training accuracy per epoch (NaN after
    a divergence, which stops that run and lists its scale); both nets of a scale start from the same draws and
    see the same batches; the executor runs every training."""
    from nnspec.experiments import child_seeds
    from nnspec.networks import MultiLayerNet
    from nnspec.training import train

    data = _tiny()
    (x, t), _ = data
    scales = [0.5, 0.05, 1e60]  # at 1e60 the plain net's loss overflows in the first epoch
    pool = RecordingExecutor()
    res = batchnorm_comparison(data, scales, n_train=30, hidden=(6, 6), epochs=4, batch_size=20, lr=0.4, rng=3,
                               executor=pool)  # fmt: skip
    assert len(pool.tasks) == 6
    assert res["diverged"] == {"batchnorm": [], "plain": [1e60]}
    init_seed, batch_seed = child_seeds(3, 2)
    for i, scale in enumerate(scales):
        for kind in ("batchnorm", "plain"):
            net = MultiLayerNet(12, [6, 6], 3, weight_init_std=scale, use_batchnorm=kind == "batchnorm", rng=init_seed)
            want = train(net, (x[:30], t[:30]), None, iters=4, batch_size=20, lr=0.4, rng=batch_seed, eval_every=1,
                         progress=False, on_divergence="stop")  # fmt: skip
            got, n = res["train_acc"][kind][i], len(want.train_acc)
            assert got.shape == (5,) and np.isnan(got[n:]).all()
            np.testing.assert_array_equal(got[:n], want.train_acc)
            assert (want.diverged_at is not None) == (kind == "plain" and scale == 1e60)
            np.testing.assert_array_equal(res["final"][kind][i], got[-1])  # NaN equals NaN here


@pytest.mark.claim("batchnorm.learns-faster")
def test_one_bar_over_the_runs_and_none_of_their_own(monkeypatch):
    """The comparison draws no bar unless asked, even on a terminal; asked, one bar labelled "batch norm" counts
    the 2 × len(scales) runs, and the runs never draw bars of their own."""
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setattr("nnspec.training.progress.AUTO_PROGRESS_DELAY", 0.0)
    tiny = dict(n_train=30, hidden=(4,), epochs=2, batch_size=20)
    batchnorm_comparison(_tiny(), [0.1, 0.01], **tiny)
    assert sys.stderr.getvalue() == ""
    bar = io.StringIO()
    batchnorm_comparison(_tiny(), [0.1, 0.01], progress=bar, **tiny)
    assert re.search(r"(^|\r)batch norm: .*4/4", bar.getvalue())
    assert sys.stderr.getvalue() == ""
