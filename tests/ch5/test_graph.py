"""Chapter 5: computational graphs, the add and multiply nodes, and the chain rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec.functions import sigmoid
from nnspec.gradient import numerical_diff
from nnspec.layers import AddLayer, MulLayer, Sigmoid
from tests.strategies import arrays, floats
from tests.tolerances import ROUTE_TOL

# The book's prices are decimal numbers (1.1) that float64 cannot hold exactly, so 100·2·1.1 is
# 220.00000000000003; a relative 1e-12 accepts that rounding and nothing else.
PRICE_TOL = 1e-12

# Central differences of these graphs (polynomials of degree <= 2 in each input) are exact up to
# rounding: about eps·|price|/h = 2.2e-16 · 715 / 1e-4 ≈ 1.6e-9.
PRICE_DIFF_TOL = 1e-8


def apple_graph(apple=100.0, apple_num=2.0, tax=1.1):
    """The book's first graph: price = apple · apple_num · tax. Returns (price, layers)."""
    mul_apple, mul_tax = MulLayer(), MulLayer()
    apple_price = mul_apple.forward(apple, apple_num)
    price = mul_tax.forward(apple_price, tax)
    return price, (mul_apple, mul_tax)


def apple_backward(layers, dprice=1.0):
    mul_apple, mul_tax = layers
    dapple_price, dtax = mul_tax.backward(dprice)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    return {"apple": dapple, "apple_num": dapple_num, "tax": dtax}


def apple_orange_graph(apple=100.0, apple_num=2.0, orange=150.0, orange_num=3.0, tax=1.1):
    """price = (apple · apple_num + orange · orange_num) · tax. Returns (price, layers)."""
    mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    total = add.forward(mul_apple.forward(apple, apple_num), mul_orange.forward(orange, orange_num))
    price = mul_tax.forward(total, tax)
    return price, (mul_apple, mul_orange, add, mul_tax)


def apple_orange_backward(layers, dprice=1.0):
    mul_apple, mul_orange, add, mul_tax = layers
    dtotal, dtax = mul_tax.backward(dprice)
    dapple_price, dorange_price = add.backward(dtotal)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    return {"apple": dapple, "apple_num": dapple_num, "orange": dorange, "orange_num": dorange_num, "tax": dtax}


def _check_against_numerical(graph, grads, inputs):
    """Each gradient is the price's sensitivity to that input: nudge the input, watch the price."""
    for name, value in inputs.items():
        slope = numerical_diff(lambda v, name=name: float(graph(**{**inputs, name: v})[0]), value)
        assert abs(slope - float(grads[name])) <= PRICE_DIFF_TOL * max(1.0, abs(slope)), name


@pytest.mark.claim("graph.apple")
def test_apple(evidence):
    """2 apples at 100 with 10 % tax: price 220; d price / d(apple, apple_num, tax) = 2.2, 110, 200."""
    price, layers = apple_graph()
    grads = apple_backward(layers)
    evidence("price", float(price))
    evidence("gradients (apple, apple_num, tax)", [float(grads[k]) for k in ("apple", "apple_num", "tax")])
    assert float(price) == pytest.approx(220, rel=PRICE_TOL)
    assert float(grads["apple"]) == pytest.approx(2.2, rel=PRICE_TOL)
    assert float(grads["apple_num"]) == pytest.approx(110, rel=PRICE_TOL)
    assert float(grads["tax"]) == pytest.approx(200, rel=PRICE_TOL)
    _check_against_numerical(apple_graph, grads, {"apple": 100.0, "apple_num": 2.0, "tax": 1.1})


