r"""Activation and output functions of chapter 3.

Every function takes a scalar, a sample of shape ``(n,)`` or a batch of shape ``(N, n)`` and
returns an array of the same shape. Floating input keeps its dtype; integer input becomes float64.
No function emits a RuntimeWarning for finite input.
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array

__all__ = ["step_function", "sigmoid", "relu", "identity_function", "softmax"]


def step_function(x):
    r"""The step function a perceptron uses: 1 where the input is positive, else 0.

    $$h(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}$$

    Parameters
    ----------
    x : array_like, any shape
        Finite real input.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``; only the values 0.0 and 1.0.

    Examples
    --------
    >>> step_function([-1.0, 0.0, 2.0])
    array([0., 0., 1.])
    """
    x = as_float_array(x)
    return np.asarray(x > 0).astype(x.dtype)


def sigmoid(x):
    r"""The logistic sigmoid, computed without overflow warnings for any finite input.

    $$\sigma(x) = \frac{1}{1 + e^{-x}}$$

    The formula is evaluated in (at least) float64 and rounded once to the dtype of ``x``. For
    $x < -709.78$ the term $e^{-x}$ exceeds the float64 range and becomes ``inf``; the result is
    then $1 / \infty = 0$, the correctly signed limit (the true value is below $10^{-308}$), and no
    overflow warning is raised. Every step is a monotone operation, so the computed sigmoid is
    weakly increasing, as the exact one is strictly increasing. (The form
    $e^{x} / (1 + e^{x})$ for $x < 0$ avoids the overflow too, but its two roundings can make
    it decrease by one unit in the last place between neighbouring inputs.)

    Parameters
    ----------
    x : array_like, any shape
        Finite real input.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``. Values lie in $[0, 1]$; in float64 they are
        strictly inside $(0, 1)$ for $-709 \le x \le 36$: above $x \approx 36.74$,
        $e^{-x} \le 2^{-53}$ and $1 + e^{-x}$ rounds to exactly 1.

    Examples
    --------
    >>> sigmoid([-1.0, 0.0, 1.0])
    array([0.26894142, 0.5       , 0.73105858])
    >>> float(sigmoid(40.0)), float(sigmoid(-800.0))
    (1.0, 0.0)
    """
    x = as_float_array(x)
    work = np.asarray(x, dtype=np.promote_types(x.dtype, np.float64))
    # e^{-x} overflows to inf for x < -709.78; 1 / (1 + inf) = 0 is the right limit there.
    with np.errstate(over="ignore"):
        y = 1 / (1 + np.exp(-work))
    return np.asarray(y, dtype=x.dtype)


def relu(x):
    r"""Rectified linear unit: the input where it is positive, else 0.

    $$\operatorname{relu}(x) = \max(0, x)$$

    Parameters
    ----------
    x : array_like, any shape
        Finite real input.

    Returns
    -------
    numpy.ndarray
        Same shape and dtype as ``x``.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    x = as_float_array(x)
    return np.asarray(np.maximum(x, x.dtype.type(0)))


def identity_function(x):
    r"""The identity, the output function for regression: $\operatorname{id}(x) = x$.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    numpy.ndarray
        ``x`` as a floating array (a new array; the input is never returned itself).

    Examples
    --------
    >>> identity_function([0.3, 0.7])
    array([0.3, 0.7])
    """
    return as_float_array(x).copy()


def softmax(x):
    r"""Softmax over the last axis, computed stably.

    $$\operatorname{softmax}(x)_k = \frac{e^{x_k}}{\sum_{i=1}^{n} e^{x_i}}
      = \frac{e^{x_k - m}}{\sum_{i=1}^{n} e^{x_i - m}}, \qquad m = \max_i x_i$$

    The maximum is *subtracted* from every input before the exponential (softmax is unchanged by
    adding a constant to all inputs), so the largest term is $e^0 = 1$ and nothing overflows.

    Parameters
    ----------
    x : array_like, shape ``(n,)`` or ``(N, n)`` (any leading axes)
        Finite scores; the last axis holds one sample's $n$ classes.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``; along the last axis every value is in $[0, 1]$ and they sum to 1.

    Examples
    --------
    >>> softmax([1010.0, 1000.0, 990.0])
    array([9.99954600e-01, 4.53978686e-05, 2.06106005e-09])
    >>> softmax([[0.0, 0.0], [1.0, 1.0]])
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    x = as_float_array(x)
    if x.ndim == 0:
        raise ValueError(f"x must have at least one axis (the classes), got a scalar {x}")
    if x.shape[-1] == 0:
        raise ValueError(f"x must have at least one class on its last axis, got shape {x.shape}")
    # x - max can overflow to -inf only for differences beyond the float range, where e^(x - m)
    # underflows to 0 anyway: the -inf is the right answer, so that overflow is not an error.
    with np.errstate(over="ignore"):
        shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)
