r"""Chapter 2: perceptrons as logic gates.

A perceptron with two inputs outputs 1 when the weighted sum of its inputs plus a bias is
positive, and 0 otherwise:

$$y = \begin{cases} 1 & w_1 x_1 + w_2 x_2 + b > 0 \\ 0 & w_1 x_1 + w_2 x_2 + b \le 0 \end{cases}$$

The bias $b$ is minus the threshold $\theta$ of the book's first form
($y = 1$ exactly when $w_1 x_1 + w_2 x_2 > \theta$).
``AND``, ``NAND`` and ``OR`` are single perceptrons that differ only in their weights and bias;
``XOR`` cannot be one perceptron and is built from two layers.

Every gate takes its input in one of three forms:

* ``gate(x1, x2)`` with two numbers: returns an ``int`` (0 or 1);
* ``gate(x)`` with ``x`` of shape ``(2,)``: returns an ``int``;
* ``gate(x)`` with ``x`` of shape ``(n, 2)``, or ``gate(x1, x2)`` with two arrays of shape
  ``(n,)``: returns an ``int64`` array of shape ``(n,)``, one output per row.

Inputs may be any finite real numbers (ints, floats or bools); the weighted sum is computed in
float64 in the order the formula is written, $(w_1 x_1 + w_2 x_2) + b$.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import as_float_array, check_last_dim

__all__ = ["Perceptron", "AND", "NAND", "OR", "XOR"]


def _as_input(x, name: str) -> np.ndarray:
    """``x`` as a finite float64 array; a logic gate also takes booleans (True is 1)."""
    try:
        if np.asarray(x).dtype.kind == "b":
            x = np.asarray(x, dtype=np.float64)
    except (ValueError, TypeError):  # ragged lists: as_float_array reports them with the name
        pass
    return _float64(x, name)


def _float64(x, name: str) -> np.ndarray:
    """``x`` as a finite float64 array: a long double beyond the float64 range is refused as not finite."""
    with np.errstate(over="ignore"):  # the cast's overflow gives inf, which the finite check names
        return as_float_array(x, name, dtype=np.float64)


def _inputs(x1, x2, gate: str) -> tuple[np.ndarray, str]:
    """The two call forms as one float64 array of shape (2,) or (n, 2), and its argument name."""
    if x2 is None:
        x = _as_input(x1, "x")
        if x.ndim not in (1, 2):
            raise ValueError(f"{gate}(x): x must have shape (2,) or (n, 2), got shape {x.shape}")
        return check_last_dim(x, "x", 2), "x"
    a = _as_input(x1, "x1")
    b = _as_input(x2, "x2")
    if a.shape != b.shape or a.ndim > 1:  # one shape, so b.ndim == a.ndim
        raise ValueError(
            f"{gate}(x1, x2): x1 and x2 must be two numbers or two 1-D arrays of the same shape (n,), "
            f"got x1 of shape {a.shape} and x2 of shape {b.shape}"
        )
    return np.stack([a, b], axis=-1), "x1, x2"


def _result(y: np.ndarray):
    return int(y) if y.ndim == 0 else y


@dataclass(frozen=True)
class Perceptron:
    r"""A two-input perceptron with weights ``w`` and bias ``b``.

    $$y = \begin{cases} 1 & w_1 x_1 + w_2 x_2 + b > 0 \\ 0 & \text{otherwise} \end{cases}$$

    Call it as ``gate(x1, x2)`` with two numbers (returns an ``int``), or as ``gate(x)`` with an
    array of shape ``(2,)`` (returns an ``int``) or ``(n, 2)`` (returns an ``int64`` array of
    shape ``(n,)``). Two 1-D arrays ``x1``, ``x2`` of one shape ``(n,)`` work too.

    Parameters
    ----------
    w : tuple of float, length 2
        Weights $w_1, w_2$: how much each input counts.
    b : float
        Bias, $b = -\theta$: how easily the perceptron fires.
    name : str
        A label used in error messages and ``repr``.

    Raises
    ------
    TypeError
        ``w`` or ``b`` is not real-valued, or an input is not numeric (a string, say).
    ValueError
        ``w`` does not hold two finite numbers, ``b`` is not one finite number, an input has the
        wrong shape or is not finite, or the weighted sum overflows float64.

    Examples
    --------
    >>> gate = Perceptron(w=(0.5, 0.5), b=-0.7, name="AND")
    >>> gate(1, 1), gate(1, 0)
    (1, 0)
    >>> gate([[0, 0], [0, 1], [1, 0], [1, 1]])
    array([0, 0, 0, 1])
    >>> gate.weighted_sum([[0, 0], [1, 1]])
    array([-0.7,  0.3])
    """

    w: tuple[float, float]
    b: float
    name: str = "Perceptron"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a str, got {type(self.name).__name__}")
        w = _float64(self.w, "w")
        if w.shape != (2,):
            raise ValueError(f"w must hold two weights (w1, w2), shape (2,), got shape {w.shape}")
        b = _float64(self.b, "b")
        if b.ndim != 0:
            raise ValueError(f"b must be one number, got shape {b.shape}")
        object.__setattr__(self, "w", (float(w[0]), float(w[1])))
        object.__setattr__(self, "b", float(b))

    def weighted_sum(self, x1, x2=None):
        r"""The number the threshold is applied to: $w_1 x_1 + w_2 x_2 + b$ for each input pair.

        Parameters
        ----------
        x1, x2 : number or array_like
            As for calling the perceptron: two numbers, ``x1`` alone of shape ``(2,)`` or
            ``(n, 2)``, or two arrays of shape ``(n,)``.

        Returns
        -------
        numpy.ndarray
            float64, shape ``()`` for one input pair or ``(n,)`` for ``n`` pairs.

        Examples
        --------
        >>> from nnspec.perceptron import OR
        >>> OR.weighted_sum([[0, 0], [1, 1]])
        array([-0.2,  0.8])
        """
        x, arg = _inputs(x1, x2, self.name)
        w1, w2 = self.w
        with np.errstate(over="ignore", invalid="ignore"):
            s = x[..., 0] * w1 + x[..., 1] * w2 + self.b
        if not np.all(np.isfinite(s)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(s))[0])  # () when s is 0-d
            raise ValueError(
                f"{self.name}({arg}): the weighted sum w·x + b must be a finite float64, but input "
                f"{x[bad].tolist()} with w={self.w}, b={self.b} gives {s[bad]}; scale the input down"
            )
        return s

    def __call__(self, x1, x2=None):
        return _result((self.weighted_sum(x1, x2) > 0).astype(np.int64))


AND = Perceptron(w=(0.5, 0.5), b=-0.7, name="AND")
"""AND gate: $w = (0.5, 0.5)$, $b = -0.7$. Fires only when both inputs are 1."""

NAND = Perceptron(w=(-0.5, -0.5), b=0.7, name="NAND")
"""NAND gate: AND with every parameter negated, $w = (-0.5, -0.5)$, $b = 0.7$."""

OR = Perceptron(w=(0.5, 0.5), b=-0.2, name="OR")
"""OR gate: AND's weights with a smaller threshold, $w = (0.5, 0.5)$, $b = -0.2$."""


