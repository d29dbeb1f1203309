"""Chapter 5: the Affine layer's backward pass is made of transposes and a sum over the batch."""

from __future__ import annotations

import re
import weakref

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import nnspec.layers.affine as affine_module
from nnspec.gradient import numerical_gradient
from nnspec.layers import Affine
from tests.strategies import arrays

sides = st.integers(min_value=1, max_value=6)


@st.composite
def affine_cases(draw):
    """X (N, d), W (d, k), b (k,), dY (N, k) with small finite entries."""
    n, d, k = draw(sides), draw(sides), draw(sides)
    return tuple(draw(arrays(st.just(s), bound=10.0)) for s in ((n, d), (d, k), (k,), (n, k)))


@pytest.mark.claim("affine.backward-transposes")
@given(case=affine_cases())
@example(case=(np.ones((1, 1)), np.ones((1, 1)), np.zeros(1), np.ones((1, 1))))
def test_backward_transposes(case):
    """dX = dY·Wᵀ (shape of X), dW = Xᵀ·dY (shape of W), db = Σ_n dY[n] (shape of b)."""
    X, W, b, dY = case
    keep = dY.copy()
    layer = Affine(W, b)
    np.testing.assert_array_equal(layer.forward(X), X @ W + b)
    dX = layer.backward(dY)
    assert dX.shape == X.shape and layer.dW.shape == W.shape and layer.db.shape == b.shape
    np.testing.assert_array_equal(dX, dY @ W.T)
    np.testing.assert_array_equal(layer.dW, X.T @ dY)
    np.testing.assert_array_equal(layer.db, dY.sum(axis=0))
    np.testing.assert_array_equal(dY, keep)


@pytest.mark.claim("affine.backward-transposes")
def test_bias_gradient_sums_each_column():
    """The bias was added to every row, so its gradient adds up each column of dY."""
    dY = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    layer = Affine(np.zeros((4, 2)), np.zeros(2))
    layer.forward(np.zeros((3, 4)))
    layer.backward(dY)
    np.testing.assert_array_equal(layer.db, [1.0 + 3.0 + 5.0, 2.0 + 4.0 + 6.0])


@pytest.mark.claim("affine.backward-transposes")
def test_dy_times_x_transpose_is_not_defined():
    """The notes' order 'dY·Xᵀ' does not even fit: (N, k)·(d, N) has no product unless k = d."""
    X, dY = np.ones((3, 4)), np.ones((3, 2))
    with pytest.raises(ValueError):
        dY @ X.T
    layer = Affine(np.ones((4, 2)), np.zeros(2))
    layer.forward(X)
    layer.backward(dY)
    assert layer.dW.shape == (4, 2)  # Xᵀ·dY: (4, 3)·(3, 2)


# L = Σ Y ⊙ G is linear in each of X, W and b, so the central difference has no truncation
# error; what is left is rounding, about eps·|L|/h ≈ 2.2e-16 · 50 / 1e-4 ≈ 1e-10 here.
LINEAR_DIFF_TOL = 1e-8


