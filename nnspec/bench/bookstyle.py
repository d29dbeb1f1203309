r"""A baseline for the benchmark: the chapter-6 training step computed the way the book's code computes it.

The book's ``ch06/optimizer_compare_mnist.py`` trains a ``MultiLayerNet`` (784-[100]×4-10, ReLU,
He initialisation, batch 128) with each optimizer by calling ``network.gradient(x, t)`` and then
``optimizer.update(params, grads)``. This module does the same arithmetic with the same NumPy
operations and the same memory behaviour — a new array for every intermediate, ReLU by boolean
indexing (``out[mask] = 0``, ``dout[mask] = 0``), softmax along the last axis calling ``exp``
twice, the cross-entropy of labels as ``-sum(log(y[arange(N), t] + 1e-7)) / N``, the weight-decay
sum computed even when λ = 0, every gradient of a weight formed as ``dW + λ W``, and optimizer
updates that allocate their temporaries — so that ``python -m nnspec.bench`` can time nnspec
against it in the same process. It was written for the benchmark from the book's description of
each step; it is not the book's code and not part of nnspec's API.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["BookStyleNet", "BOOK_UPDATES"]


class BookStyleNet:
    """``MultiLayerNet`` without batch norm or dropout, the book's way (float64).

    Parameters
    ----------
    params : dict of numpy.ndarray
        ``W1``, ``b1``, … copied from an nnspec net, so both start from the same weights.
    weight_decay_lambda : float
    """

    def __init__(self, params: dict, weight_decay_lambda: float = 0.0):
        self.params = {k: v.copy() for k, v in params.items()}
        self.n_affine = len(params) // 2
        self.lam = weight_decay_lambda

    def gradient(self, x, t) -> dict:
        """Forward (loss included), then backward, as the book's ``gradient``; new arrays throughout."""
        p, n = self.params, self.n_affine
        inputs, masks = [], []
        h = x
        for i in range(1, n + 1):  # Affine → Relu, the last Affine without Relu
            h2 = h.reshape(h.shape[0], -1)  # pragma: no mutate (equivalent: NumPy reads -2 as -1, "the rest")
            inputs.append(h2)
            h = np.dot(h2, p[f"W{i}"]) + p[f"b{i}"]
            if i < n:
                mask = h <= 0
                masks.append(mask)
                h = h.copy()
                h[mask] = 0
        last = -1  # pragma: no mutate (equivalent: h is 2-D, so axis +1 is its last axis too)
        shifted = h - np.max(h, axis=last, keepdims=True)
        y = np.exp(shifted) / np.sum(np.exp(shifted), axis=last, keepdims=True)
        batch = y.shape[0]
        loss = -np.sum(np.log(y[np.arange(batch), t] + 1e-7)) / batch
        decay = 0.0
        for i in range(1, n + 1):
            decay += 0.5 * self.lam * np.sum(p[f"W{i}"] ** 2)
        self.loss = loss + decay
        dout = y.copy()
        dout[np.arange(batch), t] -= 1
        dout = dout / batch
        grads = {}
        for i in range(n, 0, -1):
            dx = np.dot(dout, p[f"W{i}"].T)
            grads[f"W{i}"] = np.dot(inputs[i - 1].T, dout) + self.lam * p[f"W{i}"]
            grads[f"b{i}"] = np.sum(dout, axis=0)
            if i > 1:
                dx[masks[i - 2]] = 0
                dout = dx
        return grads


def _sgd(state, params, grads, lr=0.01):
    for key in params:
        params[key] -= lr * grads[key]


def _momentum(state, params, grads, lr=0.01, momentum=0.9):
    v = state.setdefault("v", {k: np.zeros_like(val) for k, val in params.items()})
    for key in params:
        v[key] = momentum * v[key] - lr * grads[key]
        params[key] += v[key]


def _adagrad(state, params, grads, lr=0.01):
    h = state.setdefault("h", {k: np.zeros_like(val) for k, val in params.items()})
    for key in params:
        h[key] += grads[key] * grads[key]
        params[key] -= lr * grads[key] / (np.sqrt(h[key]) + 1e-7)


def _adam(state, params, grads, lr=0.001, beta1=0.9, beta2=0.999):
    m = state.setdefault("m", {k: np.zeros_like(val) for k, val in params.items()})
    v = state.setdefault("v", {k: np.zeros_like(val) for k, val in params.items()})
    state["iter"] = state.get("iter", 0) + 1
    lr_t = lr * math.sqrt(1.0 - beta2 ** state["iter"]) / (1.0 - beta1 ** state["iter"])
    for key in params:
        m[key] += (1 - beta1) * (grads[key] - m[key])
        v[key] += (1 - beta2) * (grads[key] ** 2 - v[key])
        params[key] -= lr_t * m[key] / (np.sqrt(v[key]) + 1e-7)


#: The four optimizers of the book's comparison, each ``update(state, params, grads)`` with the
#: book's default settings.
BOOK_UPDATES = {"SGD": _sgd, "Momentum": _momentum, "AdaGrad": _adagrad, "Adam": _adam}
