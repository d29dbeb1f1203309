"""Input checks shared by every public function: clear errors instead of deep NumPy tracebacks."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_float_array", "check_ndim", "check_last_dim", "check_positive_int", "resolve_dtype"]


def resolve_dtype(dtype, name: str = "dtype") -> np.dtype:
    """A floating dtype (float16/32/64 …); float64 when ``dtype`` is None."""
    if dtype is None:
        return np.dtype(np.float64)
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
    """
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise TypeError(f"{name} must be a real numeric array, got {type(x).__name__} ({exc})") from exc
    kind = arr.dtype.kind
    if kind == "b" or kind not in "fiu":
        what = "bool" if kind == "b" else str(arr.dtype)
        raise TypeError(
            f"{name} must be a real numeric array (int or float), got dtype {what} from {type(x).__name__}"
        )
    if kind == "f":
        arr = arr if dtype is None else arr.astype(resolve_dtype(dtype), copy=False)
    else:
        arr = arr.astype(resolve_dtype(dtype))
    if finite and not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0]) if arr.ndim else ()
        raise ValueError(f"{name} must be finite, got {arr[bad]} at index {bad}")
    return arr


def check_ndim(arr: np.ndarray, name: str, allowed: tuple[int, ...]) -> np.ndarray:
    if arr.ndim not in allowed:
        want = " or ".join(f"{n}-D" for n in allowed)
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    return arr


def check_last_dim(arr: np.ndarray, name: str, size: int) -> np.ndarray:
    if arr.ndim == 0 or arr.shape[-1] != size:
        raise ValueError(f"{name} must have last dimension {size}, got shape {arr.shape}")
    return arr


def check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return int(value)
