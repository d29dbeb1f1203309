"""Chapter 3 · activation functions: step, sigmoid, ReLU, and why they must not be linear."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnspec.functions import identity_function, relu, sigmoid, softmax, step_function
from nnspec.perceptron import AND, NAND, OR
from tests.strategies import ANY_FINITE, arrays, float_dtypes, floats
from tests.tolerances import EPS64, ROUTE_TOL

BINARY_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


# --------------------------------------------------------------------------- step


@pytest.mark.claim("activation.step-binary")
@given(x=st.one_of(arrays(), float_dtypes.flatmap(lambda dt: arrays(dtype=dt))))
@example(x=np.array([0.0, -0.0, 5e-324, -5e-324]))
@example(x=np.array([[1e-300, -1e300], [1.0, -1.0]]))
def test_step_outputs_only_zero_and_one(x):
    """step(x) is 1 exactly where x > 0 and 0 elsewhere (0 included), in x's shape and dtype."""
    y = step_function(x)
    assert y.shape == x.shape and y.dtype == x.dtype
    assert np.all((y == 0) | (y == 1))
    np.testing.assert_array_equal(y == 1, x > 0)


# --------------------------------------------------------------------------- sigmoid


@pytest.mark.claim("activation.sigmoid-properties")
@given(x=arrays(bound=ANY_FINITE))
@example(x=np.array([-ANY_FINITE, ANY_FINITE, -710.0, 710.0, -745.0, 0.0]))
def test_sigmoid_in_closed_unit_interval(x):
    """0 <= sigmoid(x) <= 1 for every finite float64, with no overflow warning."""
    y = sigmoid(x)
    assert y.shape == x.shape
    assert np.all((y >= 0) & (y <= 1))


# |x| <= 36 keeps e^{-|x|} >= 2.3e-16 > 2^-53, so 1 + e^{-x} stays above 1 and sigmoid below 1.
INSIDE = 36.0


@pytest.mark.claim("activation.sigmoid-properties")
@given(x=arrays(bound=INSIDE))
@example(x=np.array([-INSIDE, INSIDE, 0.0, 5e-324]))
def test_sigmoid_strictly_inside_for_moderate_x(x):
    """0 < sigmoid(x) < 1 whenever |x| <= 36."""
    y = sigmoid(x)
    assert np.all((y > 0) & (y < 1))


def _first_float_where(pred, lo: float, hi: float) -> float:
    """The smallest float64 x in (lo, hi] with pred(x), for pred false at lo and true at hi."""
    while np.nextafter(lo, hi) != hi:
        mid = lo / 2 + hi / 2
        mid = mid if lo < mid < hi else np.nextafter(lo, hi)
        lo, hi = (lo, mid) if pred(mid) else (mid, hi)
    return hi


@pytest.mark.claim("activation.sigmoid-properties")
def test_sigmoid_float64_saturation_points(evidence):
    """In float64, sigmoid(x) rounds to exactly 1 from x = 53·ln 2 ≈ 36.74 (where e^{-x} <= 2^-53),
    and to exactly 0 from x ≈ -709.78 down (where e^{-x} leaves the float range)."""
    one_from = _first_float_where(lambda v: float(sigmoid(v)) == 1.0, 30.0, 40.0)
    zero_below = -_first_float_where(lambda v: float(sigmoid(-v)) == 0.0, 700.0, 750.0)
    evidence("smallest x with sigmoid(x) == 1.0 exactly", one_from)
    evidence("largest x with sigmoid(x) == 0.0 exactly", zero_below)
    assert abs(one_from - 53 * math.log(2)) < 1e-9
    assert abs(zero_below - (-math.log(np.finfo(np.float64).max))) < 1e-9
    assert float(sigmoid(np.nextafter(one_from, 0))) < 1.0
    assert float(sigmoid(np.nextafter(zero_below, 0))) > 0.0


@pytest.mark.claim("activation.sigmoid-properties")
@given(x=arrays(bound=ANY_FINITE, shape=st.integers(2, 30)))
@example(x=np.array([-1.94, -1.2, -0.7, 36.7, 36.8, -709.7, -709.8]))
def test_sigmoid_weakly_increasing(x):
    """a <= b implies sigmoid(a) <= sigmoid(b), also between neighbouring floats."""
    xs = np.sort(x)
    assert np.all(np.diff(sigmoid(xs)) >= 0)
    up = np.nextafter(x, ANY_FINITE)  # the next float up (the largest float stays put)
    assert np.all(sigmoid(up) >= sigmoid(x))


