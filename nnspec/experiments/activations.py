r"""What the initial weights do to the activations of a deep stack (book §6.2.2, ``weight_init_activation_histogram.py``).

A batch of 1,000 standard-normal inputs of width 100 goes through five layers of 100 units,
$z_l = \sigma(z_{l-1} W_l)$ without biases, each $W_l$ drawn with one standard deviation. The
histograms of every layer's outputs show whether the signal keeps its spread: piled at 0 and 1
(saturated sigmoids), collapsed to one value (all units alike), or spread.
"""

from __future__ import annotations

import numpy as np

from ..layers import Affine, Relu, Sigmoid
from ..networks import init_scale
from ..rng import as_generator
from ..validation import check_positive_int

__all__ = ["activation_histograms", "symmetric_start"]

_ACTIVATIONS = {"sigmoid": Sigmoid, "relu": Relu}


def activation_histograms(
    inits=(1.0, 0.01, "xavier", "he"),
    *,
    activation: str = "sigmoid",
    n: int = 1000,
    width: int = 100,
    layers: int = 5,
    bins: int = 30,
    rng=0,
) -> dict:
    r"""Forward (and backward) one random batch through ``layers`` layers for each initial scale.

    Parameters
    ----------
    inits : sequence
        Values of ``weight_init_std``: a standard deviation, or ``"xavier"`` ($\sqrt{1/n}$) /
        ``"he"`` ($\sqrt{2/n}$), as [`init_scale`][nnspec.networks.init_scale] reads them.
    activation : {"sigmoid", "relu"}
    n, width, layers : int
        Batch size, units per layer, depth (the book's 1,000, 100, 5).
    bins : int
        Histogram bins; over $[0, 1]$ for sigmoid, over $[0, \max]$ for ReLU.
    rng : int or numpy.random.Generator
        Draws, in this order and once for all inits: the input $x$ ``(n, width)``, each layer's
        standard-normal weights ``(width, width)`` (scaled by each init's standard deviation), and
        $g$ ``(n, width)``.

    Returns
    -------
    dict
        For each ``str(init)``: ``activations`` (list of ``layers`` arrays ``(n, width)``),
        ``hist`` (list of ``(counts, edges)``), ``std`` and ``mean`` per layer, ``saturated`` (the
        fraction of sigmoid outputs below 0.01 or above 0.99; of ReLU outputs equal to 0),
        ``grad`` (per layer, the mean $|\partial L/\partial a_l|$ over the mean $|g|$, where $a_l$ is
        layer $l$'s input to its activation and $L = \sum_{n,k} g_{nk} z_{\text{last},nk}$ with $g$
        standard normal: the fraction of the gradient arriving at the top that reaches layer $l$),
        ``unit_spread`` (the mean over samples of the standard deviation across a layer's units:
        0 when all units agree).
    """
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}")
    n, width, layers = (check_positive_int(v, k) for v, k in ((n, "n"), (width, "width"), (layers, "layers")))
    gen = as_generator(rng)
    x = gen.standard_normal((n, width))
    draws = [gen.standard_normal((width, width)) for _ in range(layers)]  # every init scales the same draws
    dout = gen.standard_normal((n, width))
    upstream = float(np.mean(np.abs(dout)))
    out = {}
    for init in inits:
        scale = init_scale(init, width)
        affines = [Affine(w * scale, np.zeros(width)) for w in draws]
        units = [_ACTIVATIONS[activation]() for _ in draws]
        z, acts = x, []
        for affine, unit in zip(affines, units):
            z = unit.forward(affine.forward(z))
            acts.append(z)
        d, grad = dout, []
        for affine, unit in zip(affines[::-1], units[::-1]):
            da = unit.backward(d)
            grad.append(float(np.mean(np.abs(da))) / upstream)
            d = affine.backward(da)
        grad.reverse()
        top = max(float(max(a.max() for a in acts)), 1e-12)
        hist_range = (0.0, 1.0) if activation == "sigmoid" else (0.0, top)
        if activation == "sigmoid":
            low = [a < 0.01 for a in acts]  # pragma: no mutate (equivalent: <= too; σ is never 0.01 in float64)
            saturated = [float(np.mean(lo | (a > 0.99))) for lo, a in zip(low, acts)]
        else:
            saturated = [float(np.mean(a == 0)) for a in acts]
        out[str(init)] = {
            "activations": acts,
            "hist": [np.histogram(a.ravel(), bins=bins, range=hist_range) for a in acts],
            "std": [float(a.std()) for a in acts],
            "mean": [float(a.mean()) for a in acts],
            "saturated": saturated,
            "grad": grad,
            "unit_spread": [float(a.std(axis=1).mean()) for a in acts],
        }
    return out


def symmetric_start(
    data=None, *, value: float = 0.1, hidden=(50,), iters: int = 100, batch_size: int = 100, lr: float = 0.1, rng=0
) -> dict:
    r"""Train a network whose weights all start equal (the book's warning of §6.2.1) and watch the units.

    Every hidden unit of a layer computes the same function of the same input, receives the same
    gradient and gets the same update: they stay identical, and the layer works as a single unit.

    Parameters
    ----------
    data : ((x_train, t_train), test), optional
        Default: the MNIST sample.
    value : float
        The value of every weight (biases 0).

    Returns
    -------
    dict
        ``spread``: per iteration (``iters + 1`` values), the largest difference between two
        hidden units' incoming weights in the first layer (0 means all units are one);
        ``loss``: every mini-batch loss; ``distinct_units``: the number of distinct columns of
        ``W1`` at the end.
    """
    from ..networks import MultiLayerNet
    from ..optimizers import SGD
    from .data import load_data

    (x_train, t_train), _ = load_data() if data is None else data
    net = MultiLayerNet(x_train.shape[1], list(hidden), int(t_train.max()) + 1)
    for k, v in net.params.items():  # every parameter is overwritten: the network's own draw does not matter
        v[...] = value if k.startswith("W") else 0.0
    gen = as_generator(rng)
    opt = SGD(lr)

    def spread():
        w1 = net.params["W1"]
        return float(np.max(w1.max(axis=1) - w1.min(axis=1)))

    spreads, losses = [spread()], []
    for _ in range(iters):
        idx = gen.choice(
            len(x_train),
            size=batch_size,
            replace=False,  # pragma: no mutate (equivalent: None, the only other mutant, is falsy like False)
        )
        losses.append(float(opt.step(net, x_train[idx], t_train[idx])))
        spreads.append(spread())
    distinct = len(np.unique(net.params["W1"].round(12), axis=1).T)
    return {"spread": np.array(spreads), "loss": np.array(losses), "distinct_units": distinct}
