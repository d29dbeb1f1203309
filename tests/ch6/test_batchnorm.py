"""Chapter 6 · batch normalization: normalised outputs, an exact backward pass, running statistics."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec.gradient import numerical_gradient
from nnspec.layers import BatchNormalization
from nnspec.layers.batchnorm import BOOK_EPS
from tests.strategies import floats, seeds

# Mean and standard deviation of a column of at most 16 numbers of size ≤ 1e3, normalised and
# rescaled: a few dozen roundings of numbers up to |γ|·4 ≈ 40 in float64. 1e-9 of the output's
# scale is four orders of magnitude above that and far below any wrong formula (a missing
# centring, a biased/unbiased mix-up in the batch statistics: off by 1/N or more).
MOMENT_TOL = 1e-9

# Central differences with h = 1e-4 on a function whose third derivatives are of order 1/σ³:
# with inputs of spread ≥ 0.1 the truncation error is below ~1e-6 of the gradient's scale; a
# backward pass without the mean or variance terms is off by O(1).
GRAD_TOL = 1e-6


@st.composite
def batches(draw, min_rows=2):
    n = draw(st.integers(min_rows, 16))
    d = draw(st.integers(1, 5))
    x = draw(hnp.arrays(np.float64, (n, d), elements=floats(1e3)))
    gamma = draw(hnp.arrays(np.float64, (d,), elements=floats(10.0)))
    beta = draw(hnp.arrays(np.float64, (d,), elements=floats(10.0)))
    return x, gamma, beta


@pytest.mark.claim("batchnorm.normalizes")
@given(xgb=batches())
@example(xgb=(np.array([[1.0, 5.0], [3.0, 5.0]]), np.array([2.0, 3.0]), np.array([0.5, -1.0])))  # a constant column
def test_train_mode_output_has_mean_beta_and_spread_gamma(xgb):
    """Per feature j: mean_n y_nj = β_j and std_n y_nj = |γ_j| σ_j / √(σ_j² + ε), σ_j the batch's
    (biased) standard deviation — that is |γ_j| up to ε, and exactly β_j for a constant column."""
    x, gamma, beta = xgb
    y = BatchNormalization(gamma.copy(), beta.copy()).forward(x, train_flg=True)
    sigma = x.std(axis=0)
    scale = 1.0 + np.abs(beta) + np.abs(gamma)  # per feature
    expected_std = np.abs(gamma) * sigma / np.sqrt(sigma**2 + BOOK_EPS)
    assert np.all(np.abs(y.mean(axis=0) - beta) <= MOMENT_TOL * scale), (y.mean(axis=0), beta)
    assert np.all(np.abs(y.std(axis=0) - expected_std) <= MOMENT_TOL * scale), (y.std(axis=0), expected_std)


@pytest.mark.claim("batchnorm.normalizes")
def test_normalizes_any_scale(evidence):
    """Columns a million times apart come out alike: the layer removes each feature's scale."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 3)) * np.array([1e-3, 1.0, 1e3]) + np.array([5.0, -2.0, 7e3])
    y = BatchNormalization(np.ones(3), np.zeros(3)).forward(x)
    evidence("input column std", x.std(axis=0))
    evidence("output column mean", y.mean(axis=0))
    evidence("output column std", y.std(axis=0))
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    # The smallest column (σ = 1e-3, σ² = 1e-6 = ε) comes out at 1/√2: ε matters only for tiny spreads.
    np.testing.assert_allclose(y.std(axis=0)[1:], 1, rtol=1e-6)
    assert y.std(axis=0)[0] == pytest.approx(x.std(axis=0)[0] / np.sqrt(x.std(axis=0)[0] ** 2 + BOOK_EPS))


@pytest.mark.claim("batchnorm.normalizes")
def test_book_eps_is_one_millionth():
    """The book writes 10e-7, which is 1e-6; the default ε is that, and it is a keyword argument."""
    assert BOOK_EPS == 10e-7 == 1e-6
    assert BatchNormalization(np.ones(1), np.zeros(1)).eps == 1e-6
    assert BatchNormalization(np.ones(1), np.zeros(1), eps=1e-5).eps == 1e-5


