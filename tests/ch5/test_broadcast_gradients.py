"""Chapter 5 · the two basic nodes with broadcast inputs: each input gets the sum over the entries it was used for."""

from __future__ import annotations

import numpy as np
import pytest

from nnspec.layers import AddLayer, MulLayer


@pytest.mark.claim("node.add-passes-gradient")
def test_an_input_stretched_along_a_middle_axis_gets_the_sum_along_it():
    """x of shape (2, 1, 1) added to y of shape (2, 3, 1) is used three times along axis 1: its
    gradient is dout summed over that axis, kept as (2, 1, 1); y's is dout itself."""
    x, y = np.zeros((2, 1, 1)), np.zeros((2, 3, 1))
    dout = np.arange(6.0).reshape(2, 3, 1)
    add = AddLayer()
    add.forward(x, y)
    dx, dy = add.backward(dout)
    np.testing.assert_array_equal(dx, [[[3.0]], [[12.0]]])
    np.testing.assert_array_equal(dy, dout)


@pytest.mark.claim("node.mul-swaps-inputs")
def test_a_gradient_that_needs_no_sum_is_a_new_array():
    """Same shapes: dL/dx = dout · y, a new array even when y is all ones (never dout itself)."""
    mul = MulLayer()
    mul.forward(np.full((2, 2), 3.0), np.ones((2, 2)))
    dout = np.array([[1.0, 2.0], [3.0, 4.0]])
    dx, dy = mul.backward(dout)
    np.testing.assert_array_equal(dx, dout)
    np.testing.assert_array_equal(dy, 3 * dout)
    assert not np.shares_memory(dx, dout)