@pytest.mark.claim("activation.sigmoid-properties")
def test_sigmoid_weakly_increasing_dense_sweep(evidence):
    """Neighbouring floats across [-40, 40]: rounding never makes the computed sigmoid go down."""
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(-40, 40, 100_000), rng.uniform(-2, 0, 100_000)])
    drops = int(np.sum(sigmoid(np.nextafter(x, np.inf)) < sigmoid(x)))
    evidence("neighbouring pairs checked", x.size)
    evidence("pairs where sigmoid went down", drops)
    assert drops == 0


@pytest.mark.claim("activation.sigmoid-properties")
def test_sigmoid_of_zero_is_one_half():
    assert float(sigmoid(0.0)) == 0.5
    assert float(sigmoid(-0.0)) == 0.5


@pytest.mark.claim("activation.sigmoid-properties")
@given(x=arrays(bound=ANY_FINITE))
@example(x=np.array([0.0, 1e-300, 20.0, 36.7, 40.0, 800.0, ANY_FINITE]))
def test_sigmoid_point_symmetry(x):
    """sigmoid(-x) = 1 - sigmoid(x) within ROUTE_TOL: the curve is symmetric about (0, 1/2)."""
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), rtol=0, atol=ROUTE_TOL)


@pytest.mark.claim("activation.sigmoid-properties")
def test_sigmoid_point_symmetry_measured(evidence):
    x = np.linspace(-50, 50, 200_001)
    err = float(np.max(np.abs(sigmoid(-x) - (1 - sigmoid(x)))))
    evidence("max |σ(−x) − (1 − σ(x))| on [−50, 50]", err)
    evidence("the same error in units of float64 ε = 2.2e-16", err / EPS64)
    assert err <= ROUTE_TOL


# --------------------------------------------------------------------------- sigmoid → step

STEEPNESS = np.array([1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6])
# 1 - σ(kx) and σ(-kx) are each computed with an absolute error of a few eps.
GAP_ROUNDING = 4 * EPS64


@pytest.mark.claim("activation.sigmoid-smooth-step")
@given(x=floats(1e3).filter(lambda v: abs(v) >= 1e-3))
@example(x=1e-3)
@example(x=-1e-3)
@example(x=1e3)
def test_steeper_sigmoid_approaches_step(x):
    """For x != 0, |σ(kx) - step(x)| = σ(-k|x|) <= e^{-k|x|}: it shrinks as k grows, and once
    k|x| >= 1000 the float64 sigmoid equals the step exactly."""
    gaps = np.abs(sigmoid(STEEPNESS * x) - step_function(x))
    assert np.all(np.diff(gaps) <= 0)
    assert np.all(gaps <= np.exp(-STEEPNESS * abs(x)) + GAP_ROUNDING)
    assert gaps[-1] == 0.0


@pytest.mark.claim("activation.sigmoid-smooth-step")
def test_at_zero_the_sigmoid_stays_one_half(evidence):
    """Why x != 0: σ(k·0) = 1/2 for every k, but step(0) = 0."""
    at_zero = sigmoid(STEEPNESS * 0.0)
    evidence("σ(k·0) for k = 1, 10, …, 1e6 (every value seen)", sorted(set(at_zero.tolist())))
    assert np.all(at_zero == 0.5) and float(step_function(0.0)) == 0.0
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    evidence("max |σ(100x) − step(x)| at x = ±0.5, ±2", float(np.abs(sigmoid(100 * x) - step_function(x)).max()))


# --------------------------------------------------------------------------- ReLU


@pytest.mark.claim("activation.relu-is-max")
@given(x=st.one_of(arrays(bound=ANY_FINITE), float_dtypes.flatmap(lambda dt: arrays(dtype=dt))))
@example(x=np.array([-1.0, -0.0, 0.0, 5e-324, 2.5]))
def test_relu_is_max_of_zero_and_x(x):
    """relu(x) = max(0, x) elementwise: x where x > 0, else 0."""
    y = relu(x)
    assert y.shape == x.shape and y.dtype == x.dtype
    expected = np.array([max(0.0, float(v)) for v in x.ravel()]).reshape(x.shape)
    np.testing.assert_array_equal(y, expected.astype(x.dtype))
    assert np.all(y[x > 0] == x[x > 0]) and np.all(y[x <= 0] == 0)


