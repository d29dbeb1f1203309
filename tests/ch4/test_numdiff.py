"""Chapter 4 · numerical differentiation and the gradient."""

import re

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec.gradient import numerical_diff, numerical_gradient
from tests.ch4.strategies import fewer_examples, points
from tests.strategies import floats
from tests.tolerances import EPS64


def function_1(x):
    """The book's f(x) = 0.01x² + 0.1x."""
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    """The book's f(x0, x1) = x0² + x1²."""
    return x[0] ** 2 + x[1] ** 2


# --------------------------------------------------------------------------- numerical_diff


@pytest.mark.claim("numdiff.book-values")
def test_numdiff_book_values(evidence):
    """(f(x+h) − f(x−h)) / 2h with h = 1e-4 prints the book's digits exactly: 0.1999999999990898, 0.2999999999986347."""
    at5, at10 = numerical_diff(function_1, 5), numerical_diff(function_1, 10)
    evidence("f'(5) numerical", at5)
    evidence("f'(10) numerical", at10)
    assert at5 == 0.1999999999990898
    assert at10 == 0.2999999999986347
    # f is quadratic, so the central difference has no truncation error: the 1e-12 left is rounding,
    # of the size eps·|f(x)|/h (f(10) = 2: 4.4e-12)
    evidence("|error| at 5", abs(at5 - 0.2))
    evidence("|error| at 10", abs(at10 - 0.3))
    for x, exact, got in ((5, 0.2, at5), (10, 0.3, at10)):
        assert abs(got - exact) <= 4 * EPS64 * max(1.0, abs(function_1(x))) / 1e-4


# Smooth test functions with their exact derivatives, at points where f'' and f''' are not zero.
SMOOTH = [
    ("exp at 0.5", np.exp, 0.5, np.exp(0.5)),
    ("sin at 1", np.sin, 1.0, np.cos(1.0)),
    ("log at 2", np.log, 2.0, 0.5),
]
STEPS = np.logspace(-1, -3, 9)  # small enough for the leading error term, large enough to stay clear of rounding
SLOPE_TOL = 0.05  # the next error term shifts a 2-decade fit by ~0.01 (measured ≤ 0.007)


def _slope(f, x, exact, method):
    err = [abs(numerical_diff(f, x, h, method=method) - exact) for h in STEPS]
    return float(np.polyfit(np.log(STEPS), np.log(err), 1)[0])


@pytest.mark.claim("numdiff.central-error-order")
@pytest.mark.parametrize(("name", "f", "x", "exact"), SMOOTH, ids=[s[0] for s in SMOOTH])
def test_error_order(name, f, x, exact, evidence):
    """On a log-log plot of error against h, the forward difference has slope 1 and the central one slope 2."""
    forward, central = _slope(f, x, exact, "forward"), _slope(f, x, exact, "central")
    evidence(f"slope, forward ({name})", forward)
    evidence(f"slope, central ({name})", central)
    assert abs(forward - 1) < SLOPE_TOL
    assert abs(central - 2) < SLOPE_TOL


@pytest.mark.claim("numdiff.rounding-limit")
def test_rounding_limit(evidence):
    """Too small an h fails: 1e-50 is 0 in float32 and vanishes beside x in float64; below ~1e-6 the error grows."""
    assert np.float32(1e-50) == 0.0
    assert 0.5 + 1e-50 == 0.5  # float64 keeps 1e-50 alone, but not beside x
    assert numerical_diff(np.exp, 0.5, h=1e-50) == 0.0  # the derivative of exp is never 0
    exponents = range(1, 14)
    errors = {k: abs(numerical_diff(np.exp, 0.5, 10.0**-k) - np.exp(0.5)) for k in exponents}
    best = 10.0 ** -min(errors, key=errors.get)
    err_book, err_tiny = errors[4], errors[12]
    evidence("h with the smallest error (derivative of eˣ at 0.5)", best)
    evidence("|error| at h = 1e-4", err_book)
    evidence("|error| at h = 1e-12", err_tiny)
    # the minimum sits where truncation h²/6 meets rounding eps/h: h ≈ eps^(1/3) ≈ 6e-6
    assert 1e-7 <= best <= 1e-4
    assert err_tiny > 100 * err_book  # rounding, ∝ 1/h, has taken over
    assert err_book < 1e-8  # and h = 1e-4 still gives 8 good digits


