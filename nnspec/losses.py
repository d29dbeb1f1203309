r"""Loss functions of chapter 4: how far a network's output is from the target.

Both losses take the network's output ``y`` for one sample, shape ``(n,)``, or for a batch,
shape ``(N, n)``, and the target ``t`` in either of two forms:

- **one-hot** (or any target vector): the same shape as ``y``;
- **label indices**: integers in $[0, n)$, one per sample, shape ``()`` for one sample or
  ``(N,)`` for a batch.

A batch gives the **mean** of the per-sample losses, so the loss does not grow with the batch
size and a single sample ``y`` of shape ``(n,)`` gives the same number as the batch ``y[None]``.
Both return a Python ``float``.
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_ndim

__all__ = ["sum_squared_error", "cross_entropy_error", "targets_as_dense"]


def _raw(t) -> np.ndarray:
    try:
        return np.asarray(t)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise TypeError(f"t must be a numeric array, got {type(t).__name__} ({exc})") from exc


def targets_as_dense(y: np.ndarray, t, *, probabilities: bool) -> np.ndarray:
    """``t`` as a dense array of ``y``'s shape: label indices become one-hot rows of ``y``'s dtype, checked.

    Shared by the losses here and [`accuracy`][nnspec.metrics.accuracy]: integer labels of shape
    ``y.shape[:-1]`` in ``[0, n)``, or target rows of ``y``'s shape (with entries in ``[0, 1]``
    when ``probabilities``). Anything else raises a ``ValueError`` or ``TypeError`` naming ``t``.

    Examples
    --------
    >>> targets_as_dense(np.zeros((2, 3)), [2, 0], probabilities=True)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    t_raw = _raw(t)
    if t_raw.ndim == y.ndim - 1:  # label indices
        if not np.issubdtype(t_raw.dtype, np.integer):  # bool is not an integer dtype here
            raise TypeError(
                f"t with shape {t_raw.shape} is read as class labels, which must be integers, "
                f"got dtype {t_raw.dtype}; pass one-hot targets of shape {y.shape} instead"
            )
        if t_raw.shape != y.shape[:-1]:
            raise ValueError(f"t (labels) must have shape {y.shape[:-1]} to match y {y.shape}, got {t_raw.shape}")
        n = y.shape[-1]
        bad = (t_raw < 0) | (t_raw >= n)
        if np.any(bad):
            first = t_raw[np.argwhere(bad)[0][0]] if t_raw.ndim else t_raw
            raise ValueError(f"t (labels) must be class indices in [0, {n}), got {int(first)}")
        return (np.arange(n) == t_raw[..., None]).astype(y.dtype)
    t_arr = as_float_array(t, "t")
    if t_arr.shape != y.shape:
        raise ValueError(
            f"t must be one-hot with the shape of y {y.shape}, or integer labels of shape {y.shape[:-1]}; "
            f"got shape {t_arr.shape}"
        )
    if probabilities and np.any((t_arr < 0) | (t_arr > 1)):
        raise ValueError(f"t (one-hot) must have entries in [0, 1], got {t_arr[(t_arr < 0) | (t_arr > 1)][0]}")
    return t_arr


def _as_output(y, name: str = "y") -> np.ndarray:
    y = check_ndim(as_float_array(y, name), name, (1, 2))
    if y.shape[-1] == 0 or y.shape[0] == 0:
        raise ValueError(f"{name} must have at least one sample and one class, got shape {y.shape}")
    return y


def sum_squared_error(y, t) -> float:
    r"""The book's *sum of squares error*: half the squared distance between output and target.

    $$E = \frac{1}{2} \sum_{k=1}^{n} (y_k - t_k)^2$$

    For a batch of $N$ samples it is the mean over the batch of the per-sample $E$:
    $E = \frac{1}{N} \sum_{i=1}^{N} \frac{1}{2} \sum_k (y_{ik} - t_{ik})^2$.

    This is **not** the mean squared error $\frac{1}{n}\sum_k (y_k - t_k)^2$: the classes are
    summed, not averaged, and the factor $\frac{1}{2}$ is there so that the gradient is the plain
    difference, $\partial E / \partial y_k = y_k - t_k$ (divided by $N$ for a batch).

    Parameters
    ----------
    y : array_like, shape ``(n,)`` or ``(N, n)``
        Finite outputs (any real numbers; this loss also serves regression).
    t : array_like, shape of ``y``, or integer labels of shape ``()`` / ``(N,)``
        Targets: real values or one-hot rows, or class indices in $[0, n)$ that stand for
        one-hot rows.

    Returns
    -------
    float
        $E \ge 0$. Without a warning it is ``inf`` when an intermediate square or sum exceeds the
        float range (only for differences beyond about $10^{154}$ in float64).

    Raises
    ------
    ValueError
        ``y`` not 1-D or 2-D or empty, ``t`` of the wrong shape, labels out of range, non-finite
        input.
    TypeError
        Non-numeric input, or labels that are not integers.

    Examples
    --------
    The book's example: the answer is class 2 and the network says 0.6 for it.

    >>> t = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    >>> y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
    >>> round(sum_squared_error(y, t), 10)
    0.0975
    >>> sum_squared_error(y, 2) == sum_squared_error(y, t)
    True
    """
    y = _as_output(y)
    t = targets_as_dense(y, t, probabilities=False)  # pragma: no mutate (equivalent: None is false too)
    with np.errstate(over="ignore"):  # beyond the float range the answer is inf, said above
        d = y - t
        per_sample = 0.5 * np.sum(d * d, axis=-1)
        return float(np.mean(per_sample))


