"""Chapter 3: the activation function decides, from a neuron's total input alone, whether it fires."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnspec.functions import relu, sigmoid, step_function
from nnspec.perceptron import Perceptron
from tests.strategies import arrays

# Small integers: every weighted sum w1*x1 + w2*x2 + b below is an integer under 2^10 and is
# computed exactly in float64, so "the same total" means the same float, and the total 0 occurs.
ints = st.integers(-8, 8)
ACTIVATIONS = {"step": step_function, "sigmoid": sigmoid, "relu": relu}


@pytest.mark.claim("activation.decides-firing")
@given(w1=ints, w2=ints, b=ints, x1=ints, x2=ints, k=ints)
@example(w1=1, w2=1, b=-1, x1=1, x2=0, k=1)  # total exactly 0: the neuron does not fire
def test_output_depends_on_the_total_alone(w1, w2, b, x1, x2, k):
    """A perceptron's output is step(a) of its total a = w·x + b; a second input with the same
    total (moved by k·(−w2, w1), along the line w·x = const) gives the same output."""
    gate = Perceptron(w=(float(w1), float(w2)), b=float(b))
    a = gate.weighted_sum(x1, x2)
    assert a == w1 * x1 + w2 * x2 + b
    assert gate(x1, x2) == step_function(a) == (1 if a > 0 else 0)
    y1, y2 = x1 - k * w2, x2 + k * w1  # w1·y1 + w2·y2 = w1·x1 + w2·x2
    assert gate.weighted_sum(y1, y2) == a
    assert gate(y1, y2) == gate(x1, x2)
    for h in ACTIVATIONS.values():
        np.testing.assert_array_equal(h(gate.weighted_sum(y1, y2)), h(a))


@pytest.mark.claim("activation.decides-firing")
@given(a=arrays(bound=50.0))
@example(a=np.array([-1.0, -0.0, 0.0, 1e-300, 1.0]))
def test_a_larger_total_never_fires_less(a):
    """Step, sigmoid and ReLU are non-decreasing in the total: sort the totals and the outputs stay sorted."""
    totals = np.sort(a.ravel())
    for name, h in ACTIVATIONS.items():
        assert np.all(np.diff(h(totals)) >= 0), name


@pytest.mark.claim("activation.decides-firing")
def test_step_fires_sigmoid_grades(evidence):
    """For totals −2, 0, 2: the step answers no, no, yes; the sigmoid answers how strongly (0.12, 0.5, 0.88)."""
    a = np.array([-2.0, 0.0, 2.0])
    evidence("step(a) for a = −2, 0, 2", step_function(a))
    evidence("sigmoid(a) for a = −2, 0, 2", sigmoid(a).round(4))
    np.testing.assert_array_equal(step_function(a), [0.0, 0.0, 1.0])
    s = sigmoid(a)
    assert 0 < s[0] < s[1] == 0.5 < s[2] < 1  # graded: neither 0 nor 1, and more for a larger total
