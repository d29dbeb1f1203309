"""Training curves as a matplotlib figure (matplotlib is imported only when you draw)."""

from __future__ import annotations

import numpy as np

from .result import TrainResult

__all__ = ["plot_curves"]


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
    >>> from nnspec.training import train
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
