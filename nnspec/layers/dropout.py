r"""Dropout (Srivastava et al., 2014), in its *inverted* form.

In training every unit is kept with probability $1 - p$ and the kept ones are scaled by
$1/(1 - p)$; at inference the layer is the identity:

$$y = \frac{m \odot x}{1 - p}, \quad m_i \sim \text{Bernoulli}(1 - p) \qquad\text{(training)}, \qquad
  y = x \qquad\text{(inference)}.$$

Since $\mathbb E[m_i] = 1 - p$, the expected training output is $x$ itself, so a trained network
needs no change at test time. The book's ``Dropout`` instead leaves the kept units unscaled in
training and multiplies by $1 - p$ at inference, which gives the same expectations; the
inverted form keeps inference free of the dropout rate (it is what PyTorch's ``nn.Dropout`` does).
"""

from __future__ import annotations

import numpy as np

from ..rng import as_generator
from ..validation import as_float, check_real
from .base import Layer

__all__ = ["Dropout"]


class Dropout(Layer):
    r"""Drop each unit with probability ``dropout_ratio`` in training; identity at inference.

    Parameters
    ----------
    dropout_ratio : float in $[0, 1)$, default 0.5
        $p$, the probability of dropping a unit.
    rng : None, int or numpy.random.Generator
        The layer's own source of masks (see [`as_generator`][nnspec.rng.as_generator]); NumPy's
        global random state is never used, so a seed makes the masks repeatable. A training pass
        keeps the units where ``rng.random(x.shape, dtype) >= p``, drawn in ``x``'s dtype for
        float32 and float64 input (float64 for other dtypes): a unit is kept with probability
        exactly $1 - p$.

    Attributes
    ----------
    mask : numpy.ndarray of bool or None
        Which units the last training forward pass kept (``None`` after an inference pass, and
        when $p = 0$: nothing is dropped and no random number is drawn).

    Examples
    --------
    >>> drop = Dropout(0.5, rng=0)
    >>> y = drop.forward(np.ones((2, 4)))        # kept units are doubled, the others 0
    >>> sorted(set(y.ravel().tolist()))
    [0.0, 2.0]
    >>> bool(np.array_equal(drop.backward(np.ones((2, 4))), y))    # the same mask and scale
    True
    >>> drop.forward(np.ones((2, 4)), train_flg=False)
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.]])
    """

    def __init__(self, dropout_ratio=0.5, rng=None):
        super().__init__()
        self.dropout_ratio = check_real(dropout_ratio, "dropout_ratio", low=0.0, high=1.0, high_open=True)
        self.rng = as_generator(rng)
        self.mask = None
        # mask / (1 - p) in the input's dtype, for backward; read only after a forward pass has set it
        self._scaled_mask = None  # pragma: no mutate (equivalent: backward refuses to run before forward sets it)
        self._shape = None

    def forward(self, x, train_flg: bool = True, *, check: bool = True):
        r"""$m \odot x / (1 - p)$ with a fresh mask in training; a copy of $x$ at inference.

        Parameters
        ----------
        x : array_like, any shape
        train_flg : bool, default True
        check : bool, keyword only
            ``False``: ``x`` is trusted to be a floating ndarray (see [`Layer`][nnspec.layers.Layer]).

        Returns
        -------
        numpy.ndarray
            Same shape and dtype as ``x``.
        """
        if check:
            x = as_float(x, "x")
        self._shape = x.shape
        p = self.dropout_ratio
        if not train_flg or p == 0:
            self.mask = self._scaled_mask = None
            return x.copy()
        draw_dtype = x.dtype if x.dtype in (np.float32, np.float64) else np.float64
        self.mask = self.rng.random(x.shape, dtype=draw_dtype) >= p  # kept with probability 1 - p
        self._scaled_mask = np.multiply(self.mask, 1 / (1 - p), dtype=x.dtype)
        return x * self._scaled_mask

    def backward(self, dout, *, input_grad: bool = True, check: bool = True):
        r"""``dout`` through the same mask and scale as the last forward pass (identity after inference).

        Parameters
        ----------
        dout : array_like, shape of the forward input
        input_grad : bool, keyword only
            ``False`` returns ``None`` (no parameters).
        check : bool, keyword only
            ``False``: ``dout`` is trusted (see [`Layer`][nnspec.layers.Layer]).

        Returns
        -------
        numpy.ndarray or None
        """
        if self._shape is None:
            raise RuntimeError("Dropout.backward called before forward")
        if check:
            dtype = None if self._scaled_mask is None else self._scaled_mask.dtype
            dout = as_float(dout, "dout", dtype)
            if dout.shape != self._shape:
                raise ValueError(f"dout must have the forward input's shape {self._shape}, got {dout.shape}")
        if not input_grad:
            return None
        return dout.copy() if self._scaled_mask is None else dout * self._scaled_mask
