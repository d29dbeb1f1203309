"""The benchmark ``python -m nnspec.bench``: it runs, prints its table, and times correct steps.

These are smoke and correctness specs, not timed assertions: how fast a step is depends on the
machine and on whatever else runs on it, so no spec here compares a time with a bound. What the
benchmark measures and the numbers it gave are on docs/benchmark.md.
"""

from __future__ import annotations

import gc
import json
import os
import time

import numpy as np
import pytest

from nnspec import bench
from nnspec.bench import bookstyle, cases
from nnspec.networks import MultiLayerNet, TwoLayerNet
from nnspec.training import train

KEYS = ("W1", "b1", "W2", "b2")

# sgd_step scales (y - t)/N by lr before the products, the plain route scales each gradient after:
# the same numbers up to a few roundings per entry. The bounds are ~100 ulps of 1 in each dtype,
# while a wrong step (a missing mask, the updated W2 in D1, a lost 1/N) is off by O(lr · gradient)
# ≈ 1e-3 or more here.
STEP_TOL = {np.float64: 1e-13, np.float32: 1e-5}


# --------------------------------------------------------------------------- the harness


def test_interleaving_rotates_the_order_and_resets_before_each_call():
    calls = []
    funcs = {name: (lambda n=name: calls.append(n), lambda n=name: calls.append("reset " + n)) for name in "abc"}
    times = bench.interleaved(funcs, reps=3, warmup=1)
    assert {k: len(v) for k, v in times.items()} == {"a": 3, "b": 3, "c": 3}  # warmup not recorded
    starts = [calls[i] for i in range(0, len(calls), 6)]  # each repetition: 3 × (reset, call)
    assert starts == ["reset a", "reset b", "reset c", "reset a"]
    assert all(calls[i].startswith("reset ") and calls[i + 1] == calls[i][6:] for i in range(0, len(calls), 2))


def test_the_garbage_collector_is_paused_while_timing_and_then_left_as_it_was():
    seen = []
    probe = {"f": (lambda: seen.append(gc.isenabled()), None)}
    assert gc.isenabled()
    bench.interleaved(probe, reps=1, warmup=0)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        bench.interleaved(probe, reps=1, warmup=0)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.claim("bench.table")
def test_quartiles_and_ratios():
    assert bench.quartiles([2.0]) == (2.0, 2.0, 2.0)
    r = bench.ratio("x", [2.0, 4.0, 6.0, 8.0], [1.0, 1.0, 2.0, 2.0], target=2.5)
    assert r.ratio == 3.5 and r.a_s == 5.0 and r.b_s == 1.5 and r.reps == 4  # medians of [2, 4, 3, 4] and of times
    assert r.q1 <= r.ratio <= r.q3 and r.verdict == "over"
    assert bench.ratio("y", [1.0], [2.0], target=1.0).verdict == "ok"
    assert bench.ratio("z", [1.0], [2.0]).verdict == ""


def test_run_reports_every_row():
    res = bench.run(2, batch=4, hidden=5, warmup=0, ch6=False)
    labels = [r.label for r in res["rows"]]
    assert len(labels) == 5 and all(r.reps == 2 and r.a_s > 0 and r.b_s > 0 for r in res["rows"])
    assert sum("float64" in label and r.target is not None for label, r in zip(labels, res["rows"])) == 2
    assert res["torch_info"] == ""


@pytest.mark.claim("bench.table")
def test_main_prints_the_table(capsys):
    assert bench.main(["--reps", "2", "--batch", "4", "--hidden", "5"]) == 0
    out = capsys.readouterr().out
    assert "BLAS:" in out and "2 interleaved repetitions per row" in out
    rows = [line for line in out.splitlines() if line.startswith(("TwoLayerNet", "chapter-6"))]
    assert len(rows) == 6
    for line in rows:
        a_us, b_us, ratio = _numbers(line)
        assert a_us > 0 and b_us > 0 and ratio > 0
    assert any(line.endswith(("ok", "over")) for line in rows)


def _numbers(line: str):
    """The a µs, b µs and a/b columns of a table row (the first three numbers after the label)."""
    tail = line.split(" / ")[-1].split()
    values = [float(v) for v in tail if v.replace(".", "", 1).isdigit()]
    return values[0], values[1], values[2]


