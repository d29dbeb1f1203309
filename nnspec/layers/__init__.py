"""Layers of chapters 5 and 6: each has ``forward`` and ``backward``, as in the book.

The network layers ([`Affine`][nnspec.layers.Affine], [`Relu`][nnspec.layers.Relu],
[`Sigmoid`][nnspec.layers.Sigmoid], [`BatchNormalization`][nnspec.layers.BatchNormalization],
[`Dropout`][nnspec.layers.Dropout]) follow one protocol, [`Layer`][nnspec.layers.Layer]:
``forward(x, train_flg=True)``, ``backward(dout)``, and their own parameters and gradients in
``params`` / ``grads`` dicts, so a network is a loop over its layers.

Every ``backward`` returns new arrays and never modifies the ``dout`` it is given. Layers with
parameters keep the very arrays they were given, so a network and its layers share them.
"""

from .add import AddLayer
from .affine import Affine
from .base import Layer
from .batchnorm import BatchNormalization
from .dropout import Dropout
from .mul import MulLayer
from .relu import Relu
from .sigmoid import Sigmoid
from .softmax_with_loss import SoftmaxWithLoss

__all__ = [
    "Layer",
    "MulLayer",
    "AddLayer",
    "Relu",
    "Sigmoid",
    "Affine",
    "BatchNormalization",
    "Dropout",
    "SoftmaxWithLoss",
]
