r"""A network as a loop over its layers: the machinery TwoLayerNet and MultiLayerNet share.

Forward runs the layers in order and the loss layer last; backward runs them in reverse, each
layer turning $\partial L/\partial(\text{its output})$ into $\partial L/\partial(\text{its
input})$ and keeping the gradients of its own parameters (the [`Layer`][nnspec.layers.Layer]
protocol). The network never names a layer's internals: it reads ``layer.params`` and
``layer.grads``.

**Parameter names.** A layer named ``"Affine2"`` with parameters ``W`` and ``b`` gives the net its
``params["W2"]`` and ``params["b2"]`` (the digits that end the layer's name, after the layer's own
parameter name), ``"BatchNorm1"`` gives ``gamma1`` and ``beta1``: the book's keys.

**Parameters are shared, so update them in place.** ``net.params["W1"]`` *is* the array the layer
computes with. ``net.params["W1"] -= lr * grads["W1"]`` (or any optimizer's ``update``) changes
the layer; so does the in-place perturbation of ``numerical_gradient``. If you *rebind* a key
instead (``net.params["W1"] = new``), the net points its layer at the new array at its next call
(it must have the old one's shape and dtype).
"""

from __future__ import annotations

import re
from collections import OrderedDict

import numpy as np

from ..layers import Dropout, SoftmaxWithLoss
from ..metrics import accuracy as _accuracy_of
from ..validation import check_real

__all__ = ["LayerNet"]

_NUMBER = re.compile(r"(\d+)$")


