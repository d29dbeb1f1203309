"""Chapter 4 · the gradient of a network's loss with respect to its weights (the book's simpleNet)."""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnspec.activations import softmax
from nnspec.gradient import numerical_gradient
from nnspec.networks.simple import SimpleNet
from tests.ch4.strategies import fewer_examples, one_hot
from tests.strategies import seeds

BOOK_W = np.array([[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]])
BOOK_X = np.array([0.6, 0.9])
BOOK_T = np.array([0.0, 0.0, 1.0])
BOOK_LOSS = 0.92806853663411326
BOOK_DW = np.array([[0.21924763, 0.14356247, -0.36281009], [0.32887144, 0.2153437, -0.54421514]])

# The book prints W rounded to 8 decimals (error ≤ 5e-9 per entry); |∂L/∂w| ≤ 0.55 and |x| ≤ 0.9,
# so the printed W moves L by at most 6·0.55·5e-9 ≈ 1.7e-8.
BOOK_LOSS_TOL = 2e-8
# dW is printed to 8 decimals and computed by the book with δ = 1e-7 inside its log, which scales
# the gradient by y/(y + δ): a relative change of δ/y ≈ 2.5e-7 on entries ≤ 0.55.
BOOK_DW_TOL = 5e-7
# Central difference on the softmax cross-entropy of a linear map: truncation h²/6·|∂³L| with
# |∂³L/∂w³| ≤ |x|³/4 ≤ 27/4 for |x| ≤ 3 gives ≤ 1.2e-8; rounding eps·L/h ≈ 1e-11.
NUMGRAD_TOL = 1e-7


@pytest.mark.claim("network.weight-gradient")
def test_book_simplenet(evidence):
    """With the book's W, x and t: L = 0.92806853… and ∂L/∂W ≈ [[0.219, 0.144, −0.363], [0.329, 0.215, −0.544]]."""
    net = SimpleNet(W=BOOK_W)
    loss = net.loss(BOOK_X, BOOK_T)
    dW = net.numerical_gradient(BOOK_X, BOOK_T)
    evidence("loss at the book's W, x = (0.6, 0.9), t = class 2", loss)
    evidence("dW, row by row", dW.ravel())
    evidence("max |dW − book|", np.abs(dW - BOOK_DW).max())
    assert abs(loss - BOOK_LOSS) < BOOK_LOSS_TOL
    assert dW.shape == net.W.shape == (2, 3)
    np.testing.assert_allclose(dW, BOOK_DW, rtol=0, atol=BOOK_DW_TOL)
    np.testing.assert_array_equal(dW.round(3), [[0.219, 0.144, -0.363], [0.329, 0.215, -0.544]])
    assert np.array_equal(net.W, BOOK_W)  # W restored after the 12 moves


@st.composite
def problems(draw):
    """A random SimpleNet of shape (d, k), a batch x of N samples and their labels, all from one seed."""
    rng = np.random.default_rng(draw(seeds))
    d, k, n = draw(st.integers(1, 4)), draw(st.integers(2, 5)), draw(st.integers(1, 6))
    W = rng.uniform(-3, 3, size=(d, k))
    x = rng.uniform(-3, 3, size=(n, d))
    return W, x, rng.integers(0, k, size=n)


@pytest.mark.claim("network.weight-gradient")
@given(problem=problems())
@fewer_examples
def test_weight_gradient_is_a_matrix_of_partials(problem):
    """∂L/∂W has W's shape and entry (i, j) is ∂L/∂w_ij: here equal to the closed form xᵀ(softmax(xW) − t)/N."""
    W, x, labels = problem
    net = SimpleNet(W=W)
    dW = net.numerical_gradient(x, labels)
    assert dW.shape == W.shape
    closed_form = x.T @ (softmax(x @ W) - one_hot(labels, W.shape[1])) / len(x)
    np.testing.assert_allclose(dW, closed_form, rtol=0, atol=NUMGRAD_TOL)
    # labels or one-hot, one sample as (d,) or as a batch of one: the same gradient
    assert np.array_equal(dW, net.numerical_gradient(x, one_hot(labels, W.shape[1])))
    assert np.array_equal(net.numerical_gradient(x[0], labels[0]), net.numerical_gradient(x[:1], labels[:1]))


LR = 0.1  # small against the curvature: the loss's Hessian in W has norm ≤ max|x|²/2 ≤ 4.5 here


@pytest.mark.claim("network.step-lowers-loss")
@given(problem=problems())
@fewer_examples
def test_small_step_lowers_loss(problem):
    """Moving every w a little against its partial derivative, W ← W − η·∂L/∂W, lowers the loss."""
    W, x, labels = problem
    net = SimpleNet(W=W)
    before = net.loss(x, labels)
    dW = net.numerical_gradient(x, labels)
    if np.abs(dW).max() < 1e-6:  # already at a flat point: nothing to lower
        return
    net.W -= LR * dW
    assert net.loss(x, labels) < before


def _data(seed: int, n: int = 40):
    rng = np.random.default_rng(seed)
    return SimpleNet(rng=rng), rng.standard_normal((n, 2)), rng.integers(0, 3, size=n)