@pytest.mark.claim("affine.backward-transposes")
def test_matches_numerical(evidence):
    """With L = Σ Y ⊙ G (so dL/dY = G), backward agrees with central differences, tensor input included."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(3, 2, 2))  # flattened to (3, 4) as in the book
    W, b, G = rng.normal(size=(4, 5)), rng.normal(size=5), rng.normal(size=(3, 5))
    layer = Affine(W, b)

    def loss(_):
        return float(np.sum(layer.forward(X) * G))

    numeric = {"X": numerical_gradient(loss, X), "W": numerical_gradient(loss, W), "b": numerical_gradient(loss, b)}
    layer.forward(X)
    dX = layer.backward(G)
    assert dX.shape == X.shape
    errors = {
        "X": np.max(np.abs(dX - numeric["X"])),
        "W": np.max(np.abs(layer.dW - numeric["W"])),
        "b": np.max(np.abs(layer.db - numeric["b"])),
    }
    evidence("max |backward − numerical| for X, W, b", [float(errors[k]) for k in ("X", "W", "b")])
    assert max(errors.values()) < LINEAR_DIFF_TOL


@pytest.mark.claim("affine.backward-transposes")
def test_single_sample():
    """A single sample (d,) is a batch of one: output (k,), dX (d,), dW the outer product x·dyᵀ."""
    W, b = np.arange(6.0).reshape(3, 2), np.array([1.0, -1.0])
    x, dy = np.array([1.0, 2.0, 3.0]), np.array([0.5, 2.0])
    layer = Affine(W, b)
    np.testing.assert_array_equal(layer.forward(x), x @ W + b)
    np.testing.assert_array_equal(layer.backward(dy), W @ dy)
    np.testing.assert_array_equal(layer.dW, np.outer(x, dy))
    np.testing.assert_array_equal(layer.db, dy)


@pytest.mark.claim("layers.contract")
def test_the_weight_gradient_is_reused_only_when_nobody_keeps_it():
    """A second backward writes ∂L/∂W into the previous gradient's memory when no one else holds it,
    and gives a new array when someone does: a kept gradient is never overwritten."""
    rng = np.random.default_rng(0)
    layer = Affine(rng.normal(size=(3, 2)), rng.normal(size=2))
    x, d1, d2 = rng.normal(size=(4, 3)), rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    layer.forward(x)
    layer.backward(d1)
    first = weakref.ref(layer.grads["W"])  # watching without holding
    layer.backward(d2)
    # A mutation run wraps every nnspec function (mutmut's trampoline), and the wrapper's own references
    # to the array hide the reuse; everywhere else the memory is reused.
    if not hasattr(affine_module._only_here, "__wrapped__"):
        assert layer.grads["W"] is first()  # reused
    assert set(layer.grads) == {"W", "b"}
    np.testing.assert_allclose(layer.grads["W"], x.T @ d2, rtol=1e-14)
    kept = layer.grads["W"]
    snapshot = kept.copy()
    layer.backward(d1)
    assert layer.grads["W"] is not kept
    np.testing.assert_array_equal(kept, snapshot)
    np.testing.assert_allclose(layer.grads["W"], x.T @ d1, rtol=1e-14)


@pytest.mark.claim("layers.contract")
def test_affine_names_x_and_dout_word_for_word():
    layer = Affine(np.ones((2, 2)), np.zeros(2))
    with pytest.raises(TypeError, match=r"^x must be a real numeric array \(int or float\), got dtype bool"):
        layer.forward(np.array([[True, False]]))
    layer.forward(np.ones((1, 2)))
    with pytest.raises(TypeError, match=r"^dout must be a real numeric array \(int or float\), got dtype <U1"):
        layer.backward(np.array([["a", "b"]]))


@pytest.mark.claim("layers.contract")
@pytest.mark.parametrize(
    ("W", "b", "error", "message"),
    [
        (np.ones((2, 2)), ["a", "b"], TypeError, "b must be a real numeric array (int or float), got dtype <U1"),
        (np.ones((2, 2)), np.zeros((1, 2)), ValueError, "b must be 1-D, got shape (1, 2)"),
        ([[True]], [0.0], TypeError, "W must be a real numeric array (int or float), got dtype bool"),
        (np.ones((1, 2, 2)), np.zeros(2), ValueError, "W must be 2-D, got shape (1, 2, 2)"),
    ],
)
def test_affine_names_its_bad_parameters_first(W, b, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        Affine(W, b)


@pytest.mark.claim("dtype.float32-end-to-end")
def test_affine_takes_its_dtype_from_W_or_the_dtype_argument():
    """float32 W makes a float32 layer (b cast to it); dtype=float64 casts float32 W and b up; integer W gives float64."""
    f32 = np.float32
    layer = Affine(np.ones((2, 3), dtype=f32), np.zeros(3))
    assert layer.dtype == layer.b.dtype == f32
    up = Affine(np.ones((2, 3), dtype=f32), np.zeros(3, dtype=f32), dtype=np.float64)
    assert up.W.dtype == up.b.dtype == np.float64
    ints = Affine(np.ones((2, 3), dtype=int), np.zeros(3, dtype=int))
    assert ints.W.dtype == ints.b.dtype == np.float64


@pytest.mark.claim("twolayer.params-shared")
def test_the_books_attribute_names_are_the_params_and_grads():
    """W, b are params["W"], params["b"] (setting one rebinds the other); dW, db are the grads, None before backward."""
    layer = Affine(np.ones((2, 1)), np.zeros(1))
    assert layer.dW is None and layer.db is None
    new_W, new_b = np.full((2, 1), 2.0), np.array([1.0])
    layer.W, layer.b = new_W, new_b
    assert layer.params["W"] is new_W and layer.params["b"] is new_b
    np.testing.assert_array_equal(layer.forward(np.array([[1.0, 1.0]])), [[5.0]])
    layer.backward(np.array([[1.0]]))
    assert layer.dW is layer.grads["W"] and layer.db is layer.grads["b"]
