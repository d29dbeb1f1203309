"""Chapter 5: what the Affine layer computes (an affine map, weights shaped (inputs, outputs)),
and why its backward pass is the multiplication and addition nodes again, batch or not."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnspec.gradient import numerical_gradient
from nnspec.layers import AddLayer, Affine, MulLayer
from tests.strategies import arrays
from tests.tolerances import EPS64

sides = st.integers(min_value=1, max_value=4)

# Integer entries in [-8, 8]: every product and sum below is an integer under 2^12, computed
# exactly in float64, so the affine identities are checked with ==, not with a tolerance.
small_ints = st.integers(-8, 8).map(float)


@st.composite
def int_affine(draw, n=None):
    """X (N, d), W (d, k), b (k,) of small integers, and the sizes."""
    n = draw(sides) if n is None else n
    d, k = draw(sides), draw(sides)

    def mat(*shape):
        return np.array(draw(st.lists(small_ints, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))).reshape(
            shape
        )

    return mat(n, d), mat(d, k), mat(k)


@st.composite
def affine_cases(draw):
    """X (N, d), W (d, k), b (k,), dY (N, k) with finite entries of size up to 10."""
    n, d, k = draw(sides), draw(sides), draw(sides)
    return tuple(draw(arrays(st.just(s), bound=10.0)) for s in ((n, d), (d, k), (k,), (n, k)))


def rounding_bound(X, W, dY):
    """How far two summation orders of the same products may differ: a few ulps of the sum of |terms|."""
    terms = np.abs(X).T @ np.abs(dY), np.abs(dY) @ np.abs(W).T, np.abs(dY).sum(axis=0)
    return [16 * EPS64 * t + 1e-300 for t in terms]


# ----------------------------------------------------------------------------- forward


@pytest.mark.claim("affine.forward-shapes")
@given(case=int_affine())
@example(case=(np.array([[1.0, 2.0]]), np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]), np.array([0.0, 1.0, -1.0])))
def test_forward_is_weighted_sum_plus_bias(case):
    """Output j of sample n is Σ_i x_ni·W_ij + b_j: W has one row per input and one column per output."""
    X, W, b = case
    (n, d), k = X.shape, W.shape[1]
    layer = Affine(W, b)
    Y = layer.forward(X)
    assert Y.shape == (n, k)
    loop = np.array([[sum(X[r, i] * W[i, j] for i in range(d)) + b[j] for j in range(k)] for r in range(n)])
    np.testing.assert_array_equal(Y, loop)
    y0 = Affine(W, b).forward(X[0])  # one sample, shape (d,) -> (k,)
    assert y0.shape == (k,)
    np.testing.assert_array_equal(y0, loop[0])


@pytest.mark.claim("affine.forward-shapes")
def test_weights_of_the_wrong_shape_are_refused():
    """W of shape (outputs, inputs) does not fit 3 inputs and 2 outputs; a bias that is not (outputs,) neither."""
    x = np.ones((5, 3))
    with pytest.raises(ValueError, match=r"x must have shape \(N, 2\)"):
        Affine(np.ones((2, 3)), np.zeros(3)).forward(x)  # transposed: 2 rows, but x has 3 features
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        Affine(np.ones((3, 2)), np.zeros(3))
    assert Affine(np.ones((3, 2)), np.zeros(2)).forward(x).shape == (5, 2)


# ----------------------------------------------------------------------------- affine, not linear


@pytest.mark.claim("affine.is-affine")
@given(case=int_affine(n=2), alpha=st.integers(-4, 4).map(float))
@example(case=(np.array([[1.0], [2.0]]), np.array([[3.0]]), np.array([5.0])), alpha=2.0)
def test_product_is_linear_bias_makes_it_affine(case, alpha):
    """g(x) = xW is linear: g(x + x') = g(x) + g(x'), g(αx) = α·g(x). f(x) = xW + b is not when
    b ≠ 0: f(0) = b, and f(x + x') = f(x) + f(x') − b. Exact, on integers."""
    X, W, b = case
    x, x2 = X[0], X[1]
    f = Affine(W, b).forward
    g = Affine(W, np.zeros_like(b)).forward
    np.testing.assert_array_equal(g(x + x2), g(x) + g(x2))
    np.testing.assert_array_equal(g(alpha * x), alpha * g(x))
    np.testing.assert_array_equal(f(x), g(x) + b)
    np.testing.assert_array_equal(f(np.zeros_like(x)), b)
    np.testing.assert_array_equal(f(x + x2), f(x) + f(x2) - b)
    if np.any(b != 0):
        assert not np.array_equal(f(x + x2), f(x) + f(x2))


# The map is linear in x, so the central difference has no truncation error; what is left is
# rounding, eps·|y|/h ≈ 2.2e-16 · 30 / 1e-4 ≈ 7e-11.
LINEAR_DIFF_TOL = 1e-8


@pytest.mark.claim("affine.is-affine")
def test_every_output_depends_on_every_input(evidence):
    """Dense: ∂y_j/∂x_i = W_ij for every pair (i, j), the numerical Jacobian is W itself, no zero pattern."""
    rng = np.random.default_rng(8)
    W, b, x = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=4)
    layer = Affine(W, b)
    jac = np.column_stack([numerical_gradient(lambda v, j=j: float(layer.forward(v)[j]), x.copy()) for j in range(3)])
    err = float(np.max(np.abs(jac - W)))
    evidence("max |numerical ∂y_j/∂x_i − W_ij|", err)
    evidence("Jacobian entries that are zero", int(np.sum(jac == 0)))
    assert err < LINEAR_DIFF_TOL
    assert np.all(jac != 0)


# ----------------------------------------------------------------------------- backward = a graph of scalar nodes


def scalar_graph_backward(X, W, b, dY):
    """Y = XW + b built from scalar nodes only: one MulLayer per product x_ni·W_ij, AddLayers to
    sum them and to add b_j. Backward through every node; gradients of a value used by several
    nodes are added up. Returns (dX, dW, db)."""
    n, d = X.shape
    k = W.shape[1]
    dX, dW, db = np.zeros_like(X), np.zeros_like(W), np.zeros_like(b)
    for r in range(n):
        for j in range(k):
            muls = [MulLayer() for _ in range(d)]
            adds = [AddLayer() for _ in range(d)]  # adds[i] adds product i to the running sum; adds[0] adds the bias
            total = adds[0].forward(muls[0].forward(X[r, 0], W[0, j]), b[j])
            for i in range(1, d):
                total = adds[i].forward(total, muls[i].forward(X[r, i], W[i, j]))
            g = dY[r, j]
            for i in range(d - 1, 0, -1):
                g, dprod = adds[i].backward(g)
                dx, dw = muls[i].backward(dprod)
                dX[r, i] += dx
                dW[i, j] += dw
            dprod, dbias = adds[0].backward(g)
            dx, dw = muls[0].backward(dprod)
            dX[r, 0] += dx
            dW[0, j] += dw
            db[j] += dbias
    return dX, dW, db


@pytest.mark.claim("affine.is-graph-of-mul-and-add")
@given(case=affine_cases())
@example(
    case=(np.array([[2.0]]), np.array([[3.0]]), np.array([1.0]), np.array([[5.0]]))
)  # one mul node: dx = 15, dw = 10
def test_affine_backward_is_the_scalar_graph(case):
    """The Affine layer's dX = dY·Wᵀ, dW = Xᵀ·dY, db = Σ_n dY equal, entry by entry, the gradients of
    a graph of scalar multiplication nodes (each swaps its inputs) and addition nodes (each passes
    the gradient on), up to the order in which the same products are summed."""
    X, W, b, dY = case
    layer = Affine(W, b)
    layer.forward(X)
    dX = layer.backward(dY)
    gX, gW, gb = scalar_graph_backward(X, W, b, dY)
    tol_W, tol_X, tol_b = rounding_bound(X, W, dY)
    assert np.all(np.abs(dX - gX) <= tol_X)
    assert np.all(np.abs(layer.dW - gW) <= tol_W)
    assert np.all(np.abs(layer.db - gb) <= tol_b)


@pytest.mark.claim("affine.is-graph-of-mul-and-add")
def test_one_by_one_affine_is_a_multiplication_node():
    """With one input, one output and one sample the layer is y = x·w + b: exactly the multiplication
    node followed by the addition node, gradients swapped and passed on."""
    x, w, b, dy = 2.0, 3.0, 1.0, 5.0
    layer = Affine(np.array([[w]]), np.array([b]))
    assert float(layer.forward(np.array([[x]]))[0, 0]) == x * w + b
    dx = float(layer.backward(np.array([[dy]]))[0, 0])
    mul = MulLayer()
    mul.forward(x, w)
    gx, gw = mul.backward(dy)
    assert (dx, float(layer.dW[0, 0]), float(layer.db[0])) == (float(gx), float(gw), dy) == (15.0, 10.0, 5.0)


# ----------------------------------------------------------------------------- a batch


@pytest.mark.claim("affine.batch-backward")
@given(case=affine_cases())
@example(case=(np.arange(6.0).reshape(3, 2), np.ones((2, 2)), np.zeros(2), np.arange(6.0).reshape(3, 2)))
def test_batch_backward_is_the_per_sample_backward(case):
    """For X of shape (N, d): row n of dX is the gradient of sample n alone, and dW, db are the sums
    of the N per-sample gradients; same formulas, same code, with N rows."""
    X, W, b, dY = case
    batch = Affine(W, b)
    batch.forward(X)
    dX = batch.backward(dY)
    assert dX.shape == X.shape
    rows, dWs, dbs = [], [], []
    for x, dy in zip(X, dY):
        one = Affine(W, b)
        one.forward(x)  # shape (d,): a single sample
        rows.append(one.backward(dy))
        dWs.append(one.dW)
        dbs.append(one.db)
    tol_W, tol_X, tol_b = rounding_bound(X, W, dY)
    assert np.all(np.abs(dX - np.array(rows)) <= tol_X)
    assert np.all(np.abs(batch.dW - np.sum(dWs, axis=0)) <= tol_W)
    assert np.all(np.abs(batch.db - np.sum(dbs, axis=0)) <= tol_b)
