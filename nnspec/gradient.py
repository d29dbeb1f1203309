r"""Numerical differentiation and gradient descent (chapter 4).

- [`numerical_diff`][nnspec.gradient.numerical_diff]: the derivative of a function of one variable
  by the central difference.
- [`numerical_gradient`][nnspec.gradient.numerical_gradient]: the vector (or matrix, or tensor) of
  partial derivatives of a scalar function of an array, one central difference per entry.
- [`gradient_descent`][nnspec.gradient.gradient_descent]: repeat $x \leftarrow x - \eta \nabla f(x)$.

The step $h = 10^{-4}$ is the book's: small enough that the central difference's error
($\propto h^2$) is tiny, large enough that float64 rounding (error $\propto \varepsilon / h$) does
not take over.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .validation import as_float_array

__all__ = ["numerical_diff", "numerical_gradient", "gradient_descent"]

METHODS = ("central", "forward")


def _check_callable(f) -> None:
    if not callable(f):
        raise TypeError(f"f must be a callable returning a number, got {type(f).__name__}")


def _positive_real(value: Any, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive real number, got {type(value).__name__} {value!r}")
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return number


def numerical_diff(f, x, h=1e-4, *, method="central"):
    r"""The derivative $f'(x)$ of a function of one variable, by a finite difference.

    $$\text{central: } \frac{f(x + h) - f(x - h)}{2h} \qquad
      \text{forward: } \frac{f(x + h) - f(x)}{h}$$

    The central difference (the default, and the book's) is off from $f'(x)$ by about
    $\frac{h^2}{6} f'''(x)$; the forward difference by about $\frac{h}{2} f''(x)$. Both also
    carry a rounding error of about $\varepsilon\,|f(x)| / h$ ($\varepsilon$ the float spacing),
    which is why $h$ must not be made as small as possible: with $h = 10^{-50}$, $x + h$ rounds to
    $x$ and the result is 0.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a number (or, for an array ``x``, acts element-wise).
    x : float or array_like
        Where to differentiate. An array gives the derivative at every point of it.
    h : float, default 1e-4
        The step, positive.
    method : {"central", "forward"}, keyword only

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar ``x``, else an array of ``x``'s shape.

    Raises
    ------
    TypeError
        ``f`` not callable or not returning numbers; ``x`` not real; ``h`` not a number.
    ValueError
        ``x`` not finite; ``h`` not positive; ``method`` unknown; ``f`` infinite or NaN at
        $x + h$ or $x - h$ (or $x$, forward): the message names the side and the entry of ``x``,
        where the bare formula would return ``nan`` ($\infty - \infty$) or a false infinity.

    Examples
    --------
    The book's $f(x) = 0.01x^2 + 0.1x$, whose true derivative at 5 is 0.2:

    >>> f = lambda x: 0.01 * x**2 + 0.1 * x
    >>> numerical_diff(f, 5)
    0.1999999999990898
    >>> numerical_diff(f, 5, method="forward")          # error of order h
    0.20000099999917254
    """
    _check_callable(f)
    x = as_float_array(x)
    if x.ndim == 0:
        x = x[()]
    h = _positive_real(h, "h")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    upper = _finite_f(f, x, x + h, "x + h", h)
    if method == "central":
        lower, step = _finite_f(f, x, x - h, "x - h", h), 2 * h
    else:
        lower, step = _finite_f(f, x, x, "x", h), h
    with np.errstate(over="ignore"):  # a difference beyond the float range is inf, not an error
        d = (upper - lower) / step
    return float(d) if np.ndim(d) == 0 else np.asarray(d)


def _finite_f(f, x, at, side: str, h):
    """``f(at)``, or a ValueError naming the side (``at`` is ``x + h``, ``x - h`` or ``x``) and the entry of ``x``."""
    v = f(at)
    try:
        finite = np.isfinite(v)
    except TypeError:
        raise TypeError(f"f must return real numbers, got {type(v).__name__}") from None
    if np.all(finite):
        return v
    if np.ndim(v) == 0:
        where, bad = (f"x = {x}" if np.ndim(x) == 0 else "x"), v
    else:
        idx = tuple(int(i) for i in np.argwhere(~finite)[0])
        where, bad = f"x[{idx}] = {np.broadcast_to(x, np.shape(v))[idx]}", np.asarray(v)[idx]
    raise ValueError(
        f"f({side}) is {bad} at {where} (h = {h}); f must be finite on both sides of the "
        "point, so the difference would be meaningless"
    )


def _value(v, pos: tuple[int, ...], side: str):
    if isinstance(v, (float, np.floating)) and math.isfinite(v):  # the usual case, checked fast
        return v
    arr = np.asarray(v)
    if arr.ndim != 0 or arr.dtype.kind not in ("f", "i", "u"):
        raise TypeError(
            f"f must return a real scalar (a loss), got {type(v).__name__} of shape {arr.shape}, dtype {arr.dtype}"
        )
    if not np.isfinite(arr):
        raise ValueError(
            f"f returned {arr[()]} with x[{pos}] moved to {side}; f must be finite near x "
            "(on both sides of every entry), or the difference is meaningless"
        )
    return arr[()]


def numerical_gradient(f, x, h=1e-4):
    r"""The gradient of a scalar function of an array: every partial derivative, by central differences.

    $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}$$

    for every index $i$ of ``x`` ($e_i$ is 1 at $i$ and 0 elsewhere), so the result has the shape
    of ``x``: a vector for a vector, a matrix for a weight matrix.

    **x is changed in place, temporarily**, as in the book: entry $i$ is set to $x_i + h$, then
    $x_i - h$, and ``f(x)`` is called each time. So ``f`` may ignore its argument and read the
    array through a closure, e.g. ``numerical_gradient(lambda W: net.loss(x, t), net.W)``. Every
    entry is restored to its exact old value before the next one is moved, also when ``f``
    raises. That is why ``x`` must be a writable floating array: the book's version, given an
    integer array, silently truncates $x_i \pm h$ to an integer and returns nonsense
    (``[5000, 15000]`` for $x_0^2 + x_1^2$ at ``[3, 4]``); here it is a ``TypeError``.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a finite real scalar.
    x : numpy.ndarray, any shape, floating dtype, writable
        The point. Left unchanged on return.
    h : float, default 1e-4
        The step, positive.

    Returns
    -------
    numpy.ndarray
        Same shape and dtype as ``x``.

    Raises
    ------
    TypeError
        ``f`` not callable or not returning a real scalar; ``x`` not a NumPy array of a floating
        dtype (convert with ``np.asarray(x, dtype=float)``).
    ValueError
        ``x`` read-only or not finite; ``f`` not finite at $x \pm h e_i$; ``h`` not positive.

    Examples
    --------
    >>> f = lambda x: x[0]**2 + x[1]**2
    >>> numerical_gradient(f, np.array([3.0, 4.0]))
    array([6., 8.])
    >>> W = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> numerical_gradient(lambda _: float(np.sum(W**2)), W)          # a closure over W
    array([[2., 4.],
           [6., 8.]])
    """
    _check_callable(f)
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"x must be a NumPy array (it is moved in place so that f may read it by reference), "
            f"got {type(x).__name__}; pass np.asarray(x, dtype=float)"
        )
    if x.dtype.kind != "f":
        raise TypeError(
            f"x must have a floating dtype, got {x.dtype}: an integer array cannot hold x ± h "
            f"(h = {h!r}), so every partial derivative would be wrong; pass x.astype(float)"
        )
    if not x.flags.writeable:
        raise ValueError("x must be writable: its entries are moved by ±h in place and restored")
    if not np.all(np.isfinite(x)):
        raise ValueError("x must be finite")
    h = _positive_real(h, "h")
    grad = np.zeros_like(x)
    for pos in np.ndindex(x.shape):  # every layout, entry by entry; f dominates the cost
        old = x[pos]  # a NumPy scalar: a copy of the entry, with its exact bits
        try:
            x[pos] = old + h
            fxh1 = _value(f(x), pos, "x + h")
            x[pos] = old - h
            fxh2 = _value(f(x), pos, "x - h")
        finally:
            x[pos] = old
        # in Python floats (float64): f values ±1e308 apart give an inf slope, not a warning
        grad[pos] = (float(fxh1) - float(fxh2)) / (2 * h)
    return grad


def gradient_descent(f, init_x, lr=0.01, step_num=100, *, return_path=False):
    r"""Minimise ``f`` by gradient descent from ``init_x``, with numerical gradients.

    $$x_0 = x_{\text{init}}, \qquad x_{k+1} = x_k - \eta\, \nabla f(x_k), \qquad k = 0, \dots, \text{step\_num} - 1$$

    It stops after ``step_num`` steps, wherever it is: near a minimum when $\eta$ suits $f$, still
    near the start when $\eta$ is too small, far away when $\eta$ is too large. It can only follow
    the slope, so it ends where the gradient vanishes nearby, which need not be the global
    minimum (nor even a minimum).

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a finite real scalar; see
        [`numerical_gradient`][nnspec.gradient.numerical_gradient].
    init_x : array_like, any shape
        The start. Never modified: the descent works on a float copy (the book's version moves
        the array you pass).
    lr : float, default 0.01
        The learning rate $\eta > 0$.
    step_num : int, default 100
        Number of steps, $\ge 0$.
    return_path : bool, default False, keyword only
        Also return every point visited.

    Returns
    -------
    x : numpy.ndarray
        The end point, ``init_x``'s shape, floating.
    path : numpy.ndarray, shape ``(step_num + 1, *init_x.shape)``
        Only with ``return_path=True``: ``path[0]`` is the start, ``path[-1]`` equals ``x``.

    Examples
    --------
    >>> f = lambda x: x[0]**2 + x[1]**2
    >>> x, path = gradient_descent(f, [-3.0, 4.0], lr=0.1, step_num=100, return_path=True)
    >>> bool(np.all(np.abs(x) < 1e-9)), path.shape
    (True, (101, 2))
    """
    _check_callable(f)
    x = as_float_array(init_x, "init_x").copy()
    lr = _positive_real(lr, "lr")
    if isinstance(step_num, (bool, np.bool_)) or not isinstance(step_num, numbers.Integral):
        raise TypeError(f"step_num must be an int >= 0, got {type(step_num).__name__} {step_num!r}")
    if step_num < 0:
        raise ValueError(f"step_num must be an int >= 0, got {step_num}")
    path = None
    if return_path:
        path = np.empty((int(step_num) + 1, *x.shape), dtype=x.dtype)
    if path is not None:
        path[0] = x
    for k in range(int(step_num)):
        x -= lr * numerical_gradient(f, x)
        if path is not None:
            path[k + 1] = x
    return (x, path) if return_path else x
