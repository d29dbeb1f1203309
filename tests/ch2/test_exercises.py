"""Chapter 2 · Try it yourself: the answers on the page, proved."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given

from nnspec.perceptron import AND, NAND, OR, XOR, Perceptron
from tests.ch2.strategies import BINARY, TRUTH, inputs

NOR = Perceptron(w=(-0.5, -0.5), b=0.2, name="NOR")  # OR with every parameter negated


def my_xor(x1, x2):
    """The reader's answer: two layers of the book's gates."""
    return AND(NAND(x1, x2), OR(x1, x2))


def xnor(x1, x2):
    return OR(AND(x1, x2), NOR(x1, x2))


@pytest.mark.claim("exercise.ch2-xor-from-gates")
def test_xor_from_gates_truth_table(evidence):
    """AND(NAND(x), OR(x)) gives 0, 1, 1, 0 on (0,0), (1,0), (0,1), (1,1)."""
    got = [my_xor(int(a), int(b)) for a, b in BINARY]
    evidence("xor(x1, x2) for (0,0), (1,0), (0,1), (1,1)", got)
    assert got == TRUTH["XOR"]


@pytest.mark.claim("exercise.ch2-xor-from-gates")
@given(x1=inputs, x2=inputs)
@example(x1=0.2, x2=0.2)  # on NAND's and OR's lines the two still agree
@example(x1=0.7, x2=0.7)
def test_xor_from_gates_is_nnspecs_xor_everywhere(x1, x2):
    """On every real input, not only 0 and 1, the three gates make nnspec's XOR."""
    assert my_xor(x1, x2) == XOR(x1, x2)


@pytest.mark.claim("exercise.ch2-nor")
def test_nor_is_or_negated(evidence):
    """w = (−0.5, −0.5), b = 0.2 outputs 1, 0, 0, 0: NOR = 1 − OR on the four binary inputs."""
    got = NOR(BINARY).tolist()
    evidence("NOR for (0,0), (1,0), (0,1), (1,1)", got)
    assert got == [1, 0, 0, 0]
    assert got == [1 - v for v in OR(BINARY).tolist()]
    assert (NOR.w, NOR.b) == ((-OR.w[0], -OR.w[1]), -OR.b)


@pytest.mark.claim("exercise.ch2-xnor")
def test_xnor_needs_two_layers(evidence):
    """OR(AND(x), NOR(x)) gives 1, 0, 0, 1; for one perceptron the four rows' conditions sum to a
    contradiction (the signed sum of the left-hand sides is 0 for every w, b), and a search of
    candidates finds none, while the same search finds AND and NOR."""
    got = [xnor(int(a), int(b)) for a, b in BINARY]
    evidence("xnor(x1, x2) for (0,0), (1,0), (0,1), (1,1)", got)
    assert got == [1, 0, 0, 1]

    target = np.array([1, 0, 0, 1])
    design = np.column_stack([BINARY, np.ones(4)])
    sign = np.where(target == 1, 1.0, -1.0)
    assert np.array_equal(sign @ design, [0.0, 0.0, 0.0])  # b − (w1 + b) − (w2 + b) + (w1 + w2 + b) = 0

    grid = np.linspace(-2.0, 2.0, 41)
    w1, w2, b = (a.ravel() for a in np.meshgrid(grid, grid, grid, indexing="ij"))
    rng = np.random.default_rng(5)
    scale = 10.0 ** rng.uniform(-3, 3, size=(50_000, 1))
    rw = rng.normal(size=(50_000, 3)) * scale
    w1, w2, b = np.concatenate([w1, rw[:, 0]]), np.concatenate([w2, rw[:, 1]]), np.concatenate([b, rw[:, 2]])
    out = BINARY[:, 0] * w1[:, None] + BINARY[:, 1] * w2[:, None] + b[:, None] > 0  # (K, 4), nnspec's rule
    right = (out == target.astype(bool)).sum(axis=1)
    evidence("candidate (w₁, w₂, b) tried", len(w1))
    evidence("candidates computing XNOR", int((right == 4).sum()))
    assert not (right == 4).any()
    for table in (TRUTH["AND"], [1, 0, 0, 0]):
        assert ((out == np.array(table, dtype=bool)).sum(axis=1) == 4).any()
    for i in rng.choice(len(w1), size=200, replace=False):  # the vectorised rule is nnspec's
        p = Perceptron(w=(float(w1[i]), float(w2[i])), b=float(b[i]))
        assert (p(BINARY) == target).sum() == right[i]
