r"""Hyperparameter search on validation data (book §6.5, ``ch06/hyperparameter_optimization.py``).

The book holds out 20 % of 500 training images as **validation** data, then runs 100 trials: each
draws a learning rate $\eta = 10^{u}$, $u \sim U(-6, -2)$, and a weight decay
$\lambda = 10^{v}$, $v \sim U(-8, -4)$, trains a 784-[100]×6-10 network for 50 epochs on the
other 400 images, and reports its validation accuracy. The test data is not used: choosing
hyperparameters by test accuracy would fit them to the test set, which then no longer measures
anything.

**Scaling out.** [`random_search`][nnspec.experiments.random_search] takes any
``concurrent.futures.Executor``: serial by default, a ``ProcessPoolExecutor`` on one machine, or a
cluster's executor (e.g. Dask's ``Client.get_executor()``). Each trial's settings and seed come
from the search's seed and the trial's index alone, so the results are the same whichever executor
ran them, in whatever order.
"""

from __future__ import annotations

import math
from concurrent.futures import Executor

import numpy as np

from ..networks import MultiLayerNet
from ..rng import as_generator
from ..training import progress_bar, train
from ..validation import check_positive_int, check_real
from .parallel import run_all

__all__ = ["log_uniform", "split_validation", "run_trial", "random_search", "grid"]


def log_uniform(low_exp: float, high_exp: float, size=None, rng=None):
    r"""$10^{u}$ with $u \sim U(\text{low\_exp}, \text{high\_exp})$: every decade equally likely.

    Examples
    --------
    >>> v = log_uniform(-6, -2, size=4000, rng=0)
    >>> bool(1e-6 <= v.min() and v.max() <= 1e-2)
    True
    >>> np.histogram(np.log10(v), bins=4, range=(-6, -2))[0]      # about 1,000 per decade
    array([1014, 1017,  969, 1000])
    """
    return 10.0 ** as_generator(rng).uniform(low_exp, high_exp, size=size)


def split_validation(x, t, validation_rate: float = 0.2, rng=0):
    """Shuffle ``(x, t)`` and hold out the first ``validation_rate`` of it: ``(train, validation, val_idx)``.

    The two parts are disjoint and together are the whole of ``(x, t)``; ``val_idx`` says which
    rows of the input became validation data.
    """
    check_real(validation_rate, "validation_rate", low=0.0, high=1.0, low_open=True, high_open=True)
    n = len(x)
    order = as_generator(rng).permutation(n)
    n_val = max(1, int(n * validation_rate))
    val_idx, train_idx = order[:n_val], order[n_val:]
    return (x[train_idx], t[train_idx]), (x[val_idx], t[val_idx]), val_idx


