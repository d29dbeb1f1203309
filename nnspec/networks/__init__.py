"""Networks: the book's chapter-3 forward example and, from chapter 4 on, trainable nets.

[`TwoLayerNet`][nnspec.networks.TwoLayerNet] (chapter 5) and
[`MultiLayerNet`][nnspec.networks.MultiLayerNet] (chapter 6) are both a
[`LayerNet`][nnspec.networks.LayerNet]: a loop over layers that follow one protocol.
"""

from .layered import LayerNet
from .multi_layer import MultiLayerNet, init_scale
from .simple import SimpleNet
from .threelayer import forward, init_network, load_weights, predict
from .two_layer import TwoLayerNet

__all__ = [
    "init_network",
    "forward",
    "predict",
    "load_weights",
    "SimpleNet",
    "LayerNet",
    "TwoLayerNet",
    "MultiLayerNet",
    "init_scale",
]
