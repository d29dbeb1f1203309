"""The command line: ``python -m nnspec train …`` and ``python -m nnspec experiment …`` (also installed as ``nnspec``).

Trains a ``nnspec.networks.MultiLayerNet`` (by default 784-50-10, the book's chapter-5 network) on
MNIST with any of chapter 6's optimizers (``nnspec.training.train``), prints one table row per
epoch and can save the curves as a PNG (see docs/training.md); ``experiment NAME`` reruns one of
chapter 6's experiments (see ``nnspec.experiments.cli`` and docs/ch6-training-techniques.md).

Exit status: 0 on success, 2 for a usage error (bad option or value), 1 when the run cannot be
done (data absent, download failed, matplotlib missing for ``--plot``, training diverged).
"""

from __future__ import annotations

import argparse
import math
import sys

PROG = "nnspec"
OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
CLI_SGD_LR = 0.1  # the book's chapter-5 run; the other optimizers keep their own default rates
DATA_CHOICES = ("sample", "mnist")


class _Failure(Exception):
    """The run cannot be done; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive finite number, got {text!r}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}") from None
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {text!r}")
    return value


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a probability in [0, 1), got {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected a probability in [0, 1), got {text!r}")
    return value


INIT_NAMES = ("he", "relu", "xavier", "sigmoid")


def _init_std(text: str):
    if text.lower() in INIT_NAMES:
        return text.lower()
    try:
        return _positive_float(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected he, xavier (or relu, sigmoid) or a positive number, got {text!r}"
        ) from None


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a seed >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a seed >= 0, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``nnspec`` (sub-command ``train``)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="nnspec: deep learning from scratch, written as executable specifications.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    tr = sub.add_parser(
        "train",
        help="train a network on MNIST with mini-batches and backpropagation",
        description=(
            "Train MultiLayerNet (784-HIDDEN...-10: Affine, [BatchNorm], activation, [Dropout] per hidden "
            "layer, then Affine and softmax with cross-entropy loss) on MNIST with mini-batches, "
            "backpropagation and an optimizer. The default, --hidden 50 with SGD, is the book's chapter-5 "
            "TwoLayerNet. Prints one row per epoch: epoch, iteration, mean mini-batch loss since the "
            "previous row (weight decay included), accuracy on the whole training set and on the test "
            "set, seconds since the start."
        ),
        epilog=(
            "--data sample (default) is the 5,000-image MNIST sample (4,000 train / 1,000 test) that "
            "works offline. --data mnist is the full 60,000 / 10,000 set; it is read from --data-dir "
            "(else $NNSPEC_DATA, else the nnspec cache) and fetched only with --download."
        ),
    )
    tr.add_argument(
        "--hidden",
        type=_positive_int,
        nargs="+",
        default=[50],
        metavar="N",
        help="units of each hidden layer, e.g. --hidden 100 100 100 (default 50: one layer)",
    )
    tr.add_argument("--iters", type=_positive_int, default=10_000, help="updates (default 10000)")
    tr.add_argument("--batch", type=_positive_int, default=100, help="mini-batch size (default 100)")
    tr.add_argument(
        "--optimizer",
        choices=sorted(OPTIMIZER_NAMES),
        default="sgd",  # pragma: no mutate (equivalent: argparse passes a string default through type=str.lower)
        type=str.lower,
        help="update rule (default sgd)",
    )
    tr.add_argument(
        "--lr",
        type=_positive_float,
        help="learning rate (default 0.1 for sgd, the book's chapter-5 run; else the optimizer's own: "
        "0.01 for momentum, nesterov, adagrad, rmsprop, 0.001 for adam)",
    )
    tr.add_argument(
        "--activation", choices=("relu", "sigmoid"), default="relu", help="hidden activation (default relu)"
    )
    tr.add_argument("--batchnorm", action="store_true", help="batch normalization before every hidden activation")
    tr.add_argument("--dropout", type=_ratio, metavar="P", help="dropout after every hidden activation")
    tr.add_argument(
        "--weight-decay",
        type=_non_negative_float,
        default=0.0,
        metavar="LAMBDA",
        help="weight decay: the loss gains LAMBDA/2 times the sum of squared weights (default 0)",
    )
    tr.add_argument(
        "--eval-every",
        type=_positive_int,
        metavar="N",
        help="iterations between table rows (default: one epoch = training samples // batch)",
    )
    tr.add_argument(
        "--weight-init-std",
        type=_init_std,
        default=0.01,
        metavar="STD",
        help="standard deviation of the initial weights: a number, he (sqrt(2/n)) or xavier (sqrt(1/n)) "
        "(default 0.01, the book's chapter 5)",
    )
    tr.add_argument("--dtype", choices=("float64", "float32"), default="float64", help="default float64")
    tr.add_argument("--data", choices=DATA_CHOICES, default="sample", help="sample (default) or mnist")
    tr.add_argument("--data-dir", metavar="DIR", help="folder of the MNIST .gz files (--data mnist)")
    tr.add_argument("--download", action="store_true", help="download missing MNIST files first (--data mnist)")
    tr.add_argument(
        "--seed", type=_seed, default=0, help="seed of the initial weights and of the batch order (default 0)"
    )
    tr.add_argument("--plot", metavar="PNG", help="save the loss and accuracy curves to this PNG file")
    tr.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        help="progress bar on stderr (default: only on a terminal, for runs longer than a second)",
    )
    from nnspec.experiments import cli as experiment_cli

    experiment_cli.add_parser(sub, _positive_int, _seed)
    return parser


def _check_matplotlib() -> None:
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError:
        raise _Failure(
            "--plot needs matplotlib, which is not installed: pip install matplotlib "
            "(or install nnspec with its 'docs' extra)"
        ) from None


def _load_data(args):
    """((x_train, t_train), (x_test, t_test)) and a description of the source."""
    from nnspec import datasets

    if args.data == "mnist":
        try:
            data = datasets.load_mnist(
                normalize=True,
                flatten=True,
                one_hot_label=False,
                data_dir=args.data_dir,
                download=args.download,
                dtype=args.dtype,
            )
        except datasets.DataNotFoundError as exc:
            raise _Failure(
                f"{exc}\n(--data mnist never falls back to the sample; add --download to fetch it)"
            ) from None
        except (datasets.ChecksumError, datasets.DownloadError) as exc:
            raise _Failure(str(exc)) from None
        what = "full MNIST"
    else:
        try:
            # load_sample's defaults are the format trained on: pixels x/255 in rows of 784, digit labels
            data = datasets.load_sample(dtype=args.dtype)
        except datasets.DataNotFoundError as exc:
            raise _Failure(str(exc)) from None
        what = "the MNIST sample"
    (x_train, _), (x_test, _) = data
    return data, f"{what} ({len(x_train):,} train / {len(x_test):,} test)"


def _train(args, out) -> int:
    import numpy as np

    from nnspec.networks import MultiLayerNet
    from nnspec.optimizers import make_optimizer
    from nnspec.training import TABLE_HEADER, format_row, plot_curves, train

    if args.data == "sample" and (args.download or args.data_dir is not None):
        flag = "--download" if args.download else "--data-dir"
        raise _Failure(f"{flag} applies to --data mnist only (the sample ships with the code)", code=2)
    if args.plot is not None:
        _check_matplotlib()
    ((x_train, t_train), (x_test, t_test)), source = _load_data(args)
    n_in, n_out = x_train.shape[1], int(np.max(t_train)) + 1
    # One seed for the initial weights (and dropout masks) and, separately, the same seed for the
    # batches: exactly what the specs and the pages do, so `--seed 0` reproduces their runs.
    net = MultiLayerNet(
        n_in,
        args.hidden,
        n_out,
        activation=args.activation,
        weight_init_std=args.weight_init_std,
        weight_decay_lambda=args.weight_decay,
        **({} if args.dropout is None else {"use_dropout": True, "dropout_ratio": args.dropout}),
        use_batchnorm=args.batchnorm,
        rng=args.seed,
        dtype=args.dtype,
    )
    lr = args.lr if args.lr is not None else (CLI_SGD_LR if args.optimizer == "sgd" else None)
    optimizer = make_optimizer(args.optimizer, **({} if lr is None else {"lr": lr}))
    print(
        f"{net!r} ({args.dtype}) on {source}: {args.iters} iterations, batch {args.batch}, "
        f"{optimizer!r}, seed {args.seed}",
        file=out,
    )
    print(TABLE_HEADER, file=out, flush=True)

    def row(*values):
        print(format_row(*values), file=out, flush=True)

    try:
        result = train(
            net,
            (x_train, t_train),
            (x_test, t_test),
            iters=args.iters,
            batch_size=args.batch,
            optimizer=optimizer,
            rng=args.seed,
            eval_every=args.eval_every,
            progress=args.progress,
            callback=row,
        )
    except ValueError as exc:
        raise _Failure(str(exc), code=2) from None
    except FloatingPointError as exc:
        raise _Failure(str(exc)) from None
    print(
        f"final: train acc {result.train_acc[-1]:.4f}, test acc {result.test_acc[-1]:.4f} "
        f"after {args.iters} iterations in {result.total_seconds:.1f} s",
        file=out,
    )
    if args.plot is not None:
        fig = plot_curves(result, title=f"{net!r}, {optimizer!r} on {source}")
        try:
            fig.savefig(args.plot, dpi=120)
        except OSError as exc:
            raise _Failure(f"cannot write --plot {args.plot}: {exc}") from None
        print(f"curves saved to {args.plot}", file=out)
    return 0


def main(argv=None, out=None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    out = sys.stdout if out is None else out  # pragma: no mutate (equivalent: print(file=None) writes to sys.stdout)
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with status 2 on a usage error
    try:
        if args.command == "experiment":
            from nnspec.experiments import cli as experiment_cli

            if args.data == "sample" and (args.download or args.data_dir is not None):
                flag = "--download" if args.download else "--data-dir"
                raise _Failure(f"{flag} applies to --data mnist only (the sample ships with the code)", code=2)
            args.dtype = "float64"  # pragma: no mutate (equivalent: the loaders read dtype None as float64)

            def fail(message):
                raise _Failure(message)

            return experiment_cli.run(args, out, _load_data, fail)
        return _train(args, out)
    except _Failure as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return exc.code


if __name__ == "__main__":
    sys.exit(main())
