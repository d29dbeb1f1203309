"""Strategies for chapter 4: network outputs with their targets, and points to differentiate at."""

from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.strategies import floats

# Probabilities: every float in [0, 1], zeros, ones and subnormals included.
probabilities = st.floats(0.0, 1.0, allow_nan=False, allow_infinity=False)


def one_hot(labels: np.ndarray, n: int) -> np.ndarray:
    """Label indices of shape () or (N,) as one-hot rows of shape (n,) or (N, n)."""
    return np.eye(n)[labels]


@st.composite
def outputs_and_labels(draw, elements=probabilities, ndims=(1, 2), max_side: int = 8):
    """``(y, labels)``: y of shape (n,) or (N, n) drawn from ``elements``, labels in [0, n)."""
    n = draw(st.integers(1, max_side))
    ndim = draw(st.sampled_from(ndims))
    shape = (n,) if ndim == 1 else (draw(st.integers(1, max_side)), n)
    y = draw(hnp.arrays(np.float64, shape, elements=elements))
    labels = draw(hnp.arrays(np.int64, shape[:-1], elements=st.integers(0, n - 1)))
    return y, labels


def real_outputs(bound: float = 1e3):
    """Outputs of a regression net: any finite float64 up to ``bound``, with integer labels."""
    return outputs_and_labels(elements=floats(bound))


# Points for gradients: any shape from a scalar to a 3-D tensor, moderate values.
points = hnp.arrays(
    np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4), elements=floats(100.0)
)


# Specs whose every example runs a numerical gradient (dozens of function calls) draw a third of the
# profile's examples: 20 by default, over 300 with HYPOTHESIS_PROFILE=thorough.
fewer_examples = settings(max_examples=max(20, settings.default.max_examples // 3))
