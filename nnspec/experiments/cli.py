"""``python -m nnspec experiment NAME``: rerun a chapter-6 experiment and print what it measured.

The book's settings are the default; ``--small`` runs a version of a few seconds (the sizes the
specs use or smaller). ``--plot FILE.png`` saves the figure the chapter-6 page shows.
"""

from __future__ import annotations

import argparse

import numpy as np

__all__ = ["NAMES", "SMALL", "add_parser", "run"]

NAMES = ("optimizers", "init", "batchnorm", "overfit", "search")

#: Settings of ``--small``, per experiment (keyword arguments of the experiment functions).
SMALL = {
    "optimizers": {"hidden": (50, 50), "iters": 300},
    "init": {"hidden": (50, 50, 50, 50), "iters": 300},
    "batchnorm": {"scales": np.logspace(0, -4, 4), "hidden": (50,) * 3, "epochs": 5},
    "overfit": {
        "runs": {
            "plain": ({}, 30),
            "weight decay": ({"weight_decay_lambda": 0.1}, 30),
            "dropout": ({"use_dropout": True, "dropout_ratio": 0.2}, 30),
        },
        "hidden": (50,) * 3,
    },
    "search": {"trials": 8, "epochs": 5, "hidden": (50,) * 3},
}


def add_parser(sub, positive_int, seed) -> None:
    """Register the ``experiment`` sub-command on ``sub`` (an argparse sub-parsers object)."""
    ex = sub.add_parser(
        "experiment",
        help="rerun one of chapter 6's experiments and print what it measured",
        description=(
            "Rerun a chapter-6 experiment with the book's settings (or --small) and print a table of what "
            "it measured. optimizers: four update rules on x^2/20 + y^2, then SGD, Momentum, AdaGrad and "
            "Adam on MNIST. init: activation histograms for four weight scales, then std 0.01, Xavier and He "
            "on MNIST. batchnorm: with and without batch norm over 16 weight scales. overfit: 300 images, "
            "plain, weight decay and dropout. search: random search of learning rate and weight decay."
        ),
    )
    ex.add_argument("name", choices=NAMES, metavar="NAME", help=" | ".join(NAMES))
    ex.add_argument("--small", action="store_true", help="a run of seconds instead of minutes")
    ex.add_argument("--seed", type=seed, default=0, help="seed of the experiment (default 0)")
    ex.add_argument("--plot", metavar="PNG", help="save the experiment's figure to this PNG file")
    ex.add_argument("--data", choices=("sample", "mnist"), default="sample", help="sample (default) or mnist")
    ex.add_argument("--data-dir", metavar="DIR", help="folder of the MNIST .gz files (--data mnist)")
    ex.add_argument("--download", action="store_true", help="download missing MNIST files first (--data mnist)")
    ex.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        help="run the experiment's trainings on this many threads (default 1)",
    )
    ex.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        help="progress bar on stderr (default: only on a terminal, for runs longer than a second)",
    )