def XOR(x1, x2=None):
    r"""XOR as a two-layer perceptron: $\operatorname{XOR}(x) = \operatorname{AND}(\operatorname{NAND}(x), \operatorname{OR}(x))$.

    No single perceptron computes XOR; one more layer does. The first layer is ``NAND`` and
    ``OR`` side by side, the second is ``AND`` applied to their two outputs:

    $$s_1 = \operatorname{NAND}(x_1, x_2),\quad s_2 = \operatorname{OR}(x_1, x_2),\quad
      y = \operatorname{AND}(s_1, s_2)$$

    On real inputs it outputs 1 on the band between NAND's and OR's lines, roughly
    $0.4 < x_1 + x_2 < 1.4$.

    Parameters
    ----------
    x1, x2 : number or array_like
        Two numbers, or ``x1`` alone of shape ``(2,)`` or ``(n, 2)``, or two arrays of
        shape ``(n,)``.

    Returns
    -------
    int or numpy.ndarray
        1 where exactly one binary input is 1: an ``int`` for one input pair, an ``int64``
        array of shape ``(n,)`` for ``n`` pairs.

    Examples
    --------
    >>> [XOR(a, b) for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    [0, 1, 1, 0]
    >>> XOR([[0.2, 0.3], [0.9, 0.9]])
    array([1, 0])
    """
    x, _ = _inputs(x1, x2, "XOR")
    hidden = np.stack([NAND(x), OR(x)], axis=-1)  # layer 1: shape (2,) or (n, 2), values 0/1
    return AND(hidden)  # layer 2
