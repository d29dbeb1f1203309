r"""The affine (fully connected) layer.

$$Y = X W + b, \qquad
  \frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} W^{\mathsf T}, \quad
  \frac{\partial L}{\partial W} = X^{\mathsf T} \frac{\partial L}{\partial Y}, \quad
  \frac{\partial L}{\partial b} = \sum_{n=1}^{N} \Bigl(\frac{\partial L}{\partial Y}\Bigr)_{n,:}$$
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import as_float_array, check_ndim, resolve_dtype
from ._fast import as_float as _as_float

__all__ = ["Affine"]


class Affine:
    r"""Affine layer $Y = XW + b$ that keeps its parameters and their gradients.

    Parameters
    ----------
    W : array_like, shape ``(d, k)``
        Weights. A floating array of the layer's dtype is kept **as the same object**, not
        copied: changing it in place (``W -= lr * dW``) changes the layer.
    b : array_like, shape ``(k,)``
        Bias, kept the same way.
    dtype : numpy dtype, optional
        Parameter and compute dtype. ``None`` (default) uses ``W``'s floating dtype, or float64
        for integer ``W``. A ``W`` or ``b`` of another dtype is converted (a copy).

    Attributes
    ----------
    W, b : numpy.ndarray
        The parameters, shapes ``(d, k)`` and ``(k,)``.
    dW, db : numpy.ndarray or None
        Their gradients from the last :meth:`backward`, same shapes and dtype (new arrays on
        every call).
    x : numpy.ndarray
        The last forward input flattened to ``(N, d)``.
    original_x_shape : tuple of int
        That input's shape as given.

    Notes
    -----
    Input of shape ``(N, d_1, d_2, \ldots)`` (e.g. images ``(N, 1, 28, 28)``) is flattened to
    ``(N, d)`` with $d = d_1 d_2 \cdots$, as in the book, and the input gradient is reshaped back.
    A single sample of shape ``(d,)`` is treated as a batch of one and gives output ``(k,)``.
    Input is cast to the layer's dtype, so a float32 layer computes in float32 throughout.

    Examples
    --------
    >>> layer = Affine(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([0.5, -0.5]))
    >>> layer.forward([[1.0, 0.0, 1.0]])
    array([[6.5, 7.5]])
    >>> layer.backward([[1.0, 1.0]])
    array([[ 3.,  7., 11.]])
    >>> layer.dW
    array([[1., 1.],
           [0., 0.],
           [1., 1.]])
    >>> layer.db
    array([1., 1.])
    """

    def __init__(self, W, b, dtype=None):
        if dtype is None:
            w = np.asarray(W)
            dtype = w.dtype if w.dtype.kind == "f" else np.float64
        dtype = resolve_dtype(dtype)
        W = check_ndim(as_float_array(W, "W", dtype=dtype), "W", (2,))
        b = check_ndim(as_float_array(b, "b", dtype=dtype), "b", (1,))
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"b must have shape ({W.shape[1]},) to match W {W.shape}, got {b.shape}")
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    @property
    def dtype(self) -> np.dtype:
        """The parameters' dtype (the dtype the layer computes in)."""
        return self.W.dtype

    def forward(self, x):
        r"""$Y = XW + b$.

        Parameters
        ----------
        x : array_like, shape ``(N, d)``, ``(N, d_1, d_2, ...)`` with $d_1 d_2 \cdots = d$, or ``(d,)``

        Returns
        -------
        numpy.ndarray
            Shape ``(N, k)`` (``(k,)`` for a single sample), in the layer's dtype.
        """
        x = _as_float(x, "x", self.W.dtype)
        d = self.W.shape[0]
        n = 1 if x.ndim == 1 else (x.shape[0] if x.ndim else 0)
        if x.ndim == 0 or math.prod(x.shape[1:] if x.ndim > 1 else x.shape) != d:
            raise ValueError(
                f"x must have shape (N, {d}), (N, ...) with {d} features per sample, or ({d},); got {x.shape}"
            )
        out = self._forward(x.reshape(n, d), x.shape)
        return out[0] if x.ndim == 1 else out

    def _forward(self, x2: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        """:meth:`forward` for ``x2`` of shape ``(N, d)`` in the layer's dtype (``shape``: as given), unchecked."""
        self.original_x_shape = shape
        self.x = x2
        out = x2 @ self.W
        out += self.b
        return out

    def backward(self, dout, *, input_grad: bool = True):
        r"""Store $\partial L/\partial W = X^{\mathsf T} D$ and $\partial L/\partial b = \sum_n D_{n,:}$; return $D W^{\mathsf T}$.

        Parameters
        ----------
        dout : array_like, shape ``(N, k)`` (``(k,)`` after a single-sample forward)
            $D = \partial L/\partial Y$. Never modified.
        input_grad : bool, default True
            ``False`` skips the product $D W^{\mathsf T}$ and returns ``None``: the first layer of
            a network needs no gradient for its input, and that product costs as much as the
            forward one.

        Returns
        -------
        numpy.ndarray or None
            $\partial L/\partial X$ in the forward input's original shape.
        """
        if self.x is None:
            raise RuntimeError("Affine.backward called before forward")
        dout = _as_float(dout, "dout", self.W.dtype)
        want = (self.x.shape[0], self.W.shape[1])
        if dout.shape != want and not (len(self.original_x_shape) == 1 and dout.shape == want[1:]):
            raise ValueError(f"dout must have the forward output's shape, got {dout.shape} for output {want}")
        dx = self._backward(dout.reshape(want), input_grad)
        return None if dx is None else dx.reshape(self.original_x_shape)

    def _backward(self, dout: np.ndarray, input_grad: bool = True):
        """:meth:`backward` for ``dout`` of shape ``(N, k)`` in the layer's dtype, unchecked; dX as ``(N, d)``."""
        self.dW = self.x.T @ dout
        self.db = np.add.reduce(dout, axis=0)  # dout.sum(axis=0), without the method's Python wrapper
        return dout @ self.W.T if input_grad else None
