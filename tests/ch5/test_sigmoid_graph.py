"""Chapter 5: the sigmoid's computational graph, node by node (×(−1), exp, +1, 1/u), and composed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec.gradient import numerical_diff
from nnspec.graph import AddConst, Exp, MulConst, Reciprocal, SigmoidGraph
from nnspec.layers import AddLayer, MulLayer, Sigmoid
from tests.strategies import arrays, floats
from tests.tolerances import EPS64, ROUTE_TOL

shapes = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=5)

# Upstream gradients whose products with the nodes' values stay far from the subnormal range
# (below ~1e-308 a product loses relative precision whatever computes it).
grads = st.floats(-10.0, 10.0).filter(lambda v: v == 0 or abs(v) >= 1e-100)


def with_dout(xs):
    """(x, dout) of one shape: a node's input and the gradient arriving at its output."""
    return xs.flatmap(lambda x: st.tuples(st.just(x), hnp.arrays(np.float64, x.shape, elements=grads)))


# Central differences of exp and 1/u on the inputs below: truncation h²/6·|f'''| relative to |f'|
# is at most 1.7e-9 (exp: f'''/f' = 1; 1/u with |u| >= 0.5: 6/u² ≤ 24 gives 6.7e-8), rounding
# eps·|f|/h relative to |f'| is below 1e-11. 1e-6 relative is ten times the worst, while a wrong
# local derivative (a lost sign, e^x replaced by 1, y² by y) is off by O(1).
NODE_DIFF_TOL = 1e-6


def _numerical_slope(f, x: float) -> float:
    return float(numerical_diff(lambda v: float(f(v)), x))


# ----------------------------------------------------------------------------- exp


@pytest.mark.claim("sigmoid-graph.exp-node")
@given(xd=with_dout(arrays(shapes, bound=30.0)))
@example(xd=(np.array(-(1.5**2)), np.array(1.0)))  # the notes' example: input −x², output exp(−x²)
@example(xd=(np.array([0.0, 1.0]), np.array([1.0, 1.0])))
def test_exp_node_multiplies_by_its_output(xd):
    """exp forward: y = eˣ; backward: dL/dx = dL/dy · y, the forward *output* (eˣ is its own derivative)."""
    x, dout = xd
    node = Exp()
    y = node.forward(x)
    np.testing.assert_array_equal(y, np.exp(x))
    dx = node.backward(dout)
    np.testing.assert_array_equal(dx, dout * y)
    assert dx.shape == x.shape


@pytest.mark.claim("sigmoid-graph.exp-node")
@pytest.mark.parametrize("x", [-3.0, -(1.5**2), 0.0, 0.7, 4.0])
def test_exp_node_matches_numerical(x):
    """The exp node's gradient is the slope of eˣ: compare with the central difference."""
    node = Exp()
    node.forward(x)
    slope = _numerical_slope(np.exp, x)
    assert float(node.backward(1.0)) == pytest.approx(slope, rel=NODE_DIFF_TOL)


# ----------------------------------------------------------------------------- 1/u

reciprocal_inputs = arrays(shapes, bound=1e3).filter(lambda u: np.all(np.abs(u) >= 1e-3))


@pytest.mark.claim("sigmoid-graph.reciprocal-node")
@given(ud=with_dout(reciprocal_inputs))
@example(ud=(np.array(2.0), np.array(1.0)))
@example(ud=(np.array([-4.0, 0.5]), np.array([1.0, -3.0])))
def test_reciprocal_node_multiplies_by_minus_y_squared(ud):
    """1/u forward: y = 1/u; backward: dL/du = −dL/dy · y², which is −dL/dy / u², the derivative of 1/u."""
    u, dout = ud
    node = Reciprocal()
    y = node.forward(u)
    np.testing.assert_array_equal(y, 1 / u)
    du = node.backward(dout)
    np.testing.assert_array_equal(du, -dout * y**2)
    np.testing.assert_allclose(du, -dout / u**2, rtol=ROUTE_TOL, atol=0)


