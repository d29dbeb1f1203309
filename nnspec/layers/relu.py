r"""The ReLU layer.

$$y = \max(0, x), \qquad \frac{\partial L}{\partial x} =
  \begin{cases} \partial L/\partial y & x > 0 \\ 0 & x \le 0 \end{cases}$$
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array

__all__ = ["Relu"]


class Relu:
    r"""ReLU: passes positive inputs and their gradients, blocks the rest.

    Parameters
    ----------
    dtype : numpy dtype, optional
        Compute in this floating dtype. ``None`` (default) keeps the dtype of floating input and
        turns integer input into float64.

    Attributes
    ----------
    mask : numpy.ndarray of bool
        ``x <= 0`` for the input of the last :meth:`forward` (as in the book): where the
        gradient is blocked. At $x = 0$ the gradient is taken as 0.

    Notes
    -----
    Unlike the book's ``dout[self.mask] = 0``, :meth:`backward` returns a new array and leaves
    ``dout`` untouched: the caller may still need it.

    Examples
    --------
    >>> relu = Relu()
    >>> relu.forward([-1.0, 0.0, 2.0])
    array([0., 0., 2.])
    >>> dout = np.array([5.0, 5.0, 5.0])
    >>> relu.backward(dout)
    array([0., 0., 5.])
    >>> dout
    array([5., 5., 5.])
    """

    def __init__(self, dtype=None):
        self.dtype = dtype
        self.mask = None

    def forward(self, x):
        r"""$\max(0, x)$ elementwise.

        Parameters
        ----------
        x : array_like, any shape

        Returns
        -------
        numpy.ndarray
            Same shape and dtype as ``x``.
        """
        x = as_float_array(x, "x", dtype=self.dtype, finite=False)
        self.mask = x <= 0
        self._x_dtype = x.dtype
        return np.maximum(x, 0, dtype=x.dtype)

    def backward(self, dout):
        r"""``dout`` where the input was positive, 0 elsewhere (a new array).

        Parameters
        ----------
        dout : array_like, shape of the forward input

        Returns
        -------
        numpy.ndarray
            Same shape as ``dout``, in the forward input's dtype.
        """
        if self.mask is None:
            raise RuntimeError("Relu.backward called before forward")
        if np.shape(dout) != self.mask.shape:
            raise ValueError(f"dout must have the forward input's shape {self.mask.shape}, got {np.shape(dout)}")
        dout = as_float_array(dout, "dout", dtype=self._x_dtype, finite=False)
        return np.where(self.mask, 0, dout)
