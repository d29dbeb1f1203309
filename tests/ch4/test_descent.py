"""Chapter 4 · gradient descent."""

import re

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnspec.gradient import gradient_descent, numerical_gradient
from tests.ch4.strategies import fewer_examples, points
from tests.strategies import floats
from tests.tolerances import BOOK_TOL


def function_2(x):
    """The book's f(x0, x1) = x0² + x1²."""
    return x[0] ** 2 + x[1] ** 2


def sum_of_squares(x):
    return np.sum(x**2)


START = np.array([-3.0, 4.0])


@pytest.mark.claim("gd.update-rule")
@given(x=points, lr=floats(1.0).filter(lambda v: v > 0), steps=st.integers(0, 3))
@example(x=START.copy(), lr=0.1, steps=1)
@fewer_examples
def test_update_rule(x, lr, steps):
    """Each step is x ← x − η·∇f(x); the path starts at init_x, ends at the result, and init_x is untouched."""
    before = x.copy()
    end, path = gradient_descent(sum_of_squares, x, lr=lr, step_num=steps, return_path=True)
    assert x.tobytes() == before.tobytes()
    assert path.shape == (steps + 1, *x.shape)
    assert np.array_equal(path[0], before) and np.array_equal(path[-1], end)
    for k in range(steps):
        expected = path[k] - lr * numerical_gradient(sum_of_squares, np.array(path[k]))
        assert np.array_equal(path[k + 1], expected)


@pytest.mark.claim("gd.update-rule")
def test_integer_start_and_checks():
    """An integer start is fine (the descent works on a float copy); bad lr or step_num are refused."""
    start = np.array([-3, 4])
    end = gradient_descent(function_2, start, lr=0.1, step_num=1)
    np.testing.assert_allclose(end, [-2.4, 3.2], rtol=1e-12)
    assert start.tolist() == [-3, 4]
    zero = gradient_descent(function_2, START, step_num=0)
    assert np.array_equal(zero, START) and zero is not START
    for kwargs, error in (
        ({"lr": 0}, ValueError),
        ({"lr": float("nan")}, ValueError),
        ({"step_num": -1}, ValueError),
        ({"step_num": 2.5}, TypeError),
        ({"step_num": True}, TypeError),
    ):
        with pytest.raises(error):
            gradient_descent(function_2, START, **kwargs)


@pytest.mark.claim("gd.converges-book")
def test_converges_book(evidence):
    """From (−3, 4) with η = 0.1, 100 steps end at the book's (−6.1e−10, 8.1e−10), the minimum (0, 0) to 9 digits."""
    end = gradient_descent(function_2, START, lr=0.1, step_num=100)
    evidence("end point after 100 steps", end)
    np.testing.assert_allclose(end, [-6.11110793e-10, 8.14814391e-10], rtol=BOOK_TOL)
    # each step multiplies x by (1 − 2η) = 0.8: 0.8^100 · (−3, 4)
    np.testing.assert_allclose(end, 0.8**100 * START, rtol=1e-6)


@pytest.mark.claim("gd.learning-rate")
def test_learning_rate(evidence):
    """η = 10 runs away and freezes at the book's (−2.6e13, −1.3e12); η = 1e−10 barely leaves (−3, 4)."""
    big, path = gradient_descent(function_2, START, lr=10.0, step_num=100, return_path=True)
    small = gradient_descent(function_2, START, lr=1e-10, step_num=100)
    evidence("end point after 100 steps, η = 10", big)
    evidence("end point after 100 steps, η = 1e-10", small)
    np.testing.assert_allclose(big, [-2.58983747e13, -1.29524862e12], rtol=BOOK_TOL)
    np.testing.assert_allclose(small, [-2.99999994, 3.99999992], rtol=BOOK_TOL)
    assert function_2(big) > 1e20 * function_2(START)  # diverged
    # ... and froze: once x ± h rounds back to x, the numerical gradient is exactly 0
    frozen = next(k for k in range(len(path)) if np.all(path[k:] == path[-1]))
    evidence("η = 10: steps until the descent stops moving", frozen)
    assert frozen <= 11 and np.all(big + 1e-4 == big) and np.all(big - 1e-4 == big)
    assert np.all(numerical_gradient(function_2, big.copy()) == 0)
    assert np.abs(small - START).max() < 1e-7  # has not moved
    good = gradient_descent(function_2, START, lr=0.1, step_num=100)
    assert function_2(good) < 1e-17


def two_basins(v, tilt=0.3):
    """(x² − 1)² + tilt·x + y²: minima near x = −1.04 (global) and x = 0.96 (local), a saddle between."""
    return (v[0] ** 2 - 1) ** 2 + tilt * v[0] + v[1] ** 2