@pytest.mark.claim("graph.apple-orange")
def test_apple_orange(evidence):
    """Add 3 oranges at 150: price 715; gradients 2.2, 110, 3.3, 165 and 650 (for the tax)."""
    price, layers = apple_orange_graph()
    grads = apple_orange_backward(layers)
    order = ("apple", "apple_num", "orange", "orange_num", "tax")
    evidence("price", float(price))
    evidence("gradients (apple, apple_num, orange, orange_num, tax)", [float(grads[k]) for k in order])
    assert float(price) == pytest.approx(715, rel=PRICE_TOL)
    for name, book in zip(order, (2.2, 110, 3.3, 165, 650)):
        assert float(grads[name]) == pytest.approx(book, rel=PRICE_TOL), name
    inputs = {"apple": 100.0, "apple_num": 2.0, "orange": 150.0, "orange_num": 3.0, "tax": 1.1}
    _check_against_numerical(apple_orange_graph, grads, inputs)


# ----------------------------------------------------------------------------- single nodes

same_shape_pairs = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=5).flatmap(
    lambda s: st.tuples(arrays(st.just(s)), arrays(st.just(s)), arrays(st.just(s)))
)


@pytest.mark.claim("node.add-passes-gradient")
@given(xyd=same_shape_pairs)
@example(xyd=(np.array(1.0), np.array(2.0), np.array(3.0)))  # the notes' "전값이 3이면"
def test_add_passes_gradient(xyd):
    """z = x + y: both inputs receive dL/dz itself, as two separate arrays; dout is untouched."""
    x, y, dout = xyd
    keep = dout.copy()
    add = AddLayer()
    np.testing.assert_array_equal(add.forward(x, y), x + y)
    dx, dy = add.backward(dout)
    np.testing.assert_array_equal(dx, dout)
    np.testing.assert_array_equal(dy, dout)
    np.testing.assert_array_equal(dout, keep)
    assert not np.shares_memory(dx, dy) and not np.shares_memory(dx, dout)


@pytest.mark.claim("node.add-passes-gradient", "node.mul-swaps-inputs")
def test_broadcast_input_gets_the_sum():
    """An input used by every entry (a scalar broadcast over a vector) collects the sum of their gradients."""
    x, y, dout = np.array([1.0, 2.0, 3.0]), np.array(10.0), np.array([1.0, 1.0, 2.0])
    add = AddLayer()
    add.forward(x, y)
    dx, dy = add.backward(dout)
    np.testing.assert_array_equal(dx, dout)
    assert dy.shape == () and float(dy) == 4.0
    mul = MulLayer()
    mul.forward(x, y)
    dx, dy = mul.backward(dout)
    np.testing.assert_array_equal(dx, dout * 10.0)
    assert dy.shape == () and float(dy) == 1.0 + 2.0 + 6.0


@pytest.mark.claim("node.mul-swaps-inputs")
@given(xyd=same_shape_pairs)
@example(xyd=(np.array(100.0), np.array(2.0), np.array(1.1)))
def test_mul_swaps_inputs(xyd):
    """z = x·y: dL/dx = dL/dz · y and dL/dy = dL/dz · x (each input gets the other one)."""
    x, y, dout = xyd
    keep = dout.copy()
    mul = MulLayer()
    np.testing.assert_array_equal(mul.forward(x, y), x * y)
    dx, dy = mul.backward(dout)
    np.testing.assert_array_equal(dx, dout * y)
    np.testing.assert_array_equal(dy, dout * x)
    np.testing.assert_array_equal(dout, keep)


# ----------------------------------------------------------------------------- the chain rule

# A chain of single-input nodes, each a MulLayer or AddLayer with a constant, a Sigmoid, or a
# square (a MulLayer fed the same value twice: the value fans out to two paths).
ops = st.one_of(
    st.tuples(st.just("mul"), floats(1.5)),
    st.tuples(st.just("add"), floats(1.5)),
    st.tuples(st.just("sigmoid"), st.just(0.0)),
    st.tuples(st.just("square"), st.just(0.0)),
)
chains = st.lists(ops, min_size=1, max_size=4)

