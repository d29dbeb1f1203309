r"""The training loop: mini-batches, a gradient, the optimizer's update, evaluations."""

from __future__ import annotations

import math
import time

import numpy as np

from ..optimizers import Optimizer, make_optimizer
from ..rng import as_generator
from ..validation import check_positive_int
from .progress import progress_bar
from .result import TrainResult

__all__ = ["train", "GRADIENTS"]

#: ``grad=`` choices and the network method each one calls.
GRADIENTS = {"backprop": "gradient", "numerical": "numerical_gradient"}


def _check_pair(pair, name: str):
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise TypeError(f"{name} must be a pair (x, t) of arrays, got {type(pair).__name__}")
    x, t = np.asarray(pair[0]), np.asarray(pair[1])
    if x.ndim < 2:
        raise ValueError(f"{name}: x must have shape (N, ...) with one row per sample, got shape {x.shape}")
    if x.dtype.kind not in ("f", "i", "u"):
        raise TypeError(f"{name}: x must be a real numeric array, got dtype {x.dtype}")
    if t.ndim not in (1, 2):
        raise ValueError(f"{name}: t must be labels of shape (N,) or one-hot of shape (N, C), got shape {t.shape}")
    if len(t) != len(x):
        raise ValueError(f"{name}: x and t must have the same number of samples, got {len(x)} and {len(t)}")
    if len(x) == 0:
        raise ValueError(f"{name}: needs at least one sample, got shape {x.shape}")
    return x, t


def _gradient_method(net, grad: str):
    if grad not in GRADIENTS:
        raise ValueError(f"grad must be one of {sorted(GRADIENTS)}, got {grad!r}")
    params = getattr(net, "params", None)
    if not isinstance(params, dict) or not params:
        raise TypeError(f"net must have a non-empty dict `params` of arrays, got {type(net).__name__}")
    for method in ("loss", "accuracy", GRADIENTS[grad]):
        if not callable(getattr(net, method, None)):
            raise TypeError(f"net must have a method `{method}(x, t)` (grad={grad!r}), {type(net).__name__} has none")
    return getattr(net, GRADIENTS[grad])


def resolve_optimizer(optimizer="sgd", optimizer_param=None, lr=None) -> Optimizer:
    """The optimizer ``train`` uses: an instance as given, or one made from a name and settings.

    Parameters
    ----------
    optimizer : str or nnspec.optimizers.Optimizer
        A name (``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``,
        ``"adam"``, any case) or an optimizer instance, used as it is (its state carries over).
    optimizer_param : dict, optional
        Settings for a named optimizer, as the book's ``Trainer`` takes them (``{"lr": 0.01}``).
    lr : float, optional
        Shorthand for ``optimizer_param["lr"]``.

    Examples
    --------
    >>> resolve_optimizer("momentum", {"momentum": 0.5}, lr=0.1)
    Momentum(lr=0.1, momentum=0.5)
    """
    if isinstance(optimizer, Optimizer):
        if optimizer_param or lr is not None:
            raise TypeError(
                "lr and optimizer_param apply to an optimizer given by name; this optimizer instance "
                f"has its own settings ({optimizer!r})"
            )
        return optimizer
    if optimizer_param is not None and not isinstance(optimizer_param, dict):
        raise TypeError(f"optimizer_param must be a dict of settings, got {type(optimizer_param).__name__}")
    settings = dict(optimizer_param or {})
    if lr is not None:
        if "lr" in settings and settings["lr"] != lr:
            raise ValueError(f"lr given twice: lr={lr!r} and optimizer_param['lr']={settings['lr']!r}")
        settings["lr"] = lr
    if not isinstance(optimizer, str):
        raise TypeError(f"optimizer must be a name (str) or an Optimizer, got {type(optimizer).__name__}")
    return make_optimizer(optimizer, **settings)