@pytest.mark.claim("sigmoid-graph.reciprocal-node")
@pytest.mark.parametrize("u", [-4.0, -0.5, 0.5, 1.0, 2.0, 7.5])
def test_reciprocal_node_matches_numerical(u):
    """The 1/u node's gradient is the slope of 1/u: compare with the central difference."""
    node = Reciprocal()
    node.forward(u)
    slope = _numerical_slope(lambda v: 1 / v, u)
    assert float(node.backward(1.0)) == pytest.approx(slope, rel=NODE_DIFF_TOL)


# ----------------------------------------------------------------------------- +1 and ×(−1)


@pytest.mark.claim("sigmoid-graph.plus-one-passes")
@given(xd=with_dout(arrays(shapes)), c=floats(10.0))
@example(xd=(np.array(np.exp(-1.0)), np.array(-0.19661193324148185)), c=1.0)  # the figure's edge at x = 1
def test_plus_node_passes_the_gradient(xd, c):
    """+c forward: y = x + c; backward: dL/dx = dL/dy, unchanged, exactly as the two-input AddLayer does."""
    x, dout = xd
    node = AddConst(c)
    np.testing.assert_array_equal(node.forward(x), x + c)
    dx = node.backward(dout)
    np.testing.assert_array_equal(dx, dout)
    assert not np.shares_memory(dx, dout)
    add = AddLayer()
    add.forward(x, c)
    np.testing.assert_array_equal(dx, add.backward(dout)[0])


@pytest.mark.claim("sigmoid-graph.times-minus-one-flips")
@given(xd=with_dout(arrays(shapes)))
@example(xd=(np.array(1.0), np.array(-0.19661193324148185)))  # the figure's edge at x = 1
def test_times_minus_one_flips_the_sign(xd):
    """×(−1) forward: y = −x; backward: dL/dx = −dL/dy. It is the multiplication node with the
    constant −1 as its other input, so it sends back the gradient times −1: not the gradient as is."""
    x, dout = xd
    node = MulConst(-1.0)
    np.testing.assert_array_equal(node.forward(x), -x)
    dx = node.backward(dout)
    np.testing.assert_array_equal(dx, -dout)
    mul = MulLayer()
    mul.forward(x, -1.0)
    np.testing.assert_array_equal(dx, mul.backward(dout)[0])


@pytest.mark.claim("sigmoid-graph.times-minus-one-flips")
@given(x=arrays(bound=30.0))
@example(x=np.array([1.0]))
def test_passing_the_gradient_unchanged_gives_the_wrong_sign(x):
    """What reaches the ×(−1) node from exp is −y(1 − y)·dL/dy: without the node's sign flip the
    sigmoid's gradient would come out negated, and the sigmoid is increasing."""
    graph = SigmoidGraph()
    y = graph.forward(x)
    dx = graph.backward(np.ones_like(x))
    arriving = graph.grads[1]  # dL/da, the gradient at the ×(−1) node's output
    layer = Sigmoid()
    layer.forward(x)
    expected = layer.backward(np.ones_like(x))
    np.testing.assert_allclose(dx, expected, rtol=ROUTE_TOL, atol=EPS64)
    np.testing.assert_allclose(arriving, -expected, rtol=ROUTE_TOL, atol=EPS64)
    assert np.all(dx >= 0) and np.all(arriving <= 0)
    assert np.all(y > 0)


# ----------------------------------------------------------------------------- composed

xs_graph = arrays(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6), bound=30.0)


@pytest.mark.claim("sigmoid-graph.equals-sigmoid-layer")
@given(xd=with_dout(xs_graph))
@example(xd=(np.array([1.0]), np.array([1.0])))
@example(xd=(np.array([0.0, -30.0, 30.0]), np.array([1.0, -2.0, 3.0])))
def test_graph_equals_sigmoid_layer(xd):
    """Chained as ×(−1) → exp → +1 → 1/u, the nodes compute Sigmoid.forward and Sigmoid.backward.

    Forward by two routes agrees to a few ulps. Backward: the graph computes dout·y²·e^{−x}, the
    layer dout·y(1 − y); for y near 1, 1 − y cancels and the layer is exact only to eps·|dout|
    in absolute terms (a relative 1e-3 at x = 30), so that is the allowance there.
    """
    x, dout = xd
    graph, layer = SigmoidGraph(), Sigmoid()
    y = graph.forward(x)
    np.testing.assert_allclose(y, layer.forward(x), rtol=ROUTE_TOL, atol=0)
    dx_graph, dx_layer = graph.backward(dout), layer.backward(dout)
    assert np.all(np.abs(dx_graph - dx_layer) <= ROUTE_TOL * np.abs(dx_graph) + EPS64 * np.abs(dout))


