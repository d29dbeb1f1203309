r"""Adam (Kingma and Ba, 2015), the book's ``Adam``."""

from __future__ import annotations

import math

import numpy as np

from ..validation import check_real
from .base import Optimizer

__all__ = ["Adam"]


class Adam(Optimizer):
    r"""Momentum and RMSprop together, with the bias of their zero start corrected.

    At step $t = 1, 2, \ldots$ (counted by ``iter``), for every parameter:

    $$m \leftarrow m + (1 - \beta_1)(g - m), \qquad v \leftarrow v + (1 - \beta_2)(g \odot g - v),$$

    $$W \leftarrow W - \eta_t\,\frac{m}{\sqrt v + \varepsilon}, \qquad
      \eta_t = \eta\,\frac{\sqrt{1 - \beta_2^{\,t}}}{1 - \beta_1^{\,t}}$$

    ($m \leftarrow m + (1-\beta_1)(g - m)$ is $m \leftarrow \beta_1 m + (1 - \beta_1) g$, as the
    book writes it.) The correction makes the very first step
    $\eta\,g/(|g| + \varepsilon/\sqrt{1-\beta_2})$, about $\eta$ per entry whatever the gradient's
    scale.

    **PyTorch.** ``torch.optim.Adam(params, lr=η, betas=(β₁, β₂), eps=ε')`` steps
    $W \leftarrow W - \frac{\eta}{1 - \beta_1^t}\,\frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \varepsilon'}$.
    Multiplying through by $\sqrt{1-\beta_2^t}$ shows it is this rule with
    $\varepsilon = \varepsilon'\sqrt{1-\beta_2^t}$: the book adds its ε where PyTorch's would be
    $\varepsilon/\sqrt{1 - \beta_2^t}$, a value that changes with $t$. The two agree exactly when
    PyTorch's ε is chosen that way at each step, and differ only in the ε term otherwise.

    Parameters
    ----------
    lr : float, default 0.001
        $\eta > 0$.
    beta1, beta2 : float in $[0, 1)$, defaults 0.9 and 0.999
        Decay rates of the first and second moment estimates.
    eps : float, keyword only, default 1e-7
        $\varepsilon > 0$, where the book adds it.

    Attributes
    ----------
    iter : int
        Steps taken ($t$ of the last update).
    m, v : dict of numpy.ndarray
        First and second moment estimates of each parameter, by name.

    Examples
    --------
    >>> opt = Adam(lr=0.001)
    >>> params = {"w": np.array([0.0, 0.0])}
    >>> opt.update(params, {"w": np.array([1e-3, 1e3])})
    >>> params["w"].round(7)              # about -η per entry on the first step (ε shows on tiny ones)
    array([-0.0009968, -0.001    ])
    """

    settings = ("lr", "beta1", "beta2", "eps")

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, *, eps: float = 1e-7):
        super().__init__(lr)
        self.beta1 = check_real(beta1, "beta1", low=0.0, high=1.0, high_open=True)
        self.beta2 = check_real(beta2, "beta2", low=0.0, high=1.0, high_open=True)
        self.eps = check_real(eps, "eps", low=0.0, low_open=True)
        self.iter = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def state(self):
        return {"m": self.m, "v": self.v}

    def _apply(self, pairs):
        self.iter += 1
        t, b1, b2 = self.iter, self.beta1, self.beta2
        lr_t = self.lr * math.sqrt(1.0 - b2**t) / (1.0 - b1**t)
        for key, p, g in pairs:
            m = self._zeros(self.m, key, p)
            v = self._zeros(self.v, key, p)
            buf = self._buffer(key, p)
            np.subtract(g, m, out=buf)
            buf *= 1 - b1
            m += buf  # m += (1 - β1)(g - m)
            np.multiply(g, g, out=buf)
            buf -= v
            buf *= 1 - b2
            v += buf  # v += (1 - β2)(g² - v)
            np.sqrt(v, out=buf)
            buf += self.eps
            np.divide(m, buf, out=buf)
            buf *= lr_t
            p -= buf
