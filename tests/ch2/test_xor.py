"""Chapter 2: no single perceptron computes XOR; two layers (NAND and OR, then AND) do."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec.perceptron import AND, NAND, OR, XOR, Perceptron
from tests.ch2.strategies import BINARY, QUARTER_MAX, TRUTH, any_weight
from tests.strategies import floats

XOR_TABLE = np.array(TRUTH["XOR"])


def rows_right(w1, w2, b, target) -> np.ndarray:
    """For K candidate perceptrons (arrays of shape (K,)), how many of the four binary rows each
    gets right. Same float64 formula as nnspec.perceptron: (w1*x1 + w2*x2) + b > 0."""
    out = BINARY[:, 0] * w1[:, None] + BINARY[:, 1] * w2[:, None] + b[:, None] > 0  # (K, 4)
    return (out == np.asarray(target, dtype=bool)).sum(axis=1)


# --------------------------------------------------------------------------- not one perceptron


@pytest.mark.claim("perceptron.xor-not-single-layer")
@given(w1=any_weight, w2=any_weight, b=any_weight)
@example(w1=1.0, w2=-1.0, b=0.0)  # a "difference" detector: right on three rows only
@example(w1=1.0, w2=1.0, b=-1.0)  # (1, 1) lands exactly on the line
@example(w1=0.5, w2=0.5, b=-0.2)  # OR: wrong on (1, 1)
@example(w1=-0.5, w2=-0.5, b=0.7)  # NAND: wrong on (0, 0)
@example(w1=QUARTER_MAX, w2=QUARTER_MAX, b=-QUARTER_MAX)  # the largest weights
@example(w1=5e-324, w2=5e-324, b=0.0)  # the smallest
def test_no_weights_compute_xor(w1, w2, b):
    """For every real w1, w2, b a float64 can hold, the perceptron is wrong on at least one of
    the four XOR rows."""
    y = Perceptron(w=(w1, w2), b=b)(BINARY)
    assert not np.array_equal(y, XOR_TABLE), f"w=({w1}, {w2}), b={b} computes XOR"


@pytest.mark.claim("perceptron.xor-not-single-layer")
def test_the_four_inequalities_contradict_each_other():
    """Each row asks sign_i · (w·x_i + b) > 0 (target 1) or >= 0 (target 0), with sign_i = +1 for
    target 1 and -1 for target 0. For XOR, the four left-hand sides add up to 0 for every w, b
    (the certificate below), yet they would have to add up to more than 0: no solution.
    For AND, OR and NAND the same sum is not identically 0, so no contradiction arises."""
    design = np.column_stack([BINARY, np.ones(4)])  # row i: the coefficients of (w1, w2, b)

    def certificate(target):
        sign = np.where(np.asarray(target) == 1, 1.0, -1.0)
        return sign @ design  # coefficients of Σ_i sign_i (w·x_i + b) as a function of (w1, w2, b)

    assert np.array_equal(certificate(TRUTH["XOR"]), [0.0, 0.0, 0.0])
    # (w1 + b) + (w2 + b) - (w1 + w2 + b) - b = 0
    for gate in ("AND", "NAND", "OR"):
        assert certificate(TRUTH[gate]).any(), gate


@pytest.mark.claim("perceptron.xor-not-single-layer")
def test_random_and_grid_search_never_finds_xor(evidence):
    """781,441 candidate perceptrons (a grid and seeded random draws at many scales) never get
    all four XOR rows right; the same search finds AND, NAND and OR easily, so it could have."""
    grid = np.linspace(-2.0, 2.0, 81)  # step 0.05, includes 0 exactly
    gw1, gw2, gb = (a.ravel() for a in np.meshgrid(grid, grid, grid, indexing="ij"))
    rng = np.random.default_rng(1234)
    k = 250_000
    scale = 10.0 ** rng.uniform(-3, 3, size=(k, 1))  # magnitudes from 0.001 to 1000
    rw1, rw2, rb = (rng.normal(size=(k, 3)) * scale).T
    w1, w2, b = np.concatenate([gw1, rw1]), np.concatenate([gw2, rw2]), np.concatenate([gb, rb])

    right = rows_right(w1, w2, b, TRUTH["XOR"])
    evidence("candidate (w₁, w₂, b) tried", len(w1))
    evidence("candidates computing XOR", int((right == 4).sum()))
    evidence("most truth-table rows of XOR any candidate gets right (of 4)", int(right.max()))
    assert not (right == 4).any()
    assert right.max() == 3  # the best any line can do is three rows of four
    for gate in ("AND", "NAND", "OR"):
        found = int((rows_right(w1, w2, b, TRUTH[gate]) == 4).sum())
        evidence(f"candidates computing {gate}", found)
        assert found > 0

    # the vectorised rule above is nnspec's: check it on a seeded sample of real Perceptrons
    for i in rng.choice(len(w1), size=500, replace=False):
        p = Perceptron(w=(float(w1[i]), float(w2[i])), b=float(b[i]))
        assert (p(BINARY) == XOR_TABLE).sum() == right[i]


# --------------------------------------------------------------------------- two layers


@pytest.mark.claim("perceptron.xor-two-layers")
def test_xor_truth_table(evidence):
    """XOR(x1, x2) gives 0, 1, 1, 0 in every call form."""
    want = TRUTH["XOR"]
    assert [XOR(int(a), int(b)) for a, b in BINARY] == want
    assert all(type(XOR(int(a), int(b))) is int for a, b in BINARY)
    assert [XOR(row) for row in BINARY] == want
    assert XOR(BINARY).tolist() == want and XOR(BINARY).dtype == np.int64
    assert XOR(BINARY[:, 0], BINARY[:, 1]).tolist() == want
    assert XOR(BINARY.astype(bool)).tolist() == want
    assert XOR(np.zeros((0, 2))).shape == (0,)
    hidden = np.column_stack([NAND(BINARY), OR(BINARY)])
    evidence(
        "layer-1 outputs (NAND, OR) for x = (0,0), (1,0), (0,1), (1,1)",
        " ".join(f"({a},{b})" for a, b in hidden.tolist()),
    )


@pytest.mark.claim("perceptron.xor-two-layers")
@given(x1=floats(), x2=floats())
@example(x1=0.2, x2=0.2)  # NAND's line is x1 + x2 = 1.4, OR's is x1 + x2 = 0.4
@example(x1=0.7, x2=0.7)  # on NAND's line: NAND gives 0, so XOR gives 0
@example(x1=0.5, x2=0.5)
def test_xor_is_and_of_nand_and_or(x1, x2):
    """On any real input, XOR(x) = AND(NAND(x), OR(x)): the composition, and nothing else."""
    assert XOR(x1, x2) == AND(NAND(x1, x2), OR(x1, x2))


@pytest.mark.claim("perceptron.xor-two-layers")
@given(x=hnp.arrays(np.float64, st.tuples(st.integers(0, 8), st.just(2)), elements=floats()))
def test_xor_batch_is_row_by_row(x):
    y = XOR(x)
    assert y.shape == (len(x),) and y.dtype == np.int64
    assert y.tolist() == [XOR(row) for row in x]


@pytest.mark.claim("perceptron.xor-two-layers")
def test_layer_one_makes_xor_separable():
    """After layer 1 the four inputs become three points, (1, 0), (1, 1), (0, 1), and a single
    perceptron (AND) separates them: the second layer has an easy job."""
    hidden = np.column_stack([NAND(BINARY), OR(BINARY)])
    assert sorted(set(map(tuple, hidden.tolist()))) == [(0, 1), (1, 0), (1, 1)]
    assert AND(hidden).tolist() == TRUTH["XOR"]