@pytest.mark.claim("sigmoid-graph.equals-sigmoid-layer")
def test_every_edge_carries_the_book_values(evidence):
    """At x = 1 the edges carry x, −x, e^{−x}, 1 + e^{−x}, y forward and, backward, the products
    of the local derivatives: −y², the same, −y²·e^{−x}, y²·e^{−x} (the figure's numbers)."""
    graph = SigmoidGraph()
    y = float(graph.forward(1.0))
    graph.backward(1.0)
    values = [float(v) for v in graph.values]
    gradients = [float(g) for g in graph.grads]
    evidence("forward values x, a, b, c, y", values)
    evidence("gradients dx, da, db, dc, dy", gradients)
    e = np.exp(-1.0)
    assert values == pytest.approx([1.0, -1.0, e, 1 + e, 1 / (1 + e)], rel=ROUTE_TOL)
    assert gradients == pytest.approx([y**2 * e, -(y**2) * e, -(y**2), -(y**2), 1.0], rel=ROUTE_TOL)
    assert gradients[0] == pytest.approx(y * (1 - y), rel=ROUTE_TOL)


@pytest.mark.claim("sigmoid-graph.equals-sigmoid-layer")
def test_graph_stops_where_exp_overflows():
    """The graph is the explanation, the layer is the tool: below x ≈ −709.78, e^{−x} does not fit
    a float64 and the exp node refuses, naming x; Sigmoid works for every finite input."""
    with pytest.raises(ValueError, match=r"Exp\.forward: x is out of range"):
        SigmoidGraph().forward(np.array([0.0, -800.0]))
    layer = Sigmoid()
    assert list(layer.forward(np.array([0.0, -800.0]))) == [0.5, 0.0]
    assert list(layer.backward(np.array([1.0, 1.0]))) == [0.25, 0.0]


# ----------------------------------------------------------------------------- the nodes' input checks


@pytest.mark.claim("sigmoid-graph.equals-sigmoid-layer")
def test_nodes_check_their_input():
    """Bad input gets an error naming the argument, not a NaN or a warning."""
    with pytest.raises(ValueError, match="Reciprocal.forward: x is out of range"):
        Reciprocal().forward([1.0, 0.0])
    with pytest.raises(ValueError, match="x must be finite"):
        Exp().forward([np.nan])
    with pytest.raises(TypeError, match="c must be a real number"):
        MulConst("2")
    with pytest.raises(TypeError, match="c must be a real number"):
        AddConst(True)
    with pytest.raises(ValueError, match="c must be finite"):
        AddConst(float("inf"))
    with pytest.raises(ValueError, match="MulConst.forward: x is out of range"):
        MulConst(10.0).forward([1e308])
    with pytest.raises(ValueError, match="MulConst.backward: dout is out of range"):
        m = MulConst(10.0)
        m.forward([1.0])
        m.backward([1e308])
    with pytest.raises(ValueError, match="Exp.backward: dout is out of range"):
        e = Exp()
        e.forward([700.0])
        e.backward([1e10])
    with pytest.raises(ValueError, match="Reciprocal.backward: dout is out of range"):
        r = Reciprocal()
        r.forward([1e-200])
        r.backward([1.0])
    for node in (MulConst(2.0), AddConst(1.0), Exp(), Reciprocal()):
        with pytest.raises(RuntimeError, match="backward called before forward"):
            node.backward([1.0])
        node.forward([1.0, 2.0])
        with pytest.raises(ValueError, match=r"dout must have the forward output's shape \(2,\), got \(3,\)"):
            node.backward([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="SigmoidGraph.backward called before forward"):
        SigmoidGraph().backward([1.0])
    f32 = SigmoidGraph()
    assert f32.forward(np.array([0.5], dtype=np.float32)).dtype == np.float32
    assert f32.backward(np.array([1.0])).dtype == np.float32


# ----------------------------------------------------------------------------- the nodes' contract

NODES = [lambda: MulConst(-1.0), lambda: AddConst(1.0), Exp, Reciprocal]


@pytest.mark.claim("graph.nodes-contract")
@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: MulConst("2"), r"^c must be a real number, got str '2'$"),
        (lambda: AddConst(True), r"^c must be a real number, got bool True$"),
        (lambda: AddConst(float("inf")), r"^c must be finite, got inf$"),
        (lambda: Exp().forward([np.nan]), r"^x must be finite, got nan at index \(0,\)$"),
        (lambda: SigmoidGraph().forward([1.0, np.inf]), r"^x must be finite, got inf at index \(1,\)$"),
        (lambda: Exp().forward("a"), r"^x must be a real numeric array"),
        (lambda: AddConst(1e308).forward([1e308]), r"^AddConst\.forward: x is out of range \(overflow"),
        (lambda: MulConst(10.0).forward([1e308]), r"^MulConst\.forward: x is out of range \(overflow"),
        (lambda: Reciprocal().forward([0.0]), r"^Reciprocal\.forward: x is out of range \(divide by zero"),
        (lambda: SigmoidGraph().backward([1.0]), r"^SigmoidGraph\.backward called before forward$"),
    ],
)
def test_node_errors_in_full(make, message):
    """Each error starts with what it names: the argument, or the node's method and argument."""
    with pytest.raises((TypeError, ValueError, RuntimeError), match=message):
        make()


