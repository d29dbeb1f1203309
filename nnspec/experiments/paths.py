r"""The book's first optimizer experiment: four update rules on an anisotropic bowl (book §6.1.7).

$$f(x, y) = \frac{x^2}{20} + y^2, \qquad \nabla f = \left(\frac{x}{10},\ 2y\right)$$

The minimum is at the origin, but the bowl is twenty times steeper in $y$ than in $x$: from most
points the gradient points mostly in $y$, not at the minimum.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..optimizers import SGD, AdaGrad, Adam, Momentum, Optimizer
from ..validation import check_positive_int

__all__ = ["bowl", "bowl_gradient", "BOOK_PATH_SETTINGS", "optimizer_paths", "gradient_angle"]

#: The book's learning rates for the bowl (``ch06/optimizer_compare_naive.py``), start and steps.
BOOK_PATH_SETTINGS: dict[str, Any] = {
    "start": (-7.0, 2.0),
    "steps": 30,
    "optimizers": {"SGD": (SGD, 0.95), "Momentum": (Momentum, 0.1), "AdaGrad": (AdaGrad, 1.5), "Adam": (Adam, 0.3)},
}


def bowl(x, y):
    r"""$f(x, y) = x^2/20 + y^2$ (elementwise for arrays)."""
    return np.asarray(x) ** 2 / 20.0 + np.asarray(y) ** 2


def bowl_gradient(x, y) -> tuple[float, float]:
    r"""$\nabla f(x, y) = (x/10,\ 2y)$."""
    return x / 10.0, 2.0 * y


def gradient_angle(x: float, y: float) -> float:
    r"""Degrees between the descent direction $-\nabla f$ and the direction to the minimum, $-(x, y)$.

    Examples
    --------
    >>> round(gradient_angle(-7.0, 2.0), 1)        # the book's start: 64° off the minimum
    64.1
    >>> gradient_angle(3.0, 0.0)                    # on an axis the gradient points at it
    0.0
    """
    gx, gy = bowl_gradient(x, y)
    # The numerator x²/10 + 2y² is positive, so cos > 0; only rounding could push it above 1.
    cos = (gx * x + gy * y) / (math.hypot(gx, gy) * math.hypot(x, y))
    cos = min(1.0, cos)  # pragma: no mutate (equivalent: guards rounding only; no sampled point reaches it)
    return math.degrees(math.acos(cos))


def optimizer_paths(optimizers: dict[str, Optimizer] | None = None, start=(-7.0, 2.0), steps: int = 30) -> dict:
    """Run each optimizer on the bowl from ``start`` for ``steps`` updates.

    Parameters
    ----------
    optimizers : dict of str to Optimizer, optional
        Default: the book's four with its learning rates (``BOOK_PATH_SETTINGS``), fresh instances.
    start : (float, float)
    steps : int

    Returns
    -------
    dict
        ``{"paths": {name: array (steps + 1, 2)}, "end": {name: (x, y)}, "f_end": {name: f}}``.

    Examples
    --------
    >>> out = optimizer_paths()
    >>> out["paths"]["SGD"].shape
    (31, 2)
    >>> sorted(out["end"])
    ['AdaGrad', 'Adam', 'Momentum', 'SGD']
    """
    steps = check_positive_int(steps, "steps")
    if optimizers is None:
        optimizers = {name: cls(lr=lr) for name, (cls, lr) in BOOK_PATH_SETTINGS["optimizers"].items()}
    paths, ends, f_end = {}, {}, {}
    for name, opt in optimizers.items():
        params = {"x": np.array(float(start[0])), "y": np.array(float(start[1]))}
        path = [(float(params["x"]), float(params["y"]))]
        for _ in range(steps):
            gx, gy = bowl_gradient(float(params["x"]), float(params["y"]))
            opt.update(params, {"x": np.array(gx), "y": np.array(gy)})
            path.append((float(params["x"]), float(params["y"])))
        paths[name] = np.array(path)
        ends[name] = path[-1]
        f_end[name] = float(bowl(*path[-1]))
    return {"paths": paths, "end": ends, "f_end": f_end}