@pytest.mark.claim("bench.table")
def test_main_options(capsys, tmp_path):
    pytest.importorskip("threadpoolctl")
    out_json = tmp_path / "bench.json"
    argv = ["--reps", "2", "--batch", "3", "--hidden", "4", "--threads", "1", "--no-ch6", "--json", str(out_json)]
    assert bench.main(argv) == 0
    out = capsys.readouterr().out
    assert "784-4-10, batch 3" in out and "1 threads" in out and "chapter-6" not in out
    record = json.loads(out_json.read_text(encoding="utf-8"))
    assert record["argv"][3:] == argv and record["reps"] == 2 and len(record["rows"]) == 5
    assert set(record["rows"][0]) == {"label", "a_s", "b_s", "ratio", "q1", "q3", "reps", "target"}
    assert "1 threads" in record["machine"] and f"rows written to {out_json}" in out


@pytest.mark.claim("bench.table")
@pytest.mark.parametrize("argv", [["--reps", "0"], ["--batch", "-1"], ["--hidden", "0"], ["--threads", "0"]])
def test_main_refuses_non_positive_sizes(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(argv)
    assert exc.value.code == 2
    assert "must be positive" in capsys.readouterr().err


@pytest.mark.claim("bench.table")
def test_the_table_row_by_row():
    """format_rows: label, a and b in µs to 0.1, the ratio to 3 decimals, quartiles to 2, the verdict."""
    rows = [
        bench.Ratio("long label a / b", 1.5e-3, 5e-4, 3.0, 2.5, 3.25, 10, 3.0),
        bench.Ratio("short", 2e-6, 4e-6, 0.5004, 0.49, 0.51, 10, 0.5),
        bench.Ratio("none", 1e-3, 1e-3, 1.0, 1.0, 1.0, 10),
    ]
    assert bench.format_rows(rows).splitlines() == [
        "case                   a µs       b µs     a/b  quartiles     target",
        "long label a / b     1500.0      500.0   3.000  [2.50, 3.25]  ≤ 3 ok",
        "short                   2.0        4.0   0.500  [0.49, 0.51]  ≤ 0.5 over",
        "none                 1000.0     1000.0   1.000  [1.00, 1.00]",
    ]


@pytest.mark.claim("bench.table")
def test_the_ratio_is_the_median_of_per_repetition_ratios():
    """Not the ratio of the medians: with a = [1, 10, 10], b = [1, 1, 10] the medians give 10, the ratios [1, 10, 1] give 1."""
    r = bench.ratio("r", [1.0, 10.0, 10.0], [1.0, 1.0, 10.0], target=1.0)
    assert (r.a_s, r.b_s, r.ratio, r.reps, r.label, r.target) == (10.0, 1.0, 1.0, 3, "r", 1.0)
    assert (r.q1, r.q3) == (1.0, 10.0)  # statistics.quantiles of [1, 1, 10], exclusive method
    assert r.verdict == "ok"  # at the target is within it
    assert bench.quartiles([1.0, 2.0, 3.0, 4.0, 5.0]) == (1.5, 3.0, 4.5)


@pytest.mark.claim("bench.table")
def test_times_are_durations_and_quartiles_are_statistics_quartiles():
    """interleaved records each call's duration (t1 − t0); quartiles are statistics.quantiles' for 2 values or more."""
    times = bench.interleaved({"nap": (lambda: time.sleep(0.002), None)}, reps=2, warmup=0)["nap"]
    assert len(times) == 2 and all(0.002 <= t < 1.0 for t in times)
    assert bench.quartiles([1.0, 3.0]) == (0.5, 2.0, 3.5)  # statistics.quantiles([1, 3], n=4), exclusive method
    assert bench.quartiles([1.0, 2.0, 3.0]) == (1.0, 2.0, 3.0)


@pytest.mark.claim("bench.table")
def test_blas_info_describes_every_blas_pool():
    """One entry per BLAS pool threadpoolctl finds: its library, version, architecture and threads."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    pools = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    parts = [f"{p['internal_api']} {p['version']} ({p['architecture']}), {p['num_threads']} threads" for p in pools]
    assert bench.blas_info() == f"BLAS: {'; '.join(parts)}; {os.cpu_count()} CPUs"


class _FakeThreadpoolctl:
    """Stands in for threadpoolctl with the pools a machine might report."""

    def __init__(self, pools):
        self.pools = pools

    def threadpool_info(self):
        return self.pools


@pytest.mark.claim("bench.table")
def test_blas_info_with_no_or_several_blas_pools(monkeypatch):
    from nnspec.bench import timing

    pools = [
        {"user_api": "blas", "internal_api": "openblas", "version": "0.3", "architecture": "Haswell", "num_threads": 2},
        {"user_api": "openmp", "internal_api": "openmp", "version": None, "num_threads": 8},
        {"user_api": "blas", "internal_api": "mkl", "version": "2024", "architecture": "x86", "num_threads": 4},
    ]
    monkeypatch.setattr(timing, "threadpoolctl", _FakeThreadpoolctl(pools))
    assert timing.blas_info() == (
        f"BLAS: openblas 0.3 (Haswell), 2 threads; mkl 2024 (x86), 4 threads; {os.cpu_count()} CPUs"
    )
    assert timing.blas_threads() == 4  # the larger BLAS pool; OpenMP's 8 threads are not BLAS
    monkeypatch.setattr(timing, "threadpoolctl", _FakeThreadpoolctl(pools[1:2]))
    assert timing.blas_info() == f"BLAS: unknown; {os.cpu_count()} CPUs"
    assert timing.blas_threads() is None


@pytest.mark.claim("bench.table")
def test_blas_threads_is_the_blas_thread_count():
    """blas_threads(): the largest thread count of NumPy's BLAS pools, as threadpoolctl reports it, under any limit."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        assert bench.blas_threads() == 1
    counts = [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    assert counts and bench.blas_threads() == max(counts)


def test_blas_info_names_the_library():
    pytest.importorskip("threadpoolctl")
    assert bench.blas_info().startswith("BLAS: ") and "threads" in bench.blas_info()


# --------------------------------------------------------------------------- the step it times


def plain_step(net, x, t, lr):
    """The unfused reference: gradient, then params -= lr * gradient."""
    loss = net.loss(x, t)
    grads = net.gradient(x, t)
    for k in KEYS:
        net.params[k] -= lr * grads[k]
    return loss


def step_cases():
    rng = np.random.default_rng(3)
    x = rng.random((100, 8))  # N·C = 400 > 255: an index computed in uint8 would wrap around
    labels = rng.integers(0, 4, size=100)
    yield "int64 labels", x, labels
    yield "uint8 labels (as MNIST stores them)", x, labels.astype(np.uint8)
    yield "big-endian labels", x, labels.astype(">i4")
    yield "one-hot", x, np.eye(4)[labels]
    yield "one sample", x[0], labels[0]
    yield "image-shaped batch", x.reshape(100, 2, 4), labels


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("case", "x", "t"), list(step_cases()), ids=[c[0] for c in step_cases()])
def test_sgd_step_is_gradient_then_update(dtype, case, x, t):
    """The benchmarked (fused) step moves every parameter as gradient() + `-= lr * grad` does and
    returns the loss before the update; parameters stay the same objects."""
    fused, plain = (
        TwoLayerNet(8, 5, 4, weight_init_std=0.5, rng=1, dtype=dtype),
        TwoLayerNet(8, 5, 4, weight_init_std=0.5, rng=1, dtype=dtype),
    )
    ids = {k: id(v) for k, v in fused.params.items()}
    for _ in range(3):  # a few steps: the buffer sgd_step keeps is reused
        loss = fused.sgd_step(x, t, 0.5)
        assert loss == pytest.approx(float(plain_step(plain, x, t, 0.5)), rel=STEP_TOL[dtype])
        assert loss == fused.last_loss and loss.dtype == dtype
        for k in KEYS:
            assert id(fused.params[k]) == ids[k] and fused.params[k].dtype == dtype
            np.testing.assert_allclose(fused.params[k], plain.params[k], rtol=0, atol=STEP_TOL[dtype])


def test_train_steps_a_two_layer_net_with_sgd_step():
    """The step the benchmark times is the one train() runs for a TwoLayerNet: SGD.step calls the
    net's public sgd_step; another optimizer is never routed around."""
    rng = np.random.default_rng(0)
    x, t = rng.random((40, 8)), rng.integers(0, 4, size=40)
    net = TwoLayerNet(8, 5, 4, rng=0)
    calls = {"sgd_step": 0, "gradient": 0}
    for name in calls:
        method = getattr(net, name)

        def counted(*args, _method=method, _name=name, **kwargs):
            calls[_name] += 1
            return _method(*args, **kwargs)

        setattr(net, name, counted)
    r = train(net, (x, t), (x, t), iters=5, batch_size=10, lr=0.1)
    assert calls == {"sgd_step": 5, "gradient": 0}
    assert np.all(np.isfinite(r.loss))
    r = train(net, (x, t), (x, t), iters=5, batch_size=10, optimizer="momentum")
    assert calls == {"sgd_step": 5, "gradient": 5} and r.optimizer.startswith("Momentum(")


def test_sgd_step_leaves_the_layer_gradients_alone():
    net = TwoLayerNet(8, 5, 4, rng=0)
    x, t = np.random.default_rng(0).random((3, 8)), np.array([0, 1, 3])
    grads = net.gradient(x, t)
    kept = {k: v.copy() for k, v in grads.items()}
    net.sgd_step(x, t, 0.1)
    for k in KEYS:
        np.testing.assert_array_equal(grads[k], kept[k])


def test_sgd_step_follows_a_rebound_parameter():
    net = TwoLayerNet(8, 5, 4, rng=0)
    x, t = np.random.default_rng(0).random((3, 8)), np.array([0, 1, 3])
    net.params["W1"] = net.params["W1"].copy()  # rebinding, not in place
    w1 = net.params["W1"]
    before = w1.copy()
    net.sgd_step(x, t, 0.1)
    assert net.params["W1"] is w1 and not np.array_equal(w1, before)


@pytest.mark.parametrize(
    ("lr", "error", "message"),
    [
        ("0.1", TypeError, "lr must be a real number, got str"),
        (True, TypeError, "lr must be a real number, got bool"),
        (0.0, ValueError, r"lr must be a finite number > 0, got 0.0"),
        (float("inf"), ValueError, r"lr must be a finite number > 0, got inf"),
    ],
)
def test_sgd_step_refuses_a_bad_learning_rate(lr, error, message):
    net = TwoLayerNet(8, 5, 4, rng=0)
    with pytest.raises(error, match=message):
        net.sgd_step(np.zeros((2, 8)), [0, 1], lr)


@pytest.mark.parametrize(
    ("x", "t", "error", "message"),
    [
        (np.zeros((2, 7)), [0, 1], ValueError, r"x must have shape \(N, 8\)"),
        (np.zeros((2, 8)), [0, 4], ValueError, r"t labels must be in 0..3, got values from 0 to 4"),
        (np.zeros((2, 8)), [0, -1], ValueError, r"t labels must be in 0..3, got values from -1 to 0"),
        (np.zeros((2, 8)), [0.0, 1.0], TypeError, r"t given as labels \(shape \(2,\)\) must be integers"),
        (np.zeros((2, 8)), [0, 1, 2], ValueError, r"t must be labels of shape \(2,\) or one-hot"),
    ],
)
def test_sgd_step_checks_its_batch_and_changes_nothing_on_error(x, t, error, message):
    net = TwoLayerNet(8, 5, 4, rng=0)
    before = {k: v.copy() for k, v in net.params.items()}
    with pytest.raises(error, match=message):
        net.sgd_step(x, t, 0.1)
    for k in KEYS:
        np.testing.assert_array_equal(net.params[k], before[k])


# --------------------------------------------------------------------------- the cases it times


@pytest.mark.claim("bench.cases")
def test_book_style_net_computes_the_same_gradient_as_nnspec():
    """The benchmark's baseline is a fair one: same gradient as MultiLayerNet, to rounding."""
    net = MultiLayerNet(30, [8, 8], 4, rng=0, weight_decay_lambda=0.01)
    rng = np.random.default_rng(1)
    x, t = rng.random((6, 30)), rng.integers(0, 4, size=6)
    book = bookstyle.BookStyleNet(net.params, weight_decay_lambda=0.01)
    ours, theirs = net.gradient(x, t), book.gradient(x, t)
    assert set(ours) == set(theirs)
    for k in ours:
        np.testing.assert_allclose(theirs[k], ours[k], rtol=1e-10, atol=1e-13)
    # The book's loss adds 1e-7 inside the log: close, not equal.
    assert abs(book.loss - float(net.last_loss)) < 1e-5


@pytest.mark.claim("bench.cases")
@pytest.mark.parametrize("name", list(bookstyle.BOOK_UPDATES))
def test_book_style_updates_match_nnspec_optimizers(name):
    rng = np.random.default_rng(2)
    p0 = {"W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}
    ours, theirs = {k: v.copy() for k, v in p0.items()}, {k: v.copy() for k, v in p0.items()}
    opt, state = cases.CH6_OPTIMIZERS[name](), {}
    for _ in range(4):
        g = {k: rng.normal(size=v.shape) for k, v in p0.items()}
        opt.update(ours, g)
        bookstyle.BOOK_UPDATES[name](state, theirs, g)
    for k in p0:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-12, atol=1e-15)


@pytest.mark.claim("bench.cases")
def test_comparison_and_batchnorm_cases_run_and_reset():
    comp = cases.optimizer_comparison(np.float64, batch=8, hidden=(6, 6))
    for fn, reset in comp.values():
        fn()
        reset()
    ((fn, reset),) = cases.multilayer_bn_adam(np.float32, batch=8, hidden=(6, 6)).values()
    fn()
    reset()


class _Recorded:
    """Mixin for stand-in networks: every instance is kept, every batch it is given recorded."""

    made: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batches = []
        type(self).made.append(self)

    def gradient(self, x, t):
        self.batches.append(("gradient", x, t))
        return super().gradient(x, t)

    def sgd_step(self, x, t, lr):
        self.batches.append(("sgd_step", x, t, lr))
        return super().sgd_step(x, t, lr)


def _recording(monkeypatch, name, base):
    cls = type(f"Recorded{name}", (_Recorded, base), {"made": []})
    monkeypatch.setattr(cases, name, cls)
    return cls.made


def _assert_same_batch(got, x, t):
    assert got[1].dtype == x.dtype
    np.testing.assert_array_equal(got[1], x)
    np.testing.assert_array_equal(got[2], t)


# float32 products of the same arrays by another route (BLAS blocking) differ by a few ulps of the sum
GEMM_TOL = {np.float64: 1e-12, np.float32: 1e-5}


@pytest.mark.claim("bench.cases")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_two_layer_step_times_the_named_step(monkeypatch, dtype):
    """two_layer_step(): TwoLayerNet(784, 100, 10) with weights of std 0.01 from seed 0, then a batch of
    100 from the same generator in the net's dtype; SGD with lr 0.1; each call starts from the same weights;
    "gemm" computes the step's five products in its dtype."""
    made = _recording(monkeypatch, "TwoLayerNet", TwoLayerNet)
    steps = cases.two_layer_step(dtype)
    gen = np.random.default_rng(0)
    ref = TwoLayerNet(784, 100, 10, weight_init_std=0.01, rng=gen, dtype=dtype)
    x, t = gen.random((100, 784)).astype(dtype), gen.integers(0, 10, size=100)
    d2 = gen.standard_normal((100, 10)).astype(dtype)
    (net,) = made
    start = {k: v.copy() for k, v in net.params.items()}
    for k in KEYS:
        assert net.params[k].dtype == dtype
        np.testing.assert_array_equal(net.params[k], ref.params[k])
    for name in ("step", "gradient+update"):
        fn, reset = steps[name]
        reset()
        fn()
        assert not np.array_equal(net.params["W2"], start["W2"])  # the step moved the weights
        reset()
        for k in KEYS:
            np.testing.assert_array_equal(net.params[k], start[k])
    (step, x1, t1, lr), (grad, *batch) = net.batches
    assert (step, grad, lr) == ("sgd_step", "gradient", 0.1)
    _assert_same_batch((step, x1, t1), x, t)
    _assert_same_batch((grad, *batch), x, t)
    fn, reset = steps["gemm"]
    assert reset is None
    w1, w2 = ref.params["W1"], ref.params["W2"]
    z1 = np.maximum(x @ w1, 0)
    expected = [x @ w1, z1 @ w2, z1.T @ d2, d2 @ w2.T, x.T @ (d2 @ w2.T)]
    got = fn()
    for g, e in zip(got, expected, strict=True):
        assert g.dtype == dtype and g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=GEMM_TOL[dtype], atol=GEMM_TOL[dtype])
    # the same BLAS product of the same arrays, bit for bit: D2 is in the step's dtype too (a float64 D2
    # would make a float64 product rounded to float32 once, at the end)
    np.testing.assert_array_equal(got[2], expected[2])