# --------------------------------------------------------------------------- numerical_gradient


# For a quadratic the central difference has no truncation error; the rest is rounding of f,
# a few ulps of Σ|terms|, divided by 2h.
def _rounding_tol(terms: np.ndarray, h: float = 1e-4) -> float:
    return 16 * EPS64 * (float(np.sum(np.abs(terms))) + 1.0) / h


@pytest.mark.claim("gradient.vector-of-partials")
def test_gradient_book_points(evidence):
    """∇(x0² + x1²) is (6, 8) at (3, 4), (0, 4) at (0, 2) and (6, 0) at (3, 0)."""
    for point, expected in (((3.0, 4.0), (6, 8)), ((0.0, 2.0), (0, 4)), ((3.0, 0.0), (6, 0))):
        grad = numerical_gradient(function_2, np.array(point))
        evidence(f"∇f{point}", grad)
        np.testing.assert_allclose(grad, expected, rtol=0, atol=_rounding_tol(np.array(point) ** 2))


@pytest.mark.claim("gradient.vector-of-partials")
@given(x=points, data=st.data())
@example(x=np.array(3.0), data=None)
@fewer_examples
def test_gradient_any_shape(x, data):
    """For f(x) = Σ c·x² + b·x over any shape, the numerical gradient is 2c·x + b, entry by entry, in x's shape."""
    if data is None:
        c, b = np.ones_like(x), np.zeros_like(x)
    else:
        coef = hnp.arrays(np.float64, x.shape, elements=floats(10.0))
        c, b = data.draw(coef), data.draw(coef)

    def f(v):
        return np.sum(c * v**2 + b * v)

    grad = numerical_gradient(f, x)
    assert grad.shape == x.shape and grad.dtype == x.dtype
    # Rounding follows the size of each term, not of their sum: c·x² and b·x may nearly cancel.
    np.testing.assert_allclose(grad, 2 * c * x + b, rtol=0, atol=_rounding_tol(np.abs(c * x**2) + np.abs(b * x)))


@st.composite
def quadratic_problems(draw):
    """(A, b, x, u): f(x) = ½xᵀAx + bᵀx with A = MᵀM, a point x and a unit direction u, in 1–5 dimensions."""
    n = draw(st.integers(1, 5))
    vec = hnp.arrays(np.float64, (n,), elements=floats(5.0))
    m = draw(hnp.arrays(np.float64, (n, n), elements=floats(2.0)))
    u = draw(vec)
    assume(np.linalg.norm(u) > 1e-3)
    return m.T @ m, draw(vec), draw(vec), u / np.linalg.norm(u)


STEP = 1e-3  # "a small step"


@pytest.mark.claim("gradient.steepest-descent")
@given(problem=quadratic_problems())
@example(problem=(2 * np.eye(2), np.zeros(2), np.array([-3.0, 4.0]), np.array([1.0, 0.0])))
@fewer_examples
def test_steepest_descent(problem):
    """A step of length ε along −∇f/‖∇f‖ lowers f at least as much as a step along any unit u, up to ε²·λmax."""
    A, b, x, u = problem

    def f(v):
        return 0.5 * v @ A @ v + b @ v

    g = numerical_gradient(f, x.copy())
    assume(np.linalg.norm(g) > 1e-6)
    down = -g / np.linalg.norm(g)
    # f(x + εd) = f(x) + ε∇f·d + ½ε² dᵀAd: the first-order term is smallest, −ε‖∇f‖, for d = down
    # (Cauchy–Schwarz); the second-order terms can differ by at most ½ε²·λmax(A).
    curvature = 0.5 * STEP**2 * np.linalg.eigvalsh(A).max()
    rounding = 64 * EPS64 * (abs(f(x)) + np.abs(A).sum() * np.abs(x).max() ** 2 + 1)
    assert f(x + STEP * down) <= f(x + STEP * u) + curvature + rounding
    # and it does go down
    assert f(x + STEP * down) < f(x) + curvature + rounding


