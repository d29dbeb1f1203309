"""Chapter 6 · MultiLayerNet: any depth, the book's initial scales, weight decay, an exact gradient."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from nnspec.networks import MultiLayerNet, TwoLayerNet, init_scale
from nnspec.training import train
from tests.strategies import seeds

# As for chapter 5's TwoLayerNet (tests/ch5/test_two_layer.py), but through batch normalization,
# whose third derivatives are larger (1/σ³ terms): the central difference's error stays below
# ~1e-7 of the gradient's scale here; a wrong backward (a lost decay term, a missing mean term in
# batch norm's backward) is off by 1e-3 or more.
GRAD_CHECK_TOL = 1e-6


def relative_errors(num, bp):
    return {k: float(np.max(np.abs(num[k] - bp[k])) / max(np.max(np.abs(num[k])), 1e-12)) for k in num}


def small_net(seed, activation="relu", **kw):
    net = MultiLayerNet(6, [5, 4], 3, activation=activation, rng=seed, **kw)
    rng = np.random.default_rng(100 + seed)
    return net, rng.normal(size=(6, 6)), rng.integers(0, 3, size=6)


@pytest.mark.claim("multilayer.gradient-check")
@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_backprop_matches_numerical_with_batchnorm_and_decay(activation, evidence):
    """6-[5, 4]-3 nets with batch norm and weight decay λ = 0.1 (no dropout), five seeds each:
    every parameter's backprop gradient agrees with central differences to a relative 1e-6."""
    worst, before_bn = {}, 0.0
    for seed in range(5):
        net, x, t = small_net(seed, activation, use_batchnorm=True, weight_decay_lambda=0.1)
        num, bp = net.numerical_gradient(x, t), net.gradient(x, t)
        # A bias right before batch norm shifts a whole feature, which normalisation removes:
        # its true gradient is 0. Both sides must say so (the numerical one to rounding).
        for k in ("b1", "b2"):
            before_bn = max(before_bn, float(np.max(np.abs(num[k]))))
            assert np.max(np.abs(bp[k])) < 1e-12 and np.max(np.abs(num[k])) < 1e-8
            del num[k], bp[k]
        for k, e in relative_errors(num, bp).items():
            worst[k] = max(worst.get(k, 0.0), e)
    evidence(f"{activation}: max relative error per parameter (5 nets)", [f"{k} {v:.1e}" for k, v in worst.items()])
    evidence(f"{activation}: b1, b2 (before batch norm): max |numerical gradient|, which should be 0", before_bn)
    assert set(worst) == {"W1", "gamma1", "beta1", "W2", "gamma2", "beta2", "W3", "b3"}
    assert max(worst.values()) < GRAD_CHECK_TOL


@pytest.mark.claim("multilayer.gradient-check")
def test_numerical_gradient_restores_the_running_statistics():
    """Each loss evaluation of the numerical gradient runs batch norm in training mode, which moves
    the running averages; they are put back, so checking a gradient changes nothing."""
    net, x, t = small_net(0, use_batchnorm=True)
    before = {k: v.copy() for k, v in net.layers["BatchNorm1"].state.items()}
    net.numerical_gradient(x, t)
    for k, v in before.items():
        np.testing.assert_array_equal(net.layers["BatchNorm1"].state[k], v)


@pytest.mark.claim("multilayer.gradient-check")
def test_numerical_gradient_refuses_dropout():
    net, x, t = small_net(0, use_dropout=True, dropout_ratio=0.3)
    with pytest.raises(ValueError, match="needs a deterministic loss, but layer 'Dropout1' drops units"):
        net.numerical_gradient(x, t)


