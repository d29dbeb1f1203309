r"""Chapter 4: the book's ``simpleNet``, one weight matrix and a softmax, to show a weight gradient.

$$L(W) = \text{cross-entropy}\bigl(\operatorname{softmax}(x W),\ t\bigr), \qquad
  \frac{\partial L}{\partial W} = \begin{pmatrix}
  \frac{\partial L}{\partial w_{11}} & \cdots & \frac{\partial L}{\partial w_{1k}} \\
  \vdots & & \vdots \\
  \frac{\partial L}{\partial w_{d1}} & \cdots & \frac{\partial L}{\partial w_{dk}}
  \end{pmatrix}$$
"""

from __future__ import annotations

import numpy as np

from ..activations import softmax
from ..gradient import numerical_gradient
from ..losses import cross_entropy_error
from ..metrics import accuracy
from ..rng import as_generator
from ..validation import as_float_array, check_last_dim, check_ndim

__all__ = ["SimpleNet"]


class SimpleNet:
    r"""A one-layer classifier $y = \operatorname{softmax}(xW)$ with no bias (the book's 2×3 example).

    Parameters
    ----------
    W : array_like, shape ``(d, k)``, optional
        The weights. Copied into a new float array, which is ``self.W``. When omitted,
        ``rng.standard_normal((2, 3))``: 2 inputs, 3 classes, as in the book.
    rng : None, int or numpy.random.Generator
        Source of the random ``W`` (see [`as_generator`][nnspec.rng.as_generator]); ignored when ``W`` is
        given.

    Attributes
    ----------
    W : numpy.ndarray, shape ``(d, k)``
        The weights every method reads. [`numerical_gradient`][nnspec.networks.SimpleNet.numerical_gradient] moves its entries in place
        (and restores them); you may update it in place too: ``net.W -= lr * dW``.

    Notes
    -----
    Methods taking targets ``t`` accept one-hot rows, shape ``(k,)`` or ``(N, k)``, or integer
    labels, shape ``()`` or ``(N,)``.

    Examples
    --------
    The book's weights and input:

    >>> net = SimpleNet(W=[[0.47355232, 0.9977393, 0.84668094],
    ...                    [0.85557411, 0.03563661, 0.69422093]])
    >>> net.predict([0.6, 0.9])
    array([1.05414809, 0.63071653, 1.1328074 ])
    >>> round(net.loss([0.6, 0.9], [0, 0, 1]), 6)
    0.928069
    >>> net.numerical_gradient([0.6, 0.9], 2).round(3)
    array([[ 0.219,  0.144, -0.363],
           [ 0.329,  0.215, -0.544]])
    """

    def __init__(self, W=None, rng=None):
        if W is None:
            self.W = as_generator(rng).standard_normal((2, 3))
        else:
            self.W = check_ndim(as_float_array(W, "W"), "W", (2,)).copy()

    def _x(self, x) -> np.ndarray:
        x = check_ndim(as_float_array(x), "x", (1, 2))
        return check_last_dim(x, "x", self.W.shape[0])

    def predict(self, x):
        r"""Class scores $xW$ (before softmax).

        Parameters
        ----------
        x : array_like, shape ``(d,)`` or ``(N, d)``

        Returns
        -------
        numpy.ndarray
            Shape ``(k,)`` or ``(N, k)``.
        """
        return self._x(x) @ self.W

    def loss(self, x, t) -> float:
        r"""Cross-entropy of $\operatorname{softmax}(xW)$ against ``t``, the batch mean.

        Parameters
        ----------
        x : array_like, shape ``(d,)`` or ``(N, d)``
        t : array_like
            One-hot ``(k,)`` / ``(N, k)`` or labels ``()`` / ``(N,)``.

        Returns
        -------
        float
            See [`cross_entropy_error`][nnspec.functions.cross_entropy_error].
        """
        return cross_entropy_error(softmax(self.predict(x)), t)

    def accuracy(self, x, t) -> float:
        r"""Fraction of samples whose highest score is the target class.

        Parameters
        ----------
        x : array_like, shape ``(d,)`` or ``(N, d)``
        t : array_like
            One-hot ``(k,)`` / ``(N, k)`` or labels ``()`` / ``(N,)``.

        Returns
        -------
        float
            In $[0, 1]$, a multiple of $1/N$: it changes only in jumps as ``W`` moves.
        """
        return accuracy(self.predict(x), t)

    def numerical_gradient(self, x, t) -> np.ndarray:
        r"""$\partial L / \partial W$ by central differences ([`numerical_gradient`][nnspec.gradient.numerical_gradient]).

        Parameters
        ----------
        x : array_like, shape ``(d,)`` or ``(N, d)``
        t : array_like
            One-hot or labels, as for [`loss`][nnspec.networks.SimpleNet.loss].

        Returns
        -------
        numpy.ndarray
            Shape of ``W``, ``(d, k)``.
        """
        return numerical_gradient(lambda _: self.loss(x, t), self.W)
