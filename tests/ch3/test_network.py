"""Chapter 3 · the three-layer network: bias as an input, the book's forward pass, batches."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnspec.functions import sigmoid
from nnspec.networks import forward, init_network, load_weights, predict
from tests.ch3.strategies import networks
from tests.strategies import arrays
from tests.tolerances import BOOK_TOL, EPS64, ROUTE_TOL

BOOK_OUTPUT = np.array([0.31682708, 0.69627909])


# --------------------------------------------------------------------------- bias


@st.composite
def affine_problems(draw):
    """(x, W, b): a batch (N, n), weights (n, m), a bias (m,)."""
    n, m, rows = draw(st.integers(1, 8)), draw(st.integers(1, 8)), draw(st.integers(1, 8))
    x = draw(arrays(shape=(rows, n)))
    w = draw(arrays(shape=(n, m)))
    b = draw(arrays(shape=(m,)))
    return x, w, b


# Both routes sum the same n + 1 products in possibly different orders: they differ by at most
# about (n + 1)·eps times the sum of the products' sizes; n <= 8 here, so 16 eps bounds it.
SUM_ORDER = 16 * EPS64


@pytest.mark.claim("network.bias-is-constant-input")
@given(problem=affine_problems())
@example(problem=(np.array([[1.0, 0.5]]), init_network()["W1"], init_network()["b1"]))
def test_bias_is_the_weight_of_a_constant_one_input(problem):
    """x·W + b = [x, 1]·[[W], [b]]: the bias is one more input, always 1, with weight b."""
    x, w, b = problem
    with_bias = x @ w + b
    x1 = np.hstack([x, np.ones((x.shape[0], 1))])
    wb = np.vstack([w, b])
    folded = x1 @ wb
    scale = np.abs(x) @ np.abs(w) + np.abs(b)
    assert np.all(np.abs(with_bias - folded) <= SUM_ORDER * scale)


@pytest.mark.claim("network.bias-is-constant-input")
@given(net=networks(), data=st.data())
def test_network_with_first_bias_folded_into_weights(net, data):
    """nnspec's forward pass gives the same scores when layer 1's bias becomes a row of W1 and
    every input gets an extra 1."""
    d = net["W1"].shape[0]
    x = data.draw(arrays(shape=st.tuples(st.integers(1, 8), st.just(d)), bound=10.0))
    folded = dict(net, W1=np.vstack([net["W1"], net["b1"]]), b1=np.zeros_like(net["b1"]))
    x1 = np.hstack([x, np.ones((x.shape[0], 1))])
    np.testing.assert_allclose(forward(folded, x1), forward(net, x), rtol=ROUTE_TOL, atol=ROUTE_TOL)


# --------------------------------------------------------------------------- the book's example


@pytest.mark.claim("network.three-layer-forward")
def test_book_three_layer_example(evidence):
    """The book's hand-set 2-3-2-2 network maps x = [1.0, 0.5] to [0.31682708, 0.69627909]."""
    y = forward(init_network(), np.array([1.0, 0.5]))
    evidence("forward(init_network(), [1.0, 0.5])", y)
    evidence("max |y − book|", float(np.abs(y - BOOK_OUTPUT).max()))
    assert y.shape == (2,)
    np.testing.assert_allclose(y, BOOK_OUTPUT, rtol=0, atol=BOOK_TOL)


@pytest.mark.claim("network.three-layer-forward")
def test_forward_is_the_layer_formula():
    """forward = identity(σ(σ(x W1 + b1) W2 + b2) W3 + b3), each layer a product plus a bias."""
    net, x = init_network(), np.array([1.0, 0.5])
    a1 = x @ net["W1"] + net["b1"]
    np.testing.assert_allclose(a1, [0.3, 0.7, 1.1], rtol=ROUTE_TOL)
    z2 = sigmoid(sigmoid(a1) @ net["W2"] + net["b2"])
    np.testing.assert_array_equal(forward(net, x), z2 @ net["W3"] + net["b3"])


# --------------------------------------------------------------------------- batches


@pytest.mark.claim("network.batch-equals-loop")
@given(net=networks(), data=st.data())
@example(net=init_network(), data=None)
def test_batch_forward_equals_a_loop_over_samples(net, data):
    """Row i of forward(network, X) is forward(network, X[i]); the same for predict."""
    d = net["W1"].shape[0]
    if data is None:
        x = np.array([[1.0, 0.5], [0.0, 0.0], [-3.0, 2.0]])
    else:
        x = data.draw(arrays(shape=st.tuples(st.integers(1, 8), st.just(d)), bound=10.0))
    batch, probs = forward(net, x), predict(net, x)
    assert batch.shape == probs.shape == (x.shape[0], net["W3"].shape[1])
    for i, row in enumerate(x):
        np.testing.assert_allclose(batch[i], forward(net, row), rtol=ROUTE_TOL, atol=ROUTE_TOL)
        np.testing.assert_allclose(probs[i], predict(net, row), rtol=ROUTE_TOL, atol=ROUTE_TOL)