@pytest.mark.claim("multilayer.weight-decay-gradient")
@given(seed=seeds)
@settings(max_examples=20)
def test_decay_adds_exactly_lambda_w(seed):
    """With λ > 0 every weight's gradient is the λ = 0 gradient plus λW (bit for bit), biases and
    batch-norm parameters are unchanged, and the loss grows by λ/2 Σ‖W‖²."""
    lam = 0.37
    plain, x, t = small_net(seed, use_batchnorm=True)
    decayed, _, _ = small_net(seed, use_batchnorm=True, weight_decay_lambda=lam)
    g0, g1 = plain.gradient(x, t), decayed.gradient(x, t)
    for k in g0:
        if k.startswith("W"):
            np.testing.assert_array_equal(g1[k], g0[k] + lam * decayed.params[k])
        else:
            np.testing.assert_array_equal(g1[k], g0[k])
    decay = 0.5 * lam * sum(float(np.sum(decayed.params[k] ** 2)) for k in decayed.params if k.startswith("W"))
    assert float(decayed.last_loss) == pytest.approx(float(plain.last_loss) + decay, rel=1e-14)
    assert float(decayed.loss(x, t)) == pytest.approx(float(plain.loss(x, t)) + decay, rel=1e-14)


@pytest.mark.claim("multilayer.weight-decay-gradient")
def test_decay_pulls_weights_towards_zero(evidence):
    """The λW term is what makes it "decay": with zero data gradient, SGD shrinks W by (1 − ηλ) per step."""
    net = MultiLayerNet(4, [3], 2, weight_decay_lambda=0.5, rng=0)
    w = net.params["W1"].copy()
    lr = 0.1
    grads = net.gradient(np.zeros((2, 4)), [0, 1])  # zero input: the data gradient of W1 is 0
    np.testing.assert_array_equal(grads["W1"], 0.5 * w)
    net.params["W1"] -= lr * grads["W1"]
    evidence(
        "‖W1‖ before and after one step (η = 0.1, λ = 0.5)",
        [float(np.linalg.norm(w)), float(np.linalg.norm(net.params["W1"]))],
    )
    np.testing.assert_allclose(net.params["W1"], (1 - lr * 0.5) * w, rtol=1e-15)


@pytest.mark.claim("multilayer.init-scales")
def test_initial_standard_deviations(evidence):
    """Measured on 784-[100]×4-10: "relu"/"he" gives each W_i standard deviation √(2/n), "sigmoid"/
    "xavier" √(1/n) (n the layer's fan-in), a number gives itself; biases start at 0, γ at 1, β at 0."""
    sizes = [784, 100, 100, 100, 100, 10]
    for kind, factor in (("he", 2.0), ("relu", 2.0), ("xavier", 1.0), ("sigmoid", 1.0), (0.05, None)):
        net = MultiLayerNet(784, [100] * 4, 10, weight_init_std=kind, use_batchnorm=True, rng=0)
        measured, expected = [], []
        for i in range(1, 6):
            w = net.params[f"W{i}"]
            want = np.sqrt(factor / sizes[i - 1]) if factor else kind
            measured.append(float(w.std()))
            expected.append(float(want))
            # The sample standard deviation of m normal numbers is off by about σ/√(2m): allow five of those.
            assert abs(w.std() / want - 1) < 5 / np.sqrt(2 * w.size), (kind, i)
            assert not net.params[f"b{i}"].any()
        evidence(f"{kind}: std of W1..W5 measured", np.round(measured, 4))
        evidence(f"{kind}: expected", np.round(expected, 4))
        assert all((net.params[f"gamma{i}"] == 1).all() and not net.params[f"beta{i}"].any() for i in range(1, 5))
    assert init_scale("He", 50) == np.sqrt(2 / 50) and init_scale("XAVIER", 50) == np.sqrt(1 / 50)


@pytest.mark.claim("multilayer.init-scales")
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            dict(weight_init_std="glorot"),
            ValueError,
            "weight_init_std must be 'relu'/'he', 'sigmoid'/'xavier' or a number, got 'glorot'",
        ),
        (dict(weight_init_std=-1.0), ValueError, "weight_init_std must be a finite number >= 0, got -1.0"),
        (dict(weight_init_std=[0.1]), TypeError, "weight_init_std must be a string or a real number, got list"),
        (dict(activation="tanh"), ValueError, "activation must be one of ['relu', 'sigmoid'], got 'tanh'"),
        (dict(hidden_size_list=[10, 0]), ValueError, "hidden_size_list[1] must be a positive int, got 0"),
        (dict(hidden_size_list=10), TypeError, "hidden_size_list must be a list of ints, got int"),
        (
            dict(use_dropout=True, dropout_ratio=1.0),
            ValueError,
            "dropout_ratio must be a finite number in [0, 1), got 1.0",
        ),
        (  # with no hidden layer there is no Dropout layer: the net checks the ratio itself
            dict(hidden_size_list=[], use_dropout=True, dropout_ratio=1.0),
            ValueError,
            "dropout_ratio must be a finite number in [0, 1), got 1.0",
        ),
        (dict(weight_decay_lambda=-0.1), ValueError, "weight_decay_lambda must be a finite number >= 0, got -0.1"),
        (dict(input_size=0), ValueError, "input_size must be a positive int, got 0"),
        (dict(output_size=2.0), TypeError, "output_size must be a positive int, got float 2.0"),
    ],
)
def test_bad_settings_are_named(kwargs, error, message):
    """Each bad setting is refused with a message naming it, what it must be and what it got, word for word."""
    args = dict(input_size=4, hidden_size_list=[3], output_size=2) | kwargs
    with pytest.raises(error) as info:
        MultiLayerNet(**args)
    assert str(info.value) == message


