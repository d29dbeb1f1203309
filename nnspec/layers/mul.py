r"""The multiplication node of a computational graph (the book's ``MulLayer``).

$$z = x y, \qquad \frac{\partial L}{\partial x} = \frac{\partial L}{\partial z}\, y, \qquad
  \frac{\partial L}{\partial y} = \frac{\partial L}{\partial z}\, x$$
"""

from __future__ import annotations

from ..validation import as_float
from ._broadcast import unbroadcast

__all__ = ["MulLayer"]


class MulLayer:
    r"""Multiply two inputs; backward sends each input the upstream gradient times the *other* one.

    Parameters
    ----------
    dtype : numpy dtype, optional
        Compute in this floating dtype. ``None`` (default) keeps the dtype of floating input and
        turns integer input into float64.

    Attributes
    ----------
    x, y : numpy.ndarray
        The inputs of the last [`forward`][nnspec.layers.MulLayer.forward], kept for [`backward`][nnspec.layers.MulLayer.backward].

    Notes
    -----
    Inputs may be scalars or arrays that broadcast together; the gradient of an input that was
    broadcast is summed back to that input's shape.

    Examples
    --------
    The book's apple: 2 apples at 100 each.

    >>> mul = MulLayer()
    >>> float(mul.forward(100.0, 2.0))
    200.0
    >>> dprice, dnum = mul.backward(1.0)
    >>> float(dprice), float(dnum)
    (2.0, 100.0)
    """

    def __init__(self, dtype=None):
        self.dtype = dtype
        self.x = None
        self.y = None  # pragma: no mutate (equivalent: backward checks x; forward sets both)

    def forward(self, x, y):
        r"""$z = x y$.

        Parameters
        ----------
        x, y : array_like
            Finite real inputs whose shapes broadcast together.

        Returns
        -------
        numpy.ndarray
            The broadcast product.
        """
        self.x = as_float(x, "x", self.dtype)
        self.y = as_float(y, "y", self.dtype)
        return self.x * self.y

    def backward(self, dout):
        r"""Gradients of the inputs: $(\,\partial L/\partial z \cdot y,\; \partial L/\partial z \cdot x\,)$.

        Parameters
        ----------
        dout : array_like
            $\partial L / \partial z$, shape of the forward output. Never modified.

        Returns
        -------
        tuple of numpy.ndarray
            ``(dx, dy)`` with the shapes of ``x`` and ``y``.
        """
        if self.x is None:
            raise RuntimeError("MulLayer.backward called before forward")
        dout = as_float(dout, "dout", self.x.dtype)
        dx = unbroadcast(dout * self.y, self.x.shape)
        dy = unbroadcast(dout * self.x, self.y.shape)
        return dx, dy
