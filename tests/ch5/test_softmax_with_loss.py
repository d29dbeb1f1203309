"""Chapter 5: the SoftmaxWithLoss layer's gradient is (y − t)/N, and its loss is computed stably."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnspec.functions import softmax
from nnspec.gradient import numerical_gradient
from nnspec.layers import SoftmaxWithLoss
from tests.strategies import arrays
from tests.tolerances import ROUTE_TOL

sides = st.integers(min_value=1, max_value=6)


@st.composite
def scores_and_labels(draw, bound=1e3):
    n, c = draw(sides), draw(sides)
    x = draw(arrays(st.just((n, c)), bound=bound))
    labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return x, labels


@pytest.mark.claim("softmax-with-loss.gradient-is-y-minus-t")
@given(case=scores_and_labels())
@example(case=(np.array([[1010.0, 1000.0, 990.0]]), np.array([2])))
@example(case=(np.array([[0.0, 0.0, 15.0], [3.0, 1.0, 0.2]]), np.array([0, 0])))
def test_gradient_is_y_minus_t_over_n(case):
    """backward() = (y − t)/N exactly, with y = softmax(x), for labels and for one-hot targets."""
    x, labels = case
    n, c = x.shape
    onehot = np.eye(c)[labels]
    for t in (labels, onehot):
        layer = SoftmaxWithLoss()
        loss = layer.forward(x, t)
        assert np.isfinite(loss) and loss >= 0
        np.testing.assert_allclose(layer.y, softmax(x), rtol=ROUTE_TOL, atol=1e-300)
        np.testing.assert_array_equal(layer.backward(), (layer.y - onehot) / n)
        np.testing.assert_array_equal(layer.backward(2.5), (layer.y - onehot) / n * 2.5)


@pytest.mark.claim("softmax-with-loss.gradient-is-y-minus-t")
def test_not_just_y_minus_t(evidence):
    """For a batch of N the gradient of the mean loss is (y − t)/N; y − t alone is N times too big."""
    x = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0], [1.0, 1.0, 1.0], [0.0, -1.0, 3.0]])
    t = np.array([0, 1, 2, 2])
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    numeric = numerical_gradient(lambda _: layer.forward(x, t), x)
    layer.forward(x, t)
    y_minus_t = layer.y - np.eye(3)[t]
    ratio = float(np.max(np.abs(y_minus_t)) / np.max(np.abs(numeric)))
    evidence("max|y − t| / max|numerical gradient| for N = 4", ratio)
    assert ratio == pytest.approx(4, rel=1e-6)


# The loss is smooth with third derivatives of size at most 1 in each score, so the central
# difference is off by at most h²/6 ≈ 1.7e-9, plus rounding eps·|L|/h ≈ 1e-11.
SOFTMAX_DIFF_TOL = 1e-8


@pytest.mark.claim("softmax-with-loss.gradient-is-y-minus-t")
def test_matches_numerical_and_beats_the_book_loss(evidence):
    """The log-softmax loss's numerical gradient matches (y − t)/N to 1e-8; the book's
    −Σ t·log(y + 1e-7) bends the loss where a probability is small, and its gradient is far off."""
    x = np.array([[0.0, 0.0, 15.0], [2.0, 1.0, 0.1], [0.3, -1.2, 0.8]])  # row 0: p(class 0) ≈ 3e-7
    t = np.array([0, 0, 2])
    onehot = np.eye(3)[t]
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    backprop = layer.backward()

    ours = numerical_gradient(lambda _: layer.forward(x, t), x)

    def book_loss(_):
        y = softmax(x)
        return -np.sum(onehot * np.log(y + 1e-7)) / x.shape[0]

    book = numerical_gradient(book_loss, x)
    err_ours = float(np.max(np.abs(ours - backprop)))
    err_book = float(np.max(np.abs(book - backprop)))
    evidence("max |numerical − (y − t)/N|, log-softmax loss", err_ours)
    evidence("same, book's log(y + 1e-7) loss", err_book)
    assert err_ours < SOFTMAX_DIFF_TOL
    assert err_book > 1e-2  # the guard changes the function; no step size can fix that


@pytest.mark.claim("softmax-with-loss.gradient-is-y-minus-t")
@given(case=scores_and_labels(bound=1e300))
@example(case=(np.array([[16384.0, 16384.0]]), np.array([0])))
@example(case=(np.array([[1e308, -1e308, 0.0]]), np.array([1])))
def test_loss_is_log_softmax(case):
    """The loss is mean(logsumexp(x) − x[t]) for any finite scores: no warning, never NaN, and
    infinite only when the true loss is beyond the float range (scores ~1e308 apart)."""
    x, t = case
    loss = SoftmaxWithLoss().forward(x, t)
    with np.errstate(over="ignore"):
        s = x - x.max(axis=1, keepdims=True)
    ref = np.mean(np.log(np.sum(np.exp(s), axis=1)) - s[np.arange(len(t)), t])
    assert loss >= 0
    assert loss == pytest.approx(ref, rel=1e-12, abs=1e-12)
    if np.all(np.abs(x) < 1e300 / 2):  # then no two scores are more than 1e300 apart
        assert np.isfinite(loss)


@pytest.mark.claim("softmax-with-loss.gradient-is-y-minus-t")
def test_single_sample():
    """One sample of shape (C,) with a scalar label: gradient y − t, shape (C,)."""
    x = np.array([0.2, 1.5, -0.3])
    layer = SoftmaxWithLoss()
    layer.forward(x, 1)
    np.testing.assert_array_equal(layer.backward(), layer.y - np.array([0.0, 1.0, 0.0]))
    assert layer.backward().shape == (3,)


@pytest.mark.claim("softmax-with-loss.gradient-is-y-minus-t")
def test_one_sample_with_a_one_hot_target():
    """One sample x of shape (C,) with a one-hot t of shape (C,) is a batch of N = 1: dL/dx = y − t, shape (C,)."""
    x, t = np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, 0.0])
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    y = softmax(x)
    assert loss == pytest.approx(-np.log(y[1]), rel=1e-15)
    np.testing.assert_allclose(layer.backward(), y - t, rtol=1e-15, atol=1e-16)
    assert layer.backward().shape == (3,)


@pytest.mark.claim("softmax-with-loss.gradient-is-y-minus-t")
def test_probability_rows_that_do_not_sum_to_one():
    """Any target rows t give L = −(1/N) Σ_n Σ_k t_nk log y_nk, also when a row sums to 0.5 or 2."""
    x = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    t = np.array([[0.25, 0.25, 0.0], [1.0, 0.5, 0.5]])
    loss = SoftmaxWithLoss().forward(x, t)
    expected = -np.sum(t * np.log(softmax(x))) / 2
    assert loss == pytest.approx(expected, rel=1e-14)


@pytest.mark.claim("softmax-with-loss.gradient-is-y-minus-t")
def test_one_layer_serves_batches_of_any_size_in_turn():
    """A layer used for a batch of 2, then 3, then 2 gives what a fresh layer gives each time."""
    rng = np.random.default_rng(0)
    layer = SoftmaxWithLoss()
    for n in (2, 3, 2, 1):
        x, t = rng.normal(size=(n, 4)), rng.integers(0, 4, size=n)
        fresh = SoftmaxWithLoss()
        assert layer.forward(x, t) == fresh.forward(x, t)
        np.testing.assert_array_equal(layer.backward(), fresh.backward())


@pytest.mark.claim("layers.contract")
def test_labels_in_any_byte_order_are_checked_the_same():
    """Big-endian labels (as read from a file) are range-checked like native ones: −1 is refused."""
    layer = SoftmaxWithLoss()
    big = np.array([0, -1], dtype=">i4")
    with pytest.raises(ValueError, match=r"^t labels must be in 0\.\.2, got values from -1 to 0$"):
        layer.forward(np.ones((2, 3)), big)
    ok = np.array([2, 0], dtype=">i8")
    assert layer.forward(np.ones((2, 3)), ok) == SoftmaxWithLoss().forward(np.ones((2, 3)), np.array([2, 0]))


@pytest.mark.claim("layers.contract")
def test_softmax_with_loss_names_x_and_t_word_for_word():
    layer = SoftmaxWithLoss()
    with pytest.raises(TypeError, match=r"^x must be a real numeric array \(int or float\), got dtype <U1"):
        layer.forward(np.array([["a", "b"]]), [0])
    with pytest.raises(TypeError, match=r"^t must be a real numeric array \(int or float\), got dtype <U1"):
        layer.forward(np.ones((1, 2)), np.array([["a", "b"]]))
    with pytest.raises(
        ValueError, match=r"^t must be labels of shape \(\) or one-hot of shape \(3,\), got shape \(2,\)$"
    ):
        layer.forward(np.ones(3), np.array([0, 1]))
