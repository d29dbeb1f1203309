r"""Mini-batch stochastic gradient descent: the training loop of chapters 4 and 5.

Each iteration draws a random mini-batch of ``batch_size`` training samples, computes the gradient
of the batch's mean loss with respect to every parameter, and moves each parameter a step of size
``lr`` against it, in place:

$$W \leftarrow W - \eta\,\frac{\partial L}{\partial W}.$$

Every ``eval_every`` iterations (by default once per *epoch*, i.e. after as many iterations as it
takes to draw about as many samples as the training set holds) the loop measures the accuracy on
the whole training set and on the test set. Comparing the two shows whether the network is
overfitting: training accuracy climbing while test accuracy stalls.

The loop works with any network that has a ``params`` dict of arrays and the methods
``loss(x, t)``, ``accuracy(x, t)`` and ``gradient(x, t)`` (or ``numerical_gradient(x, t)``)
returning a dict keyed like ``params`` — [`TwoLayerNet`][nnspec.networks.TwoLayerNet] for instance.

The command line ``python -m nnspec train`` (see ``nnspec.__main__``) is built on [`train`][nnspec.training.train].
"""

from __future__ import annotations

import math
import numbers
import sys
import time
from dataclasses import dataclass

import numpy as np

from ._validate import check_positive_int
from .rng import as_generator

__all__ = [
    "train", "sgd_update", "TrainResult", "ProgressBar", "plot_curves", "format_row", "format_table", "TABLE_HEADER",
]

GRADIENTS = {"backprop": "gradient", "numerical": "numerical_gradient"}

#: With ``progress=None`` the bar appears only once a run has lasted this many seconds (and only
#: when stderr is a terminal), so short runs and scripts print nothing extra.
AUTO_PROGRESS_DELAY = 1.0


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class TrainResult:
    r"""What [`train`][nnspec.training.train] measured.

    Attributes
    ----------
    loss : numpy.ndarray
        Shape ``(iters,)``: the mean loss of iteration $i$'s mini-batch, measured just before the
        update that used it.
    eval_iters : numpy.ndarray
        Shape ``(E,)``, int: how many iterations had been done at each evaluation; the first is 0
        (the untrained network) and the last is ``iters``.
    train_acc, test_acc : numpy.ndarray
        Shape ``(E,)``: accuracy on the whole training set and on the test set at each evaluation.
    seconds : numpy.ndarray
        Shape ``(E,)``: wall-clock seconds since the start of training at each evaluation.
    iters_per_epoch : int
        $\max(\lfloor N_\text{train} / \text{batch\_size} \rfloor, 1)$.
    batch_size, lr, grad
        The settings of the run.
    """

    loss: np.ndarray
    eval_iters: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray
    seconds: np.ndarray
    iters_per_epoch: int
    batch_size: int
    lr: float
    grad: str = "backprop"

    @property
    def epochs(self) -> np.ndarray:
        """Shape ``(E,)``: ``eval_iters / iters_per_epoch`` (fractional for a partial last epoch)."""
        return self.eval_iters / self.iters_per_epoch

    @property
    def total_seconds(self) -> float:
        """Wall-clock seconds of the whole run (training and evaluations)."""
        return float(self.seconds[-1])

    def interval_loss(self) -> np.ndarray:
        """Shape ``(E,)``: the mean mini-batch loss of the iterations since the previous evaluation
        (NaN for the first evaluation, which comes before any iteration)."""
        out = np.full(len(self.eval_iters), np.nan)
        for j in range(1, len(self.eval_iters)):
            out[j] = self.loss[self.eval_iters[j - 1] : self.eval_iters[j]].mean()
        return out

    def table(self) -> str:
        """The per-evaluation table as text: epoch, iteration, loss, train acc, test acc, seconds.

        ``loss`` is [`interval_loss`][nnspec.training.TrainResult.interval_loss]; it is ``-`` on the
        first row (no iteration yet). Each row is [`format_row`][nnspec.training.format_row].
        """
        return format_table(self)


def _fmt_epoch(e: float) -> str:
    return f"{e:.2f}".rstrip("0").rstrip(".")


TABLE_HEADER = f"{'epoch':>6}  {'iteration':>9}  {'loss':>8}  {'train acc':>9}  {'test acc':>8}  {'seconds':>8}"
"""The header line of the per-epoch table."""


