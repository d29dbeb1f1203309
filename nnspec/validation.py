"""Input checks shared by every public function: clear errors instead of deep NumPy tracebacks.

Every check names the argument it refuses and says what was expected and what it got, e.g.
``ValueError: x must have shape (N, 784) ... got (3, 5)``. The layers call [`as_float`][nnspec.validation.as_float] on
every input: one type-and-dtype test for an array that is already right (the arrays a network
hands from layer to layer), the full [`as_float_array`][nnspec.validation.as_float_array] for anything else.

Examples
--------
>>> as_float_array([1, 2]).dtype
dtype('float64')
>>> check_real(0.5, "lr", low=0.0, low_open=True)
0.5
>>> check_real(-1, "lr", low=0.0, low_open=True)
Traceback (most recent call last):
...
ValueError: lr must be a finite number > 0, got -1.0
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "as_float_array",
    "as_float",
    "check_ndim",
    "check_last_dim",
    "check_positive_int",
    "check_real",
    "resolve_dtype",
]


def resolve_dtype(dtype, name: str = "dtype") -> np.dtype:
    """A floating dtype (float16/32/64 …); float64 when ``dtype`` is None (NumPy's ``np.dtype(None)``).

    Examples
    --------
    >>> resolve_dtype(None), resolve_dtype("float32")
    (dtype('float64'), dtype('float32'))
    >>> resolve_dtype("float65")
    Traceback (most recent call last):
    ...
    TypeError: dtype must be a NumPy floating dtype, got 'float65'
    >>> resolve_dtype(np.int32)
    Traceback (most recent call last):
    ...
    TypeError: dtype must be a floating dtype such as float32 or float64, got int32
    """
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"{name} must be a NumPy floating dtype, got {dtype!r}") from exc
    if not np.issubdtype(dt, np.floating):
        raise TypeError(f"{name} must be a floating dtype such as float32 or float64, got {dt}")
    return dt


def as_float_array(x, name: str = "x", *, dtype=None, finite: bool = True) -> np.ndarray:
    """``x`` as a floating array, checked.

    Floating input keeps its dtype (float32 stays float32); integer input becomes ``dtype`` or
    float64. Booleans, complex numbers, strings and objects are refused with a ``TypeError`` that
    names the argument; NaN or infinity is refused with a ``ValueError`` when ``finite``.

    Examples
    --------
    >>> as_float_array(np.array([1, 2], dtype=np.uint8), dtype=np.float32)
    array([1., 2.], dtype=float32)
    >>> as_float_array([[1, 2], [3]], "x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: x must be a real numeric array, got list (setting an array element with a sequence...)
    >>> as_float_array([0.0, np.nan], "w")
    Traceback (most recent call last):
    ...
    ValueError: w must be finite, got nan at index (1,)
    """
    arr = _float_array(x, name, dtype)
    if finite and not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])  # () for a 0-d array
        raise ValueError(f"{name} must be finite, got {arr[bad]} at index {bad}")
    return arr


def _float_array(x, name: str, dtype) -> np.ndarray:
    """``x`` as a floating array (``as_float_array`` without the finiteness check)."""
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise TypeError(f"{name} must be a real numeric array, got {type(x).__name__} ({exc})") from exc
    if arr.dtype.kind not in ("f", "i", "u"):  # a bool array's dtype prints as "bool"
        raise TypeError(
            f"{name} must be a real numeric array (int or float), got dtype {arr.dtype} from {type(x).__name__}"
        )
    if arr.dtype.kind == "f":
        return arr if dtype is None else np.asarray(arr, dtype=resolve_dtype(dtype))
    return arr.astype(resolve_dtype(dtype))


def as_float(x, name: str, dtype=None) -> np.ndarray:
    """``as_float_array(x, name, dtype=dtype, finite=False)``, returning a ready array at once.

    A layer is called thousands of times per second in a training loop, mostly with arrays it or
    its neighbour made: those pass this shortcut (one type and dtype test), everything else goes
    through [`as_float_array`][nnspec.validation.as_float_array], which gives the same result for them, only slower.

    Examples
    --------
    >>> a = np.ones(3, dtype=np.float32)
    >>> as_float(a, "x") is a, as_float(a, "x", np.float32) is a
    (True, True)
    >>> as_float([1, 2], "x").dtype, as_float(a, "x", np.float64).dtype
    (dtype('float64'), dtype('float64'))
    """
    if type(x) is np.ndarray and x.dtype.kind == "f" and (dtype is None or x.dtype == dtype):
        return x
    return _float_array(x, name, dtype)


def check_ndim(arr: np.ndarray, name: str, allowed: tuple[int, ...]) -> np.ndarray:
    """``arr`` if its number of dimensions is one of ``allowed``, else a ``ValueError``.

    Examples
    --------
    >>> check_ndim(np.ones((2, 2, 2)), "x", (1, 2))
    Traceback (most recent call last):
    ...
    ValueError: x must be 1-D or 2-D, got shape (2, 2, 2)
    """
    if arr.ndim not in allowed:
        want = " or ".join(f"{n}-D" for n in allowed)
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    return arr


def check_last_dim(arr: np.ndarray, name: str, size: int) -> np.ndarray:
    """``arr`` if its last axis has ``size`` entries, else a ``ValueError``.

    Examples
    --------
    >>> check_last_dim(np.ones((4, 3)), "x", 3).shape
    (4, 3)
    >>> check_last_dim(np.array(1.0), "x", 3)
    Traceback (most recent call last):
    ...
    ValueError: x must have last dimension 3, got shape ()
    """
    if arr.ndim == 0 or arr.shape[-1] != size:
        raise ValueError(f"{name} must have last dimension {size}, got shape {arr.shape}")
    return arr


def check_positive_int(value, name: str) -> int:
    """``value`` as an ``int`` if it is an integer ``>= 1`` (``bool`` refused).

    Examples
    --------
    >>> check_positive_int(np.int64(1), "iters"), type(check_positive_int(np.uint8(3), "iters"))
    (1, <class 'int'>)
    >>> check_positive_int(0, "iters")
    Traceback (most recent call last):
    ...
    ValueError: iters must be a positive int, got 0
    >>> check_positive_int(True, "iters")
    Traceback (most recent call last):
    ...
    TypeError: iters must be a positive int, got bool True
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return int(value)


def check_real(
    value,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a finite ``float`` inside the given bounds, else a named error.

    Parameters
    ----------
    value : real number
        ``bool`` and non-numbers raise ``TypeError``; NaN, infinity or a value outside the bounds
        raise ``ValueError``.
    name : str
        The argument's name, for the message.
    low, high : float, optional
        Bounds; ``None`` leaves that side open to the float range.
    low_open, high_open : bool
        Exclude the bound itself (``low_open=True`` means ``value > low``).

    Returns
    -------
    float

    Examples
    --------
    >>> check_real(0.5, "p", low=0.0, high=1.0, high_open=True), check_real(1, "m", low=0.0, high=1.0)
    (0.5, 1.0)
    >>> check_real(0, "r", low=0.0, high=1.0, low_open=True, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: r must be a finite number in (0, 1), got 0.0
    >>> check_real(-1, "weight_decay_lambda", low=0.0)
    Traceback (most recent call last):
    ...
    ValueError: weight_decay_lambda must be a finite number >= 0, got -1.0
    >>> check_real(1, "p", low=0.0, high=1.0, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: p must be a finite number in [0, 1), got 1.0
    >>> check_real(2, "p", high=1.0)
    Traceback (most recent call last):
    ...
    ValueError: p must be a finite number <= 1, got 2.0
    >>> check_real(1.0, "p", high=1.0, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: p must be a finite number < 1, got 1.0
    >>> check_real(float("inf"), "x")
    Traceback (most recent call last):
    ...
    ValueError: x must be a finite number, got inf
    >>> check_real(True, "x")
    Traceback (most recent call last):
    ...
    TypeError: x must be a real number, got bool True
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    v = float(value)
    too_low = low is not None and (v <= low if low_open else v < low)
    too_high = high is not None and (v >= high if high_open else v > high)
    if not math.isfinite(v) or too_low or too_high:
        if low is not None and high is not None:
            want = f" in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        elif low is not None:
            want = f" {'>' if low_open else '>='} {low:g}"
        elif high is not None:
            want = f" {'<' if high_open else '<='} {high:g}"
        else:
            want = ""
        raise ValueError(f"{name} must be a finite number{want}, got {v}")
    return v