# --------------------------------------------------------------------------- nonlinearity

# Dyadic grid: a + b and c·x are exact in float64, so a linear h passes the checks exactly.
GRID = np.arange(-8, 9) / 4.0


def linearity_counterexample(h):
    """The first (kind, inputs, lhs, rhs) on GRID where h(a + b) != h(a) + h(b) or h(c·x) != c·h(x)."""
    a, b = np.meshgrid(GRID, GRID, indexing="ij")
    lhs, rhs = h(a + b), h(a) + h(b)
    bad = np.argwhere(np.abs(lhs - rhs) > ROUTE_TOL)
    if bad.size:
        i = tuple(bad[0])
        return ("additivity", (float(a[i]), float(b[i])), float(lhs[i]), float(rhs[i]))
    c, x = a, b
    lhs, rhs = h(c * x), c * h(x)
    bad = np.argwhere(np.abs(lhs - rhs) > ROUTE_TOL)
    if bad.size:
        i = tuple(bad[0])
        return ("homogeneity", (float(c[i]), float(x[i])), float(lhs[i]), float(rhs[i]))
    return None


@pytest.mark.claim("activation.nonlinear")
@pytest.mark.parametrize("h", [step_function, sigmoid, relu], ids=lambda f: f.__name__)
def test_activations_are_not_linear(h, evidence):
    found = linearity_counterexample(h)
    assert found is not None, f"{h.__name__} passed every linearity check on the grid"
    kind, inputs, lhs, rhs = found
    what = "(a, b) with h(a + b) ≠ h(a) + h(b)" if kind == "additivity" else "(c, x) with h(cx) ≠ c·h(x)"
    sides = "h(a + b), h(a) + h(b)" if kind == "additivity" else "h(cx), c·h(x)"
    evidence(f"{kind} fails at {what}", list(inputs))
    evidence(f"there: {sides}", [lhs, rhs])


@pytest.mark.claim("activation.nonlinear")
def test_relu_fails_only_across_zero():
    """ReLU is linear on each half-line; the counterexamples mix signs."""
    assert float(relu(1.0 + -1.0)) == 0.0 != float(relu(1.0) + relu(-1.0))
    assert float(relu(-1 * 2.0)) == 0.0 != -1 * float(relu(2.0))
    assert float(relu(2.0 * 3.0)) == 2.0 * float(relu(3.0))  # positive c: no counterexample


@pytest.mark.claim("activation.nonlinear")
@pytest.mark.parametrize("h", [identity_function, lambda x: 3 * identity_function(x)], ids=["identity", "3x"])
def test_the_check_passes_linear_functions(h):
    """Control: the same search finds nothing for linear h, so its findings above are real."""
    assert linearity_counterexample(h) is None


# --------------------------------------------------------------------------- perceptron vs network


GATES = [(AND, (0.5, 0.5), -0.7), (NAND, (-0.5, -0.5), 0.7), (OR, (0.5, 0.5), -0.2)]


@pytest.mark.claim("activation.perceptron-is-step-network")
@given(x=arrays(shape=st.tuples(st.integers(1, 8), st.just(2)), bound=2.0))
@example(x=BINARY_INPUTS)
@example(x=np.array([[1.4, 0.0], [0.0, 0.4], [0.2, 0.2]]))  # w·x + b = 0 exactly: AND/NAND, OR, OR
def test_perceptron_is_a_step_layer(x):
    """A perceptron is a one-layer network with the step activation: gate(x) = step(x·w + b)."""
    for gate, w, b in GATES:
        a = x @ np.array(w) + b
        np.testing.assert_array_equal(gate(x), step_function(a), err_msg=gate.name)


@pytest.mark.claim("activation.perceptron-is-step-network")
def test_sigmoid_layer_gives_graded_outputs(evidence):
    """Same weights, sigmoid instead of step: real numbers strictly between 0 and 1, which
    are above 1/2 exactly where the perceptron says 1."""
    for gate, w, b in GATES:
        y = sigmoid(BINARY_INPUTS @ np.array(w) + b)
        evidence(f"{gate.name} with sigmoid on (0,0), (0,1), (1,0), (1,1)", y.round(4))
        assert np.all((0 < y) & (y < 1)), gate.name
        np.testing.assert_array_equal(y > 0.5, gate(BINARY_INPUTS) == 1, err_msg=gate.name)


