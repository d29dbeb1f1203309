r"""The protocol every network layer follows, so that a network is a loop over its layers.

A layer maps a batch ``x`` to ``y`` and, given $\partial L/\partial y$, returns
$\partial L/\partial x$ and keeps the gradients of its own parameters:

```python
y = layer.forward(x, train_flg=True)   # train_flg: training or inference (see below)
dx = layer.backward(dy)                # also fills layer.grads
layer.params   # {"W": ..., "b": ...}  the layer's own parameters, by local name ({} if none)
layer.grads    # {"W": ..., "b": ...}  their gradients from the last backward, same keys
layer.state    # {"running_mean": ...} arrays the layer updates itself, not by gradient ({} if none)
```

A network's ``params["W1"]`` *is* its first affine layer's ``params["W"]`` (the same array), so an
optimizer that updates ``net.params`` in place updates the layers.

**Training or inference.** ``train_flg`` matters to layers that behave differently while
training ([`Dropout`][nnspec.layers.Dropout], [`BatchNormalization`][nnspec.layers.BatchNormalization]);
every other layer accepts it and ignores it, so a network passes it to all of them.

**Checked and unchecked calls.** ``forward(x, check=True)`` and ``backward(dout, check=True)``
(the default) accept anything array-like and raise a clear error naming the argument when it is
wrong. A network's inner loop hands each layer an array the previous layer has just made, so it
passes ``check=False``: the layer then trusts that the array is a floating ``numpy.ndarray`` of
its dtype and of the shape it expects, and does no conversion or shape test. Only the first
layer's input (the user's data) needs the checked call.

**Skipping the input gradient.** ``backward(dout, input_grad=False)`` still fills ``grads`` but
may return ``None`` instead of $\partial L/\partial x$: the first layer of a network needs no
gradient for its input, and for an affine layer that product costs as much as its forward pass.

Graph nodes with two inputs ([`MulLayer`][nnspec.layers.MulLayer], [`AddLayer`][nnspec.layers.AddLayer])
and the loss layer [`SoftmaxWithLoss`][nnspec.layers.SoftmaxWithLoss] (``forward(x, t)``) are
not network layers in this sense; they keep the book's signatures.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Layer"]


class Layer:
    """Base class of the network layers: the protocol, and the defaults of a layer without parameters.

    Attributes
    ----------
    params : dict of numpy.ndarray
        The layer's trainable parameters by local name. Empty here.
    grads : dict of numpy.ndarray
        Their gradients from the last [`backward`][nnspec.layers.Layer.backward], same keys and shapes. Empty here.
    state : dict of numpy.ndarray
        Arrays the layer maintains itself (not by gradient), e.g. batch normalization's running
        averages. Empty here.

    Notes
    -----
    Rebinding a parameter (``layer.params["W"] = new_array``) is allowed: the layer computes
    with whatever array ``params`` holds at the time of the call.
    """

    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]

    def __init__(self) -> None:
        self.params = {}
        self.grads = {}

    @property
    def state(self) -> dict[str, np.ndarray]:
        """Arrays the layer updates by itself during training (none for most layers)."""
        return {}

    def forward(self, x, train_flg: bool = True, *, check: bool = True):  # pragma: no mutate (equivalent: only raises)
        """Compute the output for the batch ``x`` and remember what [`backward`][nnspec.layers.Layer.backward] needs."""
        raise NotImplementedError

    def backward(self, dout, *, input_grad: bool = True, check: bool = True):  # pragma: no mutate (equivalent: raises)
        """Given $\\partial L/\\partial y$, fill ``grads`` and return $\\partial L/\\partial x$."""
        raise NotImplementedError

    def __repr__(self) -> str:
        shapes = ", ".join(f"{k}={v.shape}" for k, v in self.params.items())
        return f"{type(self).__name__}({shapes})"
