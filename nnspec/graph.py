r"""One-input nodes of a computational graph, and the book's sigmoid graph built from them.

The book draws the sigmoid $y = 1/(1 + e^{-x})$ as four nodes in a row:

$$x \;\mapsto\; a = -x \;\mapsto\; b = e^{a} \;\mapsto\; c = b + 1 \;\mapsto\; y = \frac{1}{c}$$

Each node here does one operation and follows the layer protocol of [`nnspec.layers`][nnspec.layers]:
``forward(x)`` computes the output and keeps what the backward pass needs, ``backward(dout)``
takes $\partial L/\partial(\text{output})$ and returns $\partial L/\partial(\text{input})$ as a
new array. [`SigmoidGraph`][nnspec.graph.SigmoidGraph] is a loop over the four nodes; its gradient is the product of
their local derivatives,

$$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\cdot(-y^2)\cdot 1\cdot e^{-x}
  \cdot(-1) = \frac{\partial L}{\partial y}\, y^2 e^{-x} = \frac{\partial L}{\partial y}\, y(1 - y),$$

which is what [`Sigmoid`][nnspec.layers.Sigmoid] computes from its output alone.

The graph is the picture that explains the sigmoid's gradient, not a replacement for the layer:
below $x \approx -709.78$, $e^{-x}$ exceeds the largest float64 and the [`Exp`][nnspec.graph.Exp] node refuses
its input, while [`Sigmoid`][nnspec.layers.Sigmoid] works for every finite input.
"""

from __future__ import annotations

import numbers

import numpy as np

from .validation import as_float_array

__all__ = ["MulConst", "AddConst", "Exp", "Reciprocal", "SigmoidGraph"]


def _constant(c, name: str) -> float:
    if isinstance(c, bool) or not isinstance(c, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(c).__name__} {c!r}")
    if not np.isfinite(float(c)):
        raise ValueError(f"{name} must be finite, got {c!r}")
    return float(c)


def _finite(compute, what: str, name: str):
    """Run ``compute()``; a float overflow or a division by zero becomes a ValueError naming ``name``."""
    try:
        with np.errstate(over="raise", divide="raise"):  # finite input and output: no invalid operation
            return compute()
    except FloatingPointError as exc:
        raise ValueError(f"{what}: {name} is out of range ({exc}); the result does not fit the float type") from exc


class _Node:
    """What every one-input node shares: checked input, and a backward that needs a forward first."""

    _kept: np.ndarray | None = None  # the forward input or output the backward pass needs

    def _input(self, x) -> np.ndarray:
        return as_float_array(x)

    def _dout(self, dout) -> np.ndarray:
        if self._kept is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        dout = as_float_array(dout, "dout", dtype=self._kept.dtype)
        if dout.shape != self._kept.shape:
            raise ValueError(f"dout must have the forward output's shape {self._kept.shape}, got {dout.shape}")
        return dout


class MulConst(_Node):
    r"""Multiply by a constant: $y = c\,x$, $\;\partial L/\partial x = c\,\partial L/\partial y$.

    The multiplication node of [`MulLayer`][nnspec.layers.MulLayer] with its second input fixed to
    ``c``: the gradient is multiplied by the *other* input, ``c``. With $c = -1$ it flips the
    sign of the gradient, which is what the sigmoid graph's first node does.

    Parameters
    ----------
    c : float
        The constant factor (finite).

    Examples
    --------
    >>> neg = MulConst(-1.0)
    >>> neg.forward([1.0, -2.0])
    array([-1.,  2.])
    >>> neg.backward([0.5, 0.5])
    array([-0.5, -0.5])
    """

    def __init__(self, c):
        self.c = _constant(c, "c")
        self.x = None

    def forward(self, x):
        r"""$y = c\,x$ for ``x`` of any shape (a new array of ``x``'s float dtype)."""
        x = self._input(x)
        self.x = self._kept = x
        return _finite(lambda: x * x.dtype.type(self.c), "MulConst.forward", "x")

    def backward(self, dout):
        r"""$\partial L/\partial x = c \cdot \partial L/\partial y$; ``dout`` has the output's shape."""
        dout = self._dout(dout)
        return _finite(lambda: dout * dout.dtype.type(self.c), "MulConst.backward", "dout")


class AddConst(_Node):
    r"""Add a constant: $y = x + c$, $\;\partial L/\partial x = \partial L/\partial y$.

    The addition node of [`AddLayer`][nnspec.layers.AddLayer] with its second input fixed to ``c``:
    the gradient passes through unchanged (as a new array).

    Parameters
    ----------
    c : float
        The constant to add (finite).

    Examples
    --------
    >>> plus1 = AddConst(1.0)
    >>> plus1.forward([0.5, 2.0])
    array([1.5, 3. ])
    >>> plus1.backward([-0.25, 4.0])
    array([-0.25,  4.  ])
    """

    def __init__(self, c):
        self.c = _constant(c, "c")
        self.x = None

    def forward(self, x):
        r"""$y = x + c$ for ``x`` of any shape."""
        x = self._input(x)
        self.x = self._kept = x
        return _finite(lambda: x + x.dtype.type(self.c), "AddConst.forward", "x")

    def backward(self, dout):
        r"""$\partial L/\partial x = \partial L/\partial y$, a copy of ``dout``."""
        return self._dout(dout).copy()