def format_row(epoch: float, iteration: int, loss: float, train_acc: float, test_acc: float, seconds: float) -> str:
    """One line of the table, aligned under ``TABLE_HEADER``; a NaN ``loss`` prints as ``-``.

    Examples
    --------
    >>> print(TABLE_HEADER); print(format_row(1.5, 60, 0.31234, 0.9, 0.88, 2.0))
     epoch  iteration      loss  train acc  test acc   seconds
       1.5         60    0.3123     0.9000    0.8800      2.00
    """
    loss_s = "-" if math.isnan(loss) else f"{loss:.4f}"
    return (
        f"{_fmt_epoch(epoch):>6}  {iteration:>9d}  {loss_s:>8}  {train_acc:>9.4f}  {test_acc:>8.4f}  {seconds:>8.2f}"
    )


def format_table(result: TrainResult) -> str:
    """The whole table: ``TABLE_HEADER`` and one [`format_row`][nnspec.training.format_row] per evaluation."""
    lines = [TABLE_HEADER]
    for e, it, lo, tr, te, s in zip(
        result.epochs, result.eval_iters, result.interval_loss(), result.train_acc, result.test_acc, result.seconds
    ):
        lines.append(format_row(float(e), int(it), float(lo), float(tr), float(te), float(s)))
    return "\n".join(lines)


# --------------------------------------------------------------------------- progress bar


class ProgressBar:
    """A one-line text progress bar, redrawn in place with ``\\r``; no dependencies.

    Parameters
    ----------
    total : int
        The number of steps of a complete run.
    stream : text stream
        Where to draw (``sys.stderr`` for a terminal, a ``StringIO`` in a test).
    width : int
        The number of characters of the bar itself.
    delay : float
        Draw nothing until this many seconds have passed since the bar was made (so short runs
        stay silent); the final state is then drawn only if something was drawn before.
    min_interval : float
        Redraw at most this often (seconds), except for the last step.
    clock : callable
        Returns the time in seconds (``time.perf_counter``; a fake clock in tests).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = ProgressBar(4, out, width=8)
    >>> bar.render(1, elapsed=2.0, info="loss 1.5")
    '[##......]    1/4    25%  loss 1.5  0:02<0:06'
    """

    def __init__(self, total, stream, *, width=30, delay=0.0, min_interval=0.1, clock=time.perf_counter):
        self.total = check_positive_int(total, "total")
        self.stream = stream
        self.width = check_positive_int(width, "width")
        self.delay = float(delay)
        self.min_interval = float(min_interval)
        self.clock = clock
        self.start = clock()
        self._last_draw = -math.inf
        self._last_len = 0
        self.drawn = False

    @staticmethod
    def _clock_text(seconds: float) -> str:
        s = int(round(seconds))
        h, rem = divmod(s, 3600)
        m, s = divmod(rem, 60)
        return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"

    def render(self, done: int, elapsed: float, info: str = "") -> str:
        """The bar's text after ``done`` of ``total`` steps in ``elapsed`` seconds (no ``\\r``)."""
        frac = min(max(done / self.total, 0.0), 1.0)
        filled = int(frac * self.width)
        eta = elapsed * (self.total - done) / done if done else math.nan
        eta_s = "?" if math.isnan(eta) else self._clock_text(eta)
        digits = len(str(self.total))
        parts = [f"[{'#' * filled}{'.' * (self.width - filled)}]", f"{done:>{digits}}/{self.total}", f"{frac:5.0%}"]
        if info:
            parts.append(info)
        parts.append(f"{self._clock_text(elapsed)}<{eta_s}")
        return "  ".join(parts)

    def update(self, done: int, info: str = "") -> None:
        """Redraw for ``done`` steps if it is time to (see ``delay`` and ``min_interval``)."""
        now = self.clock()
        elapsed = now - self.start
        last = done >= self.total
        if elapsed < self.delay and not (last and self.drawn):
            return
        if not last and now - self._last_draw < self.min_interval:
            return
        text = self.render(done, elapsed, info)
        pad = " " * max(self._last_len - len(text), 0)
        self.stream.write("\r" + text + pad)
        self.stream.flush()
        self._last_draw = now
        self._last_len = len(text)
        self.drawn = True

    def clear(self) -> None:
        """Erase the bar's line (before printing something else to the terminal)."""
        if self.drawn and self._last_len:
            self.stream.write("\r" + " " * self._last_len + "\r")
            self.stream.flush()
            self._last_len = 0
            self._last_draw = -math.inf

    def close(self) -> None:
        """End the bar's line, if anything was drawn."""
        if self.drawn and self._last_len:
            self.stream.write("\n")
            self.stream.flush()
            self._last_len = 0


