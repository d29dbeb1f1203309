r"""Overfitting on 300 images, and two cures: weight decay and dropout (book §6.4).

The book trains a 784-[100]×6-10 ReLU network on only 300 training images with SGD (lr 0.01,
batch 100): for 201 epochs as it is and with weight decay λ = 0.1 (``overfit_weight_decay.py``),
for 301 epochs with dropout 0.2 (``overfit_dropout.py``), and records the accuracy on the
training and the test images after every epoch.
"""

from __future__ import annotations

import numpy as np

from ..networks import MultiLayerNet
from ..training import progress_bar, train
from .data import child_seeds, load_data
from .parallel import run_all

__all__ = ["overfitting", "BOOK_OVERFIT_RUNS"]

#: name → (MultiLayerNet settings, epochs): the book's three runs.
BOOK_OVERFIT_RUNS = {
    "plain": ({}, 201),
    "weight decay": ({"weight_decay_lambda": 0.1}, 201),
    "dropout": ({"use_dropout": True, "dropout_ratio": 0.2}, 301),
}


def accuracy_curves(
    x,
    t,
    test,
    n_out: int,
    hidden,
    settings: dict,
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    eval_every_epochs: int,
    init_seed: int,
    batch_seed: int,
) -> dict:
    """One run: ``{"epochs", "train_acc", "test_acc"}`` of a MultiLayerNet with ``settings``."""
    iters_per_epoch = max(len(x) // batch_size, 1)
    net = MultiLayerNet(x.shape[1], list(hidden), n_out, rng=init_seed, **settings)
    r = train(
        net,
        (x, t),
        test,
        iters=epochs * iters_per_epoch,
        batch_size=batch_size,
        lr=lr,
        rng=batch_seed,
        eval_every=iters_per_epoch * eval_every_epochs,
        progress=False,
    )
    return {"epochs": r.epochs, "train_acc": r.train_acc, "test_acc": r.test_acc}


def overfitting(
    data=None,
    runs=None,
    *,
    n_train: int = 300,
    hidden=(100,) * 6,
    batch_size: int = 100,
    lr: float = 0.01,
    eval_every_epochs: int = 1,
    rng=0,
    progress=False,
    executor=None,
) -> dict:
    r"""Train one network per run on ``n_train`` images; record train and test accuracy per epoch.

    Parameters
    ----------
    data : ((x_train, t_train), (x_test, t_test)), optional
        Default: the MNIST sample (its 1,000 test images stand in for the book's 10,000).
    runs : dict, optional
        name → (``MultiLayerNet`` keyword settings, epochs); default ``BOOK_OVERFIT_RUNS``.
    n_train, batch_size : int
    hidden : sequence of int
    lr : float
    eval_every_epochs : int
        Measure the two accuracies after every this many epochs (1: every epoch, as the book).
    rng : int or Generator
        Every run starts from the same initial draws and sees the same batches.
    progress : None, bool or stream
        A bar over the runs.
    executor : concurrent.futures.Executor, optional
        Runs the trainings (see [`process_pool`][nnspec.experiments.process_pool]).

    Returns
    -------
    dict
        name → ``{"epochs", "train_acc", "test_acc"}`` arrays (epoch 0 is the untrained net) and
        ``gap``: name → train minus test accuracy averaged over the last 10 % of the evaluations.
    """
    (x_train, t_train), test = load_data() if data is None else data
    x, t = x_train[:n_train], t_train[:n_train]
    runs = BOOK_OVERFIT_RUNS if runs is None else runs
    init_seed, batch_seed = child_seeds(rng, 2)
    n_out = int(t_train.max()) + 1
    jobs = [
        (
            (x, t, test, n_out, tuple(hidden), settings),
            dict(
                epochs=epochs,
                batch_size=batch_size,
                lr=lr,
                eval_every_epochs=eval_every_epochs,
                init_seed=init_seed,
                batch_seed=batch_seed,
            ),
        )
        for settings, epochs in runs.values()
    ]
    bar = progress_bar(progress, len(jobs), "overfitting")
    try:
        curves = run_all(accuracy_curves, jobs, executor, bar)
    finally:
        if bar is not None:
            bar.close()
    out: dict = {"gap": {}}
    for name, curve in zip(runs, curves):
        out[name] = curve
        tail = max(1, len(curve["epochs"]) // 10)
        out["gap"][name] = float(np.mean(curve["train_acc"][-tail:] - curve["test_acc"][-tail:]))
    return out