def train(
    net,
    train,
    test,
    iters: int = 10_000,
    batch_size: int = 100,
    lr: float | None = None,
    rng=0,
    eval_every: int | None = None,
    grad: str = "backprop",
    progress=None,
    callback=None,
    *,
    optimizer="sgd",
    optimizer_param: dict | None = None,
    on_divergence: str = "raise",
) -> TrainResult:
    r"""Train ``net`` with mini-batches and an optimizer, updating ``net.params`` in place.

    Iteration $i = 0, 1, \dots, \text{iters}-1$ draws a mini-batch $B_i$ of ``batch_size``
    distinct training samples uniformly at random, computes the gradient of the batch's loss
    $L_{B_i}$ with respect to every parameter, records $L_{B_i}$, and hands the gradients to the
    optimizer, whose ``update(net.params, grads)`` moves every parameter in place. With the
    default optimizer, SGD, that is $W \leftarrow W - \eta\,\partial L_{B_i}/\partial W$.

    Accuracy on the whole training set and on the test set is measured before the first
    iteration, then every ``eval_every`` iterations, and after the last one (in inference mode).

    Parameters
    ----------
    net : network
        Has ``params`` (dict of arrays, updated in place), ``loss(x, t)``, ``accuracy(x, t)`` and
        ``gradient(x, t)`` (for ``grad="backprop"``) or ``numerical_gradient(x, t)``, the gradient
        methods returning a dict keyed like ``params`` — e.g. [`TwoLayerNet`][nnspec.networks.TwoLayerNet]
        or [`MultiLayerNet`][nnspec.networks.MultiLayerNet]. A net that leaves the loss of its
        gradient's forward pass in ``last_loss`` (as [`LayerNet`][nnspec.networks.LayerNet] does)
        is not run forward a second time: that is the loss recorded, the one the optimizer
        minimised (training mode, weight decay included). For any other net the loop records
        ``net.loss(x, t)`` of the batch.
    train, test : (x, t)
        ``x`` of shape ``(N, ...)`` (e.g. ``(N, 784)``), ``t`` labels of shape ``(N,)`` or one-hot
        of shape ``(N, C)``. ``test`` may be ``None``: no test accuracy is measured (``test_acc``
        is then NaN at every evaluation), for runs that only need the training curve.
    iters : int
        Number of updates.
    batch_size : int
        Samples per update, at most the number of training samples.
    lr : float, optional
        The learning rate of an optimizer given by name (default: that optimizer's own, e.g.
        0.01 for SGD and 0.001 for Adam).
    rng : None, int or numpy.random.Generator
        Draws the mini-batches (see [`as_generator`][nnspec.rng.as_generator]); the default seed 0
        makes a run repeatable.
    eval_every : int, optional
        Iterations between evaluations; default one epoch, ``N_train // batch_size``.
    grad : {"backprop", "numerical"}
        Which gradient method of ``net`` to use. ``"numerical"`` costs two loss evaluations per
        parameter per step: use it only on tiny networks.
    progress : None, bool or text stream
        See [`progress_bar`][nnspec.training.progress_bar]: by default a bar on a terminal's
        stderr for runs longer than a second.
    callback : callable, optional
        Called after each evaluation as ``callback(epoch, iteration, loss, train_acc, test_acc,
        seconds)`` with ``loss`` the mean batch loss since the previous evaluation (NaN at first).
    optimizer : str or nnspec.optimizers.Optimizer, keyword only, default "sgd"
        The update rule: a name with ``lr`` / ``optimizer_param`` settings, or an instance (see
        [`resolve_optimizer`][nnspec.training.resolve_optimizer]). The loop always calls its
        ``update``, whatever it is.
    optimizer_param : dict, keyword only, optional
        Settings of a named optimizer (the book's ``Trainer`` argument).
    on_divergence : {"raise", "stop"}, keyword only
        What to do when training diverges (see Raises): ``"raise"`` (default) raises
        ``FloatingPointError``; ``"stop"`` ends the run there and returns what was measured so far,
        with ``diverged_at`` set — for experiments that sweep settings, some of which diverge.

    Returns
    -------
    TrainResult
        ``loss`` of shape ``(iters,)``; ``eval_iters``, ``train_acc``, ``test_acc``, ``seconds``
        of shape ``(E,)``.

    Raises
    ------
    TypeError, ValueError
        A bad argument, named in the message.
    FloatingPointError
        Training diverged (the learning rate or the initial weights too large): the loss became
        NaN or infinite, or an operation of the step overflowed. Every step runs under
        ``numpy.errstate(over="raise", invalid="raise", divide="raise")``, so divergence stops the
        run at the first overflow, with no RuntimeWarning on the way.

    Examples
    --------
    >>> from nnspec.networks import TwoLayerNet
    >>> data = np.random.default_rng(0)
    >>> x = data.normal(size=(200, 4)); t = (x[:, 0] > 0).astype(int)
    >>> net = TwoLayerNet(4, 8, 2, weight_init_std=0.1, rng=1)
    >>> r = train(net, (x, t), (x, t), iters=300, batch_size=20, lr=0.5, rng=2)
    >>> r.loss.shape, r.eval_iters[:3].tolist(), int(r.eval_iters[-1]), r.optimizer
    ((300,), [0, 10, 20], 300, 'SGD(lr=0.5)')
    >>> bool(r.test_acc[-1] > 0.9 and r.loss[-10:].mean() < r.loss[:10].mean())
    True
    """
    gradient = _gradient_method(net, grad)
    x_train, t_train = _check_pair(train, "train")
    x_test, t_test = (None, None) if test is None else _check_pair(test, "test")
    iters = check_positive_int(iters, "iters")
    batch_size = check_positive_int(batch_size, "batch_size")
    n_train = len(x_train)
    if batch_size > n_train:
        raise ValueError(f"batch_size must be at most the number of training samples ({n_train}), got {batch_size}")
    opt = resolve_optimizer(optimizer, optimizer_param, lr)
    iters_per_epoch = n_train // batch_size  # >= 1: batch_size <= n_train
    eval_every = iters_per_epoch if eval_every is None else check_positive_int(eval_every, "eval_every")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, got {type(callback).__name__}")
    if on_divergence not in ("raise", "stop"):
        raise ValueError(f"on_divergence must be 'raise' or 'stop', got {on_divergence!r}")
    gen = as_generator(rng)
    bar = progress_bar(progress, iters)
    params = net.params

    losses = np.empty(iters)
    eval_iters: list[int] = []
    train_acc: list[float] = []
    test_acc: list[float] = []
    seconds: list[float] = []
    start = time.perf_counter()
    diverged_at = None

    def evaluate(done: int) -> None:
        eval_iters.append(done)
        train_acc.append(float(net.accuracy(x_train, t_train)))
        test_acc.append(math.nan if x_test is None else float(net.accuracy(x_test, t_test)))
        seconds.append(time.perf_counter() - start)
        if callback is not None:
            prev = eval_iters[-2] if len(eval_iters) > 1 else done
            mean_loss = float(losses[prev:done].mean()) if done > prev else math.nan
            row = (done / iters_per_epoch, done, mean_loss, train_acc[-1], test_acc[-1], seconds[-1])
            if bar is None:
                callback(*row)
            else:
                with bar.external_write_mode():
                    callback(*row)

    try:
        evaluate(0)
        for i in range(iters):
            idx = gen.choice(n_train, size=batch_size, replace=False)
            xb, tb = x_train[idx], t_train[idx]
            try:
                with np.errstate(over="raise", invalid="raise", divide="raise"):
                    if grad == "backprop":
                        loss = float(opt.step(net, xb, tb))  # the optimizer's step: gradient and update
                    else:
                        loss = float(net.loss(xb, tb))
                        opt.update(params, gradient(xb, tb))
                    if not math.isfinite(loss):
                        raise FloatingPointError(f"the loss became {loss}")
                    losses[i] = loss
                    done = i + 1
                    if done % eval_every == 0 or done == iters:
                        evaluate(done)
            except FloatingPointError as exc:
                if on_divergence == "stop":
                    diverged_at = i
                    break
                raise FloatingPointError(
                    f"training diverged at iteration {i} ({opt!r}): {exc}; try a smaller lr"
                ) from None
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(f"loss {loss:.4f}, test acc {test_acc[-1]:.4f}", refresh=False)
    finally:
        if bar is not None:
            bar.close()

    if diverged_at is not None:
        losses = losses[:diverged_at]
    return TrainResult(
        loss=losses,
        eval_iters=np.array(eval_iters),
        train_acc=np.array(train_acc),
        test_acc=np.array(test_acc),
        seconds=np.array(seconds),
        iters_per_epoch=iters_per_epoch,
        batch_size=batch_size,
        lr=opt.lr,
        grad=grad,
        optimizer=repr(opt),
        diverged_at=diverged_at,
    )
