r"""The sigmoid layer.

$$y = \sigma(x) = \frac{1}{1 + e^{-x}}, \qquad
  \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\, y^2 e^{-x}
  = \frac{\partial L}{\partial y}\, y (1 - y)$$
"""

from __future__ import annotations

from ..activations import sigmoid
from ..validation import as_float
from .base import Layer

__all__ = ["Sigmoid"]


class Sigmoid(Layer):
    r"""Sigmoid layer; backward needs only the forward *output* $y$.

    The graph $x \to \times(-1) \to \exp \to +1 \to 1/u \to y$ gives, by the chain rule,
    $\partial L/\partial x = \partial L/\partial y \cdot y^2 e^{-x}$, and since
    $e^{-x} = (1 - y)/y$ this equals $\partial L/\partial y \cdot y(1 - y)$: the layer keeps
    ``out`` and nothing else.

    Parameters
    ----------
    dtype : numpy dtype, optional
        Compute in this floating dtype. ``None`` (default) keeps the dtype of floating input and
        turns integer input into float64.

    Attributes
    ----------
    out : numpy.ndarray
        $y = \sigma(x)$ of the last [`forward`][nnspec.layers.Sigmoid.forward].

    Examples
    --------
    >>> s = Sigmoid()
    >>> s.forward([0.0, 2.0])
    array([0.5       , 0.88079708])
    >>> s.backward([1.0, 1.0])
    array([0.25      , 0.10499359])
    """

    def __init__(self, dtype=None):
        super().__init__()
        self.dtype = dtype
        self.out = None

    def forward(self, x, train_flg: bool = True, *, check: bool = True):
        r"""$\sigma(x)$ elementwise, without overflow for any finite input.

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
            Same shape and dtype as ``x``, values in $[0, 1]$.
        """
        if check:
            x = as_float(x, "x", self.dtype)
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout, *, input_grad: bool = True, check: bool = True):
        r"""$\partial L/\partial y \cdot y(1 - y)$ (a new array; ``dout`` is not modified).

        Parameters
        ----------
        dout : array_like, shape of the forward output
        input_grad : bool, keyword only
            ``False`` returns ``None`` (no parameters, nothing else to compute).
        check : bool, keyword only
            ``False``: ``dout`` is trusted (see [`Layer`][nnspec.layers.Layer]).

        Returns
        -------
        numpy.ndarray or None
            Same shape as ``dout``, in the forward dtype.
        """
        if self.out is None:
            raise RuntimeError("Sigmoid.backward called before forward")
        y = self.out
        if check:
            dout = as_float(dout, "dout", y.dtype)
            if dout.shape != y.shape:
                raise ValueError(f"dout must have the forward output's shape {y.shape}, got {dout.shape}")
        if not input_grad:
            return None
        dx = 1 - y
        dx *= y
        dx *= dout
        return dx
