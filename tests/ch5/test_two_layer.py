"""Chapter 5: TwoLayerNet's backprop gradient, what it costs, and the contracts a training loop uses."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnspec.functions import softmax
from nnspec.layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from nnspec.networks import TwoLayerNet
from tests.strategies import seeds

KEYS = ("W1", "b1", "W2", "b2")
H = 1e-4  # the step numerical_gradient uses (the book's)

# Relative error of one parameter array: max|numerical − backprop| / max|numerical|.
# The central difference errs by about h²/6·|∂³L| + eps·|L|/h. The cross-entropy's third
# derivatives in one score are below 0.1 and a parameter moves a score by at most max|x| ≤ 1
# (inputs in [0, 1)) times weights of size ~0.01, so the first term is ≤ 1.7e-9·0.1 ≈ 2e-10; the
# second is 2.2e-16·1.6/1e-4 ≈ 4e-12. The smallest gradient scale here, max|∂L/∂W1|, is ~4e-3,
# so the relative error stays below ~1e-7; 1e-6 is the bound. A wrong backward (a missing
# transpose, mask or 1/N) is off by O(1).
GRAD_CHECK_TOL = 1e-6


def small_problem(seed: int):
    """The gradient-check setting: a 20-10-5 net and a batch of 3 (265 parameters)."""
    net = TwoLayerNet(20, 10, 5, rng=seed)
    rng = np.random.default_rng(1000 + seed)
    return net, rng.random((3, 20)), rng.integers(0, 5, size=3)


def near_relu_kink(net, x) -> bool:
    """Is a hidden pre-activation so close to 0 that moving one W1 or b1 entry by ±h crosses it?

    There the loss has a kink, the central difference straddles it, and *it* is wrong (by up to
    half the jump in slope), not backprop.
    """
    a = x @ net.params["W1"] + net.params["b1"]
    return bool(np.min(np.abs(a)) <= H * max(1.0, float(np.max(np.abs(x)))))


def relative_errors(num, bp):
    return {k: float(np.max(np.abs(num[k] - bp[k])) / np.max(np.abs(num[k]))) for k in KEYS}


@pytest.mark.claim("gradient-check.backprop-matches-numerical")
def test_backprop_matches_numerical(evidence):
    """Over ten seeded nets, backprop agrees with the numerical gradient to a relative 1e-6,
    except where the ±h step crosses a ReLU kink (then the numerical side is the wrong one)."""
    worst, worst_abs, clean, kinks = 0.0, 0.0, 0, []
    for seed in range(10):
        net, x, t = small_problem(seed)
        num, bp = net.numerical_gradient(x, t), net.gradient(x, t)
        if near_relu_kink(net, x):
            kinks.append(seed)
            continue
        clean += 1
        worst = max(worst, max(relative_errors(num, bp).values()))
        worst_abs = max(worst_abs, max(float(np.max(np.abs(num[k] - bp[k]))) for k in KEYS))
    evidence("max relative error (10 nets 20-10-5, batch 3)", worst)
    evidence("max absolute error", worst_abs)
    evidence("seeds skipped: a ReLU kink within h", kinks)
    assert clean >= 7
    assert worst < GRAD_CHECK_TOL


@pytest.mark.claim("gradient-check.backprop-matches-numerical")
def test_kink_explains_the_skipped_seeds():
    """On a skipped seed, the disagreement sits only in W1/b1 (the entries that move a pre-activation)."""
    seed = next(s for s in range(10) if near_relu_kink(*small_problem(s)[:2]))
    net, x, t = small_problem(seed)
    rel = relative_errors(net.numerical_gradient(x, t), net.gradient(x, t))
    assert rel["W2"] < GRAD_CHECK_TOL and rel["b2"] < GRAD_CHECK_TOL
    # Nudge the batch so nothing sits on a kink: agreement returns everywhere.
    x2 = x + 1e-2
    assert not near_relu_kink(net, x2)
    rel = relative_errors(net.numerical_gradient(x2, t), net.gradient(x2, t))
    assert max(rel.values()) < GRAD_CHECK_TOL


def count_calls(obj, name, counter):
    method = getattr(obj, name)

    def wrapped(*args, **kwargs):
        counter[name] += 1
        return method(*args, **kwargs)

    setattr(obj, name, wrapped)


@pytest.mark.claim("backprop.cost")
def test_numerical_needs_two_losses_per_parameter(evidence):
    """numerical_gradient runs the loss 2·P times (P parameters); gradient runs it once and one backward."""
    net, x, t = small_problem(0)
    p = sum(v.size for v in net.params.values())
    calls = {"forward": 0, "backward": 0}
    count_calls(net.last_layer, "forward", calls)
    count_calls(net.last_layer, "backward", calls)
    net.numerical_gradient(x, t)
    assert calls == {"forward": 2 * p, "backward": 0}
    calls.update(forward=0, backward=0)
    net.gradient(x, t)
    assert calls == {"forward": 1, "backward": 1}

    mnist_p = sum(v.size for v in TwoLayerNet(784, 50, 10, rng=0).params.values())
    evidence("parameters of 784-50-10", mnist_p)
    evidence("loss evaluations for one numerical gradient of 784-50-10", 2 * mnist_p)
    assert 2 * mnist_p == 79_520


@pytest.mark.claim("backprop.cost")
def test_time_ratio(evidence):
    """Measured: on 20-10-5 (530 loss evaluations) backprop is hundreds of times faster."""
    net, x, t = small_problem(0)

    def best(f, reps):
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            f()
            times.append(time.perf_counter() - start)
        return min(times)

    t_num = best(lambda: net.numerical_gradient(x, t), 3)
    t_bp = best(lambda: net.gradient(x, t), 30)
    evidence("numerical gradient, 20-10-5 (ms)", t_num * 1e3)
    evidence("backprop gradient, 20-10-5 (ms)", t_bp * 1e3)
    evidence("time ratio numerical / backprop", t_num / t_bp)
    assert t_num / t_bp > 10  # ~530 forward passes against one forward and one backward


# ----------------------------------------------------------------------------- contracts


@pytest.mark.claim("twolayer.params-shared")
def test_params_are_the_layers_arrays():
    """params[k] is the layers' own array: an in-place update changes the net; numerical_gradient
    perturbs and restores it bit for bit; a rebound key is picked up at the next call."""
    net, x, t = small_problem(3)
    assert net.layers["Affine1"].W is net.params["W1"] and net.layers["Affine1"].b is net.params["b1"]
    assert net.layers["Affine2"].W is net.params["W2"] and net.layers["Affine2"].b is net.params["b2"]

    before = {k: v.copy() for k, v in net.params.items()}
    grads = net.gradient(x, t)
    for k in KEYS:
        net.params[k] -= 0.1 * grads[k]
    fresh = np.maximum(x @ net.params["W1"] + net.params["b1"], 0) @ net.params["W2"] + net.params["b2"]
    np.testing.assert_array_equal(net.predict(x), fresh)
    assert not np.array_equal(net.params["W1"], before["W1"])

    snapshot = {k: v.copy() for k, v in net.params.items()}
    net.numerical_gradient(x, t)
    for k in KEYS:
        np.testing.assert_array_equal(net.params[k], snapshot[k])

    net.params["W2"] = net.params["W2"] * 2  # rebinding, not in place
    doubled = np.maximum(x @ net.params["W1"] + net.params["b1"], 0) @ net.params["W2"] + net.params["b2"]
    np.testing.assert_array_equal(net.predict(x), doubled)
    assert net.layers["Affine2"].W is net.params["W2"]


@pytest.mark.claim("twolayer.params-shared")
def test_rebinding_a_wrong_shape_is_refused():
    net, x, _ = small_problem(0)
    net.params["W1"] = np.zeros((3, 3))
    with pytest.raises(ValueError, match=r"params\['W1'\] must be an array of shape \(20, 10\)"):
        net.predict(x)


@pytest.mark.claim("twolayer.labels-equal-one-hot")
@given(seed=seeds)
@settings(max_examples=20)
def test_labels_equal_one_hot(seed):
    """loss, accuracy and gradient give the same numbers for labels and for one-hot rows."""
    net = TwoLayerNet(6, 4, 3, weight_init_std=0.5, rng=seed)
    rng = np.random.default_rng(seed)
    x, t = rng.normal(size=(5, 6)), rng.integers(0, 3, size=5)
    onehot = np.eye(3)[t]
    assert net.loss(x, t) == net.loss(x, onehot)
    assert net.accuracy(x, t) == net.accuracy(x, onehot)
    g_labels, g_onehot = net.gradient(x, t), net.gradient(x, onehot)
    for k in KEYS:
        np.testing.assert_array_equal(g_labels[k], g_onehot[k])


@pytest.mark.claim("twolayer.labels-equal-one-hot")
@pytest.mark.parametrize("net_cls", ["TwoLayerNet", "SimpleNet"])
def test_accuracy_refuses_bad_targets(net_cls):
    """accuracy checks its targets as loss does: labels out of range or not integers are errors,
    never silently counted as wrong answers."""
    from nnspec.networks import SimpleNet

    net = TwoLayerNet(2, 4, 3, rng=0) if net_cls == "TwoLayerNet" else SimpleNet(rng=0)
    x = np.ones((2, 2))
    with pytest.raises(ValueError, match=r"t \(labels\) must be class indices in \[0, 3\), got 7"):
        net.accuracy(x, [0, 7])
    with pytest.raises(TypeError, match=r"must be integers"):
        net.accuracy(x, [0.0, 2.0])
    with pytest.raises(ValueError, match=r"t must be one-hot with the shape of y \(2, 3\)"):
        net.accuracy(x, np.zeros((2, 4)))
    # a one-hot row names a class: an entry outside [0, 1] is refused, as cross_entropy_error refuses it
    with pytest.raises(ValueError, match=r"^t \(one-hot\) must have entries in \[0, 1\], got 2.0$"):
        net.accuracy(x, np.array([[0.0, 2.0, 0.0], [1.0, 0.0, 0.0]]))
    with pytest.raises(ValueError, match=r"^t \(one-hot\) must have entries in \[0, 1\], got -0.5$"):
        net.accuracy(x, np.array([[0.0, 1.0, 0.0], [-0.5, 1.5, 0.0]]))


@pytest.mark.claim("twolayer.predict-needs-no-softmax")
@given(seed=seeds)
@settings(max_examples=20)
def test_accuracy_without_softmax(seed):
    """predict returns raw scores; softmax would not change any row's largest entry, so accuracy skips it."""
    net = TwoLayerNet(6, 4, 3, weight_init_std=1.0, rng=seed)
    rng = np.random.default_rng(seed)
    x, t = rng.normal(size=(8, 6)), rng.integers(0, 3, size=8)
    scores = net.predict(x)
    raw = np.maximum(x @ net.params["W1"] + net.params["b1"], 0) @ net.params["W2"] + net.params["b2"]
    np.testing.assert_array_equal(scores, raw)  # scores, not probabilities
    np.testing.assert_array_equal(softmax(scores).argmax(axis=1), scores.argmax(axis=1))
    assert net.accuracy(x, t) == float(np.mean(softmax(scores).argmax(axis=1) == t))


