r"""Stochastic gradient descent, the book's ``SGD``."""

from __future__ import annotations

import numpy as np

from .base import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Plain gradient descent: a step of size $\eta$ against the gradient.

    $$W \leftarrow W - \eta\,\frac{\partial L}{\partial W}$$

    PyTorch: ``torch.optim.SGD(params, lr=η)`` (momentum 0) is the same rule.

    Parameters
    ----------
    lr : float, default 0.01
        $\eta > 0$ (the book's default).

    Examples
    --------
    >>> params = {"w": np.array([1.0, 2.0])}
    >>> SGD(lr=0.1).update(params, {"w": np.array([0.5, -1.0])})
    >>> params["w"]
    array([0.95, 2.1 ])
    """

    def __init__(self, lr: float = 0.01):
        super().__init__(lr)

    def step(self, net, x, t):
        r"""One training step; a net with a public ``sgd_step(x, t, lr)`` does it fused.

        A [`LayerNet`][nnspec.networks.LayerNet] (``TwoLayerNet``, ``MultiLayerNet``) folds $\eta$
        into backprop and subtracts each gradient as it is formed (see
        [`LayerNet.sgd_step`][nnspec.networks.LayerNet.sgd_step]): the same update up to rounding,
        cheaper. Any other net gets ``gradient`` then [`update`][nnspec.optimizers.Optimizer.update].

        Returns
        -------
        float
            The batch's loss before the update.
        """
        fused = getattr(net, "sgd_step", None)
        if callable(fused):
            return fused(x, t, self.lr)
        return super().step(net, x, t)

    def _apply(self, pairs):
        lr = self.lr
        for key, p, g in pairs:
            buf = self._buffer(key, p)
            np.multiply(g, lr, out=buf)  # η·g into a kept buffer: no temporary the size of W
            p -= buf
