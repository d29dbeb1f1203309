"""Chapter 6 · Try it yourself: the answers on the page, proved."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnspec.experiments import optimizer_paths
from nnspec.layers import BatchNormalization
from nnspec.optimizers import SGD, Momentum

# The paths are 30 products of floats each rounded once per step: relative error ≤ 30 · 2⁻⁵³.
PATH_RTOL = 1e-13


@pytest.mark.claim("exercise.ch6-steep-side")
def test_steep_side_sets_the_pace(evidence):
    """On f = x²/20 + y², SGD multiplies y by 1 − 2η and x by 1 − η/10 each step: η = 0.99 leaves
    x at −7 · 0.901³⁰ ≈ −0.31 after 30 steps with |y| shrinking, η = 1 flips y between 2 and −2,
    η = 1.01 makes |y| grow as 1.02ᵗ."""
    out = optimizer_paths({lr: SGD(lr=lr) for lr in (0.99, 1.0, 1.01)})
    paths = out["paths"]
    evidence("end after 30 steps, η = 0.99", out["end"][0.99])
    evidence("y over the first 4 steps, η = 1", paths[1.0][:4, 1])
    evidence("|y| after 30 steps, η = 1.01", abs(out["end"][1.01][1]))
    t = np.arange(31)
    np.testing.assert_allclose(paths[0.99][:, 0], -7 * 0.901**t, rtol=PATH_RTOL)
    assert out["end"][0.99][0] == pytest.approx(-0.3068, abs=1e-4)
    assert np.all(np.abs(np.diff(np.abs(paths[0.99][:, 1]))) > 0) and abs(out["end"][0.99][1]) < 2
    np.testing.assert_array_equal(paths[1.0][:, 1], 2.0 * (-1.0) ** t)  # y ← y − 2y = −y, exact
    np.testing.assert_allclose(np.abs(paths[1.01][:, 1]), 2 * 1.02**t, rtol=PATH_RTOL)
    assert abs(out["end"][1.01][1]) > 3.6  # 2 · 1.02³⁰ ≈ 3.62: it has grown


@pytest.mark.claim("exercise.ch6-momentum-zero")
def test_momentum_without_memory_is_sgd(evidence):
    """With α = 0, v = −ηg and W + v = W − ηg: Momentum's path equals SGD's bit for bit; with the
    book's α = 0.9 it does not."""
    out = optimizer_paths(
        {"SGD": SGD(lr=0.1), "a0": Momentum(lr=0.1, momentum=0.0), "a09": Momentum(lr=0.1, momentum=0.9)}
    )
    paths = out["paths"]
    evidence("end of SGD(0.1) and of Momentum(0.1, α=0)", [out["end"]["SGD"], out["end"]["a0"]])
    np.testing.assert_array_equal(paths["a0"], paths["SGD"])
    assert not np.array_equal(paths["a09"], paths["SGD"])


@pytest.mark.claim("exercise.ch6-batch-without-spread")
def test_batch_without_spread(evidence):
    """Identical rows: x − μ = 0, so y = β in every row; the input gradient is γ(D − D̄)/√(σ² + ε)
    with σ² = 0, i.e. γ(D − D̄)/√ε — a thousandfold for ε = 1e-6 — and its rows sum to 0."""
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.full(3, 0.5)
    bn = BatchNormalization(gamma=gamma, beta=beta)
    x = np.tile([0.3, -2.0, 7.0], (4, 1))
    y = bn.forward(x)
    dout = np.zeros((4, 3))
    dout[0, 0] = 1.0
    dout[2, 1:] = [-1.0, 3.0]
    dx = bn.backward(dout)
    expected = gamma * (dout - dout.mean(axis=0)) / math.sqrt(bn.eps)
    evidence("forward output (each row)", y[0])
    evidence("dx[0, 0] for D[0, 0] = 1, the rest of column 0 zero", float(dx[0, 0]))
    evidence("largest |dx| / largest |D|", float(np.abs(dx).max() / np.abs(dout).max()))
    # The batch mean of four equal floats may differ from them by an ulp, leaving x − μ ≈ 1e-16
    # and x̂ ≈ 1e-13 instead of 0: β is reached to that, and the gradient to about 1e-10 relative.
    np.testing.assert_allclose(y, np.broadcast_to(beta, x.shape), rtol=0, atol=1e-12)
    np.testing.assert_allclose(dx, expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(dx.sum(axis=0), 0, atol=1e-9)
    assert float(dx[0, 0]) == pytest.approx(750, rel=1e-9)  # (1 − 1/4) / √1e-6
