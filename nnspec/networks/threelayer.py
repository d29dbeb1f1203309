r"""Chapter 3: the book's three-layer network, forward pass only.

A batch $x$ of shape ``(N, d)`` (or one sample of shape ``(d,)``) goes through two sigmoid layers
and an output layer:

$$a^{(1)} = x W_1 + b_1,\; z^{(1)} = \sigma(a^{(1)}),\quad
  a^{(2)} = z^{(1)} W_2 + b_2,\; z^{(2)} = \sigma(a^{(2)}),\quad
  y = \sigma_{\text{out}}(z^{(2)} W_3 + b_3)$$

with $W_1$ ``(d, h1)``, $W_2$ ``(h1, h2)``, $W_3$ ``(h2, k)`` and each $b_i$ as wide as its
layer. [`forward`][nnspec.networks.forward] uses the identity for $\sigma_{\text{out}}$
(raw scores), [`predict`][nnspec.networks.predict] uses softmax (probabilities). A bias is a
weight on an extra input fixed at 1: $x W + b = [x, 1] \begin{bmatrix} W \\ b \end{bmatrix}$.
"""

from __future__ import annotations

from os import PathLike
from typing import BinaryIO

import numpy as np

from ..activations import identity_function, sigmoid, softmax
from ..validation import as_float_array, check_last_dim, check_ndim

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


def _check_network(network, name: str = "network") -> dict[str, np.ndarray]:
    """The six arrays of ``network`` as floating arrays, their shapes checked to chain."""
    if not isinstance(network, dict):
        raise TypeError(f"{name} must be a dict of arrays keyed {KEYS}, got {type(network).__name__}")
    missing = [k for k in KEYS if k not in network]
    if missing:
        raise ValueError(f"{name} is missing {missing}; expected keys {KEYS}")
    arrays = {k: as_float_array(network[k], f"{name}[{k!r}]") for k in KEYS}
    width = None  # the number of units the previous layer hands on
    for i in (1, 2, 3):
        w, b = arrays[f"W{i}"], arrays[f"b{i}"]
        check_ndim(w, f"{name}['W{i}']", (2,))
        if width is not None and w.shape[0] != width:
            raise ValueError(f"{name}['W{i}'] must have {width} rows (the width of layer {i - 1}), got shape {w.shape}")
        if b.shape != (w.shape[1],):
            raise ValueError(f"{name}['b{i}'] must have shape ({w.shape[1]},) to match W{i}, got shape {b.shape}")
        width = w.shape[1]
    return arrays


def _layers(network, x, output):
    network = _check_network(network)
    x = check_ndim(as_float_array(x), "x", (1, 2))
    check_last_dim(x, "x", network["W1"].shape[0])
    z = x
    for i in (1, 2):
        z = sigmoid(z @ network[f"W{i}"] + network[f"b{i}"])
    return output(z @ network["W3"] + network["b3"])


def forward(network, x):
    r"""Forward pass with the identity output (the book's chapter-3 example).

    Parameters
    ----------
    network : dict
        ``W1``, ``b1``, ``W2``, ``b2``, ``W3``, ``b3``, as from [`init_network`][nnspec.networks.init_network].
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
        Weights as for [`forward`][nnspec.networks.forward], e.g. from [`load_weights`][nnspec.networks.load_weights].
    x : array_like, shape ``(d,)`` or ``(N, d)``

    Returns
    -------
    numpy.ndarray
        Shape ``(k,)`` or ``(N, k)``; each row sums to 1.

    Examples
    --------
    >>> p = predict(init_network(), [1.0, 0.5])
    >>> p
    array([0.40625907, 0.59374093])
    >>> float(p.sum())
    1.0
    """
    return _layers(network, x, softmax)


def load_weights(path: str | PathLike | BinaryIO) -> dict[str, np.ndarray]:
    """Load network weights from an ``.npz`` file, never unpickling.

    Parameters
    ----------
    path : str, path-like or binary file object
        An ``.npz`` with arrays ``W1`` (d, h1), ``b1`` (h1,), ``W2`` (h1, h2), ``b2`` (h2,),
        ``W3`` (h2, k), ``b3`` (k,) — e.g. the book's chapter-3 sample weights (784-50-100-10,
        float32) converted from its pickle.

    Returns
    -------
    dict
        The six arrays, in the file's dtype. Other arrays in the file are ignored.

    Raises
    ------
    ValueError
        A missing array or shapes that do not chain; the message names the file.

    Examples
    --------
    >>> import io
    >>> buf = io.BytesIO()
    >>> np.savez(buf, **init_network())
    >>> _ = buf.seek(0)
    >>> load_weights(buf)["W1"].shape
    (2, 3)
    """
    network = {}
    with np.load(path) as data:  # NumPy refuses pickles by default (allow_pickle=False)
        for k in data.files:
            try:
                network[k] = data[k]
            except ValueError as exc:  # an object array: only a pickle could restore it
                raise ValueError(
                    f"weights file {path}: array {k!r} is stored as Python objects, which only "
                    "unpickling could restore; nnspec never unpickles (save plain numeric arrays)"
                ) from exc
    _check_network(network, f"weights file {path}")
    return {k: network[k] for k in KEYS}
