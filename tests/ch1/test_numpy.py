"""Chapter 1: the NumPy facts the later chapters lean on (broadcasting, batched products, dtypes)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnspec.functions
from nnspec.networks import forward, init_network, predict
from tests.strategies import arrays, float_dtypes, floats
from tests.tolerances import EPS64

TINY = float(np.finfo(np.float64).smallest_subnormal)

sides = st.integers(1, 6)


@st.composite
def batch_and_bias(draw, square: bool = False):
    """A batch X of shape (N, n) and a bias b of shape (n,)."""
    n = draw(sides)
    rows = n if square else draw(sides)
    return draw(arrays((rows, n))), draw(arrays((n,)))


@st.composite
def product_operands(draw):
    """X of shape (N, a) and W of shape (a, b)."""
    n, a, b = draw(sides), draw(sides), draw(sides)
    return draw(arrays((n, a))), draw(arrays((a, b)))


# --------------------------------------------------------------------------- broadcasting


@pytest.mark.claim("numpy.broadcast-row-bias")
@given(xb=batch_and_bias())
@example(xb=(np.arange(6.0).reshape(2, 3), np.array([10.0, 20.0, 30.0])))
@example(xb=(np.ones((1, 1)), np.array([-1.0])))
def test_row_bias_adds_to_every_row(xb):
    """X + b for X (N, n) and b (n,) equals adding b to each row in a loop, bit for bit."""
    x, b = xb
    looped = np.empty_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            looped[i, j] = x[i, j] + b[j]
    y = x + b
    assert y.shape == x.shape
    assert np.array_equal(y, looped)
    assert np.array_equal(y, x + np.tile(b, (x.shape[0], 1)))  # as if b were copied N times


@pytest.mark.claim("numpy.broadcast-trailing-axes")
@given(xc=batch_and_bias(square=True))
@example(xc=(np.zeros((2, 2)), np.array([1.0, 2.0])))
def test_a_vector_lines_up_with_the_last_axis(xc):
    """NumPy aligns shapes from the right: a vector c of shape (N,) added to a square (N, N)
    batch goes along each row (entry j to column j), not one value per row; a per-row value
    needs shape (N, 1)."""
    x, c = xc
    n = x.shape[0]
    by_column = np.array([[x[i, j] + c[j] for j in range(n)] for i in range(n)])
    by_row = np.array([[x[i, j] + c[i] for j in range(n)] for i in range(n)])
    assert np.array_equal(x + c, by_column)
    assert np.array_equal(x + c[:, None], by_row)


@pytest.mark.claim("numpy.broadcast-trailing-axes")
@given(xc=batch_and_bias(), extra=st.integers(1, 3))
def test_a_vector_of_another_length_is_refused_unless_it_is_1(xc, extra):
    """A vector whose length is not the batch's last side is refused with a ValueError, instead
    of a guess; the one exception is a side of length 1, which stretches to any length."""
    x, _ = xc
    n = x.shape[1]
    c = np.zeros(n + extra)
    if n == 1:
        assert (x + c).shape == (x.shape[0], 1 + extra)  # the size-1 side of x stretches
    else:
        with pytest.raises(ValueError, match="could not be broadcast"):
            x + c
    assert np.array_equal(x + np.float64(2.5), x + np.full(x.shape, 2.5))  # a scalar stretches everywhere


# --------------------------------------------------------------------------- matrix products


@pytest.mark.claim("numpy.matmul-shapes")
@given(n=sides, a=sides, b=sides, extra=st.integers(1, 3))
@example(n=100, a=784, b=50, extra=1)  # a batch of 100 MNIST images times a first-layer weight
def test_product_shapes(n, a, b, extra):
    """(N, a) @ (a, b) has shape (N, b); one sample (a,) @ (a, b) has shape (b,); when the inner
    sides differ NumPy raises a ValueError (a product never broadcasts its inner side)."""
    rng = np.random.default_rng(0)
    x, w = rng.random((n, a)), rng.random((a, b))
    assert (x @ w).shape == (n, b)
    assert (x[0] @ w).shape == (b,)
    assert np.dot(x, w).shape == (n, b)
    with pytest.raises(ValueError, match="mismatch"):
        x @ rng.random((a + extra, b))


def dot_error_bound(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """How far two float64 evaluations of x @ w may differ, entry by entry.

    Each entry is a sum of a products; any summation order (BLAS blocks them differently for a
    batch and for one row, and may use fused multiply-add) is within a·u·Σ|x_k w_k| of the exact
    value, u = eps/2 (the standard bound for a dot product, first order). Two such evaluations
    differ by at most twice that: a·eps·(|x| @ |w|), plus a few subnormal steps for underflow.
    """
    a = x.shape[-1]
    return a * EPS64 * (np.abs(x) @ np.abs(w)) + 4 * a * TINY


@pytest.mark.claim("numpy.batch-matmul")
@given(ops=product_operands())
@example(ops=(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])))
def test_each_row_of_a_batch_product_is_the_single_product(ops):
    """(X @ W)[i] = X[i] @ W for every row i, up to the rounding of a dot product."""
    x, w = ops
    batch = x @ w
    for i in range(x.shape[0]):
        single = x[i] @ w
        assert np.all(np.abs(batch[i] - single) <= dot_error_bound(x[i], w))


@pytest.mark.claim("numpy.batch-matmul")
def test_batch_product_measured(evidence):
    """An MNIST-sized layer: 1,000 rows of 784 inputs times a (784, 50) weight matrix."""
    rng = np.random.default_rng(7)
    x = rng.random((1000, 784))
    w = rng.normal(scale=0.01, size=(784, 50))
    batch = x @ w
    singles = np.stack([row @ w for row in x])
    diff = np.abs(batch - singles)
    bound = dot_error_bound(x, w)
    evidence("rows (samples) × outputs compared", f"{diff.shape[0]} × {diff.shape[1]} = {diff.size}")
    evidence("share of those entries bitwise equal in the batch and the single-row product", float(np.mean(diff == 0)))
    evidence("largest |batch − single| of an entry", float(diff.max()))
    evidence("largest |batch − single| as a share of the entry's rounding bound", float((diff / bound).max()))
    assert np.all(diff <= bound)


# --------------------------------------------------------------------------- dtypes


def one_argument_functions() -> dict[str, object]:
    """Every public function of nnspec.functions that takes one array (the activations and
    output functions), found by signature so that a new one is covered without listing it."""
    found = {}
    for name in nnspec.functions.__all__:
        fn = getattr(nnspec.functions, name)
        required = [
            p
            for p in inspect.signature(fn).parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        if len(required) == 1:
            found[name] = fn
    return found


ACTIVATIONS = one_argument_functions()
NETWORKS = {"forward": forward, "predict": predict}


@pytest.mark.claim("numpy.dtype-preserved")
def test_the_discovery_finds_the_books_functions():
    """Guard for the discovery itself: the five functions of chapter 3 are among those found."""
    assert {"step_function", "sigmoid", "relu", "identity_function", "softmax"} <= set(ACTIVATIONS)


@pytest.mark.claim("numpy.dtype-preserved")
@given(dtype=float_dtypes, data=st.data())
@example(dtype=np.float16, data=None)
def test_functions_keep_the_float_dtype(dtype, data):
    """f(x) has x's dtype for float16, float32 and float64 input of shape (n,) or (N, n), for
    every one-array function of nnspec.functions."""
    if data is None:  # the @example: the largest float16, 65504, in a batch
        x = np.array([[65504.0, -65504.0, 0.0]], dtype=np.float16)
    else:
        x = data.draw(arrays(dtype=dtype, bound=100.0), label="x")
    for name, fn in ACTIVATIONS.items():
        y = fn(x)
        assert y.dtype == x.dtype, f"{name} turned {x.dtype} into {y.dtype}"
        assert y.shape == x.shape, name


@pytest.mark.claim("numpy.dtype-preserved")
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize(
    "x",
    [[0.5, -1.0, 2.0], [[1, 2], [3, 4]], np.array([1, -2, 3]), np.array([[0, 1]], dtype=np.uint8), [3, 1]],
    ids=["list of floats", "nested list of ints", "int64 array", "uint8 array", "list of ints"],
)
def test_functions_default_to_float64(name, x):
    """Lists and integer arrays become float64, the default."""
    assert ACTIVATIONS[name](x).dtype == np.float64


@pytest.mark.claim("numpy.dtype-preserved")
@given(dtype=float_dtypes, x=hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.just(2)), elements=floats(10.0)))
@example(dtype=np.float32, x=np.array([[1.0, 0.5]]))
def test_networks_keep_the_float_dtype(dtype, x):
    """A network whose weights and input share a float dtype computes in that dtype; ints and
    lists give float64; mixed dtypes follow NumPy's promotion (float32 with float64 is float64)."""
    net = {k: v.astype(dtype) for k, v in init_network().items()}
    for name, fn in NETWORKS.items():
        assert fn(net, x.astype(dtype)).dtype == dtype, name
        assert fn(net, x[0].astype(dtype)).dtype == dtype, name  # one sample
        assert fn(init_network(), x.tolist()).dtype == np.float64, name
        assert fn(init_network(), x.astype(dtype)).dtype == np.result_type(dtype, np.float64), name


@pytest.mark.claim("numpy.dtype-preserved")
def test_dtype_coverage(evidence):
    """Which functions the dtype specs discovered and ran."""
    evidence("functions covered", sorted(ACTIVATIONS) + [f"networks.{n}" for n in sorted(NETWORKS)])
    evidence("not one-array functions (skipped)", sorted(set(nnspec.functions.__all__) - set(ACTIVATIONS)))
    assert ACTIVATIONS
