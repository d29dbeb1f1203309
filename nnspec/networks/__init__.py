"""Networks: the book's chapter-3 forward example and, from chapter 4 on, trainable nets."""

from .threelayer import forward, init_network, load_weights, predict

__all__ = ["init_network", "forward", "predict", "load_weights"]