@pytest.mark.claim("multilayer.two-layer-special-case")
@given(seed=seeds)
@settings(max_examples=10)
def test_two_layer_net_is_a_multilayer_net_with_one_hidden_layer(seed):
    """TwoLayerNet(d, h, C, std) and MultiLayerNet(d, [h], C, weight_init_std=std) from one seed
    have the same weights, the same predictions, losses and gradients, bit for bit: one layer loop."""
    two = TwoLayerNet(8, 5, 3, weight_init_std=0.3, rng=seed)
    multi = MultiLayerNet(8, [5], 3, weight_init_std=0.3, rng=seed)
    assert list(two.params) == list(multi.params) == ["W1", "b1", "W2", "b2"]
    rng = np.random.default_rng(seed)
    x, t = rng.normal(size=(7, 8)), rng.integers(0, 3, size=7)
    for k in two.params:
        np.testing.assert_array_equal(two.params[k], multi.params[k])
    np.testing.assert_array_equal(two.predict(x), multi.predict(x))
    assert two.loss(x, t) == multi.loss(x, t)
    g2, gm = two.gradient(x, t), multi.gradient(x, t)
    for k in g2:
        np.testing.assert_array_equal(g2[k], gm[k])


@pytest.mark.claim("multilayer.two-layer-special-case")
def test_two_layer_and_multilayer_train_identically(evidence):
    rng = np.random.default_rng(0)
    x, t = rng.normal(size=(60, 8)), rng.integers(0, 3, size=60)
    runs = [
        train(net, (x, t), (x, t), iters=30, batch_size=10, lr=0.2, rng=1)
        for net in (
            TwoLayerNet(8, 5, 3, weight_init_std=0.3, rng=4),
            MultiLayerNet(8, [5], 3, weight_init_std=0.3, rng=4),
        )
    ]
    evidence("final loss: TwoLayerNet, MultiLayerNet", [runs[0].loss[-1], runs[1].loss[-1]])
    np.testing.assert_array_equal(runs[0].loss, runs[1].loss)


@pytest.mark.claim("multilayer.two-layer-special-case")
def test_layers_are_named_as_in_the_book():
    net = MultiLayerNet(4, [3, 3], 2, use_batchnorm=True, use_dropout=True, dropout_ratio=0.2, rng=0)
    assert list(net.layers) == [
        "Affine1",
        "BatchNorm1",
        "Activation_function1",
        "Dropout1",
        "Affine2",
        "BatchNorm2",
        "Activation_function2",
        "Dropout2",
        "Affine3",
    ]
    assert [type(v).__name__ for v in net.layers.values()] == [
        "Affine",
        "BatchNormalization",
        "Relu",
        "Dropout",
        "Affine",
        "BatchNormalization",
        "Relu",
        "Dropout",
        "Affine",
    ]
    assert repr(net) == "MultiLayerNet(4-3-3-2, relu, batchnorm, dropout=0.2)"
    assert repr(MultiLayerNet(4, [], 2, weight_decay_lambda=0.5)) == "MultiLayerNet(4-2, relu, weight_decay_lambda=0.5)"
    # Dropout and batch norm behave as inference at predict (train_flg=False), as training in gradient.
    x = np.random.default_rng(0).normal(size=(5, 4))
    np.testing.assert_array_equal(net.predict(x), net.predict(x))
    assert not np.array_equal(net.predict(x, train_flg=True), net.predict(x, train_flg=True))


