r"""Batch normalization against the weight scale (book §6.3.3, ``ch06/batch_norm_test.py``).

The same 784-[100]×5-10 ReLU network is trained on 1,000 MNIST images for 20 epochs with SGD
(lr 0.01, batch 100), once with and once without batch normalization, for each of 16 initial
weight standard deviations from 1 down to $10^{-4}$ (``np.logspace(0, -4, 16)``). The training
accuracy after each epoch is recorded.
"""

from __future__ import annotations

import numpy as np

from ..networks import MultiLayerNet
from ..training import progress_bar, train
from .data import child_seeds, load_data
from .parallel import run_all

__all__ = ["batchnorm_comparison", "BOOK_SCALES"]

#: The book's 16 weight scales.
BOOK_SCALES = np.logspace(0, -4, num=16)


def train_accuracy_curve(
    x,
    t,
    n_out: int,
    hidden,
    scale: float,
    use_batchnorm: bool,
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    init_seed: int,
    batch_seed: int,
):
    """One run of the comparison: training accuracy after each epoch (NaN after a divergence)."""
    iters_per_epoch = max(len(x) // batch_size, 1)
    net = MultiLayerNet(
        x.shape[1], list(hidden), n_out, weight_init_std=float(scale), use_batchnorm=use_batchnorm, rng=init_seed
    )
    r = train(
        net,
        (x, t),
        None,
        iters=epochs * iters_per_epoch,
        batch_size=batch_size,
        lr=lr,
        rng=batch_seed,
        eval_every=iters_per_epoch,  # pragma: no mutate (equivalent: train's default eval_every is this same epoch)
        progress=False,
        on_divergence="stop",
    )  # training accuracy only, as the book
    acc = np.full(epochs + 1, np.nan)
    acc[: len(r.train_acc)] = r.train_acc
    return acc, r.diverged_at is not None


def batchnorm_comparison(
    data=None,
    scales=BOOK_SCALES,
    *,
    n_train: int = 1000,
    hidden=(100,) * 5,
    epochs: int = 20,
    batch_size: int = 100,
    lr: float = 0.01,
    rng=0,
    progress=False,
    executor=None,
) -> dict:
    r"""Train with and without batch norm at every weight scale; keep the training accuracy per epoch.

    Parameters
    ----------
    data : ((x_train, t_train), test), optional
        Default: the MNIST sample; the first ``n_train`` training images are used.
    scales : sequence of float
        Standard deviations of the initial weights.
    n_train, epochs, batch_size : int
    hidden : sequence of int
    lr : float
        SGD's learning rate.
    rng : int or Generator
        One seed for every run's initial draws and one for every run's batches, so the two nets of
        a scale start from the same standard-normal draws and see the same batches.
    progress : None, bool or stream
        A bar over the runs.
    executor : concurrent.futures.Executor, optional
        Runs the ``2 × len(scales)`` trainings (see [`process_pool`][nnspec.experiments.process_pool]).

    Returns
    -------
    dict
        ``scales``; ``epochs`` (0 … epochs); ``train_acc``: ``{"batchnorm": array (S, E + 1),
        "plain": array (S, E + 1)}`` (NaN after a run diverged: large initial weights can make the
        plain network's loss overflow); ``final``: the last column of each; ``diverged``: the scales
        at which each kind diverged.
    """
    (x_train, t_train), _ = load_data() if data is None else data
    x, t = x_train[:n_train], t_train[:n_train]
    scales = np.asarray(scales, dtype=float)
    init_seed, batch_seed = child_seeds(rng, 2)
    kw = dict(epochs=epochs, batch_size=batch_size, lr=lr, init_seed=init_seed, batch_seed=batch_seed)
    n_out = int(t_train.max()) + 1
    kinds = ("batchnorm", "plain")
    jobs = [((x, t, n_out, tuple(hidden), float(s), kind == "batchnorm"), kw) for s in scales for kind in kinds]
    bar = progress_bar(progress, len(jobs), "batch norm")
    try:
        runs = run_all(train_accuracy_curve, jobs, executor, bar)
    finally:
        if bar is not None:
            bar.close()
    acc = {kind: np.array([runs[2 * i + k][0] for i in range(len(scales))]) for k, kind in enumerate(kinds)}
    diverged = {kind: [float(s) for i, s in enumerate(scales) if runs[2 * i + k][1]] for k, kind in enumerate(kinds)}
    return {
        "scales": scales,
        "epochs": np.arange(epochs + 1),
        "train_acc": acc,
        "final": {k: v[:, -1] for k, v in acc.items()},
        "diverged": diverged,
    }