def run_trial(
    train_data,
    validation_data,
    lr: float,
    weight_decay: float,
    *,
    hidden=(100,) * 6,
    epochs: int = 50,
    batch_size: int = 100,
    seed=0,
) -> dict:
    """Train one network with ``lr`` and ``weight_decay``; return its final training and validation accuracy.

    A top-level function of its arguments only, so a process pool or a cluster can run it.
    """
    x, t = train_data
    n_out = int(max(t.max(), validation_data[1].max())) + 1
    seq = np.random.SeedSequence(seed) if isinstance(seed, (int, np.integer)) else seed
    init_gen, batch_gen = (np.random.default_rng(s) for s in seq.spawn(2))
    net = MultiLayerNet(x.shape[1], list(hidden), n_out, weight_decay_lambda=weight_decay, rng=init_gen)
    iters = epochs * max(len(x) // batch_size, 1)
    r = train(
        net,
        (x, t),
        validation_data,
        iters=iters,
        batch_size=min(batch_size, len(x)),
        lr=lr,
        rng=batch_gen,
        eval_every=iters,  # pragma: no mutate (equivalent: only the last evaluation is kept; more would cost time)
        progress=False,
        on_divergence="stop",
    )
    if r.diverged_at is not None:  # a learning rate too large for this net: a failed trial, not a crash
        return {"lr": lr, "weight_decay": weight_decay, "train_acc": math.nan, "val_acc": math.nan}
    return {
        "lr": lr,
        "weight_decay": weight_decay,
        # Measured before the first iteration and after the last only (eval_every = iters): index 1 is -1.
        "train_acc": float(r.train_acc[-1]),  # pragma: no mutate (equivalent: two evaluations, see above)
        "val_acc": float(r.test_acc[-1]),  # pragma: no mutate (equivalent: two evaluations, see above)
    }


def grid(lr_range: tuple[float, float] = (-6, -2), decay_range: tuple[float, float] = (-8, -4), per_axis: int = 10):
    """A ``per_axis`` × ``per_axis`` grid of (lr, weight decay), evenly spaced in their exponents.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Learning rates and weight decays, ``per_axis²`` each, in grid order.
    """
    per_axis = check_positive_int(per_axis, "per_axis")
    lr_exp, decay_exp = np.meshgrid(np.linspace(*lr_range, per_axis), np.linspace(*decay_range, per_axis))
    return 10.0 ** lr_exp.ravel(), 10.0 ** decay_exp.ravel()


def random_search(
    train_data,
    *,
    trials: int = 100,
    epochs: int = 50,
    validation_rate: float = 0.2,
    lr_range: tuple[float, float] = (-6, -2),
    decay_range: tuple[float, float] = (-8, -4),
    hidden=(100,) * 6,
    batch_size: int = 100,
    rng=0,
    executor: Executor | None = None,
    progress=False,
) -> dict:
    r"""The book's random search: ``trials`` networks, each with a log-uniform learning rate and weight decay.

    Parameters
    ----------
    train_data : (x, t)
        Training data only (the book uses the first 500 MNIST training images): a share
        ``validation_rate`` of it, chosen at random, becomes validation data. There is no argument
        for test data.
    trials, epochs, batch_size : int
    validation_rate : float in (0, 1)
    lr_range, decay_range : (float, float)
        Exponent ranges: $\eta = 10^{U(\text{lr\_range})}$, $\lambda = 10^{U(\text{decay\_range})}$.
    hidden : sequence of int
    rng : int
        The search's seed. Trial ``i`` draws its settings and its training seed from
        ``SeedSequence(rng)`` and ``i`` alone.
    executor : concurrent.futures.Executor, optional
        Runs the trials (``executor.submit(run_trial, ...)``); ``None`` runs them one after another
        in this process.
    progress : None, bool or stream
        A bar over the trials.

    Returns
    -------
    dict
        ``lr``, ``weight_decay``, ``train_acc``, ``val_acc``: arrays of ``trials`` values in trial
        order; ``order``: trial indices by decreasing validation accuracy (equal ones the later trial
        first, failed trials last);
        ``validation_indices``: the rows of ``train_data`` held out.
    """
    trials = check_positive_int(trials, "trials")
    if not isinstance(rng, (int, np.integer)) or isinstance(rng, bool) or rng < 0:
        raise TypeError(f"rng must be an int seed >= 0 (trials are seeded from it and their index), got {rng!r}")
    x, t = train_data
    root = np.random.SeedSequence(int(rng))
    split_seed, *trial_seeds = root.spawn(trials + 1)
    tr, val, val_idx = split_validation(
        np.asarray(x), np.asarray(t), validation_rate, rng=np.random.default_rng(split_seed)
    )
    jobs = []
    for seq in trial_seeds:
        settings_seq, train_seq = seq.spawn(2)
        gen = np.random.default_rng(settings_seq)
        lr, decay = float(log_uniform(*lr_range, rng=gen)), float(log_uniform(*decay_range, rng=gen))
        kwargs = dict(hidden=tuple(hidden), epochs=epochs, batch_size=batch_size, seed=train_seq)
        jobs.append((lr, decay, kwargs))
    bar = progress_bar(progress, trials, "trials")
    try:
        results = run_all(run_trial, [((tr, val, lr, decay), kwargs) for lr, decay, kwargs in jobs], executor, bar)
    finally:
        if bar is not None:
            bar.close()
    val_acc = np.array([r["val_acc"] for r in results])
    # A stable sort, reversed: equal accuracies rank the later trial first on every machine (a quicksort's
    # order of ties depends on the CPU); failed trials (NaN) score -inf, so they come last.
    order = np.lexsort((np.where(np.isnan(val_acc), -np.inf, val_acc),))[::-1]
    return {
        "lr": np.array([r["lr"] for r in results]),
        "weight_decay": np.array([r["weight_decay"] for r in results]),
        "train_acc": np.array([r["train_acc"] for r in results]),
        "val_acc": val_acc,
        "order": order,
        "validation_indices": val_idx,
    }