def _make_progress(progress, total: int):
    if progress is None:
        stream = sys.stderr
        isatty = getattr(stream, "isatty", None)
        if stream is None or isatty is None or not isatty():
            return None
        return ProgressBar(total, stream, delay=AUTO_PROGRESS_DELAY)
    if progress is False:
        return None
    if progress is True:
        return ProgressBar(total, sys.stderr)
    if isinstance(progress, ProgressBar):
        return progress
    if callable(getattr(progress, "write", None)):
        return ProgressBar(total, progress)
    raise TypeError(
        "progress must be None (auto), True, False, a text stream or a ProgressBar, "
        f"got {type(progress).__name__}"
    )


# --------------------------------------------------------------------------- checks


def _check_pair(pair, name: str):
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise TypeError(f"{name} must be a pair (x, t) of arrays, got {type(pair).__name__}")
    x, t = np.asarray(pair[0]), np.asarray(pair[1])
    if x.ndim < 2:
        raise ValueError(f"{name}: x must have shape (N, ...) with one row per sample, got shape {x.shape}")
    if x.dtype.kind not in "fiu":
        raise TypeError(f"{name}: x must be a real numeric array, got dtype {x.dtype}")
    if t.ndim not in (1, 2):
        raise ValueError(
            f"{name}: t must be labels of shape (N,) or one-hot of shape (N, C), got shape {t.shape}"
        )
    if len(t) != len(x):
        raise ValueError(f"{name}: x and t must have the same number of samples, got {len(x)} and {len(t)}")
    if len(x) == 0:
        raise ValueError(f"{name}: needs at least one sample, got shape {x.shape}")
    return x, t


def sgd_update(params: dict, grads: dict, lr: float, scratch: dict | None = None) -> None:
    r"""One SGD update, in place: ``params[key] -= lr * grads[key]`` for every key.

    $$W \leftarrow W - \eta\,\frac{\partial L}{\partial W}$$

    The product $\eta \cdot \partial L/\partial W$ is written into a buffer kept in ``scratch``
    (one per key, made on first use) instead of a new temporary array at every step. The result
    is the same bit for bit; the saving is the allocation: a temporary the size of ``W1``
    (627 KB for 784×100 in float64) is freed and allocated again at every iteration, and the
    memory allocator may hand those pages back to the system and fault them in again each time,
    which can cost as much as the update itself.

    Parameters
    ----------
    params : dict of numpy.ndarray
        Updated in place (the arrays stay the same objects).
    grads : dict of array_like
        Gradients keyed like ``params``, each of its parameter's shape (or broadcastable to it).
    lr : float
        The learning rate $\eta$.
    scratch : dict, optional
        Buffers reused from call to call; pass the same (initially empty) dict at every step.
        ``None`` uses a fresh one (no reuse).

    Examples
    --------
    >>> params = {"w": np.array([1.0, 2.0])}
    >>> sgd_update(params, {"w": np.array([0.5, -1.0])}, lr=0.1, scratch={})
    >>> params["w"]
    array([0.95, 2.1 ])
    """
    scratch = {} if scratch is None else scratch
    for key, value in params.items():
        g = np.asarray(grads[key])
        buf = scratch.get(key)
        dtype = np.result_type(g, lr)  # what lr * g would be
        if buf is None or buf.shape != g.shape or buf.dtype != dtype:
            buf = scratch[key] = np.empty(g.shape, dtype=dtype)
        np.multiply(g, lr, out=buf)
        value -= buf


def _check_lr(lr) -> float:
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"lr must be a positive real number, got {type(lr).__name__} {lr!r}")
    lr = float(lr)
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive finite number, got {lr}")
    return lr


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


# --------------------------------------------------------------------------- the loop


