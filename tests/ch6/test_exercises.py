"""Chapter 6 · Try it yourself: the answers on the page, proved."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnspec.experiments import optimizer_paths
from nnspec.optimizers import SGD, Adam, Momentum

# The paths are 30 products of floats each rounded once per step: relative error ≤ 30 · 2⁻⁵³.
PATH_RTOL = 1e-13
# Adam's update goes through a square root, a division and the bias correction: a few ε each.
ADAM_RTOL = 1e-12


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
    out = optimizer_paths({"SGD": SGD(lr=0.1), "a0": Momentum(lr=0.1, momentum=0.0),
                           "a09": Momentum(lr=0.1, momentum=0.9)})
    paths = out["paths"]
    evidence("end of SGD(0.1) and of Momentum(0.1, α=0)", [out["end"]["SGD"], out["end"]["a0"]])
    np.testing.assert_array_equal(paths["a0"], paths["SGD"])
    assert not np.array_equal(paths["a09"], paths["SGD"])


@pytest.mark.claim("exercise.ch6-adam-first-step")
def test_adam_first_step(evidence):
    """After one step m̂ = g and v̂ = g², so ΔW = −η g / (|g| + ε/√(1 − β₂)): gradients 1000 and
    0.001 both move by about −η = −0.001, the small one 0.3 % short because of ε."""
    opt = Adam()
    params = {"big": np.array(0.0), "small": np.array(0.0)}
    grads = {"big": np.array(1000.0), "small": np.array(0.001)}
    opt.update(params, grads)
    eps_eff = opt.eps / math.sqrt(1 - opt.beta2)
    for key, param in params.items():
        g = float(grads[key])
        evidence(f"first step, gradient {g:g}", float(param))
        assert float(param) == pytest.approx(-opt.lr * g / (abs(g) + eps_eff), rel=ADAM_RTOL)
    assert float(params["big"]) == pytest.approx(-0.001, rel=1e-8)
    shortfall = 1 - float(params["small"]) / -0.001
    evidence("shortfall of the small one", shortfall)
    assert 0.002 < shortfall < 0.004
