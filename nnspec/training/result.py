r"""What a training run measured, and the per-epoch table the command line prints."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["TrainResult", "TABLE_HEADER", "format_row", "format_table"]


@dataclass(frozen=True)
class TrainResult:
    r"""What [`train`][nnspec.training.train] measured.

    Attributes
    ----------
    loss : numpy.ndarray
        Shape ``(iters,)``: the loss of iteration $i$'s mini-batch, the very number the optimizer
        minimised at that step (training mode, weight-decay term included), measured before the
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
    batch_size : int
    lr : float
        The optimizer's learning rate.
    grad : str
        ``"backprop"`` or ``"numerical"``.
    optimizer : str
        The optimizer and its settings, e.g. ``"SGD(lr=0.1)"``.
    diverged_at : int or None
        With ``on_divergence="stop"``, the iteration at which training diverged (``loss`` then
        holds only the iterations before it, and the evaluations end at the last one before it);
        ``None`` for a run that did not diverge.
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
    optimizer: str = "SGD"
    diverged_at: int | None = None

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
    return f"{_fmt_epoch(epoch):>6}  {iteration:>9d}  {loss_s:>8}  {train_acc:>9.4f}  {test_acc:>8.4f}  {seconds:>8.2f}"


def format_table(result: TrainResult) -> str:
    """The whole table: ``TABLE_HEADER`` and one [`format_row`][nnspec.training.format_row] per evaluation."""
    lines = [TABLE_HEADER]
    for e, it, lo, tr, te, s in zip(
        result.epochs, result.eval_iters, result.interval_loss(), result.train_acc, result.test_acc, result.seconds
    ):
        lines.append(format_row(float(e), int(it), float(lo), float(tr), float(te), float(s)))
    return "\n".join(lines)
