r"""Nesterov's accelerated gradient in the form of Bengio et al. (2012), the book's ``Nesterov``."""

from __future__ import annotations

import numpy as np

from ..validation import check_real
from .base import Optimizer

__all__ = ["Nesterov"]


class Nesterov(Optimizer):
    r"""Momentum that looks ahead: the velocity is corrected by the gradient where it is heading.

    In the form of Bengio, Boulanger-Lewandowski and Pascanu (2012, arXiv:1212.0901, eq. 7), which
    tracks the look-ahead point so that only the gradient at the current parameters is needed:

    $$v_t = \alpha v_{t-1} - \eta g_t, \qquad
      W_t = W_{t-1} + \alpha v_t - \eta g_t = W_{t-1} + \alpha^2 v_{t-1} - (1 + \alpha)\eta g_t$$

    **PyTorch.** ``torch.optim.SGD(params, lr=η, momentum=α, nesterov=True)`` keeps
    $b_t = \alpha b_{t-1} + g_t$ and steps $W_t = W_{t-1} - \eta (g_t + \alpha b_t)$: the same
    rule with $v = -\eta b$.

    **The book's code differs.** It applies $\alpha^2 v$ *after* updating $v$, i.e.
    $W_t = W_{t-1} + \alpha^2 v_t - (1+\alpha)\eta g_t$, which is
    $\alpha^3 v_{t-1} - (1 + \alpha + \alpha^2)\eta g_t$: not the paper's rule it cites (its very
    first step is already $1 + \alpha + \alpha^2 = 2.71$ times SGD's instead of $1.9$). nnspec
    follows the paper and PyTorch.

    Parameters
    ----------
    lr : float, default 0.01
        $\eta > 0$.
    momentum : float in $[0, 1)$, default 0.9
        $\alpha$.

    Attributes
    ----------
    v : dict of numpy.ndarray
        The velocity of each parameter, by name.

    Examples
    --------
    >>> opt = Nesterov(lr=0.1, momentum=0.9)
    >>> params = {"w": np.array([0.0])}
    >>> opt.update(params, {"w": np.array([1.0])})
    >>> params["w"]                       # -(1 + 0.9) · 0.1 on the first step
    array([-0.19])
    """

    settings = ("lr", "momentum")

    def __init__(self, lr: float = 0.01, momentum: float = 0.9):
        super().__init__(lr)
        self.momentum = check_real(momentum, "momentum", low=0.0, high=1.0, high_open=True)
        self.v: dict[str, np.ndarray] = {}

    def state(self):
        return {"v": self.v}

    def _apply(self, pairs):
        a = self.momentum
        for key, p, g in pairs:
            v = self._zeros(self.v, key, p)
            step = self._buffer(key, p)
            np.multiply(g, self.lr, out=step)  # η g
            v *= a
            v -= step  # v_t = α v_{t-1} - η g
            p -= step
            np.multiply(v, a, out=step)
            p += step  # W += α v_t - η g