@pytest.mark.claim("bench.cases")
def test_batchnorm_adam_case_times_the_named_step(monkeypatch):
    """multilayer_bn_adam(): MultiLayerNet(784, [100]×4, 10) with batch norm, float32, from seed 0, then a
    batch of 100 from the same generator; each Adam step starts from the same weights and batch-norm statistics."""
    made = _recording(monkeypatch, "MultiLayerNet", MultiLayerNet)
    fn, reset = cases.multilayer_bn_adam()["step"]
    gen = np.random.default_rng(0)
    ref = MultiLayerNet(784, [100] * 4, 10, use_batchnorm=True, rng=gen, dtype=np.float32)
    x, t = gen.random((100, 784)).astype(np.float32), gen.integers(0, 10, size=100)
    (net,) = made
    assert net.use_batchnorm and set(net.params) == set(ref.params)
    for k, v in ref.params.items():
        assert net.params[k].dtype == np.float32
        np.testing.assert_array_equal(net.params[k], v)
    states = [layer.state for layer in net.layers.values() if layer.state]
    start = [{k: v.copy() for k, v in d.items()} for d in [net.params, *states]]
    assert len(states) == 4
    reset()
    fn()
    _assert_same_batch(net.batches[0], x, t)
    for before, now in zip(start, [net.params, *states], strict=True):
        assert not all(np.array_equal(before[k], now[k]) for k in before)  # weights and statistics moved
    reset()
    for before, now in zip(start, [net.params, *states], strict=True):
        for k in before:
            np.testing.assert_array_equal(now[k], before[k])