@pytest.mark.claim("gradient.steepest-descent")
def test_steepest_among_directions(evidence):
    """Around a circle of unit directions, the change of f after a small step is least at −∇f/‖∇f‖."""
    x = np.array([-3.0, 4.0])
    angles = np.linspace(0, 2 * np.pi, 3600, endpoint=False)
    dirs = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    change = np.array([function_2(x + STEP * d) - function_2(x) for d in dirs])
    best = dirs[np.argmin(change)]
    g = numerical_gradient(function_2, x.copy())
    angle = np.degrees(np.arccos(np.clip(best @ (-g / np.linalg.norm(g)), -1, 1)))
    evidence("angle between best of 3600 directions and −∇f (degrees)", angle)
    assert angle <= 0.1  # the circle is sampled every 0.1°


# --------------------------------------------------------------------------- in-place contract


class Boom(Exception):
    pass


@pytest.mark.claim("numdiff.restores-input")
@given(x=points, fail_at=st.integers(0, 40))
@example(x=np.array([-0.0, 1e-300]), fail_at=1)
@fewer_examples
def test_restores_input_even_when_f_raises(x, fail_at):
    """After numerical_gradient, x holds exactly its old bits, whether f returned or raised midway."""
    before = x.copy()
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) > fail_at:
            raise Boom
        return float(np.sum(v**2))

    try:
        numerical_gradient(f, x)
    except Boom:
        pass
    assert x.tobytes() == before.tobytes()


@pytest.mark.claim("numdiff.restores-input")
def test_closure_sees_the_moved_entries():
    """f may ignore its argument and read the array by reference: the entries move in place."""
    W = np.array([[1.0, 2.0], [3.0, -4.0]])
    before = W.copy()
    grad = numerical_gradient(lambda _: float(np.sum(W**2)), W)
    np.testing.assert_allclose(grad, 2 * before, rtol=0, atol=_rounding_tol(before**2))
    assert np.array_equal(W, before)


@pytest.mark.claim("numdiff.restores-input")
def test_views_are_moved_in_place():
    """A non-contiguous view (a column of a weight matrix, a transpose) is moved and restored in its parent."""
    W = np.arange(12.0).reshape(3, 4)
    before = W.copy()
    column = W[:, 1]  # strided: every 4th number of W
    grad = numerical_gradient(lambda _: float(np.sum(W**2)), column)
    np.testing.assert_allclose(grad, 2 * before[:, 1], rtol=0, atol=_rounding_tol(before**2))
    grad_t = numerical_gradient(lambda _: float(np.sum(W**3)), W.T)
    np.testing.assert_allclose(grad_t, 3 * before.T**2, rtol=0, atol=1e-6)  # truncation h²·f'''/6 = 1e-8
    assert np.array_equal(W, before)
    # an f with integer values is fine (its numerical gradient is 0 here); a NaN is named by index
    assert np.array_equal(numerical_gradient(lambda _: 7, column), np.zeros(3))
    with pytest.raises(ValueError, match=r"x\[\(0,\)\]"):
        numerical_gradient(lambda _: np.nan, column)
    assert np.array_equal(W, before)


