"""Chapter 5 layers and TwoLayerNet: bad input gives a clear error naming the argument."""

from __future__ import annotations

import numpy as np
import pytest

from nnspec.layers import AddLayer, Affine, MulLayer, Relu, Sigmoid, SoftmaxWithLoss
from nnspec.networks import TwoLayerNet

pytestmark = pytest.mark.claim("layers.contract")


@pytest.mark.parametrize(
    "layer", [MulLayer(), AddLayer(), Relu(), Sigmoid(), Affine([[1.0]], [0.0]), SoftmaxWithLoss()]
)
def test_backward_before_forward(layer):
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(1.0)


def test_affine_parameters():
    with pytest.raises(ValueError, match=r"W must be 2-D, got shape \(3,\)"):
        Affine(np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"b must have shape \(2,\) to match W \(3, 2\), got \(3,\)"):
        Affine(np.ones((3, 2)), np.zeros(3))
    with pytest.raises(TypeError, match="W must be a real numeric array"):
        Affine([["a"]], [0.0])
    with pytest.raises(TypeError, match="dtype must be a floating dtype"):
        Affine(np.ones((1, 1)), np.zeros(1), dtype=np.int32)


def test_affine_keeps_or_converts_parameters():
    W, b = np.ones((2, 2)), np.zeros(2)
    layer = Affine(W, b)
    assert layer.W is W and layer.b is b and layer.dtype == np.float64
    ints = Affine(np.ones((2, 2), dtype=int), [0, 0])
    assert ints.dtype == np.float64
    f32 = Affine(W, b, dtype=np.float32)
    assert f32.W.dtype == np.float32 and f32.W is not W
    assert f32.forward(np.ones((1, 2))).dtype == np.float32


def test_affine_input_and_dout_shapes():
    layer = Affine(np.ones((4, 2)), np.zeros(2))
    for bad in (np.float64(1.0), np.ones(3), np.ones((2, 3)), np.ones((2, 3, 2))):
        with pytest.raises(ValueError, match=r"x must have shape \(N, 4\)"):
            layer.forward(bad)
    layer.forward(np.ones((3, 2, 2)))
    with pytest.raises(ValueError, match=r"dout must have the forward output's shape, got \(2, 2\)"):
        layer.backward(np.ones((2, 2)))
    assert layer.backward(np.ones((3, 2)), input_grad=False) is None
    assert layer.dW.shape == (4, 2)


def test_relu_and_sigmoid_dout_shape():
    relu, sig = Relu(), Sigmoid()
    relu.forward(np.ones(3))
    sig.forward(np.ones(3))
    with pytest.raises(ValueError, match=r"dout must have the forward input's shape \(3,\), got \(2,\)"):
        relu.backward(np.ones(2))
    with pytest.raises(ValueError, match=r"dout must have the forward output's shape \(3,\), got \(2,\)"):
        sig.backward(np.ones(2))
    with pytest.raises(TypeError, match="x must be a real numeric array"):
        relu.forward(np.array([True]))


def test_layer_dtype_argument():
    for layer in (Relu(dtype=np.float32), Sigmoid(dtype=np.float32)):
        out = layer.forward(np.array([-1.0, 2.0]))
        assert out.dtype == np.float32
        assert layer.backward(np.ones(2)).dtype == np.float32
    mul, add = MulLayer(dtype=np.float32), AddLayer(dtype=np.float32)
    assert mul.forward(np.ones((2, 1)), np.ones((1, 3))).dtype == np.float32
    assert add.forward(np.ones((2, 1)), np.ones((1, 3))).dtype == np.float32
    dx, dy = mul.backward(np.ones((2, 3)))
    assert dx.shape == (2, 1) and dy.shape == (1, 3) and dx.dtype == np.float32
    np.testing.assert_array_equal(dy, [[2.0, 2.0, 2.0]])
    dx, dy = add.backward(np.ones((2, 3)))
    np.testing.assert_array_equal(dx, [[3.0], [3.0]])
    layer = SoftmaxWithLoss(dtype=np.float32)
    assert layer.forward(np.array([[1.0, 2.0]]), np.array([[0.0, 1.0]])).dtype == np.float32
    assert layer.backward().dtype == np.float32