# The same gradient by two routes (layers, the book's fused arrays) differs by roundings only.
BOOK_TOL = 1e-10


@pytest.mark.claim("bench.cases")
def test_optimizer_comparison_times_the_named_iteration(monkeypatch):
    """optimizer_comparison(): four MultiLayerNet(784, [100]×4, 10) from seed 0 (SGD, Momentum, AdaGrad, Adam),
    then a batch of 128 from the same generator; the book's way starts from the same weights."""
    made = _recording(monkeypatch, "MultiLayerNet", MultiLayerNet)
    books = _recording(monkeypatch, "BookStyleNet", bookstyle.BookStyleNet)
    comp = cases.optimizer_comparison()
    gen = np.random.default_rng(0)
    refs = [MultiLayerNet(784, [100] * 4, 10, rng=gen) for _ in range(4)]
    x, t = gen.random((128, 784)), gen.integers(0, 10, size=128)
    assert len(made) == len(books) == 4
    for net, book, ref in zip(made, books, refs, strict=True):
        for k, v in ref.params.items():
            assert net.params[k].dtype == book.params[k].dtype == np.float64
            np.testing.assert_array_equal(net.params[k], v)
            np.testing.assert_array_equal(book.params[k], v)
    fn, reset = comp["nnspec"]
    fn()
    for net in made:
        _assert_same_batch(net.batches[0], x, t)
    reset()
    for net, ref in zip(made, refs, strict=True):
        for k, v in ref.params.items():
            np.testing.assert_array_equal(net.params[k], v)