# Central differences err by about h²/6·|f'''|. Over these chains (x in [-1, 1], constants in
# [-1.5, 1.5], at most four nodes) the worst is four squares, f = x¹⁶ at |x| = 1:
# h²/6·|f'''|/|f'| = 1.7e-9 · 210 ≈ 3.5e-7 (the largest seen over 20,000 random chains was 4.7e-7).
# 1e-5 (absolute, or relative to a derivative above 1) is 20× that, while one wrong local
# derivative (a dropped factor, a lost path) is off by O(1).
CHAIN_DIFF_TOL = 1e-5


def run_chain(chain, x):
    """Forward through fresh layers; returns (output, layers, local derivatives in forward order)."""
    layers, local = [], []
    z = np.float64(x)
    for kind, c in chain:
        if kind == "mul":
            layer = MulLayer()
            out, d = layer.forward(z, c), c
        elif kind == "add":
            layer = AddLayer()
            out, d = layer.forward(z, c), 1.0
        elif kind == "sigmoid":
            layer = Sigmoid()
            out = layer.forward(z)
            d = float(out * (1 - out))
        else:
            layer = MulLayer()
            out, d = layer.forward(z, z), 2 * float(z)
        layers.append((kind, layer))
        local.append(d)
        z = out
    return float(z), layers, local


def backward_chain(layers, dout=1.0):
    for kind, layer in reversed(layers):
        if kind in ("mul", "add"):
            dout, _ = layer.backward(dout)
        elif kind == "sigmoid":
            dout = layer.backward(dout)
        else:
            d1, d2 = layer.backward(dout)
            dout = d1 + d2  # two paths from the same value: their gradients add
    return float(dout)


@pytest.mark.claim("graph.chain-rule")
@given(chain=chains, x=floats(1.0))
@example(chain=[("square", 0.0)], x=0.75)
@example(chain=[("mul", -1.0), ("sigmoid", 0.0), ("square", 0.0), ("add", 1.0)], x=-0.5)
def test_chain_rule(chain, x):
    """Backward through a chain = product of the local derivatives = the numerical derivative."""
    _, layers, local = run_chain(chain, x)
    backprop = backward_chain(layers)
    product = float(np.prod(local))
    assert backprop == pytest.approx(product, rel=ROUTE_TOL, abs=1e-300)
    numeric = numerical_diff(lambda v: run_chain(chain, v)[0], x)
    assert abs(numeric - backprop) <= CHAIN_DIFF_TOL * max(1.0, abs(backprop))


@pytest.mark.claim("graph.chain-rule")
def test_fan_out_paths_add(evidence):
    """z = u·u with u = 3x: the square node's local derivative for each of its two inputs is the
    other input, u, so each path contributes u·3 = 9x and the two add up to 18x = d(9x²)/dx.
    Cancelling ∂u along one edge counts one path (9x); cancelling with the total derivative
    dz/du = 2u, which already sums both paths, gives 18x."""
    x = 2.0
    scale, square = MulLayer(), MulLayer()
    u = float(scale.forward(x, 3.0))
    square.forward(u, u)
    du1, du2 = square.backward(1.0)  # one gradient per input of the node: u and u
    assert float(du1) == float(du2) == u
    per_path = [float(scale.backward(du)[0]) for du in (du1, du2)]
    dx, _ = scale.backward(du1 + du2)
    evidence("dz/dx along each of the two paths, x = 2", per_path)
    evidence("dz/dx from the backward pass, x = 2", float(dx))
    assert per_path == [9 * x, 9 * x]
    assert float(dx) == sum(per_path) == 18 * x
    total_dz_du = numerical_diff(lambda v: v * v, u)  # 2u: the derivative of the whole node
    assert total_dz_du * 3.0 == pytest.approx(18 * x, rel=1e-9)
    assert numerical_diff(lambda v: (3 * v) ** 2, x) == pytest.approx(18 * x, rel=1e-9)


def test_sigmoid_layer_agrees_with_function():
    """(Helper check) the Sigmoid layer's forward is nnspec.functions.sigmoid."""
    x = np.linspace(-5, 5, 11)
    np.testing.assert_array_equal(Sigmoid().forward(x), sigmoid(x))
