"""Chapter 5: the ReLU layer's forward pass is chapter 3's relu, and it leaves its input alone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis.extra import numpy as hnp

from nnspec.functions import relu
from nnspec.layers import Relu
from tests.strategies import arrays

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)


@pytest.mark.claim("relu.layer-forward")
@given(x=arrays(shapes))
@example(x=np.array([-2.0, -0.0, 0.0, 1e-300, 3.0]))
def test_relu_layer_forward_passes_positive_inputs(x):
    """Relu.forward(x) = x where x > 0 and 0 where x <= 0, the same numbers as relu(x); a new array, x untouched."""
    keep = x.copy()
    y = Relu().forward(x)
    np.testing.assert_array_equal(y, np.where(x > 0, x, 0.0))
    np.testing.assert_array_equal(y, relu(x))
    assert y.shape == x.shape and y.dtype == x.dtype
    np.testing.assert_array_equal(x, keep)
    assert not np.shares_memory(y, x)


@pytest.mark.claim("relu.layer-forward")
def test_relu_layer_forward_keeps_the_float_type():
    """float16, float32 and float64 input give output of the same type; integers give float64."""
    for dtype in (np.float16, np.float32, np.float64):
        assert Relu().forward(np.array([-1.0, 2.0], dtype=dtype)).dtype == dtype
    assert Relu().forward(np.array([-1, 2])).dtype == np.float64
