r"""The book's chapter-6 network of any depth, ``MultiLayerNetExtend``: batch norm, dropout, weight decay.

For hidden sizes $h_1, \ldots, h_L$ the layers are, for $i = 1, \ldots, L$,

$$\text{Affine}_i \to [\text{BatchNorm}_i] \to \text{Activation}_i \to [\text{Dropout}_i]$$

followed by $\text{Affine}_{L+1}$ and softmax-with-loss; the bracketed layers only when asked for.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid
from ..rng import as_generator
from ..validation import check_positive_int, check_real, resolve_dtype
from .layered import LayerNet

__all__ = ["MultiLayerNet", "init_scale"]

ACTIVATIONS = {"relu": Relu, "sigmoid": Sigmoid}
_HE = ("relu", "he")
_XAVIER = ("sigmoid", "xavier")


def init_scale(weight_init_std, fan_in: int) -> float:
    r"""The standard deviation of a layer's initial weights, as the book chooses it.

    Parameters
    ----------
    weight_init_std : str or float
        ``"relu"`` or ``"he"``: He initialisation $\sqrt{2/n}$; ``"sigmoid"`` or ``"xavier"``: the
        book's Xavier initialisation $\sqrt{1/n}$ (any case); a number: that standard deviation.
    fan_in : int
        $n$, the number of inputs of the layer (units of the previous layer).

    Returns
    -------
    float

    Notes
    -----
    The book's "Xavier" $\sqrt{1/n}$ is the fan-in form; Glorot and Bengio's (2010) normalised
    initialisation has variance $2/(n_\text{in} + n_\text{out})$, which equals $1/n$ only when a
    layer has as many outputs as inputs.

    Examples
    --------
    >>> init_scale("he", 100), init_scale("Xavier", 100), init_scale(0.01, 100)
    (0.1414213562373095, 0.1, 0.01)
    """
    if isinstance(weight_init_std, str):
        kind = weight_init_std.lower()
        if kind in _HE:
            return math.sqrt(2.0 / fan_in)
        if kind in _XAVIER:
            return math.sqrt(1.0 / fan_in)
        raise ValueError(
            f"weight_init_std must be 'relu'/'he', 'sigmoid'/'xavier' or a number, got {weight_init_std!r}"
        )
    if isinstance(weight_init_std, bool) or not isinstance(weight_init_std, numbers.Real):
        raise TypeError(f"weight_init_std must be a string or a real number, got {type(weight_init_std).__name__}")
    return check_real(weight_init_std, "weight_init_std", low=0.0)


class MultiLayerNet(LayerNet):
    r"""A fully connected network of any depth, with optional batch norm, dropout and weight decay.

    Parameters
    ----------
    input_size : int
        $d$ (784 for MNIST).
    hidden_size_list : list of int
        The width of each hidden layer, e.g. ``[100, 100, 100, 100]``; may be empty (a linear
        softmax classifier).
    output_size : int
        $C$, the number of classes.
    activation : {"relu", "sigmoid"}
        The hidden layers' activation.
    weight_init_std : str or float, default "relu"
        See [`init_scale`][nnspec.networks.multi_layer.init_scale]: ``"relu"``/``"he"`` → $\sqrt{2/n}$,
        ``"sigmoid"``/``"xavier"`` → $\sqrt{1/n}$, a number → that standard deviation, where $n$
        is each layer's fan-in. Biases start at 0, batch norm's $\gamma$ at 1 and $\beta$ at 0.
    weight_decay_lambda : float, default 0
        $\lambda \ge 0$: the loss gains $\frac{\lambda}{2}\sum_i \lVert W_i\rVert^2$.
    use_dropout : bool, default False
        Put a [`Dropout`][nnspec.layers.Dropout] after every hidden activation.
    dropout_ratio : float, default 0.5
        Its $p$.
    use_batchnorm : bool, default False
        Put a [`BatchNormalization`][nnspec.layers.BatchNormalization] between every hidden
        affine layer and its activation.
    rng : None, int or numpy.random.Generator
        Draws the initial weights (layer by layer, in float64, then cast) and then the dropout
        masks.
    dtype : numpy dtype, optional
        float64 (default) or float32: every parameter and computation in that dtype.

    Attributes
    ----------
    params : dict of numpy.ndarray
        ``W1``, ``b1``, …, ``W{L+1}``, ``b{L+1}`` and, with batch norm, ``gamma1``, ``beta1``, …,
        ``gammaL``, ``betaL`` — shared with the layers (update in place).
    layers : collections.OrderedDict
        ``Affine1``, ``BatchNorm1``, ``Activation_function1``, ``Dropout1``, ``Affine2``, … (the
        book's names).
    hidden_size_list : list of int

    Examples
    --------
    >>> net = MultiLayerNet(4, [5, 5], 3, use_batchnorm=True, weight_decay_lambda=0.1, rng=0)
    >>> list(net.layers)
    ['Affine1', 'BatchNorm1', 'Activation_function1', 'Affine2', 'BatchNorm2', 'Activation_function2', 'Affine3']
    >>> list(net.params)
    ['W1', 'b1', 'gamma1', 'beta1', 'W2', 'b2', 'gamma2', 'beta2', 'W3', 'b3']
    >>> x, t = np.arange(12.0).reshape(3, 4) / 12, [0, 2, 1]
    >>> grads = net.gradient(x, t)
    >>> bool(net.loss(x, t, train_flg=True) == net.last_loss)   # decay term included in both
    True
    """

    def __init__(
        self,
        input_size,
        hidden_size_list,
        output_size,
        activation="relu",
        weight_init_std="relu",
        weight_decay_lambda=0,
        use_dropout=False,
        dropout_ratio=0.5,
        use_batchnorm=False,
        rng=None,
        dtype=None,
    ):
        d = check_positive_int(input_size, "input_size")
        if isinstance(hidden_size_list, (str, bytes)) or not hasattr(hidden_size_list, "__iter__"):
            raise TypeError(f"hidden_size_list must be a list of ints, got {type(hidden_size_list).__name__}")
        hidden = [check_positive_int(h, f"hidden_size_list[{i}]") for i, h in enumerate(hidden_size_list)]
        c = check_positive_int(output_size, "output_size")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        dt = resolve_dtype(dtype)
        gen = as_generator(rng)
        sizes = [d, *hidden, c]
        scales = [init_scale(weight_init_std, n) for n in sizes[:-1]]  # checked before any layer is made
        if use_dropout:
            check_real(dropout_ratio, "dropout_ratio", low=0.0, high=1.0, high_open=True)
        layers = {}
        for i in range(1, len(sizes)):
            n_in, n_out = sizes[i - 1], sizes[i]
            w = (scales[i - 1] * gen.standard_normal((n_in, n_out))).astype(dt)
            layers[f"Affine{i}"] = Affine(w, np.zeros(n_out))  # Affine casts b to W's dtype
            if i == len(sizes) - 1:
                break
            if use_batchnorm:
                layers[f"BatchNorm{i}"] = BatchNormalization(
                    np.ones(n_out, dtype=dt), np.zeros(n_out)
                )  # beta: gamma's dtype
            layers[f"Activation_function{i}"] = ACTIVATIONS[activation]()
            if use_dropout:
                layers[f"Dropout{i}"] = Dropout(dropout_ratio, rng=gen)
        super().__init__(layers, weight_decay_lambda=weight_decay_lambda)  # a new SoftmaxWithLoss last
        self.input_size, self.hidden_size_list, self.output_size = d, hidden, c
        self.activation, self.weight_init_std = activation, weight_init_std
        self.use_dropout, self.use_batchnorm = bool(use_dropout), bool(use_batchnorm)

    def __repr__(self) -> str:
        extras = [f"weight_decay_lambda={self.weight_decay_lambda:g}"] if self.weight_decay_lambda else []
        if self.use_batchnorm:
            extras.append("batchnorm")
        if self.use_dropout:
            extras.append(f"dropout={self.layers['Dropout1'].dropout_ratio:g}" if self.hidden_size_list else "dropout")
        sizes = "-".join(str(n) for n in (self.input_size, *self.hidden_size_list, self.output_size))
        return f"MultiLayerNet({sizes}, {self.activation}{''.join(', ' + e for e in extras)})"
