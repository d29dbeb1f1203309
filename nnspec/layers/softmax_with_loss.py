r"""Softmax and cross-entropy fused into one output layer.

For scores $x$ of shape $(N, C)$ and targets $t$ (one-hot rows, or labels),

$$y = \operatorname{softmax}(x), \qquad
  L = -\frac{1}{N} \sum_{n=1}^{N} \sum_{k=1}^{C} t_{nk} \log y_{nk}, \qquad
  \frac{\partial L}{\partial x} = \frac{y - t}{N}.$$

The log-probabilities are computed as $\log y_{nk} = x_{nk} - \operatorname{logsumexp}(x_{n,:})$
(log-softmax), never as ``log(softmax(x) + 1e-7)``: the loss is exact to rounding, finite for any
finite scores, and its numerical derivative agrees tightly with the backward pass.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, resolve_dtype

__all__ = ["SoftmaxWithLoss"]


class SoftmaxWithLoss:
    r"""Softmax followed by the mean cross-entropy loss; backward gives exactly $(y - t)/N$.

    Parameters
    ----------
    dtype : numpy dtype, optional
        Compute in this floating dtype. ``None`` (default) keeps the dtype of floating scores and
        turns integer scores into float64. One-hot targets are cast to the same dtype, so a
        float32 layer never upcasts.

    Attributes
    ----------
    y : numpy.ndarray, shape ``(N, C)`` (``(C,)`` for one sample)
        Softmax of the last forward scores.
    t : numpy.ndarray
        The last targets: integer labels ``(N,)`` or one-hot ``(N, C)`` (as given, cast).
    loss : numpy floating scalar
        The last loss, in the compute dtype.

    Examples
    --------
    >>> layer = SoftmaxWithLoss()
    >>> x = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]])
    >>> round(float(layer.forward(x, [0, 1])), 6)
    0.306882
    >>> layer.backward()
    array([[-0.17049943,  0.12121649,  0.04928295],
           [ 0.05558281, -0.08929549,  0.03371268]])

    One-hot targets give the same loss:

    >>> round(float(layer.forward(x, [[1, 0, 0], [0, 1, 0]])), 6)
    0.306882
    """

    def __init__(self, dtype=None):
        self.dtype = None if dtype is None else resolve_dtype(dtype)
        self.y = None
        self.t = None
        self.loss = None
        self._single = False

    def forward(self, x, t):
        r"""Mean cross-entropy of $\operatorname{softmax}(x)$ against $t$.

        Parameters
        ----------
        x : array_like, shape ``(N, C)`` or ``(C,)``
            Scores (logits).
        t : array_like
            Integer labels of shape ``(N,)`` (a scalar for one sample), each in ``0 .. C-1``,
            or one-hot (or any probability) rows of shape ``(N, C)`` / ``(C,)``.

        Returns
        -------
        numpy floating scalar
            $L \ge 0$, in the compute dtype.
        """
        x = as_float_array(x, "x", dtype=self.dtype, finite=False)
        if x.ndim not in (1, 2) or x.size == 0:
            raise ValueError(f"x must have shape (N, C) or (C,) with N >= 1 and C >= 1, got {x.shape}")
        self._single = x.ndim == 1
        x2 = x.reshape(1, -1) if self._single else x
        n, c = x2.shape
        t = np.asarray(t)
        if t.shape == x.shape:  # one-hot or probabilities
            t = as_float_array(t, "t", dtype=x.dtype)
            labels = None
            t2 = t.reshape(n, c)
        elif t.shape == x.shape[:-1]:  # labels
            if t.dtype.kind not in "iu":
                raise TypeError(f"t given as labels (shape {t.shape}) must be integers, got dtype {t.dtype}")
            labels = t.reshape(n)
            if (labels.min() < 0 or labels.max() >= c):
                raise ValueError(f"t labels must be in 0..{c - 1}, got values from {labels.min()} to {labels.max()}")
        else:
            raise ValueError(
                f"t must be labels of shape {x.shape[:-1]} or one-hot of shape {x.shape}, got shape {t.shape}"
            )

        # x - max overflows only when scores differ by more than the float range; e^(-inf) = 0 is
        # then the right answer.
        with np.errstate(over="ignore"):
            s = x2 - x2.max(axis=1, keepdims=True)  # the largest shifted score is 0
        if labels is not None:
            picked = s[np.arange(n), labels]  # log-probability of the right class, before normalizing
        else:
            with np.errstate(invalid="ignore"):  # 0 · (-inf) after an overflow above
                picked = np.einsum("nk,nk->n", t2, s)  # Σ_k t_nk s_nk
            if not np.isfinite(picked).all():  # only for scores more than the float range apart
                picked = np.einsum("nk,nk->n", t2, np.maximum(s, np.finfo(s.dtype).min))
        np.exp(s, out=s)  # s now holds e = exp(shifted), every row's maximum is 1
        sums = s.sum(axis=1, keepdims=True)  # >= 1, so log never sees 0
        lse = np.log(sums).reshape(n)
        if labels is None:
            lse *= t2.sum(axis=1)  # Σ_k t_nk (1 for one-hot rows)
        per_sample = lse - picked
        s /= sums
        self.y = s[0] if self._single else s
        self.t = t
        self._labels = labels
        self.loss = per_sample.sum() / n
        return self.loss

    def backward(self, dout=1):
        r"""$\partial L/\partial x = \mathrm{dout} \cdot (y - t)/N$.

        Parameters
        ----------
        dout : float, default 1
            $\partial(\text{final loss})/\partial L$; 1 when $L$ is the loss.

        Returns
        -------
        numpy.ndarray
            Shape of the forward scores, in the compute dtype. Computed as ``(y - t) / N`` and then
            multiplied by ``dout`` only when ``dout != 1``, so with the default it equals
            ``(y - t) / N`` bit for bit.
        """
        if self.y is None:
            raise RuntimeError("SoftmaxWithLoss.backward called before forward")
        y2 = self.y.reshape(1, -1) if self._single else self.y
        n = y2.shape[0]
        if self._labels is not None:
            dx = y2.copy()
            dx[np.arange(n), self._labels] -= 1
        else:
            dx = y2 - self.t.reshape(y2.shape)
        dx /= n
        if np.ndim(dout) != 0:
            raise ValueError(f"dout must be a scalar (the loss is a scalar), got shape {np.shape(dout)}")
        if dout != 1:
            dx *= dout
        return dx.reshape(self.y.shape)
