"""Chapter 4 · training: mini-batch SGD lowers the loss and the network learns to read digits.

The claim spec trains the book's TwoLayerNet on the offline MNIST sample. The other specs pin the
loop itself (nnspec.training) on a small softmax-regression net written here, so that they do not
depend on any other part of nnspec: the update rule, the evaluation schedule, determinism, argument
checks and the progress bar.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

from nnspec import datasets, training
from nnspec.networks import TwoLayerNet
from nnspec.training import AUTO_PROGRESS_DELAY, TrainResult, progress_bar, train

# --------------------------------------------------------------------------- the claim

# 10 epochs of the 4,000-image sample = 400 iterations of batch 100 at learning rate 0.1.
EPOCHS, HIDDEN, BATCH, LR = 10, 50, 100, 0.1

# Measured once by hand with seeds 0-19 (the same seed for the initial weights and the batches):
# after 10 epochs the test accuracy was 0.878-0.896 (mean 0.887, standard deviation 0.004). 0.85 is
# 7 standard deviations below the mean and 0.028 below the worst seed, so seed noise cannot fail
# it; a network that learned nothing scores about 0.1, and one that is learning too slowly (e.g. a
# tenth of the learning rate) stays below 0.3.
MIN_TEST_ACC = 0.85

# The mean mini-batch loss starts at about ln 10 = 2.30 (uniform guesses) and, over seeds 0-19,
# the mean of the last 50 iterations ended between 0.32 and 0.36: a fall to under a quarter.
MAX_LOSS_RATIO = 0.25


@pytest.mark.claim("training.sgd-learns")
def test_sgd_lowers_the_loss_and_learns_the_sample(evidence):
    """SGD on TwoLayerNet 784-50-10, batch 100, lr 0.1, 10 epochs of the MNIST sample."""
    (x_train, t_train), (x_test, t_test) = datasets.load_sample(dtype=np.float64)
    net = TwoLayerNet(784, HIDDEN, 10, rng=0)
    r = train(
        net, (x_train, t_train), (x_test, t_test), iters=EPOCHS * len(x_train) // BATCH, batch_size=BATCH, lr=LR, rng=0
    )
    first, last = r.loss[:50].mean(), r.loss[-50:].mean()

    evidence("mean loss, first 50 iterations", first)
    evidence("mean loss, last 50 iterations", last)
    evidence("train accuracy, before → after", [r.train_acc[0], r.train_acc[-1]])
    evidence("test accuracy, before → after", [r.test_acc[0], r.test_acc[-1]])
    evidence("required", f"last-50 mean loss < {MAX_LOSS_RATIO} × first-50; test accuracy ≥ {MIN_TEST_ACC}")

    assert last < MAX_LOSS_RATIO * first, r.table()
    assert r.test_acc[-1] >= MIN_TEST_ACC, r.table()


# --------------------------------------------------------------------------- a tiny network


class SoftmaxRegression:
    """x·W + b, softmax, cross-entropy: the smallest net with the interface ``train`` needs."""

    def __init__(self, n_in=5, n_out=3, seed=0):
        rng = np.random.default_rng(seed)
        self.params = {"W": 0.01 * rng.standard_normal((n_in, n_out)), "b": np.zeros(n_out)}
        self.calls = {"loss": 0, "gradient": 0, "numerical_gradient": 0}

    def _probs(self, x):
        a = x @ self.params["W"] + self.params["b"]
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def loss(self, x, t):
        self.calls["loss"] += 1
        p = self._probs(x)
        return float(-np.mean(np.log(p[np.arange(len(t)), t])))

    def accuracy(self, x, t):
        return float(np.mean(self._probs(x).argmax(axis=1) == t))

    def gradient(self, x, t):
        self.calls["gradient"] += 1
        d = self._probs(x)
        d[np.arange(len(t)), t] -= 1
        d /= len(t)
        return {"W": x.T @ d, "b": d.sum(axis=0)}

    def numerical_gradient(self, x, t, h=1e-5):
        self.calls["numerical_gradient"] += 1
        grads = {}
        for key, p in self.params.items():
            g = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                keep = p[i]
                p[i] = keep + h
                up = self.loss(x, t)
                p[i] = keep - h
                down = self.loss(x, t)
                p[i] = keep
                g[i] = (up - down) / (2 * h)
            grads[key] = g
        return grads


def blobs(n=300, n_in=5, n_out=3, seed=0):
    """Three well-separated Gaussian clusters: a problem SGD must solve almost perfectly."""
    rng = np.random.default_rng(seed)
    t = rng.integers(n_out, size=n)
    centers = 3.0 * rng.standard_normal((n_out, n_in))
    x = centers[t] + rng.standard_normal((n, n_in))
    return x, t


# --------------------------------------------------------------------------- the loop


def test_sgd_update_is_w_minus_lr_times_gradient():
    """One iteration moves every parameter by exactly -lr * (gradient on the drawn batch), in place."""
    x, t = blobs()
    net = SoftmaxRegression()
    before = {k: v.copy() for k, v in net.params.items()}
    same_objects = {k: id(v) for k, v in net.params.items()}
    idx = np.random.default_rng(7).choice(len(x), size=20, replace=False)  # the batch train() draws
    expected_grads = SoftmaxRegression().gradient(x[idx], t[idx])
    expected_loss = SoftmaxRegression().loss(x[idx], t[idx])

    r = train(net, (x, t), (x, t), iters=1, batch_size=20, lr=0.5, rng=7)

    assert r.loss[0] == expected_loss  # the loss of the batch, before the update
    for k in net.params:
        assert id(net.params[k]) == same_objects[k], "params must be updated in place"
        np.testing.assert_array_equal(net.params[k], before[k] - 0.5 * expected_grads[k])


def test_loss_falls_and_accuracy_rises_on_separable_data():
    x, t = blobs()
    net = SoftmaxRegression()
    r = train(net, (x, t), blobs(seed=0), iters=200, batch_size=30, lr=0.5, rng=1)
    assert r.loss[-20:].mean() < 0.25 * r.loss[:20].mean()
    assert r.test_acc[-1] >= 0.95
    assert r.train_acc[0] < 0.8  # it had something to learn


def test_same_seed_same_run_different_seed_different_batches():
    x, t = blobs()
    runs = []
    for seed in (3, 3, 4):
        net = SoftmaxRegression()
        r = train(net, (x, t), (x, t), iters=30, batch_size=10, lr=0.3, rng=seed)
        runs.append((r, net.params["W"].copy()))
    np.testing.assert_array_equal(runs[0][0].loss, runs[1][0].loss)
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert not np.array_equal(runs[0][0].loss, runs[2][0].loss)
    # A Generator is used as given: its state moves on, as the caller expects.
    gen = np.random.default_rng(3)
    r = train(SoftmaxRegression(), (x, t), (x, t), iters=30, batch_size=10, lr=0.3, rng=gen)
    np.testing.assert_array_equal(r.loss, runs[0][0].loss)


@pytest.mark.parametrize(
    ("n", "batch", "iters", "eval_every", "expected"),
    [
        (300, 30, 25, None, [0, 10, 20, 25]),  # one epoch = 300 // 30 = 10 iterations; last partial
        (300, 30, 20, None, [0, 10, 20]),  # no duplicate row at the end
        (300, 30, 7, 3, [0, 3, 6, 7]),
        (300, 300, 3, None, [0, 1, 2, 3]),  # batch = whole set: one iteration per epoch
        (50, 40, 2, None, [0, 1, 2]),  # 50 // 40 = 1
    ],
)
def test_evaluation_schedule(n, batch, iters, eval_every, expected):
    x, t = blobs(n)
    r = train(SoftmaxRegression(), (x, t), (x, t), iters=iters, batch_size=batch, lr=0.1, eval_every=eval_every)
    assert r.eval_iters.tolist() == expected
    assert r.loss.shape == (iters,)
    assert r.train_acc.shape == r.test_acc.shape == r.seconds.shape == (len(expected),)
    assert np.all(np.diff(r.seconds) >= 0)
    np.testing.assert_array_equal(r.epochs, np.array(expected) / max(n // batch, 1))
    assert r.total_seconds == r.seconds[-1]


def test_interval_loss_and_table():
    x, t = blobs()
    r = train(SoftmaxRegression(), (x, t), (x[:50], t[:50]), iters=15, batch_size=30, lr=0.1)
    mean = r.interval_loss()
    assert np.isnan(mean[0])
    assert mean[1] == r.loss[0:10].mean() and mean[2] == r.loss[10:15].mean()
    lines = r.table().splitlines()
    assert lines[0].split() == ["epoch", "iteration", "loss", "train", "acc", "test", "acc", "seconds"]
    assert lines[1].split()[:3] == ["0", "0", "-"]
    assert lines[2].split()[:3] == ["1", "10", f"{mean[1]:.4f}"]
    assert lines[3].split()[:2] == ["1.5", "15"]  # a partial last epoch
    assert float(lines[3].split()[4]) == pytest.approx(r.test_acc[-1], abs=5e-5)


def test_callback_receives_each_row():
    x, t = blobs()
    rows = []
    r = train(SoftmaxRegression(), (x, t), (x, t), iters=20, batch_size=30, lr=0.1, callback=lambda *v: rows.append(v))
    assert [row[1] for row in rows] == r.eval_iters.tolist()
    assert [row[0] for row in rows] == r.epochs.tolist()
    np.testing.assert_array_equal([row[2] for row in rows], r.interval_loss())
    assert [row[3] for row in rows] == r.train_acc.tolist() and [row[4] for row in rows] == r.test_acc.tolist()
    assert [row[5] for row in rows] == r.seconds.tolist()


def test_numerical_gradient_gives_the_same_training():
    """grad="numerical" calls numerical_gradient and, the gradients agreeing, follows the same path."""
    x, t = blobs()
    nets = {g: SoftmaxRegression() for g in ("backprop", "numerical")}
    res = {g: train(nets[g], (x, t), (x, t), iters=10, batch_size=20, lr=0.5, grad=g) for g in nets}
    assert nets["numerical"].calls["numerical_gradient"] == 10 and nets["numerical"].calls["gradient"] == 0
    assert nets["backprop"].calls["gradient"] == 10 and nets["backprop"].calls["numerical_gradient"] == 0
    # Central differences with h = 1e-5 err by about h² · f''' ~ 1e-10 per step on this smooth loss.
    np.testing.assert_allclose(res["numerical"].loss, res["backprop"].loss, rtol=0, atol=1e-8)
    assert res["numerical"].grad == "numerical"


def test_the_loss_backprop_computed_is_reused_not_recomputed():
    """A net whose gradient() leaves the batch loss in last_loss (every LayerNet does) costs one
    forward pass per iteration, not two; the recorded loss is that one."""

    class KeepsLoss(SoftmaxRegression):
        last_loss = None

        def gradient(self, x, t):
            self.last_loss = 100.0 + self.calls["gradient"]  # recognisable values
            return super().gradient(x, t)

    x, t = blobs()
    net = KeepsLoss()
    r = train(net, (x, t), (x, t), iters=4, batch_size=10, lr=0.1)
    assert net.calls["loss"] == 0
    assert r.loss.tolist() == [100.0, 101.0, 102.0, 103.0]
    net = KeepsLoss()  # the numerical gradient leaves no such loss: the loop asks for it
    train(net, (x, t), (x, t), iters=2, batch_size=10, lr=0.1, grad="numerical")
    assert net.calls["loss"] == 2 + 2 * 2 * 18  # 2 recorded + 2 per parameter entry (5·3 + 3) per step


def test_divergence_stops_with_a_clear_error():
    class Exploding(SoftmaxRegression):
        def loss(self, x, t):
            return np.inf if self.calls["gradient"] >= 2 else super().loss(x, t)

    x, t = blobs()
    with pytest.raises(
        FloatingPointError,
        match=r"training diverged at iteration 2 \(SGD\(lr=0.1\)\): the loss became inf; try a smaller lr",
    ):
        train(Exploding(), (x, t), (x, t), iters=10, batch_size=10, lr=0.1)
    # with on_divergence="stop" the run ends at that same first divergent iteration
    r = train(Exploding(), (x, t), (x, t), iters=10, batch_size=10, lr=0.1, on_divergence="stop")
    assert r.diverged_at == 2 and len(r.loss) == 2 and r.eval_iters.tolist() == [0]


def test_overflow_is_divergence_and_can_stop_the_run():
    """A learning rate far too large overflows inside the step: train() stops with a clear error at
    that iteration (no RuntimeWarning on the way), or, with on_divergence="stop", returns what it
    measured before it, with diverged_at set."""
    x, t = blobs()
    big = x * 1e3
    with pytest.raises(FloatingPointError, match=r"training diverged at iteration \d+ \(SGD\(lr=1e\+30\)\): overflow"):
        train(TwoLayerNet(5, 8, 3, weight_init_std=1.0, rng=0), (big, t), (big, t), iters=50, batch_size=10, lr=1e30)
    r = train(
        TwoLayerNet(5, 8, 3, weight_init_std=1.0, rng=0),
        (big, t),
        (big, t),
        iters=50,
        batch_size=10,
        lr=1e30,
        on_divergence="stop",
    )
    assert r.diverged_at is not None and len(r.loss) == r.diverged_at < 50
    assert np.all(np.isfinite(r.loss)) and r.eval_iters[-1] <= r.diverged_at
    assert train(SoftmaxRegression(), (x, t), (x, t), iters=2, batch_size=10, lr=0.1).diverged_at is None
    with pytest.raises(ValueError, match="on_divergence must be 'raise' or 'stop', got 'ignore'"):
        train(SoftmaxRegression(), (x, t), (x, t), iters=2, batch_size=10, lr=0.1, on_divergence="ignore")


class _NoGradient:
    params = {"W": np.zeros((5, 3))}

    def loss(self, x, t):
        return 0.0

    def accuracy(self, x, t):
        return 0.0


X, T = blobs(40)
GOOD = dict(train=(X, T), test=(X, T))


@pytest.mark.claim("training.checks-input")
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(iters=0), ValueError, r"iters must be a positive int, got 0"),
        (dict(iters=2.5), TypeError, r"iters must be a positive int, got float 2\.5"),
        (dict(batch_size=-1), ValueError, r"batch_size must be a positive int, got -1"),
        (dict(batch_size=41), ValueError, r"batch_size must be at most the number of training samples \(40\), got 41"),
        (dict(lr=0), ValueError, r"lr must be a finite number > 0, got 0.0"),
        (dict(lr=float("nan")), ValueError, r"lr must be a finite number > 0, got nan"),
        (dict(lr="0.1"), TypeError, r"lr must be a real number, got str '0\.1'"),
        (dict(lr=True), TypeError, r"lr must be a real number, got bool True"),
        (
            dict(optimizer="adamw"),
            ValueError,
            r"optimizer must be one of \['adagrad', 'adam', 'momentum', 'nesterov', 'rmsprop', 'sgd'\], got 'adamw'",
        ),
        (dict(optimizer=3), TypeError, r"optimizer must be a name \(str\) or an Optimizer, got int"),
        (dict(optimizer_param=[0.1]), TypeError, r"optimizer_param must be a dict of settings, got list"),
        (
            dict(optimizer_param={"lr": 0.1, "beta": 1}),
            TypeError,
            r"SGD takes the settings \['lr'\], got \['beta', 'lr'\]",
        ),
        (
            dict(lr=0.1, optimizer_param={"lr": 0.2}),
            ValueError,
            r"lr given twice: lr=0\.1 and optimizer_param\['lr'\]=0\.2",
        ),
        (dict(eval_every=0), ValueError, r"eval_every must be a positive int, got 0"),
        (dict(grad="adjoint"), ValueError, r"grad must be one of \['backprop', 'numerical'\], got 'adjoint'"),
        (dict(rng=-1), ValueError, r"rng must be a seed >= 0, got -1"),
        (
            dict(rng="seed"),
            TypeError,
            r"rng must be None, an int seed, a numpy\.random\.SeedSequence or a numpy\.random\.Generator, got str 'seed'",
        ),
        (dict(progress="yes"), TypeError, r"progress must be None \(auto\), True, False or a text stream, got str"),
        (dict(callback=3), TypeError, r"callback must be callable, got int"),
        (dict(train=X), TypeError, r"train must be a pair \(x, t\) of arrays, got ndarray"),
        (dict(train=(X, T, T)), TypeError, r"train must be a pair \(x, t\) of arrays, got tuple"),
        (
            dict(train=(X[0], T)),
            ValueError,
            r"train: x must have shape \(N, \.\.\.\) with one row per sample, got shape \(5,\)",
        ),
        (dict(train=(X.astype(complex), T)), TypeError, r"train: x must be a real numeric array, got dtype complex128"),
        (
            dict(train=(X, T[:, None, None])),
            ValueError,
            r"train: t must be labels of shape \(N,\) or one-hot of shape \(N, C\), got shape \(40, 1, 1\)",
        ),
        (dict(test=(X, T[:-1])), ValueError, r"test: x and t must have the same number of samples, got 40 and 39"),
        (dict(test=(X[:0], T[:0])), ValueError, r"test: needs at least one sample, got shape \(0, 5\)"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, message):
    """Each bad argument is refused with the whole message: the argument, what it must be, what it got."""
    args = {**GOOD, "iters": 1, "batch_size": 10, **kwargs}
    with pytest.raises(error, match="^" + message + "$"):
        train(SoftmaxRegression(), **args)


@pytest.mark.parametrize(
    ("net", "message"),
    [
        (object(), r"net must have a non-empty dict `params` of arrays, got object"),
        (_NoGradient(), r"net must have a method `gradient\(x, t\)` \(grad='backprop'\), _NoGradient has none"),
    ],
)
def test_bad_networks_are_refused(net, message):
    with pytest.raises(TypeError, match=message):
        train(net, **GOOD, iters=1, batch_size=10)


@pytest.mark.claim("training.checks-input")
@pytest.mark.parametrize("params", [{}, [np.ones(2)], None])
def test_a_net_without_a_non_empty_params_dict_is_refused(params):
    """train updates net.params by name: an empty dict, a list or None is refused before any step."""
    net = SoftmaxRegression()
    net.params = params
    with pytest.raises(TypeError, match=r"^net must have a non-empty dict `params` of arrays, got SoftmaxRegression$"):
        train(net, **GOOD, iters=1, batch_size=10)


@pytest.mark.claim("training.checks-input")
def test_integer_pixels_are_accepted_and_booleans_refused():
    """x may be any real numeric array (uint8 pixels, ints) and trains as its float64 values do; bool is refused, named."""
    pixels = np.rint(np.abs(X)).astype(np.uint8)  # small: the step stays finite
    runs = [
        train(SoftmaxRegression(), (x, T), (x, T), iters=3, batch_size=10, lr=0.1)
        for x in (pixels, pixels.astype(np.int64), pixels.astype(np.float64))
    ]
    for r in runs[1:]:
        np.testing.assert_array_equal(r.loss, runs[0].loss)
    with pytest.raises(TypeError, match=r"^train: x must be a real numeric array, got dtype bool$"):
        train(SoftmaxRegression(), (X > 0, T), (X, T), iters=1, batch_size=10)


def test_one_hot_targets_work():
    x, t = blobs()

    class OneHotNet(SoftmaxRegression):  # decodes one-hot rows, as TwoLayerNet accepts both
        def loss(self, x, t):
            return super().loss(x, t.argmax(axis=1))

        def accuracy(self, x, t):
            return super().accuracy(x, t.argmax(axis=1))

        def gradient(self, x, t):
            return super().gradient(x, t.argmax(axis=1))

    r1 = train(OneHotNet(), (x, np.eye(3)[t]), (x, np.eye(3)[t]), iters=5, batch_size=10, lr=0.1)
    r2 = train(SoftmaxRegression(), (x, t), (x, t), iters=5, batch_size=10, lr=0.1)
    np.testing.assert_array_equal(r1.loss, r2.loss)


# --------------------------------------------------------------------------- the progress bar


def test_train_draws_the_bar_into_a_stream_and_finishes_it():
    x, t = blobs()
    out = io.StringIO()
    rows = []
    train(
        SoftmaxRegression(),
        (x, t),
        (x, t),
        iters=30,
        batch_size=30,
        lr=0.1,
        progress=out,
        callback=lambda *v: rows.append(v),
    )
    last = out.getvalue().rstrip("\n").split("\r")[-1]
    assert re.search(r"30/30.*loss \d\.\d{4}, test acc \d\.\d{4}", last), last
    assert out.getvalue().endswith("\n")  # the bar's line is closed
    assert len(rows) == 4


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_auto_only_on_a_terminal_and_after_a_delay(monkeypatch, capsys):
    x, t = blobs()
    fit = dict(train=(x, t), test=(x, t), iters=5, batch_size=10, lr=0.1)
    # progress=None on a stderr that is not a terminal (a pipe, a file, pytest's capture): no bar.
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert progress_bar(None, 5) is None
    monkeypatch.setattr("sys.stderr", None)  # pythonw has no stderr
    assert progress_bar(None, 5) is None
    tty = _Tty()
    monkeypatch.setattr("sys.stderr", tty)
    bar = progress_bar(None, 5)
    assert bar.delay == AUTO_PROGRESS_DELAY
    bar.close()
    train(SoftmaxRegression(), **fit)  # far shorter than the delay: nothing drawn
    assert tty.getvalue() == ""
    monkeypatch.undo()
    train(SoftmaxRegression(), **fit, progress=True)  # forced, on the real stderr
    assert "5/5" in capsys.readouterr().err
    train(SoftmaxRegression(), **fit, progress=False)
    assert capsys.readouterr().err == ""
    assert progress_bar(False, 5) is None


@pytest.mark.claim("cli.train-runs-the-options")
@pytest.mark.parametrize("progress", [None, True, "stream"], ids=["automatic on a terminal", "asked for", "a stream"])
def test_the_bar_counts_to_the_total_under_its_label_on_stderr(progress, monkeypatch):
    """The bar (automatic on a terminal or asked for, both on stderr; or on the stream given) counts to
    ``total`` under its label ``desc`` and follows the terminal's width; a stderr that cannot say whether
    it is a terminal gets no automatic bar."""

    class NoIsatty:
        def write(self, text):
            pass

    monkeypatch.setattr("sys.stderr", NoIsatty())
    assert progress_bar(None, 5) is None
    tty = _Tty()
    monkeypatch.setattr("sys.stderr", tty)
    bar = progress_bar(tty if progress == "stream" else progress, 7, "demo")
    try:
        assert (bar.total, bar.desc) == (7, "demo")
        assert callable(bar.dynamic_ncols)  # tqdm keeps a width function only with dynamic_ncols=True
        bar.refresh()
        assert tty.getvalue().startswith("\rdemo:") and "0/7" in tty.getvalue()
    finally:
        bar.close()


def test_result_is_a_record_of_arrays():
    x, t = blobs()
    r = train(SoftmaxRegression(), (x, t), (x, t), iters=3, batch_size=10, lr=0.1)
    assert isinstance(r, TrainResult) and r.batch_size == 10 and r.lr == 0.1 and r.iters_per_epoch == 30
    assert r.optimizer == "SGD(lr=0.1)"
    assert r.eval_iters.dtype.kind == "i" and r.loss.dtype == np.float64


def test_plot_curves_draws_loss_and_both_accuracies():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    x, t = blobs()
    r = train(SoftmaxRegression(), (x, t), (x, t), iters=25, batch_size=30, lr=0.1)
    fig = Figure()
    assert training.plot_curves(r, fig) is fig and fig._suptitle is None
    loss_ax, acc_ax = fig.axes
    raw, smooth = loss_ax.get_lines()
    np.testing.assert_array_equal(raw.get_ydata(), r.loss)
    np.testing.assert_allclose(smooth.get_ydata()[0], r.loss[:10].mean())  # one epoch = 10 iterations
    train_line, test_line = acc_ax.get_lines()
    np.testing.assert_array_equal(train_line.get_xdata(), r.epochs)
    np.testing.assert_array_equal(train_line.get_ydata(), r.train_acc)
    np.testing.assert_array_equal(test_line.get_ydata(), r.test_acc)


def test_no_test_set_measures_the_training_curve_only():
    x, t = blobs()
    r = train(SoftmaxRegression(), (x, t), None, iters=20, batch_size=30, lr=0.1)
    assert np.all(np.isnan(r.test_acc)) and np.all(np.isfinite(r.train_acc)) and len(r.train_acc) == 3
