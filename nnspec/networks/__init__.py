"""Networks: the book's chapter-3 forward example and, from chapter 4 on, trainable nets."""

from .simple import SimpleNet
from .threelayer import forward, init_network, load_weights, predict
from .two_layer import TwoLayerNet

__all__ = ["init_network", "forward", "predict", "load_weights", "SimpleNet", "TwoLayerNet"]
