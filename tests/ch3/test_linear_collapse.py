"""Chapter 3 · why activations must be nonlinear: linear layers collapse into one, and cannot do XOR.

The exact specs compute with Fractions (NumPy object arrays), so equalities are exact, not
approximate: the collapse is an identity of rational arithmetic, not a rounding accident.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnspec.networks import forward, init_network
from tests.ch3.strategies import exact_matrix, fractions, linear_networks
from tests.tolerances import ROUTE_TOL

XOR_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
XOR_TARGETS = np.array([0, 1, 1, 0])


def exact(a) -> np.ndarray:
    return np.vectorize(Fraction, otypes=[object])(np.asarray(a))


def linear_forward(layers, c, x):
    """A network whose hidden activation is h(a) = c·a (and whose output is the identity)."""
    z = x
    for i, (w, b) in enumerate(layers):
        z = z @ w + b
        if i < len(layers) - 1:
            z = c * z
    return z


def collapse(layers, c):
    """The single affine layer (A, beta) the linear network equals: x ↦ x·A + beta."""
    w0 = layers[0][0]
    a = exact(np.eye(w0.shape[0], dtype=int))
    beta = exact(np.zeros(w0.shape[0], dtype=int))
    for i, (w, b) in enumerate(layers):
        a, beta = a @ w, beta @ w + b
        if i < len(layers) - 1:
            a, beta = c * a, c * beta
    return a, beta


@st.composite
def linear_problems(draw, d=None, k=None):
    layers, c = draw(linear_networks(d=d, k=k))
    rows = draw(st.integers(1, 5))
    x = exact_matrix(draw, rows, layers[0][0].shape[0], elements=fractions)
    return layers, c, x


@pytest.mark.claim("activation.linear-collapses")
@given(problem=linear_problems())
def test_linear_layers_collapse_to_one_affine_layer(problem):
    """With h(a) = c·a, a network of any depth computes exactly x·A + beta for one A and beta."""
    layers, c, x = problem
    a, beta = collapse(layers, c)
    assert a.shape == (layers[0][0].shape[0], layers[-1][0].shape[1])
    assert np.array_equal(linear_forward(layers, c, x), x @ a + beta)


@pytest.mark.claim("activation.linear-collapses")
@given(problem=linear_problems())
def test_linear_network_keeps_midpoints(problem):
    """An affine map f satisfies f((u + v)/2) = (f(u) + f(v))/2, whatever the depth."""
    layers, c, x = problem
    u, v = x[:1], x[-1:]
    mid = linear_forward(layers, c, (u + v) / 2)
    assert np.array_equal(mid, (linear_forward(layers, c, u) + linear_forward(layers, c, v)) / 2)


@pytest.mark.claim("activation.linear-collapses")
def test_sigmoid_network_does_not_keep_midpoints(evidence):
    """Contrast: nnspec's sigmoid network is not affine; the midpoint rule fails visibly."""
    net = init_network()
    u, v = np.array([-4.0, 4.0]), np.array([4.0, -4.0])
    gap = np.abs(forward(net, (u + v) / 2) - (forward(net, u) + forward(net, v)) / 2).max()
    evidence("max |f(midpoint) − mean(f(u), f(v))|", float(gap))
    assert gap > 1e3 * ROUTE_TOL


@pytest.mark.claim("activation.linear-collapses")
@given(net=linear_networks(d=2, k=1))
def test_affine_maps_add_up_equally_on_xor_diagonals(net):
    """f(0,0) + f(1,1) = f(0,1) + f(1,0) for every linear network f: both sides are 2β + A₁ + A₂."""
    layers, c = net
    f = linear_forward(layers, c, exact(XOR_INPUTS))[:, 0]
    assert f[0] + f[3] == f[1] + f[2]


@pytest.mark.claim("activation.linear-collapses")
@given(net=linear_networks(d=2, k=1), t=fractions)
@example(net=([(exact([[1], [1]]), exact([0]))], Fraction(1)), t=Fraction(1, 2))
# The ReLU network x1 + x2 - 2·relu(x1 + x2 - 1) is XOR; with h(a) = c·a in its place it is not.
@example(
    net=([(exact([[1, 1], [1, 1]]), exact([0, -1])), (exact([[1], [-2]]), exact([0]))], Fraction(1)), t=Fraction(1, 2)
)
def test_no_linear_network_computes_xor(net, t):
    """Thresholding any linear network at any t never gives XOR: if f(0,1) > t and f(1,0) > t,
    their sum, which equals f(0,0) + f(1,1), exceeds 2t, so f(0,0) or f(1,1) exceeds t too."""
    layers, c = net
    f = linear_forward(layers, c, exact(XOR_INPUTS))[:, 0]
    assert not np.array_equal((f > t).astype(int), XOR_TARGETS)


@pytest.mark.claim("activation.linear-collapses")
def test_best_affine_fit_to_xor_is_one_half_everywhere(evidence):
    """Least squares over all affine maps w·x + b: the best fit to XOR is w = 0, b = 1/2."""
    design = np.hstack([XOR_INPUTS, np.ones((4, 1))]).astype(float)
    theta, residual, rank, _ = np.linalg.lstsq(design, XOR_TARGETS.astype(float), rcond=None)
    fit = design @ theta
    evidence("w1, w2, b", theta.round(12) + 0.0)  # + 0.0 turns -0.0 into 0.0
    evidence("fitted values", fit.round(12))
    evidence("sum of squared errors", float(residual[0]))
    assert rank == 3
    np.testing.assert_allclose(theta, [0.0, 0.0, 0.5], atol=ROUTE_TOL)
    np.testing.assert_allclose(fit, 0.5, atol=ROUTE_TOL)
    # The same in exact arithmetic: the normal equations DᵀD θ = Dᵀy hold for θ = (0, 0, 1/2).
    d, theta_exact = exact(design.astype(int)), exact([0, 0, Fraction(1, 2)])
    assert np.array_equal(d.T @ d @ theta_exact, d.T @ exact(XOR_TARGETS))
