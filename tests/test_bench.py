"""The benchmark ``python -m nnspec.bench``: it runs, prints its ratios, and times a correct step.

These are smoke and correctness specs, not timed assertions: how fast a step is depends on the
machine and on whatever else runs on it, so no spec here compares a time with a bound. What the
benchmark measures and the numbers it gave are on docs/benchmark.md.
"""

from __future__ import annotations

import gc
import math

import numpy as np
import pytest

from nnspec import bench
from nnspec.networks import TwoLayerNet
from nnspec.training import sgd_update, train

KEYS = ("W1", "b1", "W2", "b2")
TINY = dict(sizes=(20, 10, 5), batch=4)  # the smallest problem with every code path of the step

# sgd_step scales (y - t)/N by lr before the products, the plain route scales each gradient after:
# the same numbers up to a few roundings per entry. The bounds are ~100 ulps of 1 in each dtype,
# while a wrong step (a missing mask, the updated W2 in D1, a lost 1/N) is off by O(lr · gradient)
# ≈ 1e-3 or more here.
STEP_TOL = {np.float64: 1e-13, np.float32: 1e-5}


# --------------------------------------------------------------------------- the harness


def test_time_step_returns_sane_numbers():
    r = bench.time_step(np.float32, reps=5, warmup=1, **TINY)
    assert r.dtype == "float32" and r.reps == 5
    assert 0 < r.step_s < 1 and 0 < r.gemm_s < 1  # seconds of a tiny problem
    assert math.isfinite(r.ratio) and r.ratio > 0
    assert r.ratio_q1 <= r.ratio <= r.ratio_q3


def test_interleaving_rotates_the_order_and_resets_before_each_call():
    calls = []
    funcs = {name: (lambda n=name: calls.append(n), lambda n=name: calls.append("reset " + n)) for name in "abc"}
    times = bench._interleaved(funcs, reps=3, warmup=1)
    assert {k: len(v) for k, v in times.items()} == {"a": 3, "b": 3, "c": 3}  # warmup not recorded
    starts = [calls[i] for i in range(0, len(calls), 6)]  # each repetition: 3 × (reset, call)
    assert starts == ["reset a", "reset b", "reset c", "reset a"]
    assert all(calls[i].startswith("reset ") and calls[i + 1] == calls[i][6:] for i in range(0, len(calls), 2))


def test_the_garbage_collector_is_paused_while_timing_and_then_left_as_it_was():
    seen = []
    probe = {"f": (lambda: seen.append(gc.isenabled()), None)}
    assert gc.isenabled()
    bench._interleaved(probe, reps=1, warmup=0)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        bench._interleaved(probe, reps=1, warmup=0)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_quartiles_of_one_repetition():
    assert bench._quartiles([2.0]) == (2.0, 2.0, 2.0)


def test_run_reports_both_dtypes_and_the_speedup():
    res = bench.run(3, batch=4, hidden=5, warmup=1, unfused=True)
    for key in ("float64", "float32", "unfused float64", "unfused float32"):
        assert res[key].reps == 3 and res[key].step_s > 0
    assert res["speedup"] > 0


def test_main_prints_the_ratio_lines(capsys):
    assert bench.main(["--reps", "3"]) == 0
    out = capsys.readouterr().out
    assert "TwoLayerNet 784-100-10, batch 100" in out
    assert "BLAS:" in out
    for dtype in ("float64", "float32"):
        line = next(line for line in out.splitlines() if line.startswith(f"{dtype} sgd_step"))
        step, gemm, ratio = (float(v) for v in line.split()[2:5])
        assert step > 0 and gemm > 0 and ratio > 0
        assert line.split()[-1] in ("ok", "over")
    assert "float32 speedup over float64:" in out
    assert "gradient+sgd_update" not in out  # only with --unfused


def test_main_options(capsys):
    pytest.importorskip("threadpoolctl")
    assert bench.main(["--reps", "2", "--batch", "3", "--hidden", "4", "--threads", "1", "--unfused"]) == 0
    out = capsys.readouterr().out
    assert "784-4-10, batch 3" in out and "1 threads" in out
    assert "float64 gradient+sgd_update" in out and "float32 gradient+sgd_update" in out


@pytest.mark.parametrize("argv", [["--reps", "0"], ["--batch", "-1"], ["--hidden", "0"], ["--threads", "0"]])
def test_main_refuses_non_positive_sizes(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(argv)
    assert exc.value.code == 2
    assert "must be positive" in capsys.readouterr().err


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
    fused, plain = TwoLayerNet(8, 5, 4, weight_init_std=0.5, rng=1, dtype=dtype), \
        TwoLayerNet(8, 5, 4, weight_init_std=0.5, rng=1, dtype=dtype)
    ids = {k: id(v) for k, v in fused.params.items()}
    for _ in range(3):  # a few steps: the buffer sgd_step keeps is reused
        loss = fused.sgd_step(x, t, 0.5)
        assert loss == pytest.approx(float(plain_step(plain, x, t, 0.5)), rel=STEP_TOL[dtype])
        assert loss == fused.last_layer.loss and loss.dtype == dtype
        for k in KEYS:
            assert id(fused.params[k]) == ids[k] and fused.params[k].dtype == dtype
            np.testing.assert_allclose(fused.params[k], plain.params[k], rtol=0, atol=STEP_TOL[dtype])


def test_train_steps_a_two_layer_net_with_sgd_step():
    """The step the benchmark times is the one train() runs for a TwoLayerNet."""
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
        ("0.1", TypeError, "lr must be a positive real number, got str"),
        (True, TypeError, "lr must be a positive real number, got bool"),
        (0.0, ValueError, "lr must be a positive finite number, got 0.0"),
        (float("inf"), ValueError, "lr must be a positive finite number, got inf"),
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


# --------------------------------------------------------------------------- the unfused update


def test_sgd_update_is_exactly_w_minus_lr_g_and_reuses_its_buffers():
    """Bit for bit what `params[k] -= lr * grads[k]` gives, mixed dtypes included; buffers made once."""
    rng = np.random.default_rng(0)
    params = {"W": rng.normal(size=(3, 2)), "v": rng.normal(size=3).astype(np.float32)}
    grads = {"W": rng.normal(size=(3, 2)), "v": np.array([1, -2, 3])}  # integer gradient: lr·g is float64
    expected = {k: v.copy() for k, v in params.items()}
    ids = {k: id(v) for k, v in params.items()}
    scratch: dict = {}
    for call in range(3):
        for k in expected:
            expected[k] -= 0.3 * grads[k]  # the plain update, with its temporary
        sgd_update(params, grads, 0.3, scratch if call < 2 else None)  # the last call: no scratch
        for k in params:
            assert id(params[k]) == ids[k]
            np.testing.assert_array_equal(params[k], expected[k])
        if call == 0:
            buffers = dict(scratch)
    assert all(scratch[k] is buffers[k] for k in params)  # made once, then reused