@pytest.mark.claim("twolayer.predict-needs-no-softmax")
def test_the_layers_are_affine_relu_affine_and_softmax_is_last():
    """net.layers holds Affine1 → Relu1 → Affine2 in forward order; the softmax sits only in net.last_layer."""
    net = TwoLayerNet(4, 3, 2, rng=0)
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    assert [type(layer) for layer in net.layers.values()] == [Affine, Relu, Affine]
    assert type(net.last_layer) is SoftmaxWithLoss


# ----------------------------------------------------------------------------- float32


float_dtypes = st.sampled_from([np.float32, np.float64])


@pytest.mark.claim("dtype.float32-end-to-end")
@given(dtype=float_dtypes, seed=seeds)
@settings(max_examples=20)
def test_net_keeps_its_dtype(dtype, seed):
    """A float32 net fed float64 input and float64 one-hot targets stays float32 in every output."""
    net = TwoLayerNet(8, 5, 4, rng=seed, dtype=dtype)
    rng = np.random.default_rng(seed)
    x = rng.random((6, 8))  # float64 on purpose
    onehot = np.eye(4)[rng.integers(0, 4, size=6)]  # float64 on purpose
    assert net.dtype == dtype and all(v.dtype == dtype for v in net.params.values())
    assert net.predict(x).dtype == dtype
    assert net.loss(x, onehot).dtype == dtype
    grads = net.gradient(x, onehot)
    assert all(grads[k].dtype == dtype and grads[k].shape == net.params[k].shape for k in KEYS)
    for layer in net.layers.values():  # every stored intermediate, too
        for value in vars(layer).values():
            if isinstance(value, np.ndarray) and value.dtype.kind == "f":
                assert value.dtype == dtype
    assert net.last_layer.y.dtype == dtype


