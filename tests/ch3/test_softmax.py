"""Chapter 3 · output layers: identity, sigmoid and softmax, and softmax's properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec.functions import identity_function, sigmoid, softmax
from nnspec.networks import forward, init_network, predict
from tests.ch3.strategies import networks
from tests.strategies import ANY_FINITE, arrays, floats
from tests.tolerances import BOOK_TOL, EPS64, ROUTE_TOL, SUM_TOL

BOOK_INPUT = np.array([1010.0, 1000.0, 990.0])
BOOK_SOFTMAX = np.array([9.99954600e-01, 4.53978686e-05, 2.06106005e-09])


def naive_softmax(x):
    """The textbook formula with no shift: e^{x_k} / Σ e^{x_i}."""
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


# --------------------------------------------------------------------------- sums to one


@pytest.mark.claim("softmax.sums-to-one")
@given(x=arrays())
@example(x=BOOK_INPUT)
@example(x=np.array([[0.0], [-1e3]]))
def test_softmax_sums_to_one(x):
    """sum_k softmax(x)_k = 1 and 0 <= softmax(x)_k <= 1, for a sample or a batch."""
    y = softmax(x)
    assert y.shape == x.shape
    assert np.all((y >= 0) & (y <= 1))
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=0, atol=SUM_TOL)


@pytest.mark.claim("softmax.sums-to-one")
def test_softmax_sum_error_measured(evidence):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1000, 10)) * 100
    err = np.abs(softmax(x).sum(axis=1) - 1).max()
    evidence("max |Σ softmax − 1| over 1000 rows", err)
    assert err < SUM_TOL


# --------------------------------------------------------------------------- order


@pytest.mark.claim("softmax.order-preserving")
@given(x=arrays())
@example(x=np.array([0.0, 1e-300]))  # a strict order that rounding turns into a tie
@example(x=np.array([[3.0, 3.0, -1e3], [1.0, 2.0, 3.0]]))
def test_softmax_is_weakly_monotone(x):
    """x_i <= x_j implies softmax(x)_i <= softmax(x)_j, for every pair in a row."""
    y = softmax(x)
    x_le = x[..., :, None] <= x[..., None, :]
    y_le = y[..., :, None] <= y[..., None, :]
    assert np.all(y_le[x_le])


@pytest.mark.claim("softmax.order-preserving")
@given(x=arrays())
@example(x=np.array([0.0, 1e-300]))
def test_largest_input_has_largest_probability(x):
    """softmax(x) is largest at argmax(x) (ties and underflow included)."""
    y = softmax(x)
    top = np.argmax(x, axis=-1)[..., None]
    np.testing.assert_array_equal(np.take_along_axis(y, top, axis=-1)[..., 0], y.max(axis=-1))


# A top score that beats the runner-up by this much (absolute) stays strictly on top after
# softmax: e^{-1e-9} = 1 - 1e-9 is about 4.5e6 ulps below 1, far from any rounding tie.
CLEAR_WIN = 1e-9


@pytest.mark.claim("softmax.order-preserving")
@given(x=arrays())
def test_argmax_unchanged_when_the_top_is_clear(x):
    """argmax(softmax(x)) = argmax(x) whenever the largest input is unique by CLEAR_WIN."""
    s = np.sort(x, axis=-1)
    clear = (s[..., -1] - s[..., -2] > CLEAR_WIN) if x.shape[-1] > 1 else np.ones(x.shape[:-1], bool)
    same = np.argmax(softmax(x), axis=-1) == np.argmax(x, axis=-1)
    assert np.all(same[clear])


@pytest.mark.claim("softmax.order-preserving")
def test_rounding_can_tie_a_strict_order(evidence):
    """Why the claims above say 'weakly': two inputs closer than ~1e-16 get the same probability,
    and argmax then returns the first of the tied classes."""
    x = np.array([0.0, 1e-300])
    y = softmax(x)
    evidence("softmax([0, 1e-300])", y)
    assert y[0] == y[1] == 0.5
    assert np.argmax(x) == 1 and np.argmax(y) == 0


# --------------------------------------------------------------------------- shift


@st.composite
def dyadic_arrays(draw):
    """Multiples of 2^-10 below 2^21 in size: their sums and differences are exact in float64."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=8))
    ints = draw(hnp.arrays(np.int64, shape, elements=st.integers(-(2**30), 2**30)))
    return ints / 1024.0


