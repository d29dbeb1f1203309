r"""What every optimizer shares: the ``update(params, grads)`` contract and its input checks.

An optimizer owns an update rule. ``update(params, grads)`` changes every array of ``params``
in place (so a network whose layers share those arrays is updated too) and keeps whatever state
the rule needs (velocities, squared-gradient sums, moments) in dicts keyed by the parameter's
name, so two parameters never share state.

Before changing anything, ``update`` checks its input: ``params`` and ``grads`` must have the
same keys, each gradient the shape of its parameter, each parameter a floating ``numpy.ndarray``
(an array that can be changed in place). A bad call raises a clear error and changes neither the
parameters nor the optimizer's state.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..validation import check_real

__all__ = ["Optimizer"]


class Optimizer:
    r"""Base class: checks, per-parameter state, scratch buffers. Subclasses implement the rule.

    Parameters
    ----------
    lr : float
        The learning rate $\eta > 0$.

    Attributes
    ----------
    lr : float
    """

    #: Names of the constructor's settings, in order, for ``repr``.
    settings: tuple[str, ...] = ("lr",)

    def __init__(self, lr: float):
        self.lr = check_real(lr, "lr", low=0.0, low_open=True)
        self._buffers: dict[str, np.ndarray] = {}  # scratch arrays, one per parameter: no temporaries

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in self.settings)})"

    # ------------------------------------------------------------------ the contract

    def update(self, params: dict, grads: Mapping) -> None:
        """Move every parameter one step, in place.

        Parameters
        ----------
        params : dict of numpy.ndarray
            Floating arrays, changed in place (they stay the same objects).
        grads : mapping of array_like
            The gradient of the loss with respect to each parameter: the same keys as ``params``,
            each of its parameter's shape.

        Raises
        ------
        TypeError, ValueError
            Mismatched keys or shapes, or a parameter that cannot be updated in place; nothing is
            changed.
        """
        pairs = self._checked(params, grads)
        self._apply(pairs)

    def step(self, net, x, t):
        """One training step of ``net`` on the batch ``(x, t)``: its gradient, then this update.

        ``grads = net.gradient(x, t)`` followed by ``self.update(net.params, grads)``; the loop of
        [`train`][nnspec.training.train] calls this for every batch.

        Parameters
        ----------
        net : network
            Has ``params``, ``gradient(x, t)`` and either ``last_loss`` (the loss of the forward
            pass ``gradient`` made, as [`LayerNet`][nnspec.networks.LayerNet] keeps it) or
            ``loss(x, t)``.
        x, t : array_like
            The batch.

        Returns
        -------
        float
            The batch's loss before the update: the number this step minimised.
        """
        if hasattr(net, "last_loss"):
            grads = net.gradient(x, t)
            loss = net.last_loss
        else:
            loss = net.loss(x, t)
            grads = net.gradient(x, t)
        self.update(net.params, grads)
        return loss

    def _apply(self, pairs: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ helpers for subclasses

    def _checked(self, params, grads) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """``[(key, param, grad), ...]`` after checking everything (see the module docstring)."""
        if not isinstance(params, Mapping):
            raise TypeError(f"params must be a dict of arrays keyed by name, got {type(params).__name__}")
        if not isinstance(grads, Mapping):
            raise TypeError(f"grads must be a dict of arrays keyed like params, got {type(grads).__name__}")
        if grads.keys() != params.keys():
            missing = [k for k in params if k not in grads]
            extra = [k for k in grads if k not in params]
            raise ValueError(f"grads must have exactly the keys of params: missing {missing}, unexpected {extra}")
        pairs = []
        for key, p in params.items():
            if type(p) is not np.ndarray or p.dtype.kind != "f":
                raise TypeError(
                    f"params[{key!r}] must be a floating numpy array (updated in place), "
                    f"got {type(p).__name__} {getattr(p, 'dtype', '')}".rstrip()
                )
            g = np.asarray(grads[key])  # an ndarray is returned as it is
            if g.shape != p.shape:
                raise ValueError(f"grads[{key!r}] must have the shape of params[{key!r}] {p.shape}, got {g.shape}")
            if g.dtype.kind not in ("f", "i", "u"):
                raise TypeError(f"grads[{key!r}] must be a real numeric array, got dtype {g.dtype}")
            self._check_state(key, p)
            pairs.append((key, p, g))
        return pairs

    def _check_state(self, key: str, p: np.ndarray) -> None:
        """Refuse a parameter whose shape changed since the state for ``key`` was made."""
        for state in self.state().values():
            s = state.get(key)
            if s is not None and s.shape != p.shape:
                raise ValueError(
                    f"params[{key!r}] has shape {p.shape}, but this optimizer's state for {key!r} has "
                    f"{s.shape}: use a new optimizer for a different network"
                )

    def state(self) -> dict[str, dict[str, np.ndarray]]:
        """The optimizer's state by name (e.g. ``{"v": {"W1": ..., ...}}``); empty for plain SGD."""
        return {}

    def _buffer(self, key: str, p: np.ndarray) -> np.ndarray:
        """A scratch array of ``p``'s shape and dtype, reused from step to step."""
        buf = self._buffers.get(key)
        if buf is None or buf.shape != p.shape or buf.dtype != p.dtype:
            buf = self._buffers[key] = np.empty_like(p)
        return buf

    @staticmethod
    def _zeros(store: dict, key: str, p: np.ndarray) -> np.ndarray:
        """``store[key]``, made as zeros like ``p`` on first use (the book's lazy initialisation)."""
        s = store.get(key)
        if s is None:
            s = store[key] = np.zeros_like(p)
        return s
