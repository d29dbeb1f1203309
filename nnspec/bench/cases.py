"""What the benchmark times: nnspec's training steps and what each is compared with.

Every builder returns a dict ``name -> (function, reset)`` for `interleaved`:
``reset`` puts the weights back before each timed call, so every repetition does the same
arithmetic.
"""

from __future__ import annotations

import numpy as np

from ..networks import MultiLayerNet, TwoLayerNet
from ..optimizers import SGD, AdaGrad, Adam, Momentum
from ..rng import as_generator
from .bookstyle import BOOK_UPDATES, BookStyleNet

__all__ = ["two_layer_step", "multilayer_bn_adam", "optimizer_comparison", "CH6_HIDDEN", "CH6_OPTIMIZERS"]

#: The book's chapter-6 comparison network: four hidden layers of 100.
CH6_HIDDEN = (100, 100, 100, 100)

#: The four optimizers of the book's comparison, with the book's default settings.
CH6_OPTIMIZERS = {"SGD": SGD, "Momentum": Momentum, "AdaGrad": AdaGrad, "Adam": Adam}


def _restorer(*dicts):
    """A function that writes the arrays of ``dicts`` back to what they hold now."""
    saved = [(d, {k: v.copy() for k, v in d.items()}) for d in dicts]

    def reset():
        for d, snapshot in saved:
            for k, v in snapshot.items():
                d[k][...] = v

    return reset


def _batch(gen, batch: int, d: int, c: int, dtype):
    x = gen.random((batch, d)).astype(dtype)  # like normalized pixels
    t = gen.integers(c, size=batch)  # labels 0 .. c-1
    return x, t


def two_layer_step(dtype=np.float64, *, batch: int = 100, sizes=(784, 100, 10), lr: float = 0.1, seed: int = 0):
    """TwoLayerNet's SGD step by two routes, and the five matrix products inside it.

    Returns
    -------
    dict
        ``"step"``: ``SGD(lr).step(net, x, t)``, what [`train`][nnspec.training.train] runs (for a
        [`LayerNet`][nnspec.networks.LayerNet] that is the fused ``sgd_step``);
        ``"gradient+update"``: ``SGD(lr).update(net.params, net.gradient(x, t))``, the book's way;
        ``"gemm"``: the five products of the step, with the same shapes and dtype, written into
        arrays made beforehand (and returned): matrix-product time alone, the floor.
    """
    d, h, c = sizes
    gen = as_generator(seed)
    net = TwoLayerNet(d, h, c, rng=gen, dtype=dtype)  # weights of std 0.01, TwoLayerNet's default
    x, t = _batch(gen, batch, d, c, dtype)
    opt = SGD(lr)
    reset = _restorer(net.params)
    w1, w2 = net.params["W1"], net.params["W2"]
    z1 = np.maximum(x @ w1, 0)
    d2 = gen.standard_normal((batch, c)).astype(dtype)
    outs = [np.empty(shape, dtype=dtype) for shape in ((batch, h), (batch, c), (h, c), (batch, h), (d, h))]

    def gemms():
        np.matmul(x, w1, out=outs[0])  # A1 = X W1
        np.matmul(z1, w2, out=outs[1])  # A2 = Z1 W2
        np.matmul(z1.T, d2, out=outs[2])  # dW2 = Z1ᵀ D2
        np.matmul(d2, w2.T, out=outs[3])  # D1 = D2 W2ᵀ
        np.matmul(x.T, outs[3], out=outs[4])  # dW1 = Xᵀ D1
        return outs

    return {
        "step": (lambda: opt.step(net, x, t), reset),
        "gradient+update": (lambda: opt.update(net.params, net.gradient(x, t)), reset),
        "gemm": (gemms, None),
    }


def multilayer_bn_adam(dtype=np.float32, *, batch: int = 100, hidden=CH6_HIDDEN, seed: int = 0):
    """One Adam step of ``MultiLayerNet(784, hidden, 10, use_batchnorm=True)``: ``{"step": ...}``."""
    gen = as_generator(seed)
    net = MultiLayerNet(784, list(hidden), 10, use_batchnorm=True, rng=gen, dtype=dtype)
    x, t = _batch(gen, batch, 784, 10, dtype)
    opt = Adam()
    states = [layer.state for layer in net.layers.values() if layer.state]
    return {"step": (lambda: opt.step(net, x, t), _restorer(net.params, *states))}


def optimizer_comparison(dtype=np.float64, *, batch: int = 128, hidden=CH6_HIDDEN, seed: int = 0, book: bool = True):
    """One iteration of the book's chapter-6 optimizer comparison: four nets, four optimizers.

    Each of SGD, Momentum, AdaGrad and Adam (the book's default settings) trains its own
    784-[100]×4-10 ReLU net with He initialisation on the same batch of 128: ``gradient()``, then
    ``update``.

    Returns
    -------
    dict
        ``"nnspec"``: the iteration with nnspec; with ``book`` (float64 only) also ``"book"``: the
        same iteration with `bookstyle.BookStyleNet` and the book's
        update formulas, from the same initial weights.
    """
    gen = as_generator(seed)
    nets = {name: MultiLayerNet(784, list(hidden), 10, rng=gen, dtype=dtype) for name in CH6_OPTIMIZERS}
    opts = {name: cls() for name, cls in CH6_OPTIMIZERS.items()}
    x, t = _batch(gen, batch, 784, 10, dtype)

    def nnspec_iteration():
        for name, net in nets.items():
            opts[name].update(net.params, net.gradient(x, t))

    out = {"nnspec": (nnspec_iteration, _restorer(*(n.params for n in nets.values())))}
    if book:
        book_nets = {name: BookStyleNet(net.params) for name, net in nets.items()}
        states: dict[str, dict] = {name: {} for name in nets}

        def book_iteration():
            for name, bnet in book_nets.items():
                BOOK_UPDATES[name](states[name], bnet.params, bnet.gradient(x, t))

        out["book"] = (book_iteration, _restorer(*(b.params for b in book_nets.values())))
    return out