class Exp(_Node):
    r"""The exponential: $y = e^x$, $\;\partial L/\partial x = \partial L/\partial y \cdot e^x = \partial L/\partial y \cdot y$.

    The node keeps its **output** $y$: the derivative of $e^x$ is $e^x$ itself, so the backward
    pass multiplies the upstream gradient by the value the forward pass produced.

    Raises ``ValueError`` when $e^x$ does not fit the float type (above $x \approx 709.78$ in
    float64).

    Examples
    --------
    >>> e = Exp()
    >>> e.forward([0.0, 1.0])
    array([1.        , 2.71828183])
    >>> e.backward([2.0, 1.0])
    array([2.        , 2.71828183])
    """

    def __init__(self):
        self.out = None

    def forward(self, x):
        r"""$y = e^x$ for ``x`` of any shape; keeps ``out`` $= y$."""
        x = self._input(x)
        self.out = self._kept = _finite(lambda: np.exp(x), "Exp.forward", "x")
        return self.out

    def backward(self, dout):
        r"""$\partial L/\partial x = \partial L/\partial y \cdot y$ with $y$ the forward output."""
        dout = self._dout(dout)
        return _finite(lambda: dout * self.out, "Exp.backward", "dout")


class Reciprocal(_Node):
    r"""The reciprocal: $y = 1/x$, $\;\partial L/\partial x = -\partial L/\partial y \cdot 1/x^2 = -\partial L/\partial y \cdot y^2$.

    The book's "/" node takes one input. It keeps its **output** $y$, since
    $-1/x^2 = -y^2$.

    Raises ``ValueError`` for $x = 0$ and wherever $1/x$ or $y^2$ does not fit the float type.

    Examples
    --------
    >>> r = Reciprocal()
    >>> r.forward([2.0, -4.0])
    array([ 0.5 , -0.25])
    >>> r.backward([1.0, 1.0])
    array([-0.25  , -0.0625])
    """

    def __init__(self):
        self.out = None

    def forward(self, x):
        r"""$y = 1/x$ for ``x`` of any shape with no zero entry; keeps ``out`` $= y$."""
        x = self._input(x)
        self.out = self._kept = _finite(lambda: 1 / x, "Reciprocal.forward", "x")
        return self.out

    def backward(self, dout):
        r"""$\partial L/\partial x = -\partial L/\partial y \cdot y^2$ with $y$ the forward output."""
        dout = self._dout(dout)
        return _finite(lambda: -dout * self.out**2, "Reciprocal.backward", "dout")


class SigmoidGraph:
    r"""The book's sigmoid graph: [`MulConst`][nnspec.graph.MulConst] $(-1)$, [`Exp`][nnspec.graph.Exp], [`AddConst`][nnspec.graph.AddConst] $(1)$, [`Reciprocal`][nnspec.graph.Reciprocal].

    A loop over four one-input nodes, forward in order and backward in reverse. After a
    forward and a backward pass it holds the value and the gradient on every edge, so the graph
    can be drawn with both.

    Attributes
    ----------
    nodes : list
        The four nodes, in forward order.
    values : list of numpy.ndarray
        $[x, a, b, c, y]$: the input, the three intermediate values and the output of the last
        `forward` ($a = -x$, $b = e^{-x}$, $c = 1 + e^{-x}$, $y = 1/c$).
    grads : list of numpy.ndarray
        $[\partial L/\partial x, \partial L/\partial a, \partial L/\partial b, \partial L/\partial c,
        \partial L/\partial y]$ of the last `backward`, edge by edge like ``values``.

    Examples
    --------
    >>> g = SigmoidGraph()
    >>> g.forward([0.0, 2.0])
    array([0.5       , 0.88079708])
    >>> g.backward([1.0, 1.0])  # y(1 - y), as Sigmoid.backward
    array([0.25      , 0.10499359])
    """

    def __init__(self):
        self.nodes = [MulConst(-1.0), Exp(), AddConst(1.0), Reciprocal()]
        self.values: list[np.ndarray] = []
        self.grads: list[np.ndarray] = []

    def forward(self, x):
        r"""$y = \sigma(x)$, node by node; ``x`` of any shape with $x \gtrsim -709.78$ (float64)."""
        out = as_float_array(x)
        self.values = [out]
        for node in self.nodes:
            out = node.forward(out)
            self.values.append(out)
        self.grads = []
        return out

    def backward(self, dout):
        r"""$\partial L/\partial x$, node by node in reverse: $\partial L/\partial y \cdot y(1 - y)$ up to rounding."""
        if not self.values:
            raise RuntimeError("SigmoidGraph.backward called before forward")
        *_, y = self.values
        grad = as_float_array(dout, "dout", dtype=y.dtype)
        grads = [grad]
        for node in reversed(self.nodes):
            grad = node.backward(grad)
            grads.append(grad)
        self.grads = grads[::-1]
        return grad
