"""Randomness in nnspec comes only from a seed or a generator you pass in, never from NumPy's
global state (``np.random.rand``, ``np.random.seed`` and friends are not used anywhere).

Every function of nnspec that draws random numbers takes a seed or an ``rng`` argument (most
hand it to [`as_generator`][nnspec.rng.as_generator]), so the same seed always gives the same bits.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_generator"]


def as_generator(rng=None) -> np.random.Generator:
    """Turn a seed or a generator into a ``numpy.random.Generator``.

    Parameters
    ----------
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        ``None`` gives a fresh generator seeded from the operating system (not reproducible);
        an ``int`` seed (``>= 0``) or a ``SeedSequence`` gives ``np.random.default_rng(rng)``,
        so the same seed gives identical bits on every run; a ``Generator`` is returned as is
        (the caller's stream is used and advanced, not copied).

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    TypeError
        ``rng`` is of another type (a float, a bool, a string, NumPy's legacy ``RandomState``).
    ValueError
        ``rng`` is a negative int.

    Examples
    --------
    >>> bool(as_generator(7).integers(100) == as_generator(7).integers(100))
    True
    >>> g = np.random.default_rng(0)
    >>> as_generator(g) is g
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError(
            "rng must be None, an int seed, a numpy.random.SeedSequence or a numpy.random.Generator, "
            f"got {type(rng).__name__} {rng!r}"
        )
    if rng < 0:
        raise ValueError(f"rng must be a seed >= 0, got {rng}")
    return np.random.default_rng(int(rng))
