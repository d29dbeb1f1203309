r"""The addition node of a computational graph (the book's ``AddLayer``).

$$z = x + y, \qquad \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}
  = \frac{\partial L}{\partial z}$$
"""

from __future__ import annotations

import numpy as np

from ..validation import as_float
from ._broadcast import unbroadcast

__all__ = ["AddLayer"]


class AddLayer:
    r"""Add two inputs; backward passes the upstream gradient unchanged to both.

    Parameters
    ----------
    dtype : numpy dtype, optional
        Compute in this floating dtype. ``None`` (default) keeps the dtype of floating input and
        turns integer input into float64.

    Notes
    -----
    The two returned gradients are separate arrays (copies of ``dout``, summed back to an
    input's shape where broadcasting stretched it), so changing one never changes the other.

    Examples
    --------
    >>> add = AddLayer()
    >>> float(add.forward(200.0, 450.0))
    650.0
    >>> dx, dy = add.backward(1.1)
    >>> float(dx), float(dy)
    (1.1, 1.1)
    """

    def __init__(self, dtype=None):
        self.dtype = dtype
        self.x_shape = None
        self.y_shape = None  # pragma: no mutate (equivalent: backward checks x_shape; forward sets both)

    def forward(self, x, y):
        r"""$z = x + y$.

        Parameters
        ----------
        x, y : array_like
            Finite real inputs whose shapes broadcast together.

        Returns
        -------
        numpy.ndarray
            The broadcast sum.
        """
        x = as_float(x, "x", self.dtype)
        y = as_float(y, "y", self.dtype)
        self.x_shape, self.y_shape, self._dtype = x.shape, y.shape, np.result_type(x, y)
        return x + y

    def backward(self, dout):
        r"""Gradients of the inputs: $(\partial L/\partial z,\; \partial L/\partial z)$.

        Parameters
        ----------
        dout : array_like
            $\partial L / \partial z$, shape of the forward output. Never modified.

        Returns
        -------
        tuple of numpy.ndarray
            ``(dx, dy)`` with the shapes of ``x`` and ``y``.
        """
        if self.x_shape is None:
            raise RuntimeError("AddLayer.backward called before forward")
        dout = as_float(dout, "dout", self._dtype)
        return unbroadcast(dout, self.x_shape), unbroadcast(dout, self.y_shape)
