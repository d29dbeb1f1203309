"""Chapter 6 · one layer protocol: the defaults every layer shares, and what a layer's repr shows."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from nnspec.layers import Affine, BatchNormalization, Dropout, Layer, Relu, Sigmoid

LAYERS = [Layer, Affine, Relu, Sigmoid, BatchNormalization, Dropout]


@pytest.mark.claim("layer.protocol")
@pytest.mark.parametrize("cls", LAYERS, ids=[c.__name__ for c in LAYERS])
def test_a_bare_call_trains_checks_and_returns_the_input_gradient(cls):
    """forward(x) means train_flg=True, check=True; backward(dout) means input_grad=True, check=True."""
    forward = inspect.signature(cls.forward).parameters
    backward = inspect.signature(cls.backward).parameters
    assert forward["train_flg"].default is True
    assert forward["check"].default is True and forward["check"].kind is inspect.Parameter.KEYWORD_ONLY
    assert backward["input_grad"].default is True and backward["check"].default is True


@pytest.mark.claim("layer.protocol")
def test_the_base_class_leaves_forward_and_backward_to_its_subclasses():
    layer = Layer()
    assert layer.params == layer.grads == layer.state == {}
    with pytest.raises(NotImplementedError):
        layer.forward(np.ones(2))
    with pytest.raises(NotImplementedError):
        layer.backward(np.ones(2))


@pytest.mark.claim("layer.protocol")
def test_repr_names_the_class_and_its_parameters_shapes():
    """repr(layer) is the class name and each parameter's name and shape, in the order of params."""
    assert repr(Affine(np.ones((3, 2)), np.zeros(2))) == "Affine(W=(3, 2), b=(2,))"
    assert repr(BatchNormalization(np.ones(4), np.zeros(4))) == "BatchNormalization(gamma=(4,), beta=(4,))"
    assert repr(Relu()) == "Relu()" and repr(Dropout()) == "Dropout()" and repr(Layer()) == "Layer()"