@pytest.mark.claim("bench.cases")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_optimizer_comparison_in_its_dtype(monkeypatch, dtype):
    """The comparison's nets and batch are in the dtype asked for."""
    made = _recording(monkeypatch, "MultiLayerNet", MultiLayerNet)
    fn, _ = cases.optimizer_comparison(dtype, batch=4, hidden=(3,), book=False)["nnspec"]
    fn()
    for net in made:
        assert all(v.dtype == dtype for v in net.params.values()) and net.batches[0][1].dtype == dtype


@pytest.mark.claim("bench.cases")
def test_book_iteration_lands_where_nnspec_does(monkeypatch):
    """Two iterations of the chapter-6 comparison, the book's way and nnspec's, from the same weights on the
    same batch, end at the same weights for each of the four optimizers; reset puts both back."""
    made = _recording(monkeypatch, "MultiLayerNet", MultiLayerNet)
    books = _recording(monkeypatch, "BookStyleNet", bookstyle.BookStyleNet)
    comp = cases.optimizer_comparison(batch=16, hidden=(12, 12), seed=3)
    start = [{k: v.copy() for k, v in net.params.items()} for net in made]
    for name in ("nnspec", "book"):
        fn, reset = comp[name]
        reset()
        fn()
        fn()  # two iterations: the optimizers' state carries over
    for net, book in zip(made, books, strict=True):
        _assert_same_batch(book.batches[1], *net.batches[1][1:])
        for k, v in net.params.items():
            np.testing.assert_allclose(book.params[k], v, rtol=BOOK_TOL, atol=BOOK_TOL)
    for name in ("nnspec", "book"):
        comp[name][1]()
    for net, book, before in zip(made, books, start, strict=True):
        for k, v in before.items():
            np.testing.assert_array_equal(net.params[k], v)
            np.testing.assert_array_equal(book.params[k], v)