@pytest.mark.claim("numdiff.refuses-integers")
def test_refuses_integer_arrays(evidence):
    """An integer x is a TypeError, where the book's version truncates x ± h and returns [5000, 15000]."""
    x = np.array([1, 2])
    with pytest.raises(TypeError, match="floating dtype"):
        numerical_gradient(function_2, x)
    assert x.tolist() == [1, 2]
    # what the book's algorithm does with it: x[idx] = tmp ± h is truncated to an integer
    book = np.zeros_like(x)
    for idx in range(x.size):
        tmp = x[idx]
        x[idx] = float(tmp) + 1e-4
        fxh1 = function_2(x)
        x[idx] = float(tmp) - 1e-4
        fxh2 = function_2(x)
        book[idx] = (fxh1 - fxh2) / 2e-4
        x[idx] = tmp
    evidence("book's gradient at integer [1, 2]", book)
    evidence("nnspec's gradient at [1.0, 2.0] (true: 2, 4)", numerical_gradient(function_2, x.astype(float)))
    assert book.tolist() == [5000, 15000]


BAD_CALLS = [
    # (f, x, kwargs, error, words in the message)
    (function_2, np.array([True, False]), {}, TypeError, "floating dtype"),
    (function_2, [3.0, 4.0], {}, TypeError, "NumPy array"),
    (function_2, np.array([3.0, np.inf]), {}, ValueError, "finite"),
    (function_2, np.array([3.0, 4.0]), {"h": 0.0}, ValueError, "h must be"),
    (function_2, np.array([3.0, 4.0]), {"h": "1e-4"}, TypeError, "h must be"),
    ("not callable", np.array([3.0, 4.0]), {}, TypeError, "callable"),
    (lambda v: v, np.array([3.0, 4.0]), {}, TypeError, "real scalar"),
    (lambda v: "x", np.array([3.0, 4.0]), {}, TypeError, "real scalar"),
    (lambda v: np.nan, np.array([3.0, 4.0]), {}, ValueError, "finite near x"),
]


@pytest.mark.claim("numdiff.refuses-integers")
@pytest.mark.parametrize(("f", "x", "kwargs", "error", "words"), BAD_CALLS)
def test_refuses_what_it_cannot_differentiate(f, x, kwargs, error, words):
    """Other input it cannot differentiate is refused too, with the reason."""
    with pytest.raises(error, match=words):
        numerical_gradient(f, x, **kwargs)


@pytest.mark.claim("numdiff.refuses-integers")
def test_refuses_read_only_arrays():
    x = np.array([3.0, 4.0])
    x.flags.writeable = False
    with pytest.raises(ValueError, match="writable"):
        numerical_gradient(function_2, x)


@pytest.mark.claim("numdiff.book-values")
def test_numerical_diff_checks_its_arguments():
    """numerical_diff takes a number or an array, refuses a bad h or method."""
    np.testing.assert_allclose(numerical_diff(function_1, np.array([5.0, 10.0])), [0.2, 0.3], rtol=1e-10)
    assert numerical_diff(function_1, 5) == numerical_diff(function_1, 5.0)
    with pytest.raises(ValueError, match="method"):
        numerical_diff(function_1, 5, method="backward")
    with pytest.raises(ValueError, match="h must be"):
        numerical_diff(function_1, 5, h=-1e-4)
    with pytest.raises(TypeError, match="h must be"):
        numerical_diff(function_1, 5, h=True)


# --------------------------------------------------------------------------- non-finite f


def _overflows_above(x):
    """inf for x > 1, else x: overflows on the x + h side of 1, without a NumPy warning."""
    return np.where(np.asarray(x) > 1.0, np.inf, x)[()]


def _overflows_below(x):
    """-inf for x < 1, else x: overflows on the x - h side of 1."""
    return np.where(np.asarray(x) < 1.0, -np.inf, x)[()]


def _nan_everywhere(x):
    """NaN on both sides (and so inf - inf = nan in the book's version)."""
    return np.full(np.shape(x), np.nan)[()]


