r"""Momentum SGD, the book's ``Momentum``."""

from __future__ import annotations

import numpy as np

from ..validation import check_real
from .base import Optimizer

__all__ = ["Momentum"]


class Momentum(Optimizer):
    r"""Gradient descent with a velocity: steps keep going in the direction they were going.

    $$v \leftarrow \alpha v - \eta\,\frac{\partial L}{\partial W}, \qquad W \leftarrow W + v$$

    with $v = 0$ at the start, one $v$ per parameter. Under a constant gradient $g$ the step
    tends to $-\eta g / (1 - \alpha)$: ten times plain SGD's for $\alpha = 0.9$.

    **PyTorch.** ``torch.optim.SGD(params, lr=η, momentum=α)`` keeps a buffer
    $b \leftarrow \alpha b + g$ and steps $W \leftarrow W - \eta b$. That is the same rule:
    with $v = -\eta b$, $v \leftarrow \alpha v - \eta g$ and $W \leftarrow W + v$ (for a
    constant $\eta$; if $\eta$ changes during training the two differ).

    Parameters
    ----------
    lr : float, default 0.01
        $\eta > 0$.
    momentum : float in $[0, 1)$, default 0.9
        $\alpha$; 0 is plain SGD.

    Attributes
    ----------
    v : dict of numpy.ndarray
        The velocity of each parameter, by name (made at its first update).

    Examples
    --------
    >>> opt = Momentum(lr=0.1, momentum=0.9)
    >>> params = {"w": np.array([0.0])}
    >>> for _ in range(3):
    ...     opt.update(params, {"w": np.array([1.0])})
    >>> opt.v["w"], params["w"]            # -0.1, then -0.19, then -0.271
    (array([-0.271]), array([-0.561]))
    """

    settings = ("lr", "momentum")

    def __init__(self, lr: float = 0.01, momentum: float = 0.9):
        super().__init__(lr)
        self.momentum = check_real(momentum, "momentum", low=0.0, high=1.0, high_open=True)
        self.v: dict[str, np.ndarray] = {}

    def state(self):
        return {"v": self.v}

    def _apply(self, pairs):
        for key, p, g in pairs:
            v = self._zeros(self.v, key, p)
            buf = self._buffer(key, p)
            np.multiply(g, self.lr, out=buf)
            v *= self.momentum
            v -= buf
            p += v
