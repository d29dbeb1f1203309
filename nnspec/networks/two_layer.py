r"""The book's chapter-5 ``TwoLayerNet``: Affine → ReLU → Affine → SoftmaxWithLoss, with backprop.

$$\text{scores} = \operatorname{relu}(X W_1 + b_1)\, W_2 + b_2, \qquad
  L = \text{cross-entropy}(\operatorname{softmax}(\text{scores}), t)$$

**Parameters are shared, so update them in place.** ``net.params["W1"]`` *is* the array the
first :class:`~nnspec.layers.Affine` layer computes with (not a copy). The training step

    for key in ("W1", "b1", "W2", "b2"):
        net.params[key] -= lr * grads[key]

changes the arrays in place and therefore the layers. ``numerical_gradient`` relies on the same
sharing (it perturbs ``params[key]`` in place). If you *rebind* a key instead
(``net.params["W1"] = new``), the net notices at its next call and points its layer at the new
array (which must have the same shape and dtype).
"""

from __future__ import annotations

import numbers
from collections import OrderedDict

import numpy as np

from .._validate import as_float_array, check_positive_int, resolve_dtype
from ..layers import Affine, Relu, SoftmaxWithLoss
from ..rng import as_generator

__all__ = ["TwoLayerNet"]

# parameter key -> (layer name, attribute)
_WHERE = {"W1": ("Affine1", "W"), "b1": ("Affine1", "b"), "W2": ("Affine2", "W"), "b2": ("Affine2", "b")}


class TwoLayerNet:
    r"""Two-layer network trained by backpropagation (the book's chapter 5).

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        $d$, $h$ and $C$: e.g. 784, 50, 10 for MNIST.
    weight_init_std : float, default 0.01
        Weights start as ``weight_init_std * standard_normal``; biases start at 0.
    rng : None, int or numpy.random.Generator
        Source of the initial weights (see :func:`nnspec.rng.as_generator`). The weights are
        drawn in float64 and then cast, so one seed gives the same net in every dtype, rounded.
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
        The output layer; after :meth:`loss` or :meth:`gradient`, ``last_layer.loss`` holds that
        loss, so a training loop need not run the forward pass twice.

    Notes
    -----
    Every method taking targets ``t`` accepts integer labels of shape ``(N,)`` or one-hot rows of
    shape ``(N, C)``. ``x`` may be ``(N, d)``, a tensor ``(N, d_1, d_2, ...)`` flattened as in the
    book, or a single sample ``(d,)``. Input values are not checked for NaN or infinity (this is
    the inner loop); such values simply propagate.

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
        self.params = {
            "W1": (std * gen.standard_normal((d, h))).astype(dt),
            "b1": np.zeros(h, dtype=dt),
            "W2": (std * gen.standard_normal((h, c))).astype(dt),
            "b2": np.zeros(c, dtype=dt),
        }
        self.layers = OrderedDict(
            Affine1=Affine(self.params["W1"], self.params["b1"]),
            Relu1=Relu(),
            Affine2=Affine(self.params["W2"], self.params["b2"]),
        )
        self.last_layer = SoftmaxWithLoss()

    @property
    def dtype(self) -> np.dtype:
        """The dtype of the parameters and of every computation."""
        return self.layers["Affine1"].W.dtype

    def _sync(self) -> None:
        """Point the layers at the arrays now in ``params`` (they differ only after a rebinding)."""
        for key, (name, attr) in _WHERE.items():
            layer = self.layers[name]
            new = self.params[key]
            old = getattr(layer, attr)
            if new is old:
                continue
            if not isinstance(new, np.ndarray) or new.shape != old.shape or new.dtype != old.dtype:
                raise ValueError(
                    f"params[{key!r}] must be an array of shape {old.shape} and dtype {old.dtype}, "
                    f"got {type(new).__name__} {getattr(new, 'shape', '')} {getattr(new, 'dtype', '')}".rstrip()
                )
            setattr(layer, attr, new)

    def predict(self, x):
        r"""Class scores (before softmax): $\operatorname{relu}(XW_1 + b_1)W_2 + b_2$.

        Parameters
        ----------
        x : array_like, shape ``(N, d)``, ``(N, d_1, d_2, ...)`` or ``(d,)``

        Returns
        -------
        numpy.ndarray
            Shape ``(N, C)`` (``(C,)`` for one sample), in the net's dtype. The class with the
            highest score is the prediction; softmax would not change which one it is.
        """
        self._sync()
        x = as_float_array(x, "x", dtype=self.dtype, finite=False)
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        r"""Mean cross-entropy $L$ of the batch.

        Parameters
        ----------
        x : array_like, shape ``(N, d)`` (or as in :meth:`predict`)
        t : array_like
            Labels ``(N,)`` or one-hot ``(N, C)``.

        Returns
        -------
        numpy floating scalar
            $L$, in the net's dtype.
        """
        # SoftmaxWithLoss casts one-hot targets to the scores' dtype: a float32 net stays float32.
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        r"""Fraction of samples whose highest score is the target class.

        Parameters
        ----------
        x : array_like, shape ``(N, d)`` (or as in :meth:`predict`)
        t : array_like
            Labels ``(N,)`` or one-hot ``(N, C)``.

        Returns
        -------
        float
            In $[0, 1]$.
        """
        y = self.predict(x)
        t = np.asarray(t)
        if t.shape == y.shape:  # one-hot rows
            labels = t.reshape(-1, y.shape[-1]).argmax(axis=1)
        elif t.shape == y.shape[:-1]:  # labels
            labels = t.reshape(-1)
        else:
            raise ValueError(
                f"t must be labels of shape {y.shape[:-1]} or one-hot of shape {y.shape}, got shape {t.shape}"
            )
        y = y.reshape(-1, y.shape[-1])
        return float(np.mean(y.argmax(axis=1) == labels))

    def numerical_gradient(self, x, t):
        r"""Gradient of :meth:`loss` by central differences, one parameter entry at a time.

        Slow on purpose, as a reference: $2 \times$ (number of parameters) loss evaluations
        (79,520 for 784-50-10), each a full forward pass. Use :meth:`gradient` to train.

        Parameters
        ----------
        x, t : as for :meth:`loss`

        Returns
        -------
        dict of numpy.ndarray
            Keyed and shaped like :attr:`params`.
        """
        from ..gradient import numerical_gradient

        def loss_w(_):
            return self.loss(x, t)

        self._sync()
        return {key: numerical_gradient(loss_w, self.params[key]) for key in _WHERE}

    def gradient(self, x, t):
        r"""Gradient of :meth:`loss` by backpropagation: one forward and one backward pass.

        Parameters
        ----------
        x, t : as for :meth:`loss`

        Returns
        -------
        dict of numpy.ndarray
            ``W1``, ``b1``, ``W2``, ``b2``: $\partial L/\partial W_1$ … with the parameters' shapes
            and dtype (new arrays on every call). The loss of this forward pass is left in
            ``last_layer.loss``.
        """
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        layers = list(self.layers.values())
        for layer in reversed(layers[1:]):
            dout = layer.backward(dout)
        # The input needs no gradient: skip the product dout · W1ᵀ, as costly as the forward x · W1.
        layers[0].backward(dout, input_grad=False)
        a1, a2 = self.layers["Affine1"], self.layers["Affine2"]
        return {"W1": a1.dW, "b1": a1.db, "W2": a2.dW, "b2": a2.db}