@pytest.mark.claim("dtype.float32-end-to-end")
@given(dtype=float_dtypes)
@settings(max_examples=4)
def test_layers_keep_their_dtype(dtype):
    """Each layer computes in its input's dtype; float64 upstream gradients or targets do not upcast it."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3)).astype(dtype)
    dout64 = rng.normal(size=(4, 3))
    for layer in (Relu(), Sigmoid()):
        assert layer.forward(x).dtype == dtype
        assert layer.backward(dout64).dtype == dtype
    affine = Affine(rng.normal(size=(3, 2)).astype(dtype), np.zeros(2, dtype=dtype))
    assert affine.forward(x.astype(np.float64)).dtype == dtype
    assert affine.backward(rng.normal(size=(4, 2))).dtype == dtype
    assert affine.dW.dtype == dtype and affine.db.dtype == dtype
    swl = SoftmaxWithLoss()
    assert swl.forward(x, np.eye(3)[[0, 1, 2, 0]]).dtype == dtype  # float64 one-hot
    assert swl.y.dtype == dtype and swl.backward().dtype == dtype
    assert swl.backward(np.float64(2.0)).dtype == dtype


@pytest.mark.claim("dtype.float32-end-to-end")
def test_float32_net_is_the_float64_net_rounded(evidence):
    """Same seed, same net: the float32 gradient is the float64 one to float32 precision."""
    rng = np.random.default_rng(7)
    x, t = rng.random((10, 30)), rng.integers(0, 10, size=10)
    g64 = TwoLayerNet(30, 20, 10, rng=7).gradient(x, t)
    g32 = TwoLayerNet(30, 20, 10, rng=7, dtype=np.float32).gradient(x, t)
    rel = max(float(np.max(np.abs(g32[k] - g64[k])) / np.max(np.abs(g64[k]))) for k in KEYS)
    evidence("max relative difference float32 vs float64 gradient", rel)
    # float32 carries 24 bits (eps 1.2e-7); a few dozen roundings per entry stay below 1e-5.
    assert rel < 1e-5


@pytest.mark.claim("layers.contract")
@pytest.mark.parametrize(
    "dtype, message",
    [
        (np.int32, "dtype must be a floating dtype such as float32 or float64, got int32"),
        ("nonsense", "dtype must be a NumPy floating dtype, got 'nonsense'"),
    ],
)
def test_a_non_floating_dtype_is_refused_in_full(dtype, message):
    """TwoLayerNet's dtype must be a floating dtype; anything else is refused naming dtype and what it got."""
    with pytest.raises(TypeError) as info:
        TwoLayerNet(4, 5, 3, dtype=dtype, rng=0)
    assert str(info.value) == message
