"""Strategies for chapter 3: random networks (float) and exact linear networks (Fractions)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from tests.strategies import seeds

widths = st.integers(min_value=1, max_value=6)


@st.composite
def networks(draw, d=None, scale: float = 1.0) -> dict[str, np.ndarray]:
    """A 3-layer network in nnspec's dict form, shapes (d, h1), (h1, h2), (h2, k), float64 weights
    drawn from a seeded N(0, scale²). ``d`` fixes the input width."""
    d = draw(widths) if d is None else d
    h1, h2, k = draw(widths), draw(widths), draw(widths)
    rng = np.random.default_rng(draw(seeds))
    shapes = {"W1": (d, h1), "b1": (h1,), "W2": (h1, h2), "b2": (h2,), "W3": (h2, k), "b3": (k,)}
    return {name: rng.normal(scale=scale, size=shape) for name, shape in shapes.items()}


small_ints = st.integers(min_value=-4, max_value=4)
fractions = st.builds(Fraction, st.integers(-20, 20), st.integers(1, 6))


def exact_matrix(draw, rows: int, cols: int, elements=small_ints) -> np.ndarray:
    """An object array of Fractions: NumPy's @ then does exact rational arithmetic."""
    return np.array([[Fraction(draw(elements)) for _ in range(cols)] for _ in range(rows)], dtype=object).reshape(
        rows, cols
    )


@st.composite
def linear_networks(draw, d=None, k=None, max_depth: int = 4):
    """``(layers, c)``: 1..max_depth layers ``(W, b)`` of exact integer weights, and the slope ``c``
    of the linear activation $h(x) = c x$ used between them."""
    depth = draw(st.integers(min_value=1, max_value=max_depth))
    sizes = [draw(st.integers(1, 4)) if d is None else d]
    sizes += [draw(st.integers(1, 4)) for _ in range(depth - 1)]
    sizes += [draw(st.integers(1, 4)) if k is None else k]
    layers = [(exact_matrix(draw, m, n), exact_matrix(draw, 1, n)[0]) for m, n in zip(sizes, sizes[1:])]
    c = Fraction(draw(fractions))
    return layers, c
