"""Shared Hypothesis strategies: the inputs every universal claim quantifies over."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Magnitudes a float64 network really sees; the overflow specs use the full float range instead.
MODERATE = 1e3


def floats(bound: float = MODERATE, dtype=np.float64, **kw) -> st.SearchStrategy[float]:
    """Finite floats in [-bound, bound] representable in ``dtype``."""
    width = np.dtype(dtype).itemsize * 8
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, width=width, **kw)


def arrays(
    shape=hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=8),
    bound: float = MODERATE,
    dtype=np.float64,
    **kw,
) -> st.SearchStrategy[np.ndarray]:
    """Finite float arrays (default: float64, a vector or a batch, every side 1..8)."""
    return hnp.arrays(dtype, shape, elements=floats(bound, dtype), **kw)


def vectors(min_side: int = 1, max_side: int = 8, bound: float = MODERATE, **kw) -> st.SearchStrategy[np.ndarray]:
    """Finite float64 vectors of length ``min_side..max_side``."""
    return arrays(hnp.array_shapes(min_dims=1, max_dims=1, min_side=min_side, max_side=max_side), bound, **kw)


def batches(max_rows: int = 8, max_cols: int = 8, bound: float = MODERATE, **kw) -> st.SearchStrategy[np.ndarray]:
    """Finite float64 batches of shape (N, n)."""
    return arrays(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=max(max_rows, max_cols)), bound, **kw)


# Every finite float64, up to ±1.7976931348623157e308: for claims that say "any finite input".
ANY_FINITE = float(np.finfo(np.float64).max)
seeds = st.integers(min_value=0, max_value=2**32 - 1)
float_dtypes = st.sampled_from([np.float16, np.float32, np.float64])
