r"""The book's chapter-5 ``TwoLayerNet``: Affine → ReLU → Affine → SoftmaxWithLoss, with backprop.

$$\text{scores} = \operatorname{relu}(X W_1 + b_1)\, W_2 + b_2, \qquad
  L = \text{cross-entropy}(\operatorname{softmax}(\text{scores}), t)$$

It is a [`LayerNet`][nnspec.networks.LayerNet] of three layers, so its parameters are shared with
its layers and must be updated in place (see there); [`MultiLayerNet`][nnspec.networks.MultiLayerNet]
runs the same loop over more layers.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..layers import Affine, Relu
from ..rng import as_generator
from ..validation import check_positive_int, resolve_dtype
from .layered import LayerNet

__all__ = ["TwoLayerNet"]


class TwoLayerNet(LayerNet):
    r"""Two-layer network trained by backpropagation (the book's chapter 5).

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        $d$, $h$ and $C$: e.g. 784, 50, 10 for MNIST.
    weight_init_std : float, default 0.01
        Weights start as ``weight_init_std * standard_normal``; biases start at 0.
    rng : None, int or numpy.random.Generator
        Source of the initial weights (see [`as_generator`][nnspec.rng.as_generator]). The weights
        are drawn in float64 and then cast, so one seed gives the same net in every dtype, rounded.
    dtype : numpy dtype, optional
        float64 (default) or e.g. float32. A float32 net keeps float32 parameters, casts its input
        and one-hot targets to float32 and computes, differentiates and returns float32
        throughout.

    Attributes
    ----------
    params : dict of numpy.ndarray
        ``W1`` $(d, h)$, ``b1`` $(h,)$, ``W2`` $(h, C)$, ``b2`` $(C,)$ — shared with the layers:
        update them **in place**.
    layers : collections.OrderedDict
        ``Affine1`` → ``Relu1`` → ``Affine2``, in forward order.
    last_layer : nnspec.layers.SoftmaxWithLoss
        The output layer; after [`loss`][nnspec.networks.LayerNet.loss] or
        [`gradient`][nnspec.networks.LayerNet.gradient], ``last_layer.loss`` holds that loss.

    Notes
    -----
    The same network as ``MultiLayerNet(d, [h], C, weight_init_std=std)``: same layers, same
    initial weights from the same seed, same numbers.

    Examples
    --------
    >>> net = TwoLayerNet(4, 5, 3, rng=0)
    >>> x = np.arange(8.0).reshape(2, 4) / 8
    >>> net.predict(x).shape
    (2, 3)
    >>> grads = net.gradient(x, [0, 2])
    >>> {k: g.shape for k, g in grads.items()}
    {'W1': (4, 5), 'b1': (5,), 'W2': (5, 3), 'b2': (3,)}
    >>> before = float(net.loss(x, [0, 2]))
    >>> for key in ("W1", "b1", "W2", "b2"):
    ...     net.params[key] -= 0.5 * grads[key]   # in place: the layers see it
    >>> float(net.loss(x, [0, 2])) < before
    True
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None, dtype=None):
        d = check_positive_int(input_size, "input_size")
        h = check_positive_int(hidden_size, "hidden_size")
        c = check_positive_int(output_size, "output_size")
        if isinstance(weight_init_std, bool) or not isinstance(weight_init_std, numbers.Real):
            raise TypeError(f"weight_init_std must be a real number, got {type(weight_init_std).__name__}")
        if not (np.isfinite(weight_init_std) and weight_init_std >= 0):
            raise ValueError(f"weight_init_std must be finite and >= 0, got {weight_init_std}")
        dt = resolve_dtype(dtype)
        gen = as_generator(rng)
        std = float(weight_init_std)
        w1 = (std * gen.standard_normal((d, h))).astype(dt)
        w2 = (std * gen.standard_normal((h, c))).astype(dt)
        # Affine casts each bias to its weights' dtype; LayerNet's last layer is a SoftmaxWithLoss.
        super().__init__({"Affine1": Affine(w1, np.zeros(h)), "Relu1": Relu(), "Affine2": Affine(w2, np.zeros(c))})
