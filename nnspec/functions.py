"""The book's ``common/functions.py``: activations, softmax and losses in one namespace.

Each function lives in a small module of its own (``nnspec.activations``, ``nnspec.losses``);
this module gathers them under the names readers of the book know.
"""

from .activations import identity_function, relu, sigmoid, softmax, step_function
from .losses import cross_entropy_error, sum_squared_error

__all__ = [
    "step_function",
    "sigmoid",
    "relu",
    "identity_function",
    "softmax",
    "sum_squared_error",
    "cross_entropy_error",
]