def _table(header, rows) -> str:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(f"{h:>{w}}" for h, w in zip(header, widths))]
    lines += ["  ".join(f"{c:>{w}}" for c, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def _optimizers(args, data, kw, out, executor):
    from . import compare_optimizers, optimizer_paths, plots

    paths = optimizer_paths()
    print("Four optimizers on f(x, y) = x²/20 + y² from (-7, 2), 30 steps (book §6.1.7):", file=out)
    print(
        _table(
            ["optimizer", "x", "y", "f(x, y)"],
            [[k, f"{x:.4f}", f"{y:.4f}", f"{paths['f_end'][k]:.5f}"] for k, (x, y) in paths["end"].items()],
        ),
        file=out,
    )
    res = compare_optimizers(data, rng=args.seed, progress=args.progress, executor=executor, **kw)
    print(f"\nOn MNIST, {len(res['iterations'])} iterations (book §6.1.8): mean loss of the last iterations", file=out)
    print(_table(["optimizer", "final loss"], [[k, f"{v:.4f}"] for k, v in res["final_loss"].items()]), file=out)
    return plots.plot_loss_curves(res)


def _init(args, data, kw, out, executor):
    from . import activation_histograms, compare_inits, plots

    hist = activation_histograms(rng=args.seed)
    print("Sigmoid activations of 5 layers of 100 for 1,000 random inputs (book §6.2.2):", file=out)
    rows = [
        [k, " ".join(f"{s:.2f}" for s in v["std"]), " ".join(f"{s:.2f}" for s in v["saturated"]), f"{v['grad'][0]:.1e}"]
        for k, v in hist.items()
    ]
    print(
        _table(["weight std", "activation std per layer", "saturated per layer", "gradient at layer 1"], rows), file=out
    )
    res = compare_inits(data, rng=args.seed, progress=args.progress, executor=executor, **kw)
    print(
        f"\nOn MNIST with SGD, {len(res['iterations'])} iterations (book §6.2.4): mean loss of the last iterations",
        file=out,
    )
    print(_table(["weight std", "final loss"], [[k, f"{v:.4f}"] for k, v in res["final_loss"].items()]), file=out)
    return plots.plot_loss_curves(res, ylim=(0, 2.5))


def _batchnorm(args, data, kw, out, executor):
    from . import batchnorm_comparison, plots

    res = batchnorm_comparison(data, rng=args.seed, progress=args.progress, executor=executor, **kw)
    print("Training accuracy after the last epoch, with and without batch norm (book §6.3.3):", file=out)
    rows = [
        [f"{s:.2g}", f"{b:.3f}", f"{p:.3f}"]
        for s, b, p in zip(res["scales"], res["final"]["batchnorm"], res["final"]["plain"])
    ]
    print(_table(["weight std", "batch norm", "without"], rows), file=out)
    return plots.plot_batchnorm(res)


def _overfit(args, data, kw, out, executor):
    from . import overfitting, plots

    res = overfitting(data, rng=args.seed, progress=args.progress, executor=executor, **kw)
    print("300 training images (book §6.4): accuracy at the last epoch", file=out)
    rows = [
        [
            k,
            len(res[k]["epochs"]) - 1,
            f"{res[k]['train_acc'][-1]:.3f}",
            f"{res[k]['test_acc'][-1]:.3f}",
            f"{res['gap'][k]:.3f}",
        ]
        for k in res["gap"]
    ]
    print(_table(["run", "epochs", "train acc", "test acc", "gap"], rows), file=out)
    return plots.plot_overfitting(res)


def _search(args, data, kw, out, executor):
    from . import plots, random_search

    (x_train, t_train), _ = data
    res = random_search((x_train[:500], t_train[:500]), rng=args.seed, executor=executor, progress=args.progress, **kw)
    print(
        f"Random search, {len(res['val_acc'])} trials on 400 training / 100 validation images (book §6.5): the best",
        file=out,
    )
    rows = [
        [rank + 1, f"{res['val_acc'][i]:.3f}", f"{res['lr'][i]:.2e}", f"{res['weight_decay'][i]:.2e}"]
        for rank, i in enumerate(res["order"][:10])
    ]
    print(_table(["rank", "val acc", "lr", "weight decay"], rows), file=out)
    return plots.plot_search(res, best=min(20, max(1, len(res["val_acc"]) // 5)))


RUNNERS = {"optimizers": _optimizers, "init": _init, "batchnorm": _batchnorm, "overfit": _overfit, "search": _search}


def run(args, out, load_data, fail) -> int:
    """Run the experiment ``args.name``; ``load_data(args)`` gives the data, ``fail(msg)`` raises the CLI's error."""
    if args.plot is not None:
        try:
            import matplotlib.figure  # noqa: F401
        except ImportError:
            fail("--plot needs matplotlib, which is not installed: pip install matplotlib")
    data, source = load_data(args)
    kw = SMALL[args.name] if args.small else {}
    print(
        f"experiment {args.name}{' (small)' if args.small else ''} on {source}, seed {args.seed}", file=out, flush=True
    )
    from contextlib import nullcontext

    from .parallel import thread_pool

    with thread_pool(args.workers) if args.workers > 1 else nullcontext() as executor:
        fig = RUNNERS[args.name](args, data, kw, out, executor)
    if args.plot is not None:
        try:
            fig.savefig(args.plot, dpi=120)
        except OSError as exc:
            fail(f"cannot write --plot {args.plot}: {exc}")
        print(f"figure saved to {args.plot}", file=out)
    return 0