@pytest.mark.claim("softmax.shift-invariant")
@given(x=dyadic_arrays(), c=st.integers(-(2**30), 2**30).map(lambda n: n / 1024.0))
@example(x=np.array([1010.0, 1000.0, 990.0]), c=-1010.0)
@example(x=np.array([0.0, 1.0, 2.0]), c=float(2**20))
def test_shift_invariant_exactly_when_the_shift_is_exact(x, c):
    """When x + c is computed without rounding, softmax(x + c) is bit-for-bit softmax(x)."""
    assert np.array_equal((x + c) - c, x)  # the premise: no rounding in x + c
    np.testing.assert_array_equal(softmax(x + c), softmax(x))


# x + c is rounded to the nearest float: each input moves by up to eps/2·|x + c|, so each
# difference x_i - max moves by up to eps·(max|x| + |c|), and each probability by about as much
# relative to itself; 8 eps of that scale, plus a few ulps of the computation, covers it.
SHIFT_ROUNDING = 8 * EPS64


@pytest.mark.claim("softmax.shift-invariant")
@given(x=arrays(), c=floats())
@example(x=BOOK_INPUT, c=-1010.0)
@example(x=np.array([1e-3, 2e-3]), c=1e3)
def test_shift_invariant_up_to_the_rounding_of_x_plus_c(x, c):
    """softmax(x + c) = softmax(x) for any finite x and c, up to the rounding of x + c itself."""
    tol = SHIFT_ROUNDING * (np.abs(x).max() + abs(c)) + ROUTE_TOL
    np.testing.assert_allclose(softmax(x + c), softmax(x), rtol=0, atol=tol)


@pytest.mark.claim("softmax.shift-invariant")
def test_multiplying_by_the_max_does_not_help_but_by_exp_minus_max_does(evidence):
    """The erratum: scaling numerator and denominator by C = max(x) (the note's words) still
    overflows; by C = e^{-max(x)} it is the subtraction x - max(x) and gives the book's values."""
    x, m = BOOK_INPUT, BOOK_INPUT.max()
    with np.errstate(over="ignore", invalid="ignore"):
        by_max = (m * np.exp(x)) / (m * np.exp(x)).sum()
        by_c_literal = (np.exp(-m) * np.exp(x)) / (np.exp(-m) * np.exp(x)).sum()  # e^1010 is inf first
    by_subtraction = np.exp(x - m) / np.exp(x - m).sum()
    evidence("x = (1010, 1000, 990): multiply e^x by max(x)", by_max)
    evidence("x = (1010, 1000, 990): multiply e^x by e^(−max)", by_c_literal)
    evidence("x = (1010, 1000, 990): subtract max(x) first", by_subtraction)
    assert np.all(np.isnan(by_max)) and np.all(np.isnan(by_c_literal))
    np.testing.assert_allclose(by_subtraction, BOOK_SOFTMAX, rtol=BOOK_TOL)
    np.testing.assert_array_equal(softmax(x), by_subtraction)
    # Where nothing overflows, multiplying by e^{-max} and subtracting max agree (C·e^a = e^{a + ln C}).
    small = np.array([1.0, 0.5, -2.0])
    c = np.exp(-small.max())
    np.testing.assert_allclose((c * np.exp(small)) / (c * np.exp(small)).sum(), softmax(small), rtol=ROUTE_TOL)


# --------------------------------------------------------------------------- overflow


@pytest.mark.claim("softmax.overflow-safe")
@given(x=arrays(bound=ANY_FINITE))
@example(x=np.array([ANY_FINITE, -ANY_FINITE]))
@example(x=np.array([[-ANY_FINITE, -ANY_FINITE], [ANY_FINITE, ANY_FINITE]]))
@example(x=BOOK_INPUT)
@example(x=np.array([-1e308, 5e-324, 1e308]))
def test_softmax_finite_and_normalised_for_any_finite_input(x):
    """Every finite input, up to ±1.8e308: finite outputs in [0, 1] summing to 1, no warning
    (the suite turns any RuntimeWarning into a failure)."""
    y = softmax(x)
    assert np.all(np.isfinite(y)) and np.all((y >= 0) & (y <= 1))
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=0, atol=SUM_TOL)


