"""Undo NumPy broadcasting in a backward pass: sum a gradient back to its input's shape."""

from __future__ import annotations

import numpy as np

__all__ = ["unbroadcast"]


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    r"""Sum ``grad`` over the axes that broadcasting added or stretched, giving ``shape``.

    When a node computes $z = x \odot y$ with ``x`` of shape ``(3,)`` and ``y`` a scalar, ``y``
    was used three times, so its gradient is the sum of the three upstream gradients.

    Parameters
    ----------
    grad : numpy.ndarray
        Gradient with respect to the broadcast result.
    shape : tuple of int
        Shape of the input before broadcasting.

    Returns
    -------
    numpy.ndarray
        A new array of shape ``shape`` (never ``grad`` itself).

    Examples
    --------
    >>> unbroadcast(np.ones((2, 3)), (3,))
    array([2., 2., 2.])
    >>> unbroadcast(np.ones((2, 3)), ()).shape
    ()
    """
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    return grad.sum(axis=axes).reshape(shape)  # summing over no axis copies
