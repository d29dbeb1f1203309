r"""AdaGrad (Duchi, Hazan and Singer, 2011), the book's ``AdaGrad``."""

from __future__ import annotations

import numpy as np

from ..validation import check_real
from .base import Optimizer

__all__ = ["AdaGrad"]


class AdaGrad(Optimizer):
    r"""A learning rate per entry that shrinks as that entry's gradients add up.

    $$h \leftarrow h + g \odot g, \qquad W \leftarrow W - \eta\,\frac{g}{\sqrt{h} + \varepsilon}$$

    with $h = 0$ at the start. The effective rate $\eta / (\sqrt{h} + \varepsilon)$ of an entry can
    only fall, so after enough steps learning stalls (what RMSprop fixes).

    **PyTorch.** ``torch.optim.Adagrad(params, lr=η, eps=ε)`` with its defaults
    ``lr_decay=0`` and ``initial_accumulator_value=0`` is the same rule (PyTorch's default ε is
    $10^{-10}$; the book's is $10^{-7}$).

    Parameters
    ----------
    lr : float, default 0.01
        $\eta > 0$.
    eps : float, keyword only, default 1e-7
        $\varepsilon > 0$, added to $\sqrt h$ as in the book, so an entry that has seen only zero
        gradients is not divided by zero.

    Attributes
    ----------
    h : dict of numpy.ndarray
        The running sum of squared gradients of each parameter, by name.

    Examples
    --------
    >>> opt = AdaGrad(lr=0.1)
    >>> params = {"w": np.array([0.0, 0.0])}
    >>> opt.update(params, {"w": np.array([1.0, 100.0])})
    >>> params["w"].round(6)               # the first step is η per entry, whatever the scale
    array([-0.1, -0.1])
    """

    settings = ("lr", "eps")

    def __init__(self, lr: float = 0.01, *, eps: float = 1e-7):
        super().__init__(lr)
        self.eps = check_real(eps, "eps", low=0.0, low_open=True)
        self.h: dict[str, np.ndarray] = {}

    def state(self):
        return {"h": self.h}

    def _apply(self, pairs):
        for key, p, g in pairs:
            h = self._zeros(self.h, key, p)
            buf = self._buffer(key, p)
            np.multiply(g, g, out=buf)
            h += buf
            np.sqrt(h, out=buf)
            buf += self.eps
            np.divide(g, buf, out=buf)
            buf *= self.lr
            p -= buf
