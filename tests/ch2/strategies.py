"""Strategies for chapter 2: perceptron parameters and inputs."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from tests.strategies import floats

# The four binary input pairs, in the book's truth-table order.
BINARY = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float64)

TRUTH = {
    "AND": [0, 0, 0, 1],
    "NAND": [1, 1, 1, 0],
    "OR": [0, 1, 1, 1],
    "XOR": [0, 1, 1, 0],
}

# Dyadic numbers m / 2^8 with |m| <= 2^16: multiples of 2^-8 in [-256, 256]. Every product of two
# is a multiple of 2^-16 below 2^16 in size, and w1*x1 + w2*x2 + b is a multiple of 2^-16 below
# 2^18: at most 34 significant bits, far inside float64's 53. So float64 computes the weighted
# sum with no rounding at all, and on these inputs the float rule and the real-number rule must
# agree exactly, boundary included.
DYADIC_SCALE = 2**8
dyadic = st.integers(-(2**16), 2**16).map(lambda m: m / DYADIC_SCALE)

# Any real weight a float64 can hold, with room so that w1 + w2 + b cannot overflow.
QUARTER_MAX = float(np.finfo(np.float64).max) / 4
any_weight = floats(QUARTER_MAX)

weights = floats()  # moderate real weights and inputs, |v| <= 1e3
inputs = floats()