@pytest.mark.claim("loss.accuracy-has-no-gradient")
def test_accuracy_has_no_gradient(evidence):
    """On 100 random nets and data sets, accuracy's numerical gradient is 0 in every entry; the loss's in none."""
    acc_grads, loss_grads = [], []
    for seed in range(100):
        net, x, t = _data(seed)
        acc_grads.append(numerical_gradient(lambda _: net.accuracy(x, t), net.W))  # noqa: B023 - called at once
        loss_grads.append(net.numerical_gradient(x, t))
    acc, loss = np.array(acc_grads), np.array(loss_grads)
    acc_zero, loss_zero = np.mean(acc == 0), np.mean(loss == 0)
    evidence("share of zero entries, ∂accuracy/∂W (600 entries)", acc_zero)
    evidence("share of zero entries, ∂loss/∂W (600 entries)", loss_zero)
    evidence("median |∂loss/∂w|", np.median(np.abs(loss)))
    # "almost everywhere": a nonzero entry needs a sample within h of a class boundary (see the next spec)
    assert acc_zero >= 0.98 and loss_zero == 0.0


@pytest.mark.claim("loss.accuracy-has-no-gradient")
def test_accuracy_gradient_at_a_jump_is_a_spike(evidence):
    """Within 1e-9 of a point where one sample changes class, ∂accuracy/∂w is a spike 1/(2hN), not a slope."""
    net, x, t = _data(0)
    W0, direction = net.W.copy(), np.random.default_rng(1).standard_normal((2, 3))

    def acc_at(s):
        net.W[...] = W0 + s * direction
        return net.accuracy(x, t)

    lo, hi = 0.0, 0.5  # accuracy differs at the two ends (see the figure)
    assert acc_at(lo) != acc_at(hi)
    while hi - lo > 1e-9:  # bisect to the jump
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if acc_at(mid) == acc_at(lo) else (lo, mid)
    acc_at(lo)
    grad = numerical_gradient(lambda _: net.accuracy(x, t), net.W)
    spikes = np.abs(grad[grad != 0])
    evidence("∂accuracy/∂W at the jump, row by row", grad.ravel())
    evidence("1/(2hN) for h = 1e-4, N = 40", 1 / (2e-4 * 40))
    assert spikes.size > 0
    np.testing.assert_allclose(spikes, 1 / (2e-4 * 40), rtol=1e-9)


@pytest.mark.claim("loss.accuracy-has-no-gradient")
def test_accuracy_is_piecewise_constant(evidence):
    """Along a line through weight space accuracy takes a few values k/N, the loss a different value at every point."""
    net, x, t = _data(0)
    W0, direction = net.W.copy(), np.random.default_rng(1).standard_normal((2, 3))
    accs, losses = [], []
    for s in np.linspace(-1, 1, 201):
        net.W[...] = W0 + s * direction
        accs.append(net.accuracy(x, t))
        losses.append(net.loss(x, t))
    evidence("distinct accuracy values on 201 points", len(set(accs)))
    evidence("distinct loss values on 201 points", len(set(losses)))
    assert len(set(losses)) == 201
    assert len(set(accs)) < 20 and all(round(a * 40) == a * 40 for a in accs)


@pytest.mark.claim("network.weight-gradient")
def test_simplenet_construction_and_checks():
    """W defaults to rng.standard_normal((2, 3)); a given W is copied; bad shapes are refused."""
    assert np.array_equal(SimpleNet(rng=3).W, np.random.default_rng(3).standard_normal((2, 3)))
    W = BOOK_W.copy()
    net = SimpleNet(W=W)
    net.W += 1
    assert np.array_equal(W, BOOK_W)
    assert net.predict(np.ones((4, 2))).shape == (4, 3)
    assert net.accuracy(BOOK_X, 2) == 1.0 and net.accuracy(BOOK_X, BOOK_T) == 1.0
    with pytest.raises(ValueError, match="2-D"):
        SimpleNet(W=[1.0, 2.0])
    with pytest.raises(ValueError, match="last dimension 2"):
        net.predict([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="shape"):
        net.accuracy(np.ones((2, 2)), [0, 1, 2])


def _raises_exactly(error, message):
    return pytest.raises(error, match="^" + re.escape(message) + "$")


@pytest.mark.claim("simplenet.checks-input")
def test_a_seeded_default_and_a_copied_w():
    a, b = SimpleNet(rng=7), SimpleNet(rng=7)
    assert a.W.shape == (2, 3) and a.W.dtype == np.float64
    np.testing.assert_array_equal(a.W, b.W)
    np.testing.assert_array_equal(a.W, np.random.default_rng(7).standard_normal((2, 3)))
    assert not np.array_equal(a.W, SimpleNet(rng=8).W)
    W = np.array(BOOK_W)
    net = SimpleNet(W=W)
    W[0, 0] = 100.0
    assert net.W[0, 0] == BOOK_W[0][0]  # the net keeps its own copy


@pytest.mark.claim("simplenet.checks-input")
def test_bad_w_and_x_are_named():
    with _raises_exactly(ValueError, "W must be 2-D, got shape (2,)"):
        SimpleNet(W=[1.0, 2.0])
    with _raises_exactly(ValueError, "W must be finite, got nan at index (0, 0)"):
        SimpleNet(W=[[np.nan, 1.0]])
    net = SimpleNet(W=BOOK_W)
    with _raises_exactly(ValueError, "x must have last dimension 2, got shape (3,)"):
        net.predict([1.0, 2.0, 3.0])
    with _raises_exactly(ValueError, "x must be 1-D or 2-D, got shape (2, 2, 2)"):
        net.loss(np.ones((2, 2, 2)), [0, 1])
    with _raises_exactly(ValueError, "t (labels) must be class indices in [0, 3), got 5"):
        net.accuracy([[1.0, 2.0]], [5])
    with _raises_exactly(TypeError, "x must be a real numeric array (int or float), got dtype <U1 from list"):
        net.numerical_gradient(["a", "b"], 0)
