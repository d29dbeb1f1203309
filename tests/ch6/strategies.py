"""Strategies for chapter 6: named parameters with their gradients, and optimizer settings."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.strategies import floats

KEYS = ("W1", "b1", "W2")


@st.composite
def params_and_grads(draw, steps: int = 5, bound: float = 10.0):
    """``(params, [grads_1, …, grads_steps])``: float64 arrays keyed W1, b1, W2 (shapes 1..4 wide)
    and one gradient dict per step, every gradient of its parameter's shape."""
    shapes = {
        "W1": draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=4)),
        "b1": draw(hnp.array_shapes(min_dims=1, max_dims=1, min_side=1, max_side=4)),
        "W2": draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=3)),
    }
    elements = floats(bound)
    params = {k: draw(hnp.arrays(np.float64, s, elements=elements)) for k, s in shapes.items()}
    grads = [{k: draw(hnp.arrays(np.float64, s, elements=elements)) for k, s in shapes.items()} for _ in range(steps)]
    return params, grads


learning_rates = st.floats(1e-4, 1.0)
momenta = st.floats(0.0, 0.99)
betas = st.floats(0.0, 0.999)