def bn_loss_and_grads(seed, n, d=3, train=True):
    """L = Σ w ⊙ BN(x) for random w: its backprop gradients and central differences for x, γ, β."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) * rng.uniform(0.1, 3.0, size=d) + rng.normal(size=d)
    gamma, beta, w = rng.normal(size=d), rng.normal(size=d), rng.normal(size=(n, d))
    layer = BatchNormalization(gamma, beta, running_mean=rng.normal(size=d), running_var=rng.uniform(0.5, 2, size=d))

    def loss(_):
        return float(np.sum(w * layer.forward(x, train_flg=train)))

    num = {name: numerical_gradient(loss, arr) for name, arr in (("x", x), ("gamma", gamma), ("beta", beta))}
    layer.forward(x, train_flg=train)
    bp = {"x": layer.backward(w), **layer.grads}
    return num, bp


def rel_err(num, bp):
    return max(float(np.max(np.abs(num[k] - bp[k])) / max(np.max(np.abs(num[k])), 1e-12)) for k in num)


@pytest.mark.claim("batchnorm.gradient-check")
@pytest.mark.parametrize("n", [4, 7, 32])
def test_backward_matches_central_differences(n, evidence):
    """For batches of 4, 7 and 32 and five seeds each, ∂L/∂x, ∂L/∂γ and ∂L/∂β from backward agree
    with central differences (h = 1e-4) to a relative 1e-6."""
    worst = max(rel_err(*bn_loss_and_grads(seed, n)) for seed in range(5))
    evidence(f"max relative error, batch {n}, 5 seeds", worst)
    assert worst < GRAD_TOL


@pytest.mark.claim("batchnorm.gradient-check")
def test_backward_in_inference_mode_matches_too(evidence):
    """After an inference pass the layer is an affine map of x; backward differentiates that one."""
    worst = max(rel_err(*bn_loss_and_grads(seed, 5, train=False)) for seed in range(5))
    evidence("max relative error, inference mode", worst)
    assert worst < GRAD_TOL


@pytest.mark.claim("batchnorm.gradient-check")
def test_a_batch_of_one_is_degenerate_and_refused(evidence):
    """With one sample, x − μ = 0: the normalised output is β whatever x is, so the numerical
    gradient for x is 0 and a gradient check passes whatever backward computes. Training mode
    refuses N = 1; the gradient check above uses N ≥ 4."""
    x = np.array([[0.3, -2.0, 5.0]])
    outputs = []
    for shift in (0.0, 1.0, 100.0):
        xn = (x + shift) - (x + shift).mean(axis=0)  # what the book's code computes for N = 1
        outputs.append(float(np.max(np.abs(xn))))
    evidence("max |x − μ| for one sample, shifted by 0, 1, 100", outputs)
    assert outputs == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match=r"x must hold at least 2 samples in training mode"):
        BatchNormalization(np.ones(3), np.zeros(3)).forward(x, train_flg=True)
    # In inference mode one sample is fine: the running statistics do not depend on it.
    out = BatchNormalization(np.ones(3), np.zeros(3)).forward(x[0], train_flg=False)
    assert out.shape == (3,)


@pytest.mark.claim("batchnorm.inference-running-stats")
def test_running_statistics_converge_to_the_data(evidence):
    """After many training batches from N(m, v), inference normalises with running averages close
    to m and v (the variance averaged unbiased), and its output is (x − m̂)/√(v̂ + ε)·γ + β."""
    rng = np.random.default_rng(0)
    m, v = np.array([3.0, -1.0]), np.array([4.0, 0.25])
    layer = BatchNormalization(np.ones(2), np.zeros(2))
    for _ in range(300):
        layer.forward(rng.normal(m, np.sqrt(v), size=(32, 2)))
    evidence("running mean (data mean 3, −1)", layer.running_mean)
    evidence("running variance (data variance 4, 0.25)", layer.running_var)
    # An average with weights 0.1·0.9^k over batches of 32 has the spread of one batch times
    # √(0.1/1.9) = 0.23: for the mean σ/√32·0.23 = 0.04σ, for the variance √(2/31)·0.23 = 6 % of v.
    # The bounds are five of those spreads.
    assert np.all(np.abs(layer.running_mean - m) <= 0.2 * np.sqrt(v))
    np.testing.assert_allclose(layer.running_var, v, rtol=0.3)
    x = rng.normal(size=(5, 2))
    gamma, beta = layer.params["gamma"], layer.params["beta"]
    expected = (x - layer.running_mean) / np.sqrt(layer.running_var + layer.eps) * gamma + beta
    before = (layer.running_mean.copy(), layer.running_var.copy())
    np.testing.assert_allclose(layer.forward(x, train_flg=False), expected, rtol=1e-14)
    np.testing.assert_array_equal(layer.running_mean, before[0])  # inference updates nothing
    np.testing.assert_array_equal(layer.running_var, before[1])


@pytest.mark.claim("batchnorm.inference-running-stats")
def test_one_update_uses_the_unbiased_variance_and_the_books_momentum():
    """running ← 0.9·running + 0.1·batch statistic, the variance as Σ(x − μ)²/(N − 1)."""
    x = np.array([[1.0], [2.0], [6.0]])  # mean 3, biased variance 14/3, unbiased 7
    layer = BatchNormalization(np.ones(1), np.zeros(1), momentum=0.9)
    layer.forward(x)
    assert layer.running_mean[0] == pytest.approx(0.9 * 0 + 0.1 * 3, rel=1e-15)
    assert layer.running_var[0] == pytest.approx(0.9 * 1 + 0.1 * 7, rel=1e-15)


@pytest.mark.claim("batchnorm.inference-running-stats")
def test_fresh_layer_is_near_the_identity_at_inference(evidence):
    """Running variance starts at 1 (PyTorch's start), so an untrained layer passes x through
    (÷ √(1 + ε)); the book's start, 0, divides by √ε = 0.001: a thousandfold blow-up."""
    x = np.array([[0.5, -1.5]])
    ours = BatchNormalization(np.ones(2), np.zeros(2)).forward(x, train_flg=False)
    books = BatchNormalization(np.ones(2), np.zeros(2), running_var=np.zeros(2)).forward(x, train_flg=False)
    evidence(
        "inference output of an untrained layer for x = [0.5, −1.5]: nnspec, the book's start",
        [ours.ravel().tolist(), books.ravel().tolist()],
    )
    np.testing.assert_allclose(ours, x, rtol=1e-6)
    np.testing.assert_allclose(books, x / np.sqrt(1e-6), rtol=1e-12)


@pytest.mark.claim("batchnorm.inference-running-stats")
@given(seed=seeds)
def test_image_batches_are_normalised_per_activation(seed):
    """(N, C, H, W) input is flattened to (N, C·H·W) as in the book: one statistic per activation."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4, 2, 3, 3))
    layer = BatchNormalization(np.ones(18), np.zeros(18))
    y = layer.forward(x)
    flat = BatchNormalization(np.ones(18), np.zeros(18)).forward(x.reshape(4, 18))
    assert y.shape == x.shape
    np.testing.assert_array_equal(y.reshape(4, 18), flat)
    assert layer.backward(np.ones_like(x)).shape == x.shape


BAD = [
    (dict(gamma=np.ones((2, 2)), beta=np.zeros(2)), ValueError, r"gamma must be 1-D, got shape \(2, 2\)"),
    (dict(gamma=np.ones(2), beta=np.zeros(3)), ValueError, r"beta must have shape \(2,\) to match gamma, got \(3,\)"),
    (
        dict(gamma=np.ones(2), beta=np.zeros(2), momentum=1.5),
        ValueError,
        r"momentum must be a finite number in \[0, 1\]",
    ),
    (dict(gamma=np.ones(2), beta=np.zeros(2), eps=0), ValueError, r"eps must be a finite number > 0, got 0.0"),
    (
        dict(gamma=np.ones(2), beta=np.zeros(2), running_var=np.array([1.0, -1.0])),
        ValueError,
        r"running_var must be >= 0",
    ),
    (
        dict(gamma=np.ones(2), beta=np.zeros(2), running_mean=np.zeros(3)),
        ValueError,
        r"running_mean must have shape \(2,\) to match gamma, got \(3,\)",
    ),
]


@pytest.mark.claim("batchnorm.inference-running-stats")
@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_settings_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        BatchNormalization(**kwargs)


@pytest.mark.claim("batchnorm.inference-running-stats")
def test_bad_input_shapes_are_named():
    layer = BatchNormalization(np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"x must have shape \(N, 3\).*got \(2, 4\)"):
        layer.forward(np.ones((2, 4)))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((2, 3)))
    layer.forward(np.arange(6.0).reshape(2, 3))
    with pytest.raises(ValueError, match=r"dout must have the forward input's shape \(2, 3\), got \(3, 3\)"):
        layer.backward(np.ones((3, 3)))


def _raises_exactly(error, message):
    """pytest.raises for the whole message, word for word (what the user reads)."""
    return pytest.raises(error, match="^" + re.escape(message) + "$")


@pytest.mark.claim("batchnorm.inference-running-stats")
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(gamma=["a", "b"], beta=np.zeros(2)), TypeError, "gamma must be a real numeric array"),
        (dict(gamma=np.ones(2), beta=[True, False]), TypeError, "beta must be a real numeric array"),
        (dict(gamma=np.ones(2), beta=np.zeros((1, 2))), ValueError, "beta must be 1-D, got shape (1, 2)"),
        (
            dict(gamma=np.ones(2), beta=np.zeros(2), running_mean=np.zeros((2, 1))),
            ValueError,
            "running_mean must be 1-D, got shape (2, 1)",
        ),
        (
            dict(gamma=np.ones(2), beta=np.zeros(2), running_var=["x", "y"]),
            TypeError,
            "running_var must be a real numeric array",
        ),
        (
            dict(gamma=np.ones(2), beta=np.zeros(2), running_var=np.ones(3)),
            ValueError,
            "running_var must have shape (2,) to match gamma, got (3,)",
        ),
        (
            dict(gamma=np.ones(2), beta=np.zeros(2), running_var=np.array([1.0, -1.0])),
            ValueError,
            "running_var must be >= 0 everywhere (a variance)",
        ),
    ],
)
def test_every_bad_argument_is_named_at_the_start_of_its_message(kwargs, error, message):
    """The message begins with the argument's own name (type errors then say what they got)."""
    with pytest.raises(error, match="^" + re.escape(message)):
        BatchNormalization(**kwargs)


@pytest.mark.claim("batchnorm.inference-running-stats")
def test_forward_and_backward_name_x_and_dout_word_for_word():
    layer = BatchNormalization(np.ones(2), np.zeros(2))
    with _raises_exactly(RuntimeError, "BatchNormalization.backward called before forward"):
        layer.backward(np.ones((2, 2)))
    with pytest.raises(TypeError, match=r"^x must be a real numeric array \(int or float\), got dtype bool"):
        layer.forward(np.array([[True, False], [False, True]]))
    layer.forward(np.array([[1.0, 2.0], [3.0, 5.0]]))
    with pytest.raises(TypeError, match=r"^dout must be a real numeric array \(int or float\), got dtype <U1"):
        layer.backward(np.array([["a", "b"], ["c", "d"]]))


@pytest.mark.claim("dtype.float32-end-to-end")
def test_a_float32_layer_keeps_float32_everywhere():
    """float32 γ makes a float32 layer: β, the running statistics (given or default) and every output
    and gradient are float32, even from float64 β, x, dout and running statistics."""
    f32 = np.float32
    default = BatchNormalization(np.ones(2, dtype=f32), np.zeros(2))
    given_stats = BatchNormalization(
        np.ones(2, dtype=f32), np.zeros(2), running_mean=np.zeros(2), running_var=np.ones(2)
    )
    x = np.array([[1.0, 2.0], [3.0, 5.0], [-1.0, 0.5]])  # float64
    for layer in (default, given_stats):
        assert layer.dtype == f32
        assert layer.params["beta"].dtype == f32
        assert layer.running_mean.dtype == layer.running_var.dtype == f32
        for train in (True, False):
            assert layer.forward(x, train_flg=train).dtype == f32
            dx = layer.backward(np.ones_like(x))
            assert dx.dtype == f32
            assert layer.grads["gamma"].dtype == layer.grads["beta"].dtype == f32
        assert layer.running_mean.dtype == layer.running_var.dtype == f32


@pytest.mark.claim("dtype.float32-end-to-end")
def test_the_dtype_argument_converts_every_array():
    """dtype=float64 turns float32 γ, β and running statistics into float64 copies; integer γ
    (no floating dtype to keep) gives a float64 layer."""
    f32 = np.ones(2, dtype=np.float32)
    layer = BatchNormalization(f32, f32 * 0, running_mean=f32 * 0, running_var=f32, dtype=np.float64)
    arrays = [layer.params["gamma"], layer.params["beta"], layer.running_mean, layer.running_var]
    assert [a.dtype for a in arrays] == [np.float64] * 4
    ints = BatchNormalization(np.ones(2, dtype=int), [0, 0])
    assert ints.dtype == ints.params["beta"].dtype == ints.running_var.dtype == np.float64
    np.testing.assert_array_equal(ints.params["gamma"], [1.0, 1.0])


@pytest.mark.claim("batchnorm.normalizes")
@given(seed=seeds)
def test_three_dimensional_batches_are_normalised_per_activation(seed):
    """(N, C, L) input is flattened to (N, C·L) like images: forward and backward agree with the 2-D layer."""
    rng = np.random.default_rng(seed)
    x, dout = rng.normal(size=(5, 2, 3)), rng.normal(size=(5, 2, 3))
    layer, flat = BatchNormalization(np.ones(6), np.zeros(6)), BatchNormalization(np.ones(6), np.zeros(6))
    y = layer.forward(x)
    np.testing.assert_array_equal(y.reshape(5, 6), flat.forward(x.reshape(5, 6)))
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    np.testing.assert_array_equal(dx.reshape(5, 6), flat.backward(dout.reshape(5, 6)))
    np.testing.assert_array_equal(layer.grads["gamma"], flat.grads["gamma"])
    np.testing.assert_array_equal(layer.grads["beta"], flat.grads["beta"])