@pytest.mark.claim("numdiff.refuses-non-finite")
@pytest.mark.parametrize(
    ("f", "side", "bad", "x", "where"),
    [
        (_overflows_above, "x + h", "inf", [[0.0, -2.0], [1.0, 0.5]], "x[(1, 0)] = 1.0"),
        (_overflows_below, "x - h", "-inf", [[3.0, 2.0], [1.0, 5.0]], "x[(1, 0)] = 1.0"),
        (_nan_everywhere, "x + h", "nan", [[3.0, 2.0], [1.0, 5.0]], "x[(0, 0)] = 3.0"),
    ],
)
def test_numerical_diff_refuses_non_finite_f(f, side, bad, x, where):
    """f(x ± h) not finite: a ValueError naming the side, the value and where, for a number and an array."""
    with pytest.raises(ValueError, match=re.escape(f"f({side}) is {bad} at x = 1.0 (h = 0.0001)")):
        numerical_diff(f, 1.0)
    with pytest.raises(ValueError, match=re.escape(f"f({side}) is {bad} at {where} (h = 0.0001)")):
        numerical_diff(f, np.array(x))


@pytest.mark.claim("numdiff.refuses-non-finite")
def test_numerical_diff_forward_checks_f_at_x():
    """The forward difference uses f(x) itself: a non-finite f(x) is named as such."""
    with pytest.raises(ValueError, match=r"f\(x\) is -inf at x = 0\.5"):
        numerical_diff(lambda v: -np.inf if v == 0.5 else v, 0.5, method="forward")
    with pytest.raises(ValueError, match=r"f\(x \+ h\) is inf at x = 1\.0"):
        numerical_diff(_overflows_above, 1.0, method="forward")
    # finite on both sides: a slope, no error
    assert numerical_diff(_overflows_above, 0.5, method="forward") == pytest.approx(1.0)


@pytest.mark.claim("numdiff.refuses-non-finite")
@pytest.mark.parametrize(("f", "side"), [(_overflows_above, "x \\+ h"), (_overflows_below, "x - h")])
def test_numerical_gradient_names_the_side(f, side):
    """numerical_gradient names the entry that was moved and the side where f stopped being finite."""
    x = np.array([0.2, 1.0, 0.1])

    def g(v):
        return float(f(v[1]))

    with pytest.raises(ValueError, match=rf"x\[\(1,\)\] moved to {side}; f must be finite"):
        numerical_gradient(g, x)
    assert x.tolist() == [0.2, 1.0, 0.1]


def raises_exactly(error, message):
    """pytest.raises for the whole message, word for word (what the user reads)."""
    return pytest.raises(error, match="^" + re.escape(message) + "$")


@pytest.mark.claim("numdiff.refuses-non-finite")
def test_the_messages_name_the_side_the_value_and_where():
    with raises_exactly(
        ValueError,
        "f(x) is -inf at x = 0.5 (h = 0.0001); f must be finite on both sides "
        "of the point, so the difference would be meaningless",
    ):
        numerical_diff(lambda v: -np.inf if v == 0.5 else v, 0.5, method="forward")
    # f gives one number for a whole array x: the message names x as a whole
    with raises_exactly(
        ValueError,
        "f(x + h) is inf at x (h = 0.0001); f must be finite on both sides "
        "of the point, so the difference would be meaningless",
    ):
        numerical_diff(lambda v: np.inf, np.array([1.0, 2.0]))
    with raises_exactly(TypeError, "f must return real numbers, got str"):
        numerical_diff(lambda v: "slope", 1.0)
    with raises_exactly(TypeError, "f must be a callable returning a number, got str"):
        numerical_diff("x**2", 1.0)
    with raises_exactly(TypeError, "h must be a positive real number, got str '1e-4'"):
        numerical_diff(function_1, 1.0, h="1e-4")
    with raises_exactly(ValueError, "h must be a positive finite number, got -0.1"):
        numerical_gradient(function_2, np.array([3.0, 4.0]), h=-0.1)
    x = np.array([3.0, 4.0])
    with raises_exactly(
        ValueError,
        "f returned nan with x[(0,)] moved to x + h; f must be finite near x "
        "(on both sides of every entry), or the difference is meaningless",
    ):
        numerical_gradient(lambda v: np.nan, x)
    with raises_exactly(TypeError, "f must return a real scalar (a loss), got ndarray of shape (2,), dtype float64"):
        numerical_gradient(lambda v: v, x)