class LayerNet:
    r"""Layers in order, a softmax-with-loss output, and optional weight decay.

    Parameters
    ----------
    layers : mapping of str to layer
        In forward order. Each follows the [`Layer`][nnspec.layers.Layer] protocol; each name
        ends in the layer's number (``"Affine1"``, ``"Relu1"`` …).
    last_layer : nnspec.layers.SoftmaxWithLoss, optional
        The output layer (a new one by default).
    weight_decay_lambda : float, default 0
        $\lambda \ge 0$. The loss gains $\frac{\lambda}{2}\sum_W \lVert W\rVert^2$ over every
        parameter whose layer calls it ``W`` (weights, not biases or batch-norm parameters), and
        the gradient of each such $W$ gains $\lambda W$.

    Attributes
    ----------
    params : dict of numpy.ndarray
        ``W1``, ``b1``, … (and ``gamma1``, ``beta1``, … with batch norm): the layers' own arrays.
    layers : collections.OrderedDict
        The layers, in forward order.
    last_layer : nnspec.layers.SoftmaxWithLoss
    weight_decay_lambda : float
    last_loss : numpy floating scalar or None
        The loss of the forward pass of the last [`gradient`][nnspec.networks.LayerNet.gradient]
        call (weight decay included): the number a training loop reports for that batch, with
        no second forward pass.

    Notes
    -----
    Every method taking targets ``t`` accepts integer labels of shape ``(N,)`` or one-hot rows of
    shape ``(N, C)``. ``x`` may be ``(N, d)``, a tensor ``(N, d_1, d_2, ...)`` flattened as in the
    book, or a single sample ``(d,)`` (at inference). The first layer checks ``x``; the layers
    after it are called unchecked (``check=False``), since each gets an array its predecessor
    made. Input values are not checked for NaN or infinity (this is the inner loop).
    """

    def __init__(self, layers, last_layer=None, weight_decay_lambda=0.0):
        self.layers = OrderedDict(layers)
        if not self.layers:
            raise ValueError("layers must hold at least one layer")
        self.last_layer = SoftmaxWithLoss() if last_layer is None else last_layer
        self.weight_decay_lambda = check_real(weight_decay_lambda, "weight_decay_lambda", low=0.0)
        self.params: dict[str, np.ndarray] = {}
        self._where: dict[str, tuple[str, str]] = {}  # net key -> (layer name, the layer's key)
        for name, layer in self.layers.items():
            number = _NUMBER.search(name)
            for local, value in layer.params.items():
                if number is None:
                    raise ValueError(f"layer name {name!r} must end in the layer's number (e.g. 'Affine1')")
                key = local + number.group(1)
                if key in self._where:
                    raise ValueError(f"two layers would both name a parameter {key!r}: rename one of them")
                self.params[key] = value
                self._where[key] = (name, local)
        self._decayed = [key for key, (_, local) in self._where.items() if local == "W"]
        self.last_loss = None

    @property
    def dtype(self) -> np.dtype:
        """The dtype of the parameters and of every computation."""
        return next(iter(self.params.values())).dtype if self.params else np.dtype(np.float64)

    def _sync(self) -> None:
        """Point the layers at the arrays now in ``params`` (they differ only after a rebinding)."""
        for key, (name, local) in self._where.items():
            layer_params = self.layers[name].params
            new, old = self.params.get(key), layer_params[local]
            if new is old:
                continue  # the usual case, checked at every call: keep it cheap
            if not isinstance(new, np.ndarray) or new.shape != old.shape or new.dtype != old.dtype:
                raise ValueError(
                    f"params[{key!r}] must be an array of shape {old.shape} and dtype {old.dtype}, "
                    f"got {type(new).__name__} {getattr(new, 'shape', '')} {getattr(new, 'dtype', '')}".rstrip()
                )
            layer_params[local] = new

    def _forward(self, x, train_flg: bool):
        """The layers in order: the first one checks ``x``, the rest trust what they are handed."""
        layers = iter(self.layers.values())
        x = next(layers).forward(x, train_flg)
        for layer in layers:
            x = layer.forward(x, train_flg, check=False)
        return x

    # ------------------------------------------------------------------ the book's methods

    def predict(self, x, train_flg: bool = False):
        r"""Class scores (before softmax), the output of the last layer before the loss.

        Parameters
        ----------
        x : array_like, shape ``(N, d)``, ``(N, d_1, d_2, ...)`` or ``(d,)``
        train_flg : bool, default False
            ``True`` runs the layers in training mode (dropout drops, batch norm uses and updates
            the batch statistics).

        Returns
        -------
        numpy.ndarray
            Shape ``(N, C)`` (``(C,)`` for one sample), in the net's dtype. The class with the
            highest score is the prediction; softmax would not change which one it is.
        """
        self._sync()
        return self._forward(x, train_flg)

    def weight_decay_loss(self):
        r"""$\frac{\lambda}{2}\sum_W \lVert W\rVert^2$, the term [`loss`][nnspec.networks.LayerNet.loss] adds (0 when $\lambda = 0$)."""
        lam = self.weight_decay_lambda
        if lam == 0:
            return 0.0
        total = sum(np.vdot(self.params[k], self.params[k]) for k in self._decayed)
        return 0.5 * lam * total

    def loss(self, x, t, train_flg: bool = False):
        r"""Mean cross-entropy of the batch plus the weight-decay term.

        $$L = -\frac{1}{N}\sum_n \log \operatorname{softmax}(\text{scores}_n)_{t_n}
              + \frac{\lambda}{2}\sum_W \lVert W\rVert^2$$

        Parameters
        ----------
        x : array_like, shape ``(N, d)`` (or as in [`predict`][nnspec.networks.LayerNet.predict])
        t : array_like
            Labels ``(N,)`` or one-hot ``(N, C)``.
        train_flg : bool, default False
            As in [`predict`][nnspec.networks.LayerNet.predict].

        Returns
        -------
        numpy floating scalar
            $L$, in the net's dtype.
        """
        loss = self.last_layer.forward(self.predict(x, train_flg), t)
        if self.weight_decay_lambda:
            loss = loss + self.weight_decay_loss()
        return loss

    def accuracy(self, x, t) -> float:
        r"""Fraction of samples whose highest score is the target class (inference mode).

        Parameters
        ----------
        x : array_like, shape ``(N, d)`` (or as in [`predict`][nnspec.networks.LayerNet.predict])
        t : array_like
            Labels ``(N,)`` or one-hot ``(N, C)``; see [`accuracy`][nnspec.metrics.accuracy].

        Returns
        -------
        float
            In $[0, 1]$.
        """
        return _accuracy_of(self.predict(x), t)  # predict is in inference mode by default

    def _forward_loss(self, x, t):
        """Training-mode forward pass and loss (decay included), kept in ``last_loss``."""
        self._sync()
        loss = self.last_layer.forward(self._forward(x, True), t)
        if self.weight_decay_lambda:
            loss = loss + self.weight_decay_loss()
        self.last_loss = loss
        return loss

    def _backprop(self, scale) -> dict:
        """The gradient of ``scale`` times the last forward pass's loss, keyed like ``params``."""
        dout = self.last_layer.backward(scale)
        layers = list(self.layers.values())
        for layer in reversed(layers[1:]):
            dout = layer.backward(dout, check=False)
        layers[0].backward(dout, input_grad=False, check=False)  # nothing needs the input's gradient
        decay = self.weight_decay_lambda * scale
        grads = {}
        for key, (name, local) in self._where.items():
            g = self.layers[name].grads[local]
            if decay and local == "W":
                g = g + decay * self.params[key]
            grads[key] = g
        return grads

    def gradient(self, x, t):
        r"""Gradient of the training-mode [`loss`][nnspec.networks.LayerNet.loss] by backpropagation.

        One forward pass in training mode, then ``backward`` through the loss layer and every
        layer in reverse (the first layer skips the gradient of its input, which nothing needs).
        Each weight's gradient gains $\lambda W$ from weight decay.

        Parameters
        ----------
        x, t : as for [`loss`][nnspec.networks.LayerNet.loss]

        Returns
        -------
        dict of numpy.ndarray
            Keyed and shaped like [`params`][nnspec.networks.LayerNet], in the net's dtype (new
            arrays on every call). The loss of this forward pass is left in ``last_loss``.
        """
        self._forward_loss(x, t)
        return self._backprop(1)

    def sgd_step(self, x, t, lr):
        r"""One SGD step on a batch, in place; returns the batch's loss.

        Does what ``grads = net.gradient(x, t)`` followed by ``params[k] -= lr * grads[k]`` does,
        equal up to rounding, in fewer passes over memory: backprop starts from $\eta$ instead
        of 1 (``last_layer.backward(lr)``), so every gradient it forms is already
        $\eta\,\partial L/\partial W$ and is subtracted from its parameter as it is. This is
        what [`SGD.step`][nnspec.optimizers.SGD.step] calls, so ``train(..., optimizer="sgd")``
        runs it.

        Parameters
        ----------
        x, t : as for [`loss`][nnspec.networks.LayerNet.loss]
        lr : float
            The learning rate $\eta > 0$.

        Returns
        -------
        numpy floating scalar
            The batch's training-mode loss before the update (also left in ``last_loss``).

        Examples
        --------
        >>> from nnspec.networks import TwoLayerNet
        >>> net, other = TwoLayerNet(4, 5, 3, rng=0), TwoLayerNet(4, 5, 3, rng=0)
        >>> x = np.arange(8.0).reshape(2, 4) / 8
        >>> loss = net.sgd_step(x, [0, 2], lr=0.5)
        >>> grads = other.gradient(x, [0, 2])
        >>> for key in grads:
        ...     other.params[key] -= 0.5 * grads[key]
        >>> all(np.allclose(net.params[k], other.params[k], rtol=1e-12, atol=0) for k in grads)
        True
        """
        lr = check_real(lr, "lr", low=0.0, low_open=True)
        loss = self._forward_loss(x, t)
        for key, step in self._backprop(lr).items():
            self.params[key] -= step
        return loss

    def numerical_gradient(self, x, t):
        r"""Gradient of the training-mode loss by central differences, one parameter entry at a time.

        Slow on purpose, as a reference: $2 \times$ (number of parameters) loss evaluations, each
        a full forward pass. Use [`gradient`][nnspec.networks.LayerNet.gradient] to train. The
        layers' own state (batch norm's running averages, moved by every training-mode pass) is
        restored afterwards, so checking a gradient changes nothing.

        Parameters
        ----------
        x, t : as for [`loss`][nnspec.networks.LayerNet.loss]

        Returns
        -------
        dict of numpy.ndarray
            Keyed and shaped like ``params``.

        Raises
        ------
        ValueError
            The net has active dropout: every evaluation would draw a new mask, so the loss is
            not a function of the parameters and its differences mean nothing.
        """
        from ..gradient import numerical_gradient

        for name, layer in self.layers.items():
            if isinstance(layer, Dropout) and layer.dropout_ratio > 0:
                raise ValueError(
                    f"numerical_gradient needs a deterministic loss, but layer {name!r} drops units at random "
                    "in training mode; check gradients on a net without dropout"
                )
        self._sync()
        saved = [(layer.state, {k: v.copy() for k, v in layer.state.items()}) for layer in self.layers.values()]

        def loss_w(_):
            return self.loss(x, t, train_flg=True)

        try:
            return {key: numerical_gradient(loss_w, value) for key, value in self.params.items()}
        finally:
            for state, snapshot in saved:
                for k, v in snapshot.items():
                    state[k][...] = v