@pytest.mark.claim("multilayer.two-layer-special-case")
def test_float32_multilayer_net_stays_float32():
    net = MultiLayerNet(
        6, [5, 4], 3, use_batchnorm=True, use_dropout=True, weight_decay_lambda=0.1, rng=0, dtype=np.float32
    )
    x, t = np.random.default_rng(0).random((4, 6)), [0, 1, 2, 0]  # float64 input on purpose
    assert all(v.dtype == np.float32 for v in net.params.values())
    assert net.predict(x).dtype == np.float32 and net.loss(x, t, train_flg=True).dtype == np.float32
    assert all(g.dtype == np.float32 for g in net.gradient(x, t).values())
    assert net.last_loss.dtype == np.float32


@pytest.mark.claim("multilayer.two-layer-special-case")
def test_repr_of_a_net_without_hidden_layers():
    """With no hidden layer there is no Dropout layer to carry a ratio: the repr says just "dropout"."""
    net = MultiLayerNet(4, [], 2, use_dropout=True, dropout_ratio=0.3, rng=0)
    assert repr(net) == "MultiLayerNet(4-2, relu, dropout)"


@pytest.mark.claim("multilayer.weight-decay-gradient")
@pytest.mark.parametrize("lr", [0.1, 3.0])
def test_sgd_step_with_decay_is_gradient_then_update(lr):
    """sgd_step(x, t, lr) with weight decay moves each parameter by lr · (its gradient, λW included),
    as net.gradient followed by params -= lr · grads does, up to rounding."""
    net, x, t = small_net(2, weight_decay_lambda=0.5)
    twin, _, _ = small_net(2, weight_decay_lambda=0.5)
    grads = twin.gradient(x, t)
    loss = net.sgd_step(x, t, lr)
    assert loss == twin.last_loss
    for k, g in grads.items():
        np.testing.assert_allclose(net.params[k], twin.params[k] - lr * g, rtol=1e-12, atol=1e-14, err_msg=k)


@pytest.mark.claim("multilayer.two-layer-special-case")
def test_accuracy_is_measured_in_inference_mode():
    """accuracy runs the net as predict does by default (dropout off): the same number every time,
    the fraction of rows whose highest score is the label."""
    net = MultiLayerNet(6, [8], 3, use_dropout=True, dropout_ratio=0.5, rng=0)
    x = np.random.default_rng(1).normal(size=(40, 6))
    t = np.argmax(net.predict(x), axis=1)
    t[:10] = (t[:10] + 1) % 3
    assert [net.accuracy(x, t) for _ in range(3)] == [0.75] * 3


@pytest.mark.claim("dropout.seeded")
def test_the_nets_seed_also_draws_the_dropout_masks():
    """rng draws the initial weights and then the dropout masks: two nets from one seed drop the
    same units in training mode, pass after pass; another seed drops others."""
    x = np.random.default_rng(5).normal(size=(6, 4))
    a, b, c = (MultiLayerNet(4, [16, 16], 3, use_dropout=True, rng=seed) for seed in (7, 7, 8))
    c.params.update({k: v.copy() for k, v in a.params.items()})
    for _ in range(2):
        ya, yb, yc = (net.predict(x, train_flg=True) for net in (a, b, c))
        np.testing.assert_array_equal(ya, yb)
        assert not np.array_equal(ya, yc)


@pytest.mark.claim("multilayer.init-scales")
def test_the_defaults_are_the_books():
    """``MultiLayerNet(d, hidden, c)`` is the book's default net: ReLU, He initialisation (kept as the
    book's name ``"relu"``), no batch norm, no dropout, no weight decay; dropout, when asked for,
    drops half."""
    net = MultiLayerNet(4, [3], 2, rng=0)
    assert (net.activation, net.weight_init_std) == ("relu", "relu")
    assert (net.use_batchnorm, net.use_dropout, net.weight_decay_lambda) == (False, False, 0)
    assert repr(net) == "MultiLayerNet(4-3-2, relu)"
    assert MultiLayerNet(4, [3], 2, use_dropout=True, rng=0).layers["Dropout1"].dropout_ratio == 0.5