@pytest.mark.claim("network.batch-equals-loop")
def test_batch_equals_loop_measured(evidence):
    rng = np.random.default_rng(11)
    net = {k: rng.normal(size=v.shape) for k, v in init_network().items()}
    x = rng.normal(size=(500, 2))
    batch = forward(net, x)
    loop = np.stack([forward(net, row) for row in x])
    err = float(np.abs(batch - loop).max())
    evidence("max |batch − loop| over 500 samples", err)
    assert err <= ROUTE_TOL


# --------------------------------------------------------------------------- bad input


def _net(**changes):
    net = init_network()
    net.update(changes)
    return {k: v for k, v in net.items() if v is not None}


BAD_NETWORKS = [
    ([("W1", 1)], TypeError, r"^network must be a dict of arrays keyed .*got list"),
    (_net(b3=None), ValueError, r"^network is missing \['b3'\]"),
    (
        _net(W2=np.zeros((4, 2))),
        ValueError,
        r"^network\['W2'\] must have 3 rows \(the width of layer 1\), got shape \(4, 2\)",
    ),
    (_net(b1=np.zeros(2)), ValueError, r"^network\['b1'\] must have shape \(3,\) to match W1, got shape \(2,\)"),
    (_net(W3=np.zeros(2)), ValueError, r"^network\['W3'\] must be 2-D, got shape \(2,\)"),
    (_net(W1=[["a", "b", "c"], ["d", "e", "f"]]), TypeError, r"^network\['W1'\] must be a real numeric array.*<U1"),
    (_net(b2=np.array([0.1, np.nan])), ValueError, r"^network\['b2'\] must be finite, got nan at index \(1,\)"),
]


@pytest.mark.claim("network.rejects-bad-input")
@pytest.mark.parametrize("net, error, message", BAD_NETWORKS, ids=lambda v: None)
def test_bad_network_is_refused(net, error, message):
    for f in (forward, predict):
        with pytest.raises(error, match=message):
            f(net, [1.0, 0.5])


@pytest.mark.claim("network.rejects-bad-input")
@pytest.mark.parametrize(
    "x, error, message",
    [
        ([1.0, 0.5, 0.2], ValueError, r"^x must have last dimension 2, got shape \(3,\)"),
        (np.zeros((4, 3)), ValueError, r"^x must have last dimension 2, got shape \(4, 3\)"),
        (np.zeros((2, 2, 2)), ValueError, r"^x must be 1-D or 2-D, got shape \(2, 2, 2\)"),
        (1.0, ValueError, r"^x must be 1-D or 2-D, got shape \(\)"),
        (["1.0", "0.5"], TypeError, r"^x must be a real numeric array.*<U3"),
        ([1.0, np.inf], ValueError, r"^x must be finite, got inf at index \(1,\)"),
    ],
)
def test_bad_input_is_refused(x, error, message):
    with pytest.raises(error, match=message):
        forward(init_network(), x)


def _npz(**arrays) -> io.BytesIO:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    buf.seek(0)
    return buf


@pytest.mark.claim("network.rejects-bad-input")
def test_load_weights_checks_the_file_and_never_unpickles():
    full = init_network()
    net = load_weights(_npz(**full, extra=np.zeros(3)))
    assert sorted(net) == sorted(full) and all(np.array_equal(net[k], full[k]) for k in full)
    with pytest.raises(ValueError, match=r"^weights file .* is missing \['W3', 'b3'\]"):
        load_weights(_npz(**{k: v for k, v in full.items() if k not in ("W3", "b3")}))
    with pytest.raises(ValueError, match=r"array 'W1' is stored as Python objects.*never unpickles"):
        load_weights(_npz(**dict(full, W1=np.array([{"evil": 1}], dtype=object))))


@pytest.mark.claim("network.rejects-bad-input")
def test_an_object_array_in_a_weights_file_is_refused_in_full():
    """The message names the file, the array, why it cannot be read, and what to save instead."""
    buf = _npz(**dict(init_network(), W1=np.array([{"evil": 1}], dtype=object)))
    with pytest.raises(ValueError) as info:
        load_weights(buf)
    assert str(info.value) == (
        f"weights file {buf}: array 'W1' is stored as Python objects, which only "
        "unpickling could restore; nnspec never unpickles (save plain numeric arrays)"
    )
