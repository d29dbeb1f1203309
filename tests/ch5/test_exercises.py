"""Chapter 5 · Try it yourself: the answers on the page, proved."""

from __future__ import annotations

import pytest

from nnspec.gradient import numerical_diff
from nnspec.layers import MulLayer

ROUNDING = 1e-12  # 1.1 has no exact binary form: products of it are off by a few ε


@pytest.mark.claim("exercise.ch5-four-apples")
def test_four_apples(evidence):
    """price = apple · apple_num · tax = 100 · 4 · 1.1 = 440; ∂price/∂apple = apple_num · tax = 4.4,
    ∂price/∂apple_num = apple · tax = 110, ∂price/∂tax = apple · apple_num = 400."""
    mul_apple, mul_tax = MulLayer(), MulLayer()
    price = mul_tax.forward(mul_apple.forward(100.0, 4.0), 1.1)
    dsubtotal, dtax = mul_tax.backward(1.0)
    dapple, dnum = mul_apple.backward(dsubtotal)
    evidence("price", float(price))
    evidence("gradients (apple, apple_num, tax)", [float(dapple), float(dnum), float(dtax)])
    assert float(price) == pytest.approx(440, rel=ROUNDING)
    assert [float(dapple), float(dnum), float(dtax)] == pytest.approx([4.4, 110, 400], rel=ROUNDING)


@pytest.mark.claim("exercise.ch5-square-node")
def test_one_node_fed_the_same_value_twice(evidence):
    """y = x·x with x = 3 in both inputs: backward(1) gives (3, 3), each input the other one; x
    fed both, so dy/dx = 3 + 3 = 6 = 2x, as the numerical derivative of x² says."""
    node = MulLayer()
    node.forward(3.0, 3.0)
    dx1, dx2 = node.backward(1.0)
    numerical = numerical_diff(lambda v: v * v, 3.0)
    evidence("backward(1.0)", [float(dx1), float(dx2)])
    evidence("their sum, and the numerical derivative of x² at 3", [float(dx1 + dx2), numerical])
    assert (float(dx1), float(dx2)) == (3.0, 3.0)
    assert float(dx1 + dx2) == pytest.approx(numerical, rel=1e-9)
