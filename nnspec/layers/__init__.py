"""Layers of chapter 5: each has ``forward(...)`` and ``backward(dout)``, as in the book.

Every ``backward`` returns new arrays and never modifies the ``dout`` it is given. Layers with
parameters (:class:`Affine`) keep the very arrays they were given, so a network and its layers
share them.
"""

from .add import AddLayer
from .affine import Affine
from .mul import MulLayer
from .relu import Relu
from .sigmoid import Sigmoid
from .softmax_with_loss import SoftmaxWithLoss

__all__ = ["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"]