# The three points where ∂f/∂x = 4x³ − 4x + 0.3 = 0 (y = 0): global min, saddle, local min.
X_GLOBAL, X_SADDLE, X_LOCAL = sorted(np.roots([4.0, 0.0, -4.0, 0.3]).real)
LR, STEPS = 0.05, 200
FLAT = 1e-7  # |∇f| at the end: the descent has stopped moving


@pytest.mark.claim("gd.not-global")
def test_ends_in_the_nearer_minimum(evidence):
    """Started in the right-hand basin, the descent stops in the local minimum, not the lower global one."""
    end = gradient_descent(two_basins, [1.5, 1.0], lr=LR, step_num=STEPS)
    evidence("end from (1.5, 1)", end)
    evidence("f at that end point", two_basins(end))
    evidence("f at the global minimum", two_basins(np.array([X_GLOBAL, 0.0])))
    np.testing.assert_allclose(end, [X_LOCAL, 0.0], atol=1e-8)
    assert np.linalg.norm(numerical_gradient(two_basins, end.copy())) < FLAT
    assert two_basins(end) > two_basins(np.array([X_GLOBAL, 0.0])) + 0.5


@pytest.mark.claim("gd.not-global")
def test_random_starts_miss_the_global_minimum(evidence):
    """From random starts, a large share of descents end in the local minimum."""
    starts = np.random.default_rng(0).uniform(-2, 2, size=(24, 2))
    ends = np.array([gradient_descent(two_basins, s, lr=LR, step_num=STEPS) for s in starts])
    local = np.isclose(ends[:, 0], X_LOCAL, atol=1e-6)
    evidence("share of 24 random starts ending in the local minimum", local.mean())
    assert np.all(local | np.isclose(ends[:, 0], X_GLOBAL, atol=1e-6))  # each ends in a minimum
    assert np.array_equal(local, starts[:, 0] > X_SADDLE)  # the one on its side of the saddle
    assert 0.2 < local.mean() < 0.8


@pytest.mark.claim("gd.not-global")
def test_stalls_on_a_saddle(evidence):
    """Started on the ridge of the untilted function, the descent stops on the saddle (0, 0): ∇f = 0, no minimum."""

    def untilted(v):
        return two_basins(v, tilt=0.0)

    end = gradient_descent(untilted, [0.0, 1.5], lr=LR, step_num=STEPS)
    evidence("end from (0, 1.5)", end)
    evidence("f at the end (minima have f = 0)", untilted(end))
    assert end[0] == 0.0 and abs(end[1]) < 1e-8
    assert np.linalg.norm(numerical_gradient(untilted, end.copy())) < FLAT
    # a saddle, not a minimum: moving along x lowers f
    assert untilted(end + [0.1, 0.0]) < untilted(end)


def _raises_exactly(error, message):
    return pytest.raises(error, match="^" + re.escape(message) + "$")


@pytest.mark.claim("gd.checks-input")
def test_the_books_defaults_and_the_start_dtype():
    """lr=0.01 and step_num=100 by default; a float32 start stays float32 in the point and the path."""
    np.testing.assert_array_equal(
        gradient_descent(function_2, START), gradient_descent(function_2, START, lr=0.01, step_num=100)
    )
    x, path = gradient_descent(function_2, START.astype(np.float32), return_path=True)
    assert path.shape == (101, 2) and path.dtype == x.dtype == np.float32
    np.testing.assert_array_equal(path[-1], x)
    # each step multiplies by 1 - 2·0.01; in float32 a central difference with h = 1e-4 is off by
    # about eps32 / h ≈ 1e-3 relative, so the 100 steps agree to a few 1e-3
    np.testing.assert_allclose(x, START * 0.98**100, rtol=5e-3)


@pytest.mark.claim("gd.checks-input")
def test_bad_arguments_are_named():
    with _raises_exactly(TypeError, "init_x must be a real numeric array (int or float), got dtype <U1 from list"):
        gradient_descent(function_2, ["a"])
    with _raises_exactly(ValueError, "lr must be a positive finite number, got 0"):
        gradient_descent(function_2, START, lr=0)
    with _raises_exactly(TypeError, "lr must be a positive real number, got str '0.1'"):
        gradient_descent(function_2, START, lr="0.1")
    with _raises_exactly(TypeError, "step_num must be an int >= 0, got float 2.5"):
        gradient_descent(function_2, START, step_num=2.5)
    with _raises_exactly(ValueError, "step_num must be an int >= 0, got -1"):
        gradient_descent(function_2, START, step_num=-1)
