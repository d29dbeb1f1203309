r"""Chapter 2: perceptrons as logic gates.

A perceptron outputs 1 when the weighted sum of its inputs plus a bias is positive:

$$y = \begin{cases} 1 & w_1 x_1 + w_2 x_2 + b > 0 \\ 0 & \text{otherwise} \end{cases}$$

The bias $b$ is minus the threshold $\theta$ of the book's first form ($w \cdot x > \theta$).
``AND``, ``NAND`` and ``OR`` are single perceptrons that differ only in their weights and bias;
``XOR`` needs two layers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, check_last_dim

__all__ = ["Perceptron", "AND", "NAND", "OR", "XOR"]


def _inputs(x1, x2, name: str) -> np.ndarray:
    """Stack the two call forms into an array of shape (..., 2)."""
    if x2 is None:
        x = as_float_array(x1, "x")
        if x.ndim not in (1, 2):
            raise ValueError(f"{name}(x) takes x of shape (2,) or (n, 2), got shape {x.shape}")
        return check_last_dim(x, "x", 2)
    a = as_float_array(x1, "x1")
    b = as_float_array(x2, "x2")
    if a.shape != b.shape or a.ndim > 1:
        raise ValueError(f"{name}(x1, x2) takes two scalars or two 1-D arrays of one shape, got {a.shape} and {b.shape}")
    return np.stack([a, b], axis=-1)


def _result(y: np.ndarray):
    return int(y) if y.ndim == 0 else y


@dataclass(frozen=True)
class Perceptron:
    r"""A two-input perceptron with weights ``w`` and bias ``b``.

    $$y = [\, w \cdot x + b > 0 \,]$$

    Call it as ``gate(x1, x2)`` with two numbers (returns an ``int``), or as ``gate(x)`` with an
    array of shape ``(2,)`` (an ``int``) or ``(n, 2)`` (an int array of shape ``(n,)``).

    Parameters
    ----------
    w : tuple of float, length 2
        Weights $w_1, w_2$.
    b : float
        Bias, $b = -\theta$.
    name : str
        A label used in error messages and ``repr``.

    Examples
    --------
    >>> gate = Perceptron(w=(0.5, 0.5), b=-0.7, name="AND")
    >>> gate(1, 1), gate(1, 0)
    (1, 0)
    >>> gate([[0, 0], [0, 1], [1, 0], [1, 1]])
    array([0, 0, 0, 1])
    """

    w: tuple[float, float]
    b: float
    name: str = "Perceptron"

    def weighted_sum(self, x1, x2=None) -> np.ndarray:
        """$w \\cdot x + b$ for each input pair: the number the threshold is applied to."""
        x = _inputs(x1, x2, self.name)
        return x @ np.asarray(self.w, dtype=np.float64) + self.b

    def __call__(self, x1, x2=None):
        return _result((self.weighted_sum(x1, x2) > 0).astype(np.int64))


AND = Perceptron(w=(0.5, 0.5), b=-0.7, name="AND")
"""AND gate: $w = (0.5, 0.5)$, $b = -0.7$."""

NAND = Perceptron(w=(-0.5, -0.5), b=0.7, name="NAND")
"""NAND gate: AND with every parameter negated, $w = (-0.5, -0.5)$, $b = 0.7$."""

OR = Perceptron(w=(0.5, 0.5), b=-0.2, name="OR")
"""OR gate: $w = (0.5, 0.5)$, $b = -0.2$."""


def XOR(x1, x2=None):
    r"""XOR as a two-layer perceptron: $\operatorname{XOR}(x) = \operatorname{AND}(\operatorname{NAND}(x), \operatorname{OR}(x))$.

    No single perceptron computes XOR; stacking one more layer does.

    Parameters
    ----------
    x1, x2 : int or array_like
        Two inputs, or ``x1`` alone as an array of shape ``(2,)`` or ``(n, 2)``.

    Returns
    -------
    int or numpy.ndarray
        1 where exactly one input is 1.

    Examples
    --------
    >>> [XOR(a, b) for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    [0, 1, 1, 0]
    """
    x = _inputs(x1, x2, "XOR")
    s1 = NAND(x.reshape(-1, 2))
    s2 = OR(x.reshape(-1, 2))
    y = AND(np.stack([s1, s2], axis=-1))
    return int(y[0]) if x.ndim == 1 else y
