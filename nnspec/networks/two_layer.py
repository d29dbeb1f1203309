r"""The book's chapter-5 ``TwoLayerNet``: Affine → ReLU → Affine → SoftmaxWithLoss, with backprop.

$$\text{scores} = \operatorname{relu}(X W_1 + b_1)\, W_2 + b_2, \qquad
  L = \text{cross-entropy}(\operatorname{softmax}(\text{scores}), t)$$

**Parameters are shared, so update them in place.** ``net.params["W1"]`` *is* the array the
first :class:`~nnspec.layers.Affine` layer computes with (not a copy). The training step

    for key in ("W1", "b1", "W2", "b2"):
        net.params[key] -= lr * grads[key]

changes the arrays in place and therefore the layers (:meth:`TwoLayerNet.sgd_step` does the same
step fused and cheaper; :func:`nnspec.training.train` uses it). ``numerical_gradient`` relies on
the same sharing (it perturbs ``params[key]`` in place). If you *rebind* a key instead
(``net.params["W1"] = new``), the net notices at its next call and points its layer at the new
array (which must have the same shape and dtype).
"""

from __future__ import annotations

import math
import numbers
from collections import OrderedDict

import numpy as np

from .._validate import check_positive_int, resolve_dtype
from ..layers import Affine, Relu, SoftmaxWithLoss
from ..layers._fast import as_float as _as_float
from ..losses import _accuracy
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
        self._w1_buffer = None  # sgd_step's X^T D1, kept from step to step

    @property
    def dtype(self) -> np.dtype:
        """The dtype of the parameters and of every computation."""
        return self.layers["Affine1"].W.dtype

    def _sync(self) -> None:
        """Point the layers at the arrays now in ``params`` (they differ only after a rebinding)."""
        p, (a1, _, a2) = self.params, self.layers.values()
        if p["W1"] is a1.W and p["b1"] is a1.b and p["W2"] is a2.W and p["b2"] is a2.b:
            return  # the usual case, checked at every call: keep it cheap
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
        a1, relu, a2 = self.layers.values()
        x = _as_float(x, "x", a1.W.dtype)
        d = a1.W.shape[0]
        if x.ndim >= 2 and math.prod(x.shape[1:]) == d:
            # A batch, checked here once: the layers' unchecked inner methods do the rest.
            z = relu._forward(a1._forward(x.reshape(x.shape[0], d), x.shape))
            return a2._forward(z, z.shape)
        for layer in self.layers.values():  # one sample (d,), or a shape Affine1 will explain
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
        return _accuracy(self.predict(x), t)

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

    def sgd_step(self, x, t, lr):
        r"""One step of stochastic gradient descent on a batch, in place; returns the batch's loss.

        Does what ``grads = net.gradient(x, t)`` followed by ``net.params[k] -= lr * grads[k]``
        for every key does, equal up to rounding, but fused, which makes it cheaper: backprop
        starts from $\eta\,(y - t)/N$ instead of $(y - t)/N$, so every product it forms is
        already $\eta$ times a gradient and is subtracted from its parameter at once:

        $$W_2 \mathrel{-}= Z_1^{\mathsf T} D_2, \quad b_2 \mathrel{-}= \textstyle\sum_n D_2, \quad
          D_1 = (D_2 W_2^{\mathsf T}) \odot [A_1 > 0], \quad
          W_1 \mathrel{-}= X^{\mathsf T} D_1, \quad b_1 \mathrel{-}= \textstyle\sum_n D_1,
          \qquad D_2 = \eta\,\frac{y - t}{N}$$

        ($D_1$ uses $W_2$ from before its update). No array the size of ``W1`` is allocated:
        $X^{\mathsf T} D_1$ goes into a buffer the net keeps, and no $\eta \cdot$ gradient
        temporaries are made. :func:`nnspec.training.train` calls this method when a network has
        it.

        Parameters
        ----------
        x, t : as for :meth:`loss`
        lr : float
            The learning rate $\eta > 0$.

        Returns
        -------
        numpy floating scalar
            The batch's loss $L$ before the update (also left in ``last_layer.loss``).

        Notes
        -----
        The layers' ``dW`` and ``db`` are not touched: they hold what the last :meth:`gradient`
        computed.

        Examples
        --------
        >>> net = TwoLayerNet(4, 5, 3, rng=0)
        >>> x = np.arange(8.0).reshape(2, 4) / 8
        >>> other = TwoLayerNet(4, 5, 3, rng=0)
        >>> loss = net.sgd_step(x, [0, 2], lr=0.5)
        >>> grads = other.gradient(x, [0, 2])
        >>> for key in ("W1", "b1", "W2", "b2"):
        ...     other.params[key] -= 0.5 * grads[key]
        >>> all(np.allclose(net.params[k], other.params[k], rtol=1e-12, atol=0) for k in grads)
        True
        >>> bool(net.loss(x, [0, 2]) < loss)
        True
        """
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
            raise TypeError(f"lr must be a positive real number, got {type(lr).__name__} {lr!r}")
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError(f"lr must be a positive finite number, got {lr}")
        a1, relu, a2 = self.layers.values()
        last = self.last_layer
        self._sync()
        x = _as_float(x, "x", a1.W.dtype)
        t = np.asarray(t)
        d = a1.W.shape[0]
        if x.ndim >= 2 and t.shape == x.shape[:1] and math.prod(x.shape[1:]) == d:
            # A batch with labels, the training loop's case: checked here once, then the layers'
            # unchecked inner methods. The scores are formed transposed, (C, N), the layout
            # SoftmaxWithLoss computes in (it reduces over classes).
            labels = last._check_labels(t, a2.W.shape[1])
            z = relu._forward(a1._forward(x.reshape(x.shape[0], d), x.shape), inplace=True)
            a2.x, a2.original_x_shape = z, z.shape  # what a2.forward(z) would keep
            st = a2.W.T @ z.T
            st += a2.b[:, None]
            last.t, last._single = t, False
            loss = last._forward_labels_t(st, labels)
            dout = last._scaled_grad_t(lr).T  # D2 = η(y − t)/N
        else:  # one sample or one-hot targets: the general route
            loss = self.loss(x, t)
            dout = last.backward(lr)
            if dout.ndim == 1:  # one sample: a batch of one from here on
                dout = dout.reshape(1, -1)
        w1, w2 = a1.W, a2.W
        d1 = dout @ w2.T  # before W2 changes
        w2 -= a2.x.T @ dout
        a2.b -= np.add.reduce(dout, axis=0)
        relu._backward(d1, out=d1)  # in place: d1 is ours
        buf = self._w1_buffer
        if buf is None or buf.shape != w1.shape or buf.dtype != w1.dtype:
            buf = self._w1_buffer = np.empty(w1.shape, dtype=w1.dtype)
        np.matmul(a1.x.T, d1, out=buf)
        w1 -= buf
        a1.b -= np.add.reduce(d1, axis=0)
        return loss

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
        a1, relu, a2 = self.layers.values()
        # The input needs no gradient: skip the product dout · W1ᵀ, as costly as the forward x · W1.
        if dout.ndim == 2:  # a batch: every array here was made by the forward pass, unchecked inner methods
            a1._backward(relu._backward(a2._backward(dout)), input_grad=False)
        else:  # one sample
            a1.backward(relu.backward(a2.backward(dout)), input_grad=False)
        return {"W1": a1.dW, "b1": a1.db, "W2": a2.dW, "b2": a2.db}
