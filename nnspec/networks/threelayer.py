r"""Chapter 3: the book's three-layer network, forward pass only.

$$a^{(1)} = x W_1 + b_1,\; z^{(1)} = \sigma(a^{(1)}),\quad
  a^{(2)} = z^{(1)} W_2 + b_2,\; z^{(2)} = \sigma(a^{(2)}),\quad
  y = \sigma_{\text{out}}(z^{(2)} W_3 + b_3)$$
"""

from __future__ import annotations

from os import PathLike

import numpy as np

from .._validate import as_float_array, check_last_dim, check_ndim
from ..activations import identity_function, sigmoid, softmax

__all__ = ["init_network", "forward", "predict", "load_weights"]

KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")


def init_network() -> dict[str, np.ndarray]:
    """The book's hand-set 2-3-2-2 example network (float64).

    Returns
    -------
    dict
        ``W1`` (2, 3), ``b1`` (3,), ``W2`` (3, 2), ``b2`` (2,), ``W3`` (2, 2), ``b3`` (2,).

    Examples
    --------
    >>> {k: v.shape for k, v in init_network().items()}["W2"]
    (3, 2)
    """
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]),
        "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]),
        "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]),
        "b3": np.array([0.1, 0.2]),
    }


def _check_network(network) -> None:
    if not isinstance(network, dict):
        raise TypeError(f"network must be a dict of arrays keyed {KEYS}, got {type(network).__name__}")
    missing = [k for k in KEYS if k not in network]
    if missing:
        raise ValueError(f"network is missing {missing}; expected keys {KEYS}")


def _layers(network, x, output):
    _check_network(network)
    x = check_ndim(as_float_array(x, "x"), "x", (1, 2))
    check_last_dim(x, "x", np.shape(network["W1"])[0])
    z = x
    for i in (1, 2):
        z = sigmoid(z @ network[f"W{i}"] + network[f"b{i}"])
    return output(z @ network["W3"] + network["b3"])


def forward(network, x):
    r"""Forward pass with the identity output (the book's chapter-3 example).

    Parameters
    ----------
    network : dict
        ``W1``, ``b1``, ``W2``, ``b2``, ``W3``, ``b3``, as from :func:`init_network`.
    x : array_like, shape ``(d,)`` or ``(N, d)``
        One sample or a batch; ``d`` is ``W1.shape[0]``.

    Returns
    -------
    numpy.ndarray
        Shape ``(k,)`` or ``(N, k)``, ``k = W3.shape[1]``.

    Examples
    --------
    >>> forward(init_network(), [1.0, 0.5])
    array([0.31682708, 0.69627909])
    """
    return _layers(network, x, identity_function)


def predict(network, x):
    """Forward pass with a softmax output: class probabilities (the book's MNIST ``predict``).

    Parameters
    ----------
    network : dict
        Weights as for :func:`forward`, e.g. from :func:`load_weights`.
    x : array_like, shape ``(d,)`` or ``(N, d)``

    Returns
    -------
    numpy.ndarray
        Shape ``(k,)`` or ``(N, k)``; each row sums to 1.
    """
    return _layers(network, x, softmax)


def load_weights(path: str | PathLike) -> dict[str, np.ndarray]:
    """Load network weights from an ``.npz`` file, never unpickling.

    Parameters
    ----------
    path : str or path-like
        An ``.npz`` with arrays ``W1``, ``b1``, ``W2``, ``b2``, ``W3``, ``b3`` (e.g. the book's
        chapter-3 sample weights converted from its pickle).

    Returns
    -------
    dict
        The six arrays, in the file's dtype.
    """
    with np.load(path, allow_pickle=False) as data:
        network = {k: data[k] for k in data.files}
    _check_network(network)
    return network
