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

from ..validation import as_float as _as_float
from ..validation import as_float_array, resolve_dtype

__all__ = ["SoftmaxWithLoss"]

# The unsigned integer type of each size, to view signed labels as (a negative one becomes huge).
_UNSIGNED = {np.dtype(u).itemsize: np.dtype(u) for u in (np.uint8, np.uint16, np.uint32, np.uint64)}


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

    Notes
    -----
    With labels the layer works on the scores transposed, ``(C, N)``: the softmax reduces over
    the $C$ classes of every sample, and NumPy reduces over the first axis of a C-ordered array
    (a few vectorized passes) much faster than over a short last axis (one tiny loop per row).
    So ``y`` is then a transposed (Fortran-ordered) view; its values are the same.

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
        self._labels = self._yt = self._idx_t = self._cols = None

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
        x = _as_float(x, "x", self.dtype)
        if x.ndim not in (1, 2) or x.size == 0:
            raise ValueError(f"x must have shape (N, C) or (C,) with N >= 1 and C >= 1, got {x.shape}")
        single = x.ndim == 1
        x2 = np.atleast_2d(x)  # one sample (C,) as a batch (1, C)
        n, c = x2.shape
        t = np.asarray(t)
        if t.shape == x.shape:  # one-hot or probabilities
            t = as_float_array(t, "t", dtype=x.dtype)
            loss = self._forward_probs(x2, t.reshape(n, c))
        elif t.shape == x.shape[:-1]:  # labels
            loss = self._forward_labels_t(x2.T.copy(), self._check_labels(t, c).ravel())  # (N,), also for N = 1
        else:
            raise ValueError(
                f"t must be labels of shape {x.shape[:-1]} or one-hot of shape {x.shape}, got shape {t.shape}"
            )
        if single:
            self.y = self.y[0]
        self.t = t
        return loss

    @staticmethod
    def _check_labels(t: np.ndarray, c: int) -> np.ndarray:
        """``t`` (in native byte order), after checking that it holds integers in ``0 .. c-1``."""
        if not np.issubdtype(t.dtype, np.integer):  # bool is not an integer dtype here
            raise TypeError(f"t given as labels (shape {t.shape}) must be integers, got dtype {t.dtype}")
        if not t.dtype.isnative:  # e.g. big-endian labels from a file
            t = t.astype(t.dtype.newbyteorder("="))
        # One pass: seen as unsigned, a negative label is huge, so `max < C` checks both ends.
        unsigned = t.view(_UNSIGNED[t.dtype.itemsize])  # unsigned labels stay as they are
        if t.size and np.maximum.reduce(unsigned) >= c:  # t is 0-D or 1-D: reduce sees every label
            raise ValueError(f"t labels must be in 0..{c - 1}, got values from {t.min()} to {t.max()}")
        return t

    def _forward_labels_t(self, st: np.ndarray, labels: np.ndarray):
        r"""The loss for scores given transposed, ``st`` of shape ``(C, N)`` (C-ordered, overwritten
        with $y^{\mathsf T}$), and checked labels ``(N,)``; sets ``y`` and ``loss``."""
        c, n = st.shape
        # x - max overflows only when scores differ by more than the float range; e^(-inf) = 0 is
        # then the right answer.
        with np.errstate(over="ignore"):
            st -= np.maximum.reduce(st)  # over the classes (axis 0): every sample's largest shifted score is 0
        cols = self._cols  # pragma: no mutate (equivalent: the cache only saves an arange)
        if cols is None or cols.shape[0] != n:
            cols = self._cols = np.arange(n)
        # Where each sample's target sits in the flattened (C, N) array: one gather, not st[labels, cols].
        # intp: uint8 labels times N would wrap around. The product is a new array whether astype copies
        # or not, so the copy flag cannot change anything.
        idx = labels.astype(np.intp, copy=False) * n  # pragma: no mutate (equivalent: copy flag moot)
        idx += cols
        picked = st.take(idx)  # log-probability of the right class, before normalizing
        np.exp(st, out=st)  # e = exp(shifted); every sample's largest is 1
        sums = np.add.reduce(st)  # over the classes; >= 1, so log never sees 0
        per_sample = np.log(sums)
        per_sample -= picked
        st /= sums
        self._yt, self.y, self._labels, self._idx_t = st, st.T, labels, idx
        self.loss = loss = np.add.reduce(per_sample) / n
        return loss

    def _forward_probs(self, x2: np.ndarray, t2: np.ndarray):
        """The loss for scores ``(N, C)`` and target rows ``(N, C)`` of the same dtype; sets ``y``."""
        n = x2.shape[0]
        # As above: an overflow here means scores more than the float range apart.
        with np.errstate(over="ignore"):
            s = x2 - x2.max(axis=1, keepdims=True)
        # 0 · (-inf) after an overflow above is NaN (einsum reports no floating-point error: the
        # errstate is a guard) and is repaired below. Upper-case subscripts are the same einsum.
        with np.errstate(invalid="ignore"):  # pragma: no mutate (equivalent: einsum raises no FP error)
            picked = np.einsum("nk,nk->n", t2, s)  # pragma: no mutate (equivalent: subscripts' case)
        if not np.isfinite(picked).all():  # only for scores more than the float range apart
            finite = np.maximum(s, np.finfo(s.dtype).min)
            picked = np.einsum("nk,nk->n", t2, finite)  # pragma: no mutate (equivalent: subscripts' case)
        np.exp(s, out=s)
        sums = s.sum(axis=1, keepdims=True)
        lse = np.log(sums).reshape(n)
        lse *= t2.sum(axis=1)  # Σ_k t_nk (1 for one-hot rows)
        per_sample = lse - picked
        s /= sums
        self.y, self._yt, self._labels, self._idx_t = s, None, None, None
        self.loss = loss = per_sample.sum() / n
        return loss

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
        if np.ndim(dout) != 0:
            raise ValueError(f"dout must be a scalar (the loss is a scalar), got shape {np.shape(dout)}")
        if self._labels is not None:
            dxt = self._yt.copy()
            n = dxt.shape[1]
            dxt.reshape(dxt.size)[self._idx_t] -= 1  # y - t: 1 off every sample's target entry
            dx = dxt.T
        else:
            y2 = np.atleast_2d(self.y)  # one sample (C,) as a batch (1, C)
            n = y2.shape[0]
            dx = y2 - self.t  # t has y's shape: (C,) broadcasts against (1, C)
        dx /= n
        if dout != 1:
            dx *= dout
        return dx.reshape(self.y.shape)
