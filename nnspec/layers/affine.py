r"""The affine (fully connected) layer.

$$Y = X W + b, \qquad
  \frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} W^{\mathsf T}, \quad
  \frac{\partial L}{\partial W} = X^{\mathsf T} \frac{\partial L}{\partial Y}, \quad
  \frac{\partial L}{\partial b} = \sum_{n=1}^{N} \Bigl(\frac{\partial L}{\partial Y}\Bigr)_{n,:}$$
"""

from __future__ import annotations

import math
import sys

import numpy as np

from ..validation import as_float, as_float_array, check_ndim, resolve_dtype
from .base import Layer

__all__ = ["Affine"]

# CPython counts references exactly: the memory of an old gradient nobody else holds can be reused.
_REFCOUNTS = sys.implementation.name == "cpython"


def _only_here(arr) -> bool:
    """Is ``arr`` referenced only by its owner's dict (and this call's own local names)?"""
    # getrefcount sees: the owner's dict, the caller's local name, this function's argument, its own.
    # A mutation run wraps this function, adding references: its mutants cannot be seen there.
    return _REFCOUNTS and sys.getrefcount(arr) <= 4  # pragma: no mutate (equivalent: mutmut's wrapper hides the reuse)


class Affine(Layer):
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
    params : dict
        ``{"W": W, "b": b}``, the arrays the layer computes with (see [`Layer`][nnspec.layers.Layer]).
    grads : dict
        ``{"W": dW, "b": db}`` from the last [`backward`][nnspec.layers.Affine.backward], same shapes
        and dtype as the parameters. A gradient you hold on to is never overwritten: the next
        backward writes into the old ``dW``'s memory only when nothing but the layer refers to it.
    W, b, dW, db : numpy.ndarray
        The book's names for the same four arrays.
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
    >>> layer.grads["W"]
    array([[1., 1.],
           [0., 0.],
           [1., 1.]])
    >>> layer.db
    array([1., 1.])
    """

    def __init__(self, W, b, dtype=None):
        super().__init__()
        if dtype is None:
            w = np.asarray(W)
            dtype = w.dtype if w.dtype.kind == "f" else np.float64
        dtype = resolve_dtype(dtype)
        W = check_ndim(as_float_array(W, "W", dtype=dtype), "W", (2,))
        b = check_ndim(as_float_array(b, "b", dtype=dtype), "b", (1,))
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"b must have shape ({W.shape[1]},) to match W {W.shape}, got {b.shape}")
        self.params = {"W": W, "b": b}
        self.x = None
        self.original_x_shape = None  # pragma: no mutate (equivalent: forward sets it before backward reads it)

    # The book's attribute names, as views of the params and grads dicts.
    @property
    def W(self) -> np.ndarray:
        """``params["W"]``, shape ``(d, k)``."""
        return self.params["W"]

    @W.setter
    def W(self, value) -> None:
        self.params["W"] = value

    @property
    def b(self) -> np.ndarray:
        """``params["b"]``, shape ``(k,)``."""
        return self.params["b"]

    @b.setter
    def b(self, value) -> None:
        self.params["b"] = value

    @property
    def dW(self) -> np.ndarray | None:
        """``grads["W"]`` (``None`` before the first backward)."""
        return self.grads.get("W")

    @property
    def db(self) -> np.ndarray | None:
        """``grads["b"]`` (``None`` before the first backward)."""
        return self.grads.get("b")

    @property
    def dtype(self) -> np.dtype:
        """The parameters' dtype (the dtype the layer computes in)."""
        return self.params["W"].dtype

    def forward(self, x, train_flg: bool = True, *, check: bool = True):
        r"""$Y = XW + b$.

        Parameters
        ----------
        x : array_like, shape ``(N, d)``, ``(N, d_1, d_2, ...)`` with $d_1 d_2 \cdots = d$, or ``(d,)``
        train_flg : bool
            Ignored (the layer is the same in training and inference).
        check : bool, keyword only
            ``False``: ``x`` is trusted to be a floating ndarray of the layer's dtype and shape
            (see [`Layer`][nnspec.layers.Layer]).

        Returns
        -------
        numpy.ndarray
            Shape ``(N, k)`` (``(k,)`` for a single sample), in the layer's dtype.
        """
        W = self.params["W"]
        d = W.shape[0]
        if check:
            x = as_float(x, "x", W.dtype)
            if x.ndim == 0 or math.prod(x.shape[1:] if x.ndim > 1 else x.shape) != d:
                raise ValueError(
                    f"x must have shape (N, {d}), (N, ...) with {d} features per sample, or ({d},); got {x.shape}"
                )
        self.original_x_shape = x.shape
        x2 = x.reshape(1 if x.ndim == 1 else x.shape[0], d)  # a view; (N, d) stays as it is
        self.x = x2
        out = x2 @ W
        out += self.params["b"]
        return out[0] if x.ndim == 1 else out

    def backward(self, dout, *, input_grad: bool = True, check: bool = True):
        r"""Store $\partial L/\partial W = X^{\mathsf T} D$ and $\partial L/\partial b = \sum_n D_{n,:}$; return $D W^{\mathsf T}$.

        Parameters
        ----------
        dout : array_like, shape ``(N, k)`` (``(k,)`` after a single-sample forward)
            $D = \partial L/\partial Y$. Never modified.
        input_grad : bool, default True
            ``False`` skips the product $D W^{\mathsf T}$ and returns ``None``: the first layer of
            a network needs no gradient for its input, and that product costs as much as the
            forward one.
        check : bool, keyword only
            ``False``: ``dout`` is trusted (see [`Layer`][nnspec.layers.Layer]).

        Returns
        -------
        numpy.ndarray or None
            $\partial L/\partial X$ in the forward input's original shape.
        """
        if self.x is None:
            raise RuntimeError("Affine.backward called before forward")
        W = self.params["W"]
        want = (self.x.shape[0], W.shape[1])
        if check:
            dout = as_float(dout, "dout", W.dtype)
            if dout.shape != want and not (len(self.original_x_shape) == 1 and dout.shape == want[1:]):
                raise ValueError(f"dout must have the forward output's shape, got {dout.shape} for output {want}")
        d2 = dout.reshape(want)  # a view
        old = self.grads.get("W")
        if (
            old is not None
            and old.shape == W.shape
            and old.dtype == W.dtype
            and old.flags.c_contiguous
            and _only_here(old)
        ):
            # Nobody kept the previous gradient: write the new one into its memory. A fresh array the
            # size of W (627 kB for 784×100) costs page faults every step once the allocator hands
            # freed memory back to the system, which with a multithreaded BLAS can double the cost of
            # this product. Whoever keeps a gradient (grads = net.gradient(...)) still gets a new one.
            np.matmul(self.x.T, d2, out=old)
            self.grads["W"] = old
        else:
            self.grads["W"] = self.x.T @ d2
        self.grads["b"] = np.add.reduce(d2)  # d2.sum(axis=0), without the method's Python wrapper
        if not input_grad:
            return None
        dx = d2 @ W.T
        return dx.reshape(self.original_x_shape)
