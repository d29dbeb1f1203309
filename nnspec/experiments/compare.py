r"""Training the book's chapter-6 network several ways on MNIST and keeping every mini-batch loss.

Two of the book's experiments: the four optimizers on MNIST (§6.1.8,
``ch06/optimizer_compare_mnist.py``) and three initial weight scales (§6.2.4,
``ch06/weight_init_compare.py``). Both train 784-[100]×4-10 ReLU networks with batches of 128 for
2,000 iterations; every run of one experiment starts from the same seed and sees the same batches,
so only the compared setting differs.
"""

from __future__ import annotations

import numpy as np

from ..networks import MultiLayerNet
from ..optimizers import make_optimizer
from ..training import progress_bar, train
from .data import child_seeds, load_data
from .parallel import run_all

__all__ = ["compare_optimizers", "compare_inits", "smooth"]


def smooth(values, window: int = 50) -> np.ndarray:
    """Running mean over ``window`` values (the first ``window - 1`` points average what there is).

    Examples
    --------
    >>> smooth([1.0, 3.0, 5.0, 7.0], window=2)
    array([1., 2., 4., 6.])
    """
    v = np.asarray(values, dtype=float)
    c = np.cumsum(np.insert(v, 0, 0.0))  # pragma: no mutate (equivalent: only differences of c are used)
    out = np.empty_like(v)
    for i in range(len(v)):
        lo = max(0, i + 1 - window)
        out[i] = (c[i + 1] - c[lo]) / (i + 1 - lo)
    return out


def train_losses(
    train_data,
    hidden,
    net_kwargs: dict,
    optimizer: tuple,
    *,
    iters: int,
    batch_size: int,
    init_seed: int,
    batch_seed: int,
):
    """One run of a comparison: a fresh MultiLayerNet trained ``iters`` steps; its mini-batch losses.

    ``optimizer`` is ``(name, settings)`` for [`make_optimizer`][nnspec.optimizers.make_optimizer].
    A top-level function of its arguments, so a process pool can run it.
    """
    x, t = train_data
    net = MultiLayerNet(x.shape[1], list(hidden), int(t.max()) + 1, rng=init_seed, **net_kwargs)
    r = train(
        net,
        train_data,
        None,
        iters=iters,
        batch_size=batch_size,
        optimizer=make_optimizer(optimizer[0], **optimizer[1]),
        rng=batch_seed,
        eval_every=iters,  # pragma: no mutate (equivalent: evaluations measure accuracy only; the losses are the same)
        progress=False,
    )
    return r.loss


def _runs(data, configs: dict, *, hidden, iters, batch_size, rng, progress, tail, desc, executor):
    (x_train, t_train), _ = load_data() if data is None else data
    init_seed, batch_seed = child_seeds(rng, 2)
    kw = dict(iters=iters, batch_size=batch_size, init_seed=init_seed, batch_seed=batch_seed)
    jobs = [
        (((x_train, t_train), tuple(hidden), net_kwargs, optimizer), kw) for net_kwargs, optimizer in configs.values()
    ]
    bar = progress_bar(progress, len(configs), desc)
    try:
        losses = run_all(train_losses, jobs, executor, bar)
    finally:
        if bar is not None:
            bar.close()
    loss = dict(zip(configs, losses))
    final = {name: float(v[-tail:].mean()) for name, v in loss.items()}
    return {"iterations": np.arange(1, iters + 1), "loss": loss, "final_loss": final}


def compare_optimizers(
    data=None,
    optimizers=("SGD", "Momentum", "AdaGrad", "Adam"),
    *,
    hidden=(100, 100, 100, 100),
    iters: int = 2000,
    batch_size: int = 128,
    rng=0,
    progress=False,
    executor=None,
) -> dict:
    r"""Train one 784-``hidden``-10 ReLU network (He initialisation) per optimizer, each at its default rate.

    Parameters
    ----------
    data : ((x_train, t_train), test), optional
        Default: the MNIST sample ([`load_data`][nnspec.experiments.load_data]); only the training
        part is used (the book compares training losses).
    optimizers : sequence of str
        Names for [`make_optimizer`][nnspec.optimizers.make_optimizer], with their default settings.
    hidden : sequence of int
    iters, batch_size : int
        The book's: 2,000 and 128.
    rng : int or numpy.random.Generator
        Seeds the initial weights (the same for every optimizer) and the batches (the same too).
    progress : None, bool or stream
        A bar over the runs (see [`progress_bar`][nnspec.training.progress_bar]).
    executor : concurrent.futures.Executor, optional
        Runs the trainings (one task each; see [`process_pool`][nnspec.experiments.process_pool]);
        ``None``: one after another here. The results are the same either way.

    Returns
    -------
    dict
        ``iterations`` (1 … iters); ``loss``: name → every mini-batch loss, shape ``(iters,)``;
        ``final_loss``: name → mean loss of the last 100 iterations (or tenth of the run).
    """
    configs: dict[str, tuple[dict, tuple[str, dict]]] = {
        name: ({"weight_init_std": "he"}, (name, {}))  # pragma: no mutate (equivalent: init names are case-insensitive)
        for name in optimizers
    }
    return _runs(
        data,
        configs,
        hidden=hidden,
        iters=iters,
        batch_size=batch_size,
        rng=rng,
        progress=progress,
        tail=max(1, min(100, iters // 10)),
        desc="optimizers",
        executor=executor,
    )


def compare_inits(
    data=None,
    inits=(0.01, "xavier", "he"),
    *,
    hidden=(100, 100, 100, 100),
    iters: int = 2000,
    batch_size: int = 128,
    lr: float = 0.01,
    rng=0,
    progress=False,
    executor=None,
) -> dict:
    r"""Train one ReLU network per initial weight scale with SGD (the book's §6.2.4).

    The other parameters and the result are as for
    [`compare_optimizers`][nnspec.experiments.compare_optimizers], the result keyed by ``str(init)``.

    Parameters
    ----------
    inits : sequence
        Values of ``weight_init_std`` (see [`init_scale`][nnspec.networks.init_scale]): the book
        compares 0.01, Xavier and He.
    lr : float
        SGD's learning rate (the book's 0.01).
    """
    configs = {str(init): ({"weight_init_std": init}, ("sgd", {"lr": lr})) for init in inits}
    return _runs(
        data,
        configs,
        hidden=hidden,
        iters=iters,
        batch_size=batch_size,
        rng=rng,
        progress=progress,
        tail=max(1, min(100, iters // 10)),
        desc="initial weights",
        executor=executor,
    )