@pytest.mark.claim("softmax.overflow-safe")
def test_book_example_where_the_naive_formula_gives_nan(evidence):
    y = softmax(BOOK_INPUT)
    with np.errstate(over="ignore", invalid="ignore"):  # the naive formula warns: e^1010 = inf, inf/inf
        naive = naive_softmax(BOOK_INPUT)
    evidence("softmax([1010, 1000, 990])", y)
    evidence("the formula without the shift, e^x / Σ e^x", naive)
    np.testing.assert_allclose(y, BOOK_SOFTMAX, rtol=BOOK_TOL)
    assert np.all(np.isnan(naive))


# --------------------------------------------------------------------------- output layer


@pytest.mark.claim("output.layer-choice")
@given(x=arrays(bound=ANY_FINITE))
@example(x=np.array([0.0, 36.8, -36.8, 700.0, -700.0, 710.0, -710.0, -745.0, ANY_FINITE, -ANY_FINITE]))
def test_sigmoid_is_two_class_softmax(x):
    """Binary: sigmoid(x) = softmax([x, 0])_0 and 1 - sigmoid(x) = sigmoid(-x) = softmax([x, 0])_1,
    to an absolute ROUTE_TOL everywhere and a relative one where |x| <= 700 (no underflow).
    Regression: the identity output returns the scores themselves, as a new array."""
    pair = softmax(np.stack([x, np.zeros_like(x)], axis=-1))
    np.testing.assert_allclose(pair[..., 0], sigmoid(x), rtol=0, atol=ROUTE_TOL)
    np.testing.assert_allclose(pair[..., 1], sigmoid(-x), rtol=0, atol=ROUTE_TOL)
    moderate = np.abs(x) <= 700
    np.testing.assert_allclose(pair[..., 0][moderate], sigmoid(x)[moderate], rtol=ROUTE_TOL)
    y = identity_function(x)
    assert y is not x
    np.testing.assert_array_equal(y, x)


@pytest.mark.claim("output.layer-choice")
def test_each_output_layer_gives_its_kind_of_answer(evidence):
    """Identity: any real numbers; sigmoid: one probability; softmax: a distribution over classes."""
    scores = np.array([[2.5, -1.0, 0.3], [-4.0, 7.0, 7.5]])
    reg = identity_function(scores)
    prob = sigmoid(scores[:, 0])
    dist = softmax(scores)
    evidence("scores (2.5, −1, 0.3): identity output, any real numbers", reg[0])
    evidence("sigmoid of the first score of each row (2.5 and −4): one probability each", prob)
    evidence("softmax of (2.5, −1, 0.3): a distribution, summing to 1", dist[0].round(6))
    assert reg.min() < 0 and reg.max() > 1  # not confined to [0, 1]
    assert np.all((0 < prob) & (prob < 1))
    np.testing.assert_allclose(dist.sum(axis=1), 1.0, rtol=0, atol=SUM_TOL)


# --------------------------------------------------------------------------- inference


@pytest.mark.claim("softmax.skip-at-inference")
@given(net=networks(), data=st.data())
def test_argmax_of_scores_is_a_most_probable_class(net, data):
    """Dropping softmax at inference: the top-scoring class is always a most probable class."""
    x = data.draw(arrays(shape=st.tuples(st.integers(1, 8), st.just(net["W1"].shape[0])), bound=5.0))
    scores, probs = forward(net, x), predict(net, x)
    top = np.argmax(scores, axis=1)[:, None]
    np.testing.assert_array_equal(np.take_along_axis(probs, top, axis=1)[:, 0], probs.max(axis=1))


@pytest.mark.claim("softmax.skip-at-inference")
def test_scores_are_not_probabilities(evidence):
    """But when probabilities are needed (a loss, a confidence), softmax cannot be skipped."""
    scores = forward(init_network(), [1.0, 0.5])
    probs = predict(init_network(), [1.0, 0.5])
    evidence("scores of the book's 3-layer network for x = (1.0, 0.5)", scores)
    evidence("their softmax: the probabilities", probs)
    assert np.abs(scores - probs).max() > 0.05  # the scores themselves are not the probabilities
    np.testing.assert_allclose(probs.sum(), 1.0, rtol=0, atol=SUM_TOL)
    assert np.argmax(scores) == np.argmax(probs)
