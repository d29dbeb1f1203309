"""Chapter 5: the ReLU and sigmoid layers' backward passes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec.functions import sigmoid
from nnspec.gradient import numerical_diff
from nnspec.graph import SigmoidGraph
from nnspec.layers import Relu, Sigmoid
from tests.strategies import arrays
from tests.tolerances import EPS64, ROUTE_TOL

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)
pairs = shapes.flatmap(lambda s: st.tuples(arrays(st.just(s)), arrays(st.just(s))))


@pytest.mark.claim("relu.backward-masks")
@given(xd=pairs)
@example(xd=(np.array([-2.0, -0.0, 0.0, 3.0]), np.array([5.0, 5.0, 5.0, 5.0])))
def test_relu_backward_masks(xd):
    """dL/dx = dL/dy where x > 0 and 0 where x <= 0; the given dout is left as it was."""
    x, dout = xd
    keep = dout.copy()
    relu = Relu()
    np.testing.assert_array_equal(relu.forward(x), np.maximum(x, 0))
    dx = relu.backward(dout)
    np.testing.assert_array_equal(dx, np.where(x > 0, dout, 0.0))
    np.testing.assert_array_equal(dout, keep)  # the book's `dout[self.mask] = 0` would fail here
    assert not np.shares_memory(dx, dout)


@pytest.mark.claim("relu.backward-masks")
def test_relu_matches_numerical_away_from_zero():
    """Away from the kink at 0, the mask is the derivative: compare with central differences."""
    x = np.array([-3.0, -0.5, 0.25, 2.0])
    relu = Relu()
    relu.forward(x)
    dx = relu.backward(np.ones_like(x))
    # ReLU is linear on each side, so only rounding separates the two: eps·|x|/h ≈ 4e-12.
    np.testing.assert_allclose(numerical_diff(lambda v: np.maximum(v, 0), x), dx, rtol=0, atol=1e-10)


# The graph ×(−1) → exp → +1 → 1/u and the Sigmoid layer compute the same derivative by two routes
# (y²·e^{-x} vs y·(1 − y)); they agree to a few ulps (ROUTE_TOL relative), except that 1 − y
# cancels for y near 1: y is rounded by up to eps/2, so y(1 − y)·dout may be off by eps·|dout|
# in absolute terms (relative 1e-3 at x = 30, where the true value is 9e-14).
# |x| <= 30 keeps the values far from underflow.
# Upstream gradients of sizes where products of three factors stay far from the subnormal range
# (below ~1e-308 every product loses relative precision, whichever route computes it).
normal_floats = st.floats(-10.0, 10.0).filter(lambda v: v == 0 or abs(v) >= 1e-100)
xs_sig = arrays(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6), bound=30.0)

# sigmoid''' is at most 1/8 in size, so the central difference is off by at most
# h²/6 · 1/8 ≈ 2e-10, plus rounding eps·|σ|/h ≈ 2e-12; 1e-9 is a safe bound.
SIGMOID_DIFF_TOL = 1e-9


@pytest.mark.claim("sigmoid.gradient-is-y-one-minus-y")
@given(xd=xs_sig.flatmap(lambda x: st.tuples(st.just(x), hnp.arrays(np.float64, x.shape, elements=normal_floats))))
@example(xd=(np.array([0.0, -30.0, 30.0]), np.array([1.0, 1.0, 1.0])))
def test_sigmoid_graph_composes_to_y_one_minus_y(xd):
    """The four-node graph gives dout·y²·exp(−x), which equals dout·y(1 − y), the Sigmoid layer's answer."""
    x, dout = xd
    graph = SigmoidGraph()
    y = graph.forward(x)
    np.testing.assert_allclose(y, sigmoid(x), rtol=ROUTE_TOL)
    by_graph = graph.backward(dout)
    np.testing.assert_allclose(by_graph, dout * y**2 * np.exp(-x), rtol=ROUTE_TOL, atol=0)  # the notes' form
    layer = Sigmoid()
    layer.forward(x)
    np.testing.assert_allclose(layer.backward(dout), dout * y * (1 - y), rtol=ROUTE_TOL, atol=0)
    gap = np.abs(layer.backward(dout) - by_graph)
    assert np.all(gap <= ROUTE_TOL * np.abs(by_graph) + EPS64 * np.abs(dout))


@pytest.mark.claim("sigmoid.gradient-is-y-one-minus-y")
def test_sigmoid_needs_only_its_output(evidence):
    """The layer stores only y = σ(x); a layer given nothing but y gives the same backward."""
    x = np.linspace(-8, 8, 33)
    dout = np.cos(x)
    layer = Sigmoid()
    y = layer.forward(x)
    stored = sorted(k for k, v in vars(layer).items() if isinstance(v, np.ndarray))
    evidence("arrays the layer keeps", stored)
    assert stored == ["out"]
    bare = Sigmoid()
    bare.out = y.copy()  # never saw x
    np.testing.assert_array_equal(bare.backward(dout), layer.backward(dout))


@pytest.mark.claim("sigmoid.gradient-is-y-one-minus-y")
def test_sigmoid_matches_numerical(evidence):
    x = np.linspace(-10, 10, 81)
    layer = Sigmoid()
    layer.forward(x)
    dx = layer.backward(np.ones_like(x))
    err = np.max(np.abs(numerical_diff(sigmoid, x) - dx))
    evidence("max |numerical − backward| on [−10, 10]", float(err))
    assert err < SIGMOID_DIFF_TOL