@pytest.mark.claim("graph.nodes-contract")
@pytest.mark.parametrize(
    "make", NODES + [SigmoidGraph], ids=["MulConst", "AddConst", "Exp", "Reciprocal", "SigmoidGraph"]
)
def test_dout_errors_name_dout(make):
    """A non-finite or non-numeric dout is refused naming dout; a node's backward before its
    forward names the node's class."""
    node = make()
    if not isinstance(node, SigmoidGraph):
        with pytest.raises(RuntimeError, match=rf"^{type(node).__name__}\.backward called before forward$"):
            node.backward([1.0])
    node.forward([1.0, 2.0])
    with pytest.raises(ValueError, match=r"^dout must be finite, got nan at index \(1,\)$"):
        node.backward([1.0, np.nan])
    with pytest.raises(TypeError, match=r"^dout must be a real numeric array"):
        node.backward(["a", "b"])


@pytest.mark.claim("graph.nodes-contract")
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize(
    "make", NODES + [SigmoidGraph], ids=["MulConst", "AddConst", "Exp", "Reciprocal", "SigmoidGraph"]
)
def test_nodes_keep_the_dtype(make, dtype):
    """Fed x of a float dtype, a node returns that dtype forward and backward, even for a float64
    dout; the sigmoid graph keeps it on every edge, gradients included."""
    node = make()
    x = np.array([0.5, 1.5], dtype=dtype)
    assert node.forward(x).dtype == dtype
    dx = node.backward(np.array([1.0, -2.0]))
    assert dx.dtype == dtype
    if isinstance(node, SigmoidGraph):
        assert [v.dtype for v in node.values] == [dtype] * 5
        assert [g.dtype for g in node.grads] == [dtype] * 5


@pytest.mark.claim("graph.nodes-contract")
def test_nodes_hold_nothing_before_forward():
    """Before the first forward a node keeps nothing (None), after it the input (×c, +c) or the
    output (exp, 1/u) its backward needs; the graph's values and grads start empty, and a new
    forward clears the gradients of the previous backward."""
    for node, kept in [(MulConst(2.0), "x"), (AddConst(1.0), "x"), (Exp(), "out"), (Reciprocal(), "out")]:
        assert getattr(node, kept) is None
        y = node.forward([1.0, 2.0])
        np.testing.assert_array_equal(getattr(node, kept), [1.0, 2.0] if kept == "x" else y)
    graph = SigmoidGraph()
    assert graph.values == [] and graph.grads == []
    graph.forward([0.0])
    graph.backward([1.0])
    assert len(graph.grads) == 5
    graph.forward([1.0])
    assert graph.grads == [] and len(graph.values) == 5