def cross_entropy_error(y, t) -> float:
    r"""Cross-entropy between predicted probabilities ``y`` and the target ``t``.

    $$E = -\sum_{k=1}^{n} t_k \log \max(y_k,\ y_{\text{tiny}})$$

    averaged over the batch for ``y`` of shape ``(N, n)``. With label indices $t$ this is
    $-\log y_t$, the minus log of the probability given to the right class.

    **The guard against** $\log 0$: each $y_k$ is raised to at least $y_{\text{tiny}}$, the
    smallest positive normal number of ``y``'s dtype (``np.finfo(dtype).tiny``: $2.2 \times
    10^{-308}$ in float64, $1.2 \times 10^{-38}$ in float32). Every probability from
    $y_{\text{tiny}}$ up is used exactly, so the loss is the exact cross-entropy there, it is
    never negative, and a zero probability costs at most $-\log y_{\text{tiny}}$ ($\approx 708.4$
    in float64, $87.3$ in float32) instead of ``inf`` and a warning. (The book adds
    $\delta = 10^{-7}$ inside the log instead, which shifts every value by up to $\delta / y$
    and makes the loss of a perfect prediction $-\log(1 + 10^{-7}) < 0$.)

    Parameters
    ----------
    y : array_like, shape ``(n,)`` or ``(N, n)``
        Probabilities in $[0, 1]$, e.g. a softmax output.
    t : array_like, shape of ``y``, or integer labels of shape ``()`` / ``(N,)``
        One-hot rows (any entries in $[0, 1]$ are accepted), or class indices in $[0, n)$.

    Returns
    -------
    float
        $E \ge 0$, the mean over the batch.

    Raises
    ------
    ValueError
        ``y`` outside $[0, 1]$, not 1-D or 2-D, or empty; ``t`` of the wrong shape or outside
        $[0, 1]$; labels out of range; non-finite input.
    TypeError
        Non-numeric input, or labels that are not integers.

    Examples
    --------
    >>> y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
    >>> round(cross_entropy_error(y, 2), 4)
    0.5108
    >>> round(cross_entropy_error([[0.5, 0.5], [0.9, 0.1]], [0, 0]), 6)   # mean of -log 0.5, -log 0.9
    0.399254
    >>> round(cross_entropy_error([1.0, 0.0], 1), 1)                       # zero probability: finite
    708.4
    """
    y = _as_output(y)
    outside = (y < 0) | (y > 1)
    if np.any(outside):
        raise ValueError(f"y must be probabilities in [0, 1], got {y[outside][0]}")
    tiny = np.finfo(y.dtype).tiny
    t_raw = _raw(t)
    # A shortcut for labels: the dense path below gives the same float, bit for bit (every other term is
    # an exact 0), so the mutants that skip the shortcut, or reshape with -2 (as -1) or without axis=1
    # (NumPy's default axis, -1, is 1 here), are equivalent.
    integers = np.issubdtype(t_raw.dtype, np.integer)  # pragma: no mutate (equivalent: both paths agree)
    if t_raw.ndim == y.ndim - 1 and integers:  # pragma: no mutate (equivalent: both paths agree)
        targets_as_dense(y, t_raw, probabilities=True)  # pragma: no mutate (equivalent: unused for labels)
        rows, cols = y.reshape(-1, y.shape[-1]), t_raw.reshape(-1, 1)  # pragma: no mutate (equivalent: -2 acts as -1)
        picked = np.take_along_axis(rows, cols, axis=1)  # pragma: no mutate (equivalent: default axis -1 is 1)
        return float(np.mean(-np.log(np.maximum(picked, tiny))))
    t = targets_as_dense(y, t_raw, probabilities=True)
    per_sample = -np.sum(t * np.log(np.maximum(y, tiny)), axis=-1)
    return float(np.mean(per_sample))
