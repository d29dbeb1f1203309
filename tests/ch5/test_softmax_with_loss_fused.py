"""Chapter 5: why softmax and the loss are one layer: the gradient collapses to (y − t)/N, and the
loss comes from the scores without ever taking the log of an underflowed probability."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnspec.functions import cross_entropy_error, softmax
from nnspec.layers import SoftmaxWithLoss
from tests.strategies import arrays
from tests.tolerances import ROUTE_TOL

sides = st.integers(min_value=1, max_value=6)


@st.composite
def moderate_scores(draw):
    """Scores in [-10, 10] (every probability above e^-20 / 6, far from underflow) and labels."""
    n, c = draw(sides), draw(sides)
    x = draw(arrays(st.just((n, c)), bound=10.0))
    t = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return x, t


def separate_route_gradient(x, t):
    """Softmax and cross-entropy as two layers: the loss's gradient −t/(N·y) times softmax's
    Jacobian diag(y) − y·yᵀ, one C×C matrix per sample."""
    n, c = x.shape
    y = softmax(x)
    onehot = np.eye(c)[t]
    dL_dy = -onehot / (n * y)
    jac = y[:, :, None] * np.eye(c) - y[:, :, None] * y[:, None, :]  # (N, C, C), symmetric
    return np.einsum("nij,nj->ni", jac, dL_dy)


@pytest.mark.claim("softmax-with-loss.why-fused")
@given(case=moderate_scores())
@example(case=(np.array([[0.3, 2.9, 4.0]]), np.array([2])))
def test_chained_gradient_collapses_to_y_minus_t(case):
    """Chaining the two layers' gradients, (diag y − y yᵀ)·(−t/(N y)), gives (y − t)/N: the fused
    layer gets the same numbers with one subtraction and no C×C Jacobian."""
    x, t = case
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    np.testing.assert_allclose(layer.backward(), separate_route_gradient(x, t), rtol=0, atol=ROUTE_TOL)


@pytest.mark.claim("softmax-with-loss.why-fused")
def test_fused_loss_survives_where_the_probability_underflows(evidence):
    """Scores (0, 800) with the right class 0: the true loss is log(1 + e^800) ≈ 800. Separately,
    softmax gives y = (0, 1) (e^-800 underflows), so −log y_0 is lost: cross_entropy_error can only
    cap it, at 708.4, and the loss's gradient −t/y divides by zero. The fused layer computes
    logsumexp(x) − x_0 from the scores and gets 800, and its gradient (y − t)/N stays finite."""
    x, t = np.array([[0.0, 800.0]]), np.array([0])
    layer = SoftmaxWithLoss()
    fused = float(layer.forward(x, t))
    y = softmax(x)
    separate = float(cross_entropy_error(y, t))
    with np.errstate(divide="ignore", invalid="ignore"):
        separate_grad = separate_route_gradient(x, t)
    evidence("scores (0, 800), class 0: loss of the fused layer", fused)
    evidence("the same, softmax then cross-entropy", separate)
    evidence("gradient of that separate route", separate_grad[0])
    assert y[0, 0] == 0.0
    assert fused == pytest.approx(800.0, rel=1e-15)
    assert separate < 709  # capped, 91 short of the truth
    assert not np.all(np.isfinite(separate_grad))
    np.testing.assert_array_equal(layer.backward(), [[-1.0, 1.0]])