def test_softmax_with_loss_bad_input():
    layer = SoftmaxWithLoss()
    with pytest.raises(ValueError, match=r"x must have shape \(N, C\) or \(C,\)"):
        layer.forward(np.ones((2, 2, 2)), [0, 1])
    with pytest.raises(ValueError, match=r"x must have shape \(N, C\) or \(C,\)"):
        layer.forward(np.ones((0, 3)), np.zeros(0, dtype=int))
    with pytest.raises(TypeError, match="t given as labels .* must be integers, got dtype float64"):
        layer.forward(np.ones((2, 3)), [0.0, 1.0])
    with pytest.raises(ValueError, match=r"t labels must be in 0..2, got values from 0 to 3"):
        layer.forward(np.ones((2, 3)), [0, 3])
    with pytest.raises(ValueError, match=r"t must be labels of shape \(2,\) or one-hot of shape \(2, 3\)"):
        layer.forward(np.ones((2, 3)), [0, 1, 2])
    layer.forward(np.ones((2, 3)), [0, 1])
    with pytest.raises(ValueError, match="dout must be a scalar"):
        layer.backward(np.ones(2))


def test_softmax_with_loss_one_hot_beyond_float_range():
    """One-hot targets with scores 1e308 apart: the right class's term is huge, no NaN, no warning."""
    loss = SoftmaxWithLoss().forward(np.array([[1e308, -1e308]]), np.array([[0.0, 1.0]]))
    assert loss > 1e307
    assert SoftmaxWithLoss().forward(np.array([[1e308, -1e308]]), np.array([[1.0, 0.0]])) == 0


def test_two_layer_net_arguments():
    with pytest.raises(ValueError, match="input_size must be a positive int, got 0"):
        TwoLayerNet(0, 2, 2)
    with pytest.raises(TypeError, match="hidden_size must be a positive int, got float"):
        TwoLayerNet(2, 2.0, 2)
    with pytest.raises(ValueError, match="^output_size must be a positive int, got -1$"):
        TwoLayerNet(2, 2, -1)
    with pytest.raises(TypeError, match="^output_size must be a positive int, got str '3'$"):
        TwoLayerNet(2, 2, "3")
    with pytest.raises(TypeError, match="weight_init_std must be a real number, got bool"):
        TwoLayerNet(2, 2, 2, weight_init_std=True)
    with pytest.raises(ValueError, match="weight_init_std must be finite and >= 0, got -1"):
        TwoLayerNet(2, 2, 2, weight_init_std=-1)
    with pytest.raises(TypeError, match="dtype must be a floating dtype"):
        TwoLayerNet(2, 2, 2, dtype=int)
    net = TwoLayerNet(4, 3, 2, rng=0)
    with pytest.raises(ValueError, match=r"t \(labels\) must have shape \(2,\) to match y \(2, 2\), got \(3,\)"):
        net.accuracy(np.ones((2, 4)), [0, 1, 1])
    assert net.predict(np.ones(4)).shape == (2,)
    assert net.accuracy(np.ones(4), 1) in (0.0, 1.0)
    assert net.accuracy(np.ones((1, 2, 2)), np.array([[0.0, 1.0]])) in (0.0, 1.0)


def test_two_layer_net_accepts_a_zero_weight_init_std():
    """weight_init_std may be 0 (every weight starts at 0; the bound is >= 0): the scores are then all 0."""
    net = TwoLayerNet(3, 2, 2, weight_init_std=0, rng=0)
    for key in ("W1", "b1", "W2", "b2"):
        np.testing.assert_array_equal(net.params[key], 0.0)
    np.testing.assert_array_equal(net.predict(np.ones((2, 3))), np.zeros((2, 2)))