def train(
    net,
    train,
    test,
    iters: int = 10_000,
    batch_size: int = 100,
    lr: float = 0.1,
    rng=0,
    eval_every: int | None = None,
    grad: str = "backprop",
    progress=None,
    callback=None,
) -> TrainResult:
    r"""Train ``net`` with mini-batch SGD, updating ``net.params`` in place.

    Iteration $i = 0, 1, \dots, \text{iters}-1$ draws a mini-batch $B_i$ of ``batch_size``
    distinct training samples uniformly at random, computes the gradient of the batch's mean loss
    $L_{B_i} = \frac{1}{|B_i|}\sum_{n \in B_i} L(x_n, t_n)$, records $L_{B_i}$, and updates
    every parameter $W \leftarrow W - \eta\,\partial L_{B_i} / \partial W$ in place with
    $\eta$ = ``lr``.

    Accuracy on the whole training set and on the test set is measured before the first
    iteration, then every ``eval_every`` iterations, and after the last one.

    Parameters
    ----------
    net : network
        Has ``params`` (dict of arrays, updated in place), ``loss(x, t)``, ``accuracy(x, t)`` and
        ``gradient(x, t)`` (for ``grad="backprop"``) or ``numerical_gradient(x, t)``, the gradient
        methods returning a dict keyed like ``params``. If ``gradient`` leaves the batch's loss in
        ``net.last_layer.loss`` (as [`TwoLayerNet`][nnspec.networks.TwoLayerNet] does), the loop reads it
        there instead of calling ``loss`` again. With ``grad="backprop"``, a net that has
        ``sgd_step(x, t, lr)`` (gradient and in-place update fused, returning the batch's loss, as
        [`TwoLayerNet.sgd_step`][nnspec.networks.TwoLayerNet.sgd_step]) is stepped with it; any other
        is updated by [`sgd_update`][nnspec.training.sgd_update].
    train, test : (x, t)
        ``x`` of shape ``(N, ...)`` (e.g. ``(N, 784)``), ``t`` labels of shape ``(N,)`` or one-hot
        of shape ``(N, C)``.
    iters : int
        Number of SGD steps.
    batch_size : int
        Samples per step, at most the number of training samples.
    lr : float
        The learning rate $\eta > 0$.
    rng : None, int or numpy.random.Generator
        Draws the mini-batches (see [`as_generator`][nnspec.rng.as_generator]); the default seed 0 makes a
        run repeatable.
    eval_every : int, optional
        Iterations between evaluations; default one epoch, ``max(N_train // batch_size, 1)``.
    grad : {"backprop", "numerical"}
        Which gradient method of ``net`` to use. ``"numerical"`` costs two loss evaluations per
        parameter per step: use it only on tiny networks.
    progress : None, bool, text stream or ProgressBar
        ``None`` (default): a bar on ``sys.stderr`` only if it is a terminal and the run lasts more
        than ``AUTO_PROGRESS_DELAY`` seconds. ``True``: always on stderr. ``False``: never.
        A stream: draw into it.
    callback : callable, optional
        Called after each evaluation as ``callback(epoch, iteration, loss, train_acc, test_acc,
        seconds)`` with ``loss`` the mean batch loss since the previous evaluation (NaN at first).

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
        The loss became NaN or infinite (the learning rate is too large): training stops.

    Examples
    --------
    >>> from nnspec.networks import TwoLayerNet
    >>> data = np.random.default_rng(0)
    >>> x = data.normal(size=(200, 4)); t = (x[:, 0] > 0).astype(int)
    >>> net = TwoLayerNet(4, 8, 2, weight_init_std=0.1, rng=1)
    >>> r = train(net, (x, t), (x, t), iters=300, batch_size=20, lr=0.5, rng=2)
    >>> r.loss.shape, r.eval_iters[:3].tolist(), int(r.eval_iters[-1])
    ((300,), [0, 10, 20], 300)
    >>> bool(r.test_acc[-1] > 0.9 and r.loss[-10:].mean() < r.loss[:10].mean())
    True
    """
    step = _gradient_method(net, grad)
    x_train, t_train = _check_pair(train, "train")
    x_test, t_test = _check_pair(test, "test")
    iters = check_positive_int(iters, "iters")
    batch_size = check_positive_int(batch_size, "batch_size")
    n_train = len(x_train)
    if batch_size > n_train:
        raise ValueError(f"batch_size must be at most the number of training samples ({n_train}), got {batch_size}")
    lr = _check_lr(lr)
    iters_per_epoch = max(n_train // batch_size, 1)
    eval_every = iters_per_epoch if eval_every is None else check_positive_int(eval_every, "eval_every")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, got {type(callback).__name__}")
    gen = as_generator(rng)
    bar = _make_progress(progress, iters)
    params = net.params
    # Backprop runs the forward pass anyway; a net that keeps that loss (TwoLayerNet keeps it in
    # last_layer.loss) spares the loop a second forward pass per iteration.
    reuses_loss = grad == "backprop" and hasattr(getattr(net, "last_layer", None), "loss")
    # A net with a fused step (TwoLayerNet.sgd_step) does gradient and update in one go, cheaper.
    fused = grad == "backprop" and callable(getattr(net, "sgd_step", None))

    scratch: dict = {}  # sgd_update's buffers for lr · gradient, made once for the whole run
    losses = np.empty(iters)
    eval_iters: list[int] = []
    train_acc: list[float] = []
    test_acc: list[float] = []
    seconds: list[float] = []
    start = time.perf_counter()

    def evaluate(done: int) -> None:
        eval_iters.append(done)
        train_acc.append(float(net.accuracy(x_train, t_train)))
        test_acc.append(float(net.accuracy(x_test, t_test)))
        seconds.append(time.perf_counter() - start)
        if callback is not None:
            prev = eval_iters[-2] if len(eval_iters) > 1 else done
            mean_loss = float(losses[prev:done].mean()) if done > prev else math.nan
            if bar is not None:
                bar.clear()
            callback(done / iters_per_epoch, done, mean_loss, train_acc[-1], test_acc[-1], seconds[-1])

    try:
        evaluate(0)
        for i in range(iters):
            idx = gen.choice(n_train, size=batch_size, replace=False)
            xb, tb = x_train[idx], t_train[idx]
            if fused:
                loss = float(net.sgd_step(xb, tb, lr))
            elif reuses_loss:
                grads = step(xb, tb)
                loss = float(net.last_layer.loss)
            else:
                loss = float(net.loss(xb, tb))
                grads = step(xb, tb)
            if not math.isfinite(loss):
                raise FloatingPointError(
                    f"the loss became {loss} at iteration {i} (lr={lr}): training diverged; try a smaller lr"
                )
            losses[i] = loss
            if not fused:
                sgd_update(params, grads, lr, scratch)
            done = i + 1
            if done % eval_every == 0 or done == iters:
                evaluate(done)
            if bar is not None:
                bar.update(done, f"loss {loss:.4f}  test acc {test_acc[-1]:.4f}")
    finally:
        if bar is not None:
            bar.close()

    return TrainResult(
        loss=losses,
        eval_iters=np.array(eval_iters),
        train_acc=np.array(train_acc),
        test_acc=np.array(test_acc),
        seconds=np.array(seconds),
        iters_per_epoch=iters_per_epoch,
        batch_size=batch_size,
        lr=lr,
        grad=grad,
    )


# --------------------------------------------------------------------------- figure


def plot_curves(result: TrainResult, fig=None, title: str | None = None):
    """Draw the loss (left) and the train/test accuracy (right) of ``result``.

    The left panel shows every mini-batch loss (pale) and its running mean over one epoch; the
    right one the accuracy on the training and the test set at each evaluation, against epochs.

    Parameters
    ----------
    result : TrainResult
    fig : matplotlib.figure.Figure, optional
        Where to draw (two side-by-side axes are added). By default a new 9 × 3.6 inch figure,
        made without pyplot, so no GUI backend is involved.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Save it with ``fig.savefig("curves.png")``.

    Notes
    -----
    Needs matplotlib, imported only when this function is called.

    Examples
    --------
    >>> from nnspec.networks import TwoLayerNet
    >>> x = np.eye(4); t = np.arange(4)
    >>> r = train(TwoLayerNet(4, 3, 4, rng=0), (x, t), (x, t), iters=4, batch_size=2)
    >>> fig = plot_curves(r, title="four samples")
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['iteration', 'epoch']
    """
    if fig is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(9.0, 3.6), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    it = np.arange(1, len(result.loss) + 1)
    ax_loss.plot(it, result.loss, lw=0.6, alpha=0.45, color="tab:blue", label="mini-batch loss")
    window = min(max(result.iters_per_epoch, 1), len(result.loss))
    smooth = np.convolve(result.loss, np.ones(window) / window, mode="valid")
    ax_loss.plot(it[window - 1 :], smooth, lw=1.8, color="tab:blue", label=f"mean of last {window}")
    ax_loss.set_xlabel("iteration")
    ax_loss.set_ylabel("loss")
    ax_loss.legend()
    ax_acc.plot(result.epochs, result.train_acc, "o-", ms=3, label="train")
    ax_acc.plot(result.epochs, result.test_acc, "s--", ms=3, label="test")
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("accuracy")
    ax_acc.set_ylim(0, 1)
    ax_acc.legend(loc="lower right")
    if title:
        fig.suptitle(title)
    return fig
