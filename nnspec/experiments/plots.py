"""Figures of the chapter-6 experiments (matplotlib, imported only when a function is called).

Each function takes what an experiment returned and draws it into ``fig`` — a figure you made, e.g.
``plt.figure(figsize=(8, 5), layout="constrained")`` to show it with ``plt.show()`` — or, by default,
into a new ``matplotlib.figure.Figure`` made without pyplot (no window opens). It returns the figure:
save it with ``fig.savefig("x.png")``.

Examples
--------
>>> from nnspec.experiments import optimizer_paths
>>> fig = plot_paths(optimizer_paths())
>>> len(fig.axes)
4
"""

from __future__ import annotations

import numpy as np

from .compare import smooth
from .paths import bowl

__all__ = ["plot_paths", "plot_loss_curves", "plot_histograms", "plot_batchnorm", "plot_overfitting", "plot_search"]


def _figure(size, fig=None):
    """``fig`` if given, else a new pyplot-free figure of ``size`` inches."""
    if fig is not None:
        return fig
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained")


def plot_paths(result: dict, fig=None):
    """The optimizers' paths on the contours of $x^2/20 + y^2$, one panel each (the book's Figure 6-8)."""
    names = list(result["paths"])
    cols = 2 if len(names) > 1 else 1
    rows = -(-len(names) // cols)
    fig = _figure((4.4 * cols, 2.6 * rows), fig)
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True)).ravel()
    xs, ys = np.meshgrid(np.linspace(-10, 10, 200), np.linspace(-5, 5, 200))
    for ax, name in zip(axes, names):
        path = result["paths"][name]
        ax.contour(xs, ys, bowl(xs, ys), levels=[0.5, 1, 2, 4, 7, 11, 16, 22], colors="0.75", linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "o-", color="tab:red", ms=3, lw=1.2)
        ax.plot(0, 0, "+", color="black", ms=10)
        x_end, y_end = result["end"][name]
        ax.set_title(f"{name}: ends at ({x_end:.2f}, {y_end:.2f})", fontsize=10)
        ax.set_xlim(-10, 10)
        ax.set_ylim(-5, 5)
    for ax in axes[len(names) :]:
        ax.set_axis_off()
    for ax in axes[(rows - 1) * cols :]:
        ax.set_xlabel("x")
    for ax in axes[::cols]:
        ax.set_ylabel("y")
    return fig


def plot_loss_curves(result: dict, window: int = 50, ylim=(0.0, 1.0), fig=None):
    """Every run's mini-batch loss, smoothed over ``window`` iterations (the book's Figures 6-9, 6-15)."""
    fig = _figure((6.4, 3.6), fig)
    ax = fig.subplots()
    for name, loss in result["loss"].items():
        ax.plot(result["iterations"], smooth(loss, window), label=name, lw=1.4)
    ax.set_xlabel("iteration")
    ax.set_ylabel(f"loss (mean of the last {window})")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend()
    return fig


def _init_label(init: str) -> str:
    """Row label: "std 0.01" for a number, "Xavier" / "He" for a named scale."""
    try:
        return f"std {float(init):g}"
    except ValueError:
        return {"xavier": "Xavier", "he": "He", "relu": "He", "sigmoid": "Xavier"}.get(init.lower(), init)


def plot_histograms(result: dict, title_of=_init_label, fig=None):
    """Histograms of every layer's activations, one row per initial scale (the book's Figures 6-10 to 6-14)."""
    inits = list(result)
    layers = len(result[inits[0]]["hist"])
    fig = _figure((1.9 * layers, 1.5 * len(inits) + 0.3), fig)
    axes = np.array(fig.subplots(len(inits), layers, sharey="row", squeeze=False))
    for r, init in enumerate(inits):
        for c, (counts, edges) in enumerate(result[init]["hist"]):
            ax = axes[r, c]
            ax.stairs(counts, edges, fill=True, color="tab:blue")
            ax.set_yticks([])
            ax.tick_params(labelsize=7)
            if r == 0:
                ax.set_title(f"layer {c + 1}", fontsize=9)
        axes[r, 0].set_ylabel(title_of(init), fontsize=9)
    return fig


def plot_batchnorm(result: dict, cols: int = 4, fig=None):
    """Training accuracy per epoch with and without batch norm, one panel per weight scale (Figure 6-18)."""
    scales = result["scales"]
    rows = -(-len(scales) // cols)
    fig = _figure((2.3 * cols, 1.7 * rows + 0.4), fig)
    axes = np.array(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)).ravel()
    for i, (ax, scale) in enumerate(zip(axes, scales)):
        ax.plot(
            result["epochs"], result["train_acc"]["batchnorm"][i], color="tab:blue", lw=1.4, label="with batch norm"
        )
        ax.plot(result["epochs"], result["train_acc"]["plain"][i], "--", color="tab:orange", lw=1.2, label="without")
        ax.set_title(f"std {scale:.2g}", fontsize=9)
        ax.set_ylim(0, 1)
        ax.tick_params(labelsize=7)
    for ax in axes[len(scales) :]:
        ax.set_axis_off()
    axes[0].legend(fontsize=7, loc="lower right")
    fig.supxlabel("epoch", fontsize=9)
    fig.supylabel("training accuracy", fontsize=9)
    return fig


def plot_overfitting(result: dict, fig=None):
    """Train and test accuracy per epoch, one panel per run (the book's Figures 6-20, 6-21, 6-23)."""
    names = [k for k in result if k != "gap"]
    fig = _figure((3.3 * len(names), 3.0), fig)
    axes = np.atleast_1d(fig.subplots(1, len(names), sharey=True))
    for ax, name in zip(axes, names):
        run = result[name]
        ax.plot(run["epochs"], run["train_acc"], color="tab:blue", lw=1.3, label="train")
        ax.plot(run["epochs"], run["test_acc"], "--", color="tab:orange", lw=1.3, label="test")
        ax.set_title(f"{name}: gap {result['gap'][name]:.2f}", fontsize=10)
        ax.set_xlabel("epoch")
        ax.set_ylim(0, 1.02)
    axes[0].set_ylabel("accuracy")
    axes[0].legend(loc="lower right")
    return fig


def plot_search(result: dict, best: int = 20, fig=None):
    """Validation accuracy of every trial against its learning rate and its weight decay (log scales)."""
    fig = _figure((8.0, 3.2), fig)
    ax_lr, ax_wd = fig.subplots(1, 2, sharey=True)
    top = np.zeros(len(result["val_acc"]), dtype=bool)
    top[result["order"][:best]] = True
    for ax, key, label in ((ax_lr, "lr", "learning rate"), (ax_wd, "weight_decay", "weight decay λ")):
        ax.scatter(result[key][~top], result["val_acc"][~top], s=12, color="0.6", label="other trials")
        ax.scatter(result[key][top], result["val_acc"][top], s=16, color="tab:red", label=f"best {best}")
        ax.set_xscale("log")
        ax.set_xlabel(label)
    ax_lr.set_ylabel("validation accuracy")
    ax_lr.legend(fontsize=8, loc="upper left")
    return fig
