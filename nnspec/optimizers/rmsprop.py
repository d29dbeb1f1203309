r"""RMSprop (Tieleman and Hinton, 2012), the book's ``RMSprop``."""

from __future__ import annotations

import numpy as np

from ..validation import check_real
from .base import Optimizer

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""AdaGrad with a fading memory: an exponential average of squared gradients.

    $$h \leftarrow \rho h + (1 - \rho)\, g \odot g, \qquad
      W \leftarrow W - \eta\,\frac{g}{\sqrt{h} + \varepsilon}$$

    with $h = 0$ at the start. Old gradients fade by $\rho$ per step, so when gradients become
    small the effective rate $\eta / (\sqrt h + \varepsilon)$ recovers, unlike AdaGrad's.

    **PyTorch.** ``torch.optim.RMSprop(params, lr=η, alpha=ρ, eps=ε)`` (no momentum, not
    centered) is the same rule; PyTorch calls $\rho$ ``alpha`` and defaults ε to $10^{-8}$.

    Parameters
    ----------
    lr : float, default 0.01
        $\eta > 0$.
    decay_rate : float in $[0, 1)$, default 0.99
        $\rho$, the weight of the old average.
    eps : float, keyword only, default 1e-7
        $\varepsilon > 0$, as in the book.

    Attributes
    ----------
    h : dict of numpy.ndarray
        The running average of squared gradients of each parameter, by name.

    Examples
    --------
    >>> opt = RMSprop(lr=0.01, decay_rate=0.99)
    >>> params = {"w": np.array([0.0])}
    >>> opt.update(params, {"w": np.array([2.0])})
    >>> opt.h["w"], params["w"].round(6)    # h = 0.01 · 4; the step is 0.01 · 2 / 0.2
    (array([0.04]), array([-0.1]))
    """

    settings = ("lr", "decay_rate", "eps")

    def __init__(self, lr: float = 0.01, decay_rate: float = 0.99, *, eps: float = 1e-7):
        super().__init__(lr)
        self.decay_rate = check_real(decay_rate, "decay_rate", low=0.0, high=1.0, high_open=True)
        self.eps = check_real(eps, "eps", low=0.0, low_open=True)
        self.h: dict[str, np.ndarray] = {}

    def state(self):
        return {"h": self.h}

    def _apply(self, pairs):
        rho = self.decay_rate
        for key, p, g in pairs:
            h = self._zeros(self.h, key, p)
            buf = self._buffer(key, p)
            np.multiply(g, g, out=buf)
            buf *= 1 - rho
            h *= rho
            h += buf
            np.sqrt(h, out=buf)
            buf += self.eps
            np.divide(g, buf, out=buf)
            buf *= self.lr
            p -= buf