def _book_loss(net, x, t, lam):
    """The book's loss: −mean log(y_t + 1e-7) of nnspec's softmax output, plus ½λ Σ‖W‖²."""
    logits = net.predict(x)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    decay = sum(0.5 * lam * np.sum(v**2) for k, v in net.params.items() if k.startswith("W"))
    return -np.mean(np.log(y[np.arange(len(t)), t] + 1e-7)) + decay


@pytest.mark.claim("bench.cases")
@pytest.mark.parametrize("lam", [None, 0.1])
def test_book_style_net_on_any_weights(lam):
    """With non-zero biases, a unit at exactly 0 (ReLU's gradient there is 0, as in nnspec), logits in the
    hundreds and rows of very different scales, the book's way gives nnspec's gradients and the book's loss;
    without weight_decay_lambda there is no decay."""
    net = MultiLayerNet(6, [5], 3, rng=0, **({} if lam is None else {"weight_decay_lambda": lam}))
    rng = np.random.default_rng(4)
    for k in net.params:
        net.params[k][...] = rng.normal(size=net.params[k].shape) * (400.0 if k == "W2" else 1.0)
    net.params["W1"][:, 0] = 0.0
    net.params["b1"][0] = 0.0  # hidden unit 0 is exactly 0 for every sample
    x = rng.random((4, 6)) * np.array([[1.0], [1e-3], [40.0], [1.0]])
    t = np.array([0, 1, 2, 1])
    book = bookstyle.BookStyleNet(net.params) if lam is None else bookstyle.BookStyleNet(net.params, lam)
    ours, theirs = net.gradient(x, t), book.gradient(x, t)
    logits = net.predict(x)
    assert logits.max() > 400 and logits[1].max() - logits.max() < -800  # exp(800) overflows, exp(-800) is 0
    for k in ours:
        np.testing.assert_allclose(theirs[k], ours[k], rtol=BOOK_TOL, atol=BOOK_TOL)
    assert book.loss == pytest.approx(_book_loss(net, x, t, lam or 0.0), rel=BOOK_TOL)


@pytest.mark.claim("bench.cases")
def test_book_updates_keep_the_book_optimizers_state():
    """The state of a book update holds what the book's optimizer keeps: Momentum v, AdaGrad h, Adam m, v, iter."""
    p = {"W": np.array([1.0, -2.0])}
    g = {"W": np.array([0.5, 2.0])}
    states = {name: {} for name in bookstyle.BOOK_UPDATES}
    for name, update in bookstyle.BOOK_UPDATES.items():
        update(states[name], {k: v.copy() for k, v in p.items()}, g)
    assert states["SGD"] == {}
    np.testing.assert_allclose(states["Momentum"]["v"]["W"], -0.01 * g["W"], rtol=1e-15)
    np.testing.assert_allclose(states["AdaGrad"]["h"]["W"], g["W"] ** 2, rtol=1e-15)
    adam = states["Adam"]
    assert set(adam) == {"m", "v", "iter"} and adam["iter"] == 1
    np.testing.assert_allclose(adam["m"]["W"], 0.1 * g["W"], rtol=1e-15)
    np.testing.assert_allclose(adam["v"]["W"], 0.001 * g["W"] ** 2, rtol=1e-12)
    assert set(states["Momentum"]) == {"v"} and set(states["AdaGrad"]) == {"h"}