# --------------------------------------------------------------------------- bad input

NOT_NUMERIC = [
    ("abc", TypeError, r"^x must be a real numeric array.*got dtype <U3"),
    ([[1.0, 2.0], [3.0]], TypeError, r"^x must be a real numeric array.*got list"),
    (np.array([True, False]), TypeError, r"^x must be a real numeric array.*got dtype bool"),
    (np.array([1 + 2j]), TypeError, r"^x must be a real numeric array.*complex128"),
    (None, TypeError, r"^x must be a real numeric array.*object"),
    ([1.0, np.nan], ValueError, r"^x must be finite, got nan at index \(1,\)"),
    ([[0.0, np.inf]], ValueError, r"^x must be finite, got inf at index \(0, 1\)"),
    (-np.inf, ValueError, r"^x must be finite, got -inf"),
]


@pytest.mark.claim("activation.rejects-bad-input")
@pytest.mark.parametrize("f", [step_function, sigmoid, relu, identity_function, softmax], ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "bad, error, message", NOT_NUMERIC, ids=lambda v: repr(v)[:20] if not isinstance(v, str) else None
)
def test_non_numeric_and_non_finite_input_is_refused(f, bad, error, message):
    if f is softmax and isinstance(bad, float):
        message = r"^x must be finite"  # refused for being non-finite before its shape is looked at
    with pytest.raises(error, match=message):
        f(bad)


@pytest.mark.claim("activation.rejects-bad-input")
@pytest.mark.parametrize(
    "bad, message",
    [
        (3.0, r"^x must have at least one axis \(the classes\), got a scalar 3\.0"),
        (np.zeros((2, 0)), r"^x must have at least one class on its last axis, got shape \(2, 0\)"),
        (np.zeros(0), r"^x must have at least one class on its last axis, got shape \(0,\)"),
    ],
)
def test_softmax_needs_a_class_axis(bad, message):
    with pytest.raises(ValueError, match=message):
        softmax(bad)


# --------------------------------------------------------------------------- dtypes

ALL_FUNCTIONS = [step_function, sigmoid, relu, identity_function, softmax]


@pytest.mark.claim("activation.keeps-dtype")
@pytest.mark.parametrize("f", ALL_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.longdouble, np.int32, np.uint8])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_shape_and_floating_dtype_are_kept(f, dtype, shape):
    """Every function returns an ndarray of x's shape and floating dtype; integer x gives float64."""
    shape = (1,) if f is softmax and shape == () else shape  # softmax needs a class axis
    x = (np.arange(int(np.prod(shape))).reshape(shape) % 3).astype(dtype)
    y = f(x)
    assert isinstance(y, np.ndarray) and y.shape == shape
    assert y.dtype == (x.dtype if x.dtype.kind == "f" else np.float64)


@pytest.mark.claim("activation.keeps-dtype")
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_sigmoid_rounds_the_float64_value_once(dtype):
    """sigmoid on float16/float32 input is the float64 sigmoid of the same numbers, rounded once to
    the input's dtype (computing 1/(1 + e^{-x}) in float32 would round four times)."""
    x = np.linspace(-12, 12, 4001).astype(dtype)
    want = (1 / (1 + np.exp(-x.astype(np.float64)))).astype(dtype)
    np.testing.assert_array_equal(sigmoid(x), want)
    np.testing.assert_array_equal(sigmoid(x[5]), want[5])


@pytest.mark.claim("activation.keeps-dtype")
@pytest.mark.skipif(np.finfo(np.longdouble).eps >= np.finfo(np.float64).eps, reason="long double is float64 here")
def test_sigmoid_keeps_long_double_precision():
    """'At least float64': a long double input is computed in long double, not through float64."""
    x = np.linspace(-3, 3, 601, dtype=np.longdouble)
    np.testing.assert_array_equal(sigmoid(x), 1 / (1 + np.exp(-x)))


@pytest.mark.claim("activation.keeps-dtype")
@pytest.mark.parametrize("f", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_the_input_array_is_never_returned_or_changed(f):
    """The result is a new array: writing to it leaves x alone, and x is not modified."""
    x = np.array([[-1.0, 0.0, 2.0]])
    keep = x.copy()
    y = f(x)
    y[...] = 7.0
    np.testing.assert_array_equal(x, keep)
