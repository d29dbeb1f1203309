r"""The ReLU layer.

$$y = \max(0, x), \qquad \frac{\partial L}{\partial x} =
  \begin{cases} \partial L/\partial y & x > 0 \\ 0 & x \le 0 \end{cases}$$
"""

from __future__ import annotations

import numpy as np

from ..validation import as_float
from .base import Layer

__all__ = ["Relu"]


class Relu(Layer):
    r"""ReLU: passes positive inputs and their gradients, blocks the rest.

    Parameters
    ----------
    dtype : numpy dtype, optional
        Compute in this floating dtype. ``None`` (default) keeps the dtype of floating input and
        turns integer input into float64.

    Attributes
    ----------
    mask : numpy.ndarray of bool
        ``x <= 0`` for the input of the last [`forward`][nnspec.layers.Relu.forward] (as in the book): where the
        gradient is blocked. At $x = 0$ the gradient is taken as 0.

    Notes
    -----
    Unlike the book's ``dout[self.mask] = 0``, [`backward`][nnspec.layers.Relu.backward] returns a new array and leaves
    ``dout`` untouched: the caller may still need it.

    [`backward`][nnspec.layers.Relu.backward] multiplies ``dout`` by ``~mask`` (1 where $x > 0$, 0 where the book
    zeroes) instead of selecting with ``np.where``, which NumPy runs several times slower. For
    finite ``dout`` the two agree exactly, except that a blocked negative entry comes out as
    $-0.0$ (equal to $0$).

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
        super().__init__()
        self.dtype = dtype
        self.mask = None
        self._dtype = None  # pragma: no mutate (equivalent: forward sets it before backward reads it)

    def forward(self, x, train_flg: bool = True, *, check: bool = True):
        r"""$\max(0, x)$ elementwise.

        Parameters
        ----------
        x : array_like, any shape
        train_flg : bool
            Ignored (the layer is the same in training and inference).
        check : bool, keyword only
            ``False``: ``x`` is trusted to be a floating ndarray (see [`Layer`][nnspec.layers.Layer]).

        Returns
        -------
        numpy.ndarray
            Same shape and dtype as ``x``.
        """
        if check:
            x = as_float(x, "x", self.dtype)
        self.mask = x <= 0
        self._dtype = x.dtype
        return np.maximum(x, 0)  # a Python 0 keeps x's dtype (float16 too)

    def backward(self, dout, *, input_grad: bool = True, check: bool = True):
        r"""``dout`` where the input was positive, 0 elsewhere (a new array).

        Parameters
        ----------
        dout : array_like, shape of the forward input
        input_grad : bool, keyword only
            ``False`` returns ``None`` (the layer has no parameters, so there is nothing else to do).
        check : bool, keyword only
            ``False``: ``dout`` is trusted (see [`Layer`][nnspec.layers.Layer]).

        Returns
        -------
        numpy.ndarray or None
            Same shape as ``dout``, in the forward input's dtype.
        """
        if self.mask is None:
            raise RuntimeError("Relu.backward called before forward")
        if check:
            if np.shape(dout) != self.mask.shape:
                raise ValueError(f"dout must have the forward input's shape {self.mask.shape}, got {np.shape(dout)}")
            dout = as_float(dout, "dout", self._dtype)
        if not input_grad:
            return None
        # ~mask is 1 exactly where the book's `dout[mask] = 0` keeps dout: x > 0 (and NaN).
        return np.multiply(dout, ~self.mask)
