r"""Batch normalization (Ioffe and Szegedy, 2015), the book's ``BatchNormalization``.

In training, each feature $j$ of a batch $x$ of shape $(N, D)$ is normalised with the batch's own
mean and (biased) variance, then scaled and shifted by the learned $\gamma_j$, $\beta_j$:

$$\mu_j = \frac{1}{N}\sum_{n} x_{nj}, \quad
  \sigma_j^2 = \frac{1}{N}\sum_{n} (x_{nj} - \mu_j)^2, \quad
  \hat x_{nj} = \frac{x_{nj} - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}}, \quad
  y_{nj} = \gamma_j \hat x_{nj} + \beta_j.$$

At inference the batch statistics are replaced by running averages gathered during training.
"""

from __future__ import annotations

import math

import numpy as np

from ..validation import as_float, as_float_array, check_ndim, check_real, resolve_dtype
from .base import Layer

__all__ = ["BatchNormalization"]

#: The book's ε: its code writes ``10e-7``, which is $10 \times 10^{-7} = 10^{-6}$.
BOOK_EPS = 1e-6


class BatchNormalization(Layer):
    r"""Normalise every feature over the batch, then scale by $\gamma$ and shift by $\beta$.

    Parameters
    ----------
    gamma, beta : array_like, shape ``(D,)``
        Initial scale and shift (the book starts them at 1 and 0). Kept as the same objects when
        they are floating arrays of the layer's dtype, as [`Affine`][nnspec.layers.Affine] keeps
        ``W``.
    momentum : float in $[0, 1]$, default 0.9
        The book's convention: the weight of the **old** value in the running averages,
        $m \leftarrow \text{momentum}\cdot m + (1 - \text{momentum})\cdot\mu_{\text{batch}}$.
        PyTorch's ``BatchNorm1d(momentum=...)`` weighs the *new* value, so the book's 0.9 is
        PyTorch's 0.1.
    running_mean, running_var : array_like, shape ``(D,)``, optional
        Starting values of the running averages. Default: mean 0 and variance **1**, as PyTorch
        starts them. (The book starts the variance at 0, so a network used for inference before
        any training step divides by $\sqrt{\varepsilon}$ and blows its inputs up a thousandfold.)
    eps : float, keyword only, default 1e-6
        The $\varepsilon$ under the square root. The default is the book's: its code writes
        ``10e-7``, which is $10^{-6}$, not $10^{-7}$. (PyTorch's default is $10^{-5}$.)
    dtype : numpy dtype, optional
        Parameter and compute dtype; default ``gamma``'s floating dtype, else float64.

    Attributes
    ----------
    params : dict
        ``{"gamma": γ, "beta": β}``.
    grads : dict
        ``{"gamma": ∂L/∂γ, "beta": ∂L/∂β}`` from the last backward.
    running_mean, running_var : numpy.ndarray, shape ``(D,)``
        Updated in place by every training forward pass (also reachable as ``state``).

    Notes
    -----
    **Running variance.** The running variance is updated with the *unbiased* batch variance
    $\frac{N}{N-1}\sigma^2$, as the batch-normalization paper (Algorithm 2) and PyTorch do, while
    the batch itself is normalised with the biased $\sigma^2$. The book's code uses the biased one
    in both places, which makes its running variance a factor $(N-1)/N$ too small.

    **Shapes.** Input ``(N, D)``, or ``(N, C, H, W)`` flattened to ``(N, C·H·W)`` as in the book
    (one statistic per activation, not per channel); the output has the input's shape. A single
    sample ``(D,)`` is accepted at inference. Training needs at least two samples: with one, every
    feature equals its batch mean, $\hat x = 0$ and the output is the constant $\beta$.

    **Backward.** After a training forward pass, with $g = \partial L/\partial y$:

    $$\frac{\partial L}{\partial \beta_j} = \sum_n g_{nj}, \quad
      \frac{\partial L}{\partial \gamma_j} = \sum_n g_{nj}\hat x_{nj}, \quad
      \frac{\partial L}{\partial x_{nj}} = \frac{\gamma_j}{N\sqrt{\sigma_j^2+\varepsilon}}
      \Bigl(N g_{nj} - \frac{\partial L}{\partial \beta_j} - \hat x_{nj}\,\frac{\partial L}{\partial \gamma_j}\Bigr).$$

    After an inference forward pass the layer is the affine map
    $y = \gamma (x - m)/\sqrt{v + \varepsilon} + \beta$ and backward differentiates that.

    Examples
    --------
    >>> bn = BatchNormalization(np.ones(2), np.zeros(2))
    >>> x = np.array([[1.0, 10.0], [3.0, 30.0]])
    >>> bn.forward(x).round(4)              # each column: mean 0, standard deviation 1 (up to eps)
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> bn.running_mean, bn.running_var      # 0.9 · old + 0.1 · batch (unbiased variance)
    (array([0.2, 2. ]), array([ 1.1, 20.9]))
    >>> dx = bn.backward(np.array([[1.0, 0.0], [0.0, 2.0]]))
    >>> bn.grads["beta"], bn.grads["gamma"].round(6)          # Σ g and Σ g·x̂ per column
    (array([1., 2.]), array([-1.,  2.]))
    >>> bool(np.allclose(dx.sum(axis=0), 0))                   # shifting a whole column changes nothing
    True
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None, *, eps=BOOK_EPS, dtype=None):
        super().__init__()
        if dtype is None:
            g = np.asarray(gamma)
            dtype = g.dtype if g.dtype.kind == "f" else np.float64
        dtype = resolve_dtype(dtype)
        gamma = check_ndim(as_float_array(gamma, "gamma", dtype=dtype), "gamma", (1,))
        beta = check_ndim(as_float_array(beta, "beta", dtype=dtype), "beta", (1,))
        d = gamma.shape[0]
        if beta.shape != (d,):
            raise ValueError(f"beta must have shape ({d},) to match gamma, got {beta.shape}")
        self.momentum = check_real(momentum, "momentum", low=0.0, high=1.0)
        self.eps = check_real(eps, "eps", low=0.0, low_open=True)
        self.params = {"gamma": gamma, "beta": beta}
        self.running_mean = self._stat(running_mean, "running_mean", np.zeros(d, dtype=dtype), d, dtype)
        self.running_var = self._stat(running_var, "running_var", np.ones(d, dtype=dtype), d, dtype)
        if np.any(self.running_var < 0):
            raise ValueError("running_var must be >= 0 everywhere (a variance)")
        # Set by every forward pass and read only after one (backward refuses to run before it):
        self.train_flg = None  # pragma: no mutate (equivalent: every forward sets it before backward reads it)
        self.input_shape = None  # pragma: no mutate (equivalent: every forward sets it before backward reads it)
        self.xn = None  # the normalised input, (N, D); None until the first forward
        self.std = None  # pragma: no mutate (equivalent: sqrt(var + eps) of the last forward, set with xn)

    @staticmethod
    def _stat(value, name, default, d, dtype):
        if value is None:
            return default
        arr = check_ndim(as_float_array(value, name, dtype=dtype), name, (1,))
        if arr.shape != (d,):
            raise ValueError(f"{name} must have shape ({d},) to match gamma, got {arr.shape}")
        return arr

    @property
    def state(self) -> dict[str, np.ndarray]:
        """``{"running_mean": ..., "running_var": ...}``: the arrays training updates in place."""
        return {"running_mean": self.running_mean, "running_var": self.running_var}

    @property
    def dtype(self) -> np.dtype:
        """The parameters' dtype."""
        return self.params["gamma"].dtype

    def forward(self, x, train_flg: bool = True, *, check: bool = True):
        r"""Normalise with the batch's statistics (``train_flg=True``) or the running ones.

        Parameters
        ----------
        x : array_like, shape ``(N, D)`` or ``(N, C, H, W)`` with $CHW = D$ (``(D,)`` at inference)
        train_flg : bool, default True
            ``True``: use and update the batch statistics (needs $N \ge 2$). ``False``: use
            ``running_mean`` and ``running_var``; nothing is updated.
        check : bool, keyword only
            ``False``: ``x`` is trusted (see [`Layer`][nnspec.layers.Layer]).

        Returns
        -------
        numpy.ndarray
            The input's shape, in the layer's dtype.
        """
        gamma, beta = self.params["gamma"], self.params["beta"]
        d = gamma.shape[0]
        if check:
            x = as_float(x, "x", gamma.dtype)
            if x.ndim == 0 or math.prod(x.shape[1:] if x.ndim > 1 else x.shape) != d:
                raise ValueError(
                    f"x must have shape (N, {d}), (N, ...) with {d} features per sample, or ({d},); got {x.shape}"
                )
        shape = x.shape
        x2 = x.reshape(1 if x.ndim == 1 else shape[0], d)  # a view; (N, D) stays as it is
        n = x2.shape[0]
        if train_flg:
            if n < 2:
                raise ValueError(
                    f"x must hold at least 2 samples in training mode (batch statistics of one sample are "
                    f"the sample itself), got shape {shape}"
                )
            mu = np.add.reduce(x2)  # over the batch: reduce sums along axis 0
            mu /= n
            xc = x2 - mu
            var = np.add.reduce(xc * xc)
            var /= n  # biased: the batch is normalised with its own spread
            std = var + self.eps
            np.sqrt(std, out=std)
            m = self.momentum
            self.running_mean *= m
            self.running_mean += (1 - m) * mu
            self.running_var *= m
            self.running_var += ((1 - m) * n / (n - 1)) * var  # unbiased, as the paper and PyTorch
        else:
            xc = x2 - self.running_mean
            std = np.sqrt(self.running_var + self.eps)
        xc /= std
        self.xn, self.std, self.train_flg, self.input_shape = xc, std, bool(train_flg), shape
        out = xc * gamma
        out += beta
        return out.reshape(shape)

    def backward(self, dout, *, input_grad: bool = True, check: bool = True):
        r"""Fill ``grads`` with $\partial L/\partial\gamma$, $\partial L/\partial\beta$; return $\partial L/\partial x$.

        Parameters
        ----------
        dout : array_like, shape of the forward input
        input_grad : bool, keyword only
            ``False`` returns ``None`` after filling ``grads``.
        check : bool, keyword only
            ``False``: ``dout`` is trusted (see [`Layer`][nnspec.layers.Layer]).

        Returns
        -------
        numpy.ndarray or None
            The forward input's shape.
        """
        if self.xn is None:
            raise RuntimeError("BatchNormalization.backward called before forward")
        xn = self.xn
        if check:
            dout = as_float(dout, "dout", xn.dtype)
            if dout.shape != self.input_shape:
                raise ValueError(f"dout must have the forward input's shape {self.input_shape}, got {dout.shape}")
        g = dout.reshape(xn.shape)
        dbeta = np.add.reduce(g)  # over the batch: reduce sums along axis 0
        dgamma = np.add.reduce(g * xn)
        self.grads["gamma"], self.grads["beta"] = dgamma, dbeta
        if not input_grad:
            return None
        scale = self.params["gamma"] / self.std
        if self.train_flg:
            n = xn.shape[0]
            dx = xn * dgamma
            dx += dbeta
            dx /= -n
            dx += g  # g − (∂β + x̂·∂γ)/N
            dx *= scale
        else:
            dx = g * scale
        return dx.reshape(self.input_shape)
