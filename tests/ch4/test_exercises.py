"""Chapter 4 · Try it yourself: the answers on the page, proved."""

from __future__ import annotations

import numpy as np
import pytest

from nnspec.gradient import gradient_descent, numerical_diff

START = [-3.0, 4.0]
# η = 1.1 lets x grow to 10^8, where x ± h is rounded (float spacing 1.5e-8 there) and each
# numerical gradient carries a relative error near 1e-5: the end point is the exact
# 1.2^100 · (−3, 4) only to about 0.1 %.
DIVERGED_RTOL = 2e-3


def function_2(x):
    return x[0] ** 2 + x[1] ** 2


@pytest.mark.claim("exercise.ch4-learning-rate")
def test_three_learning_rates(evidence):
    """x ← x − η·2x = (1 − 2η)·x: η = 0.5 lands on (0, 0), η = 1 flips sign every step and ends
    where it began (100 steps), η = 1.1 multiplies by −1.2 each step: 1.2^100 · (−3, 4)."""
    ends = {lr: gradient_descent(function_2, START, lr=lr, step_num=100) for lr in (0.5, 1.0, 1.1)}
    one_step = gradient_descent(function_2, START, lr=1.0, step_num=1)
    evidence("end after 100 steps, η = 0.5", ends[0.5])
    evidence("η = 1.0: after 1 step, after 100 steps", [one_step, ends[1.0]])
    evidence("end after 100 steps, η = 1.1", ends[1.1])
    evidence("1.2¹⁰⁰ · (−3, 4)", 1.2**100 * np.array(START))
    assert np.abs(ends[0.5]).max() < 1e-9
    np.testing.assert_allclose(one_step, [3.0, -4.0], rtol=1e-9)
    np.testing.assert_allclose(ends[1.0], START, rtol=1e-9)
    np.testing.assert_allclose(ends[1.1], 1.2**100 * np.array(START), rtol=DIVERGED_RTOL)


@pytest.mark.claim("exercise.ch4-cubic-derivative")
def test_central_difference_of_a_cube(evidence):
    """((x + h)³ − (x − h)³) / 2h = 3x² + h² exactly, so at x = 2, h = 1e-4 the central difference
    is 12 + 1e-8; the forward difference is 3x² + 3xh + h² = 12 + 6e-4 + 1e-8. Rounding adds about
    ε·|f(x)|/h ≈ 2e-11."""

    def cube(x):
        return x**3

    central = numerical_diff(cube, 2.0)
    forward = numerical_diff(cube, 2.0, method="forward")
    evidence("central difference − 12", central - 12)
    evidence("forward difference − 12", forward - 12)
    assert abs((central - 12) - 1e-8) < 1e-10
    assert abs((forward - 12) - (6e-4 + 1e-8)) < 1e-9
