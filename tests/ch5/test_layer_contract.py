"""Chapter 5 layers as a library: the argument an error names, the dtype of every gradient, the upstream gradient."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnspec.layers import AddLayer, Affine, MulLayer, Relu, Sigmoid, SoftmaxWithLoss

pytestmark = pytest.mark.claim("layers.contract")

F32, F64 = np.float32, np.float64


def _float32_layers():
    """Each layer made with dtype=float32, its forward run on float64 input; and the dout to give it."""
    x = np.array([[-1.0, 0.5, 2.0], [3.0, -0.25, 1.0]])
    add, mul = AddLayer(dtype=F32), MulLayer(dtype=F32)
    add.forward(x, x[:1])
    mul.forward(x, x[:1])
    relu, sig = Relu(dtype=F32), Sigmoid(dtype=F32)
    relu.forward(x)
    sig.forward(x)
    affine = Affine(np.ones((3, 2), dtype=F32), np.zeros(2, dtype=F32))
    affine.forward(x)
    swl = SoftmaxWithLoss(dtype=F32)
    swl.forward(x, np.array([0, 2]))
    return [
        ("AddLayer", add, np.ones((2, 3))),
        ("MulLayer", mul, np.ones((2, 3))),
        ("Relu", relu, np.ones((2, 3))),
        ("Sigmoid", sig, np.ones((2, 3))),
        ("Affine", affine, np.ones((2, 2))),
        ("SoftmaxWithLoss", swl, np.float64(2.0)),
    ]


@pytest.mark.parametrize("i", range(6), ids=[n for n, _, _ in _float32_layers()])
def test_a_float64_dout_comes_back_in_the_layers_dtype(i):
    """A float32 layer given a float64 upstream gradient returns float32 gradients (and parameter gradients)."""
    _, layer, dout = _float32_layers()[i]
    assert np.asarray(dout).dtype == F64
    grads = layer.backward(dout)
    for g in grads if isinstance(grads, tuple) else (grads,):
        assert g.dtype == F32, g.dtype
    for name, g in getattr(layer, "grads", {}).items():
        assert g.dtype == F32, (name, g.dtype)


@pytest.mark.parametrize("cls", [AddLayer, MulLayer])
def test_the_two_input_nodes_name_the_argument_they_refuse(cls):
    for bad_x, bad_y, words in [
        (np.array([True]), np.ones(1), "x must be a real numeric array"),
        (np.ones(1), np.array(["a"]), "y must be a real numeric array"),
    ]:
        with pytest.raises(TypeError, match=words):
            cls().forward(bad_x, bad_y)
    layer = cls()
    layer.forward(np.ones(2), np.ones(2))
    with pytest.raises(TypeError, match="dout must be a real numeric array"):
        layer.backward(np.array([1 + 2j, 0j]))


@pytest.mark.parametrize("cls", [Relu, Sigmoid])
def test_the_activation_layers_name_the_argument_they_refuse(cls):
    with pytest.raises(TypeError, match="x must be a real numeric array"):
        cls().forward(np.array(["a"]))
    layer = cls()
    layer.forward(np.ones(2))
    with pytest.raises(TypeError, match="dout must be a real numeric array"):
        layer.backward(np.array([True, False]))


def test_the_upstream_gradient_scales_softmax_with_loss():
    """backward(dout) is dout · (y − t)/N for any scalar dout, not only the default 1."""
    layer = SoftmaxWithLoss()
    layer.forward(np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]), np.array([1, 2]))
    one = layer.backward()
    np.testing.assert_array_equal(layer.backward(1.0), one)
    for dout in (2.0, 0.5, -3.0, 0.0):
        np.testing.assert_allclose(layer.backward(dout), dout * one, rtol=1e-15)


@pytest.mark.parametrize("cls", [AddLayer, MulLayer])
def test_the_two_input_nodes_scale_by_dout(cls):
    """The gradients are linear in dout: backward(c · dout) = c · backward(dout)."""
    layer = cls()
    layer.forward(np.array([1.5, -2.0]), np.array([3.0, 0.25]))
    base = layer.backward(np.ones(2))
    for g, g1 in zip(layer.backward(np.array([2.0, -4.0])), base):
        np.testing.assert_array_equal(g, g1 * np.array([2.0, -4.0]))


def test_affine_takes_a_single_sample_and_its_dout():
    """A single sample x of shape (d,) gives an output of shape (k,); its dout may be (k,) or (1, k), nothing else."""
    layer = Affine(np.arange(6.0).reshape(3, 2), np.array([1.0, -1.0]))
    out = layer.forward(np.array([1.0, 0.0, 2.0]))
    assert out.shape == (2,)
    dx = layer.backward(np.array([1.0, 1.0]))
    assert dx.shape == (3,)
    np.testing.assert_array_equal(layer.db, [1.0, 1.0])
    for bad in (np.ones(3), np.ones((2, 2)), np.ones((1, 3))):
        with pytest.raises(ValueError, match="dout must have the forward output's shape"):
            layer.backward(bad)
    batch = Affine(np.ones((3, 2)), np.zeros(2))
    batch.forward(np.ones((1, 3)))
    with pytest.raises(ValueError, match="dout must have the forward output's shape"):
        batch.backward(np.ones(2))  # a batch of one is (1, k); its dout must be too


@pytest.mark.parametrize("i", range(6), ids=[n for n, _, _ in _float32_layers()])
def test_a_float64_dout_is_rounded_to_the_layers_dtype_first(i):
    """A float32 layer computes in float32: a float64 dout gives the very bits of the same dout rounded to float32."""
    _, layer, dout = _float32_layers()[i]
    # values that float32 cannot hold, so that rounding them first or last gives different bits
    dout = np.asarray(dout) * (1 + np.pi * 2.0**-30) + np.linspace(0, 1e-3, np.size(dout)).reshape(np.shape(dout))
    from64 = layer.backward(dout)
    from32 = layer.backward(dout.astype(F32))
    for a, b in zip(
        from64 if isinstance(from64, tuple) else (from64,), from32 if isinstance(from32, tuple) else (from32,)
    ):
        assert a.dtype == b.dtype == F32
        np.testing.assert_array_equal(a, b)


NON_FINITE = np.array([np.inf, -np.inf, np.nan, 1.5])


@pytest.mark.claim("layers.non-finite")
def test_the_graph_nodes_and_relu_pass_non_finite_values_through():
    add, mul, relu = AddLayer(), MulLayer(), Relu()
    np.testing.assert_array_equal(add.forward(NON_FINITE, np.full(4, 2.0)), [np.inf, -np.inf, np.nan, 3.5])
    dx, dy = add.backward(np.array([np.nan, 1.0, np.inf, 2.0]))
    np.testing.assert_array_equal(dx, [np.nan, 1.0, np.inf, 2.0])
    np.testing.assert_array_equal(dy, [np.nan, 1.0, np.inf, 2.0])
    np.testing.assert_array_equal(mul.forward(NON_FINITE, np.full(4, 2.0)), [np.inf, -np.inf, np.nan, 3.0])
    dx, dy = mul.backward(np.ones(4))
    np.testing.assert_array_equal(dx, [2.0, 2.0, 2.0, 2.0])
    np.testing.assert_array_equal(dy, NON_FINITE)
    np.testing.assert_array_equal(mul.forward(np.full(4, 2.0), NON_FINITE), [np.inf, -np.inf, np.nan, 3.0])
    dx, dy = mul.backward(np.array([np.inf, 1.0, 1.0, np.nan]))
    np.testing.assert_array_equal(dx, [np.inf, -np.inf, np.nan, np.nan])
    np.testing.assert_array_equal(dy, [np.inf, 2.0, 2.0, np.nan])
    np.testing.assert_array_equal(relu.forward(NON_FINITE), [np.inf, 0.0, np.nan, 1.5])
    np.testing.assert_array_equal(relu.backward(np.array([1.0, 1.0, 1.0, np.inf])), [1.0, 0.0, 1.0, np.inf])


@pytest.mark.claim("layers.non-finite")
@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_sigmoid_refuses_non_finite_input(bad):
    with pytest.raises(ValueError, match=re.escape(f"x must be finite, got {bad} at index (1,)")):
        Sigmoid().forward(np.array([0.0, bad]))


def _raises_exactly(error, message):
    """pytest.raises for the whole message, word for word (what the user reads)."""
    return pytest.raises(error, match="^" + re.escape(message) + "$")


@pytest.mark.parametrize(
    "make",
    [MulLayer, AddLayer, Relu, Sigmoid, lambda: Affine([[1.0]], [0.0]), SoftmaxWithLoss],
    ids=["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"],
)
def test_a_fresh_layer_refuses_backward_before_forward(make):
    layer = make()  # made here, not at collection: a fresh layer, as a user has it
    with _raises_exactly(RuntimeError, f"{type(layer).__name__}.backward called before forward"):
        layer.backward(1.0)


@pytest.mark.parametrize(("x", "y"), [(np.float32, np.float64), (np.float64, np.float32)])
def test_add_computes_in_the_wider_dtype_of_its_inputs(x, y):
    """x + y of float32 and float64 is float64 (NumPy's rule), and so are both gradients, whichever input is wider."""
    add = AddLayer()
    assert add.forward(np.ones(2, dtype=x), np.ones(2, dtype=y)).dtype == F64
    dx, dy = add.backward(np.ones(2, dtype=F32))
    assert dx.dtype == dy.dtype == F64


def test_the_shape_errors_word_for_word():
    """Each shape error names the argument, the shape expected and the shape given."""
    relu, sig = Relu(), Sigmoid()
    relu.forward(np.ones((2, 3)))
    sig.forward(np.ones((2, 3)))
    with _raises_exactly(ValueError, "dout must have the forward input's shape (2, 3), got (3,)"):
        relu.backward(np.ones(3))
    with _raises_exactly(ValueError, "dout must have the forward output's shape (2, 3), got (3, 2)"):
        sig.backward(np.ones((3, 2)))
    with _raises_exactly(ValueError, "b must have shape (2,) to match W (3, 2), got (3,)"):
        Affine(np.ones((3, 2)), np.zeros(3))
    affine = Affine(np.ones((3, 2)), np.zeros(2))
    with _raises_exactly(
        ValueError, "x must have shape (N, 3), (N, ...) with 3 features per sample, or (3,); got (2, 4)"
    ):
        affine.forward(np.ones((2, 4)))
    affine.forward(np.ones((4, 3)))
    with _raises_exactly(ValueError, "dout must have the forward output's shape, got (4, 3) for output (4, 2)"):
        affine.backward(np.ones((4, 3)))
    swl = SoftmaxWithLoss()
    with _raises_exactly(ValueError, "x must have shape (N, C) or (C,) with N >= 1 and C >= 1, got (2, 2, 2)"):
        swl.forward(np.ones((2, 2, 2)), [0, 1])
    with _raises_exactly(ValueError, "t must be labels of shape (2,) or one-hot of shape (2, 3), got shape (3,)"):
        swl.forward(np.ones((2, 3)), [0, 1, 2])
    with _raises_exactly(TypeError, "t given as labels (shape (2,)) must be integers, got dtype float64"):
        swl.forward(np.ones((2, 3)), [0.0, 1.0])
    with _raises_exactly(ValueError, "t labels must be in 0..2, got values from -1 to 1"):
        swl.forward(np.ones((2, 3)), [-1, 1])
    swl.forward(np.ones((2, 3)), [0, 1])
    with _raises_exactly(ValueError, "dout must be a scalar (the loss is a scalar), got shape (2,)"):
        swl.backward(np.ones(2))


@pytest.mark.claim("layers.non-finite")
def test_non_finite_values_pass_through_when_the_input_is_converted():
    """A list, or float64 input to a float32 layer, is converted first; its infinities and NaN still pass through."""
    expected = [np.inf, 0.0, np.nan, 1.5]
    np.testing.assert_array_equal(Relu().forward(list(NON_FINITE)), expected)
    out = Relu(dtype=F32).forward(NON_FINITE)
    assert out.dtype == F32
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(AddLayer().forward(list(NON_FINITE), [2.0] * 4), [np.inf, -np.inf, np.nan, 3.5])
    np.testing.assert_array_equal(
        MulLayer(dtype=F32).forward(NON_FINITE, np.full(4, 2.0)), [np.inf, -np.inf, np.nan, 3.0]
    )


@pytest.mark.claim("layers.non-finite")
def test_sigmoid_names_a_scalar_non_finite_input_with_an_empty_index():
    """A 0-d input has no index to name: the message says `at index ()`."""
    with _raises_exactly(ValueError, "x must be finite, got inf at index ()"):
        Sigmoid().forward(np.float64(np.inf))


@pytest.mark.parametrize("ints", [np.array([[0, 255]], dtype=np.uint8), np.array([[-3, 7]]), [[2, 5]]])
def test_integer_input_becomes_the_layers_float_dtype(ints):
    """Integer input (uint8 pixels, int64, a list of ints) is accepted and computed in the layer's dtype, float64 by default."""
    want = np.asarray(ints, dtype=F64)
    for dtype, expect in ((None, F64), (F32, F32)):
        out = Relu(dtype=dtype).forward(ints)
        assert out.dtype == expect
        np.testing.assert_array_equal(out, np.maximum(want, 0))
        affine = Affine(np.array([[1], [2]]), np.array([3]), dtype=dtype)
        assert affine.W.dtype == affine.b.dtype == expect
        y = affine.forward(ints)
        assert y.dtype == expect
        np.testing.assert_array_equal(y, want @ [[1.0], [2.0]] + 3.0)


@pytest.mark.parametrize(
    ("bad", "what"),
    [
        (np.array([True, False]), "dtype bool from ndarray"),
        ([True], "dtype bool from list"),
        (np.array([1 + 2j]), "dtype complex128 from ndarray"),
        (np.array(["1.0"]), "dtype <U3 from ndarray"),
        ([None, 1.0], "dtype object from list"),
    ],
)
def test_a_non_real_input_is_refused_naming_its_dtype(bad, what):
    """Booleans, complex numbers, strings and objects are not real numbers: the TypeError names x, the dtype and the type given."""
    for layer in (Relu(), Relu(dtype=F32), Sigmoid()):
        with _raises_exactly(TypeError, f"x must be a real numeric array (int or float), got {what}"):
            layer.forward(bad)
