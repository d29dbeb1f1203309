"""The layers' input check, with a shortcut for arrays that need no conversion.

A layer is called thousands of times per second in a training loop, mostly with arrays it made
itself: those pass the shortcut (one type and dtype test) and everything else goes through
:func:`nnspec._validate.as_float_array`, which gives the same result for them, only slower.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array

__all__ = ["as_float"]


def as_float(x, name: str, dtype=None) -> np.ndarray:
    """``as_float_array(x, name, dtype=dtype, finite=False)``, returning a ready array at once.

    Examples
    --------
    >>> a = np.ones(3, dtype=np.float32)
    >>> as_float(a, "x") is a, as_float(a, "x", np.float32) is a
    (True, True)
    >>> as_float([1, 2], "x").dtype, as_float(a, "x", np.float64).dtype
    (dtype('float64'), dtype('float64'))
    """
    if type(x) is np.ndarray and x.dtype.kind == "f" and (dtype is None or x.dtype == dtype):
        return x
    return as_float_array(x, name, dtype=dtype, finite=False)