@pytest.mark.claim("numdiff.refuses-non-finite")
def test_a_difference_beyond_the_float_range_is_infinite_without_a_warning():
    """f(1 ± h) = ±1.7e308 are finite, their difference is not: the slope is +inf, and no RuntimeWarning."""

    def f(v):
        return np.sign(v - 1.0) * 1.7e308

    assert numerical_diff(f, 1.0) == np.inf
    assert numerical_diff(f, 1.0, method="forward") == np.inf  # f(1) = 0: 1.7e308 / h overflows too


@pytest.mark.claim("numdiff.book-values")
def test_numerical_diff_calls_f_with_a_float_for_a_number():
    """For a number x, f gets a NumPy float (math functions and comparisons work as with the book's version)."""
    seen = []
    numerical_diff(lambda v: seen.append(type(v)) or 0.0, 2)
    assert seen == [np.float64, np.float64]
    seen.clear()
    numerical_diff(lambda v: seen.append(type(v)) or 0.0, 2, method="forward")  # f(x + h), then f(x) itself
    assert seen == [np.float64, np.float64]
    seen.clear()
    numerical_diff(lambda v: seen.append(np.shape(v)) or np.zeros(3), np.ones(3))
    assert seen == [(3,), (3,)]


@pytest.mark.claim("numdiff.refuses-integers")
def test_numerical_gradient_refusals_word_for_word():
    with raises_exactly(
        TypeError,
        "x must be a NumPy array (it is moved in place so that f may read it by "
        "reference), got list; pass np.asarray(x, dtype=float)",
    ):
        numerical_gradient(function_2, [3.0, 4.0])
    ro = np.array([3.0, 4.0])
    ro.flags.writeable = False
    with raises_exactly(ValueError, "x must be writable: its entries are moved by ±h in place and restored"):
        numerical_gradient(function_2, ro)
    with raises_exactly(ValueError, "x must be finite"):
        numerical_gradient(function_2, np.array([3.0, np.nan]))
    with raises_exactly(TypeError, "x must be a real numeric array (int or float), got dtype bool from list"):
        numerical_diff(function_1, [True])


@pytest.mark.claim("numdiff.refuses-integers")
@pytest.mark.parametrize("kind", [int, np.int64, np.uint8])
def test_an_integer_loss_is_a_number(kind):
    """f may return an integer scalar (Python int, int64, uint8): a real number; a step function's slope is 0 off its steps."""
    x = np.array([0.25, 0.5])
    np.testing.assert_array_equal(numerical_gradient(lambda v: kind(round(float(v.sum()))), x), [0.0, 0.0])


@pytest.mark.claim("numdiff.refuses-integers")
def test_a_boolean_is_not_a_loss():
    """A bool is no real number here: f returning True is refused like any non-number."""
    with raises_exactly(TypeError, "f must return a real scalar (a loss), got bool of shape (), dtype bool"):
        numerical_gradient(lambda v: True, np.array([1.0]))
    with raises_exactly(TypeError, "f must return a real scalar (a loss), got bool of shape (), dtype bool"):
        numerical_gradient(lambda v: bool(v[0] > 0), np.array([1.0]))


@pytest.mark.claim("numdiff.refuses-non-finite")
def test_the_entry_is_named_by_its_index_in_any_layout():
    """The message names the moved entry by its full index, for a 2-D array and for a non-contiguous view alike."""
    base = np.zeros((3, 4))
    for x in (base[:2, :2].copy(), base[::2, ::2], base.T[:2, :2]):
        assert x.shape == (2, 2)

        def f(v):
            return np.inf if v[1, 0] != 0 else 0.0

        with raises_exactly(
            ValueError,
            "f returned inf with x[(1, 0)] moved to x + h; f must be finite near x "
            "(on both sides of every entry), or the difference is meaningless",
        ):
            numerical_gradient(f, x)
        assert not base.any()
