"""Two more one-input nodes for the sigmoid's computational graph (exp and reciprocal).

nnspec ships the book's layers; these two nodes exist only so the specs can build the graph
x → ×(−1) → exp → +1 → 1/u → y from single-operation nodes and compare it with ``Sigmoid``.
Each follows the layer interface: ``forward(x)``, ``backward(dout)``.
"""

from __future__ import annotations

import numpy as np

from nnspec.layers import AddLayer, MulLayer


class ExpNode:
    """y = exp(x); dL/dx = dL/dy · exp(x) = dL/dy · y (it keeps its output)."""

    def forward(self, x):
        self.out = np.exp(x)
        return self.out

    def backward(self, dout):
        return dout * self.out


class ReciprocalNode:
    """y = 1/x; dL/dx = dL/dy · (−1/x²) = −dL/dy · y² (it keeps its output)."""

    def forward(self, x):
        self.out = 1.0 / x
        return self.out

    def backward(self, dout):
        return -dout * self.out**2


class SigmoidGraph:
    """The book's sigmoid graph built from four nodes: ×(−1), exp, +1, 1/u."""

    def __init__(self):
        self.neg = MulLayer()
        self.exp = ExpNode()
        self.plus1 = AddLayer()
        self.recip = ReciprocalNode()

    def forward(self, x):
        a = self.neg.forward(x, -1.0)
        b = self.exp.forward(a)
        c = self.plus1.forward(b, 1.0)
        return self.recip.forward(c)

    def backward(self, dout):
        dc = self.recip.backward(dout)
        db, _ = self.plus1.backward(dc)
        da = self.exp.backward(db)
        dx, _ = self.neg.backward(da)
        return dx
