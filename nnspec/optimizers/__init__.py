"""Optimizers of chapter 6: the book's ``common/optimizer.py``, with its names and defaults.

Each has ``update(params, grads)``, which changes the arrays of ``params`` in place and keeps its
state (velocities, sums of squares, moments) keyed by parameter name. Each docstring states its
update rule and how it relates to the ``torch.optim`` class of the same idea.

| class | rule (per parameter) | defaults |
|---|---|---|
| [`SGD`][nnspec.optimizers.SGD] | $W \\leftarrow W - \\eta g$ | ``lr=0.01`` |
| [`Momentum`][nnspec.optimizers.Momentum] | $v \\leftarrow \\alpha v - \\eta g,\\ W \\leftarrow W + v$ | ``lr=0.01, momentum=0.9`` |
| [`Nesterov`][nnspec.optimizers.Nesterov] | $v \\leftarrow \\alpha v - \\eta g,\\ W \\leftarrow W + \\alpha v - \\eta g$ | ``lr=0.01, momentum=0.9`` |
| [`AdaGrad`][nnspec.optimizers.AdaGrad] | $h \\leftarrow h + g^2,\\ W \\leftarrow W - \\eta g / (\\sqrt h + \\varepsilon)$ | ``lr=0.01, eps=1e-7`` |
| [`RMSprop`][nnspec.optimizers.RMSprop] | $h \\leftarrow \\rho h + (1-\\rho) g^2,\\ W \\leftarrow W - \\eta g / (\\sqrt h + \\varepsilon)$ | ``lr=0.01, decay_rate=0.99, eps=1e-7`` |
| [`Adam`][nnspec.optimizers.Adam] | bias-corrected moments $m$, $v$; $W \\leftarrow W - \\eta_t m / (\\sqrt v + \\varepsilon)$ | ``lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7`` |
"""

from .adagrad import AdaGrad
from .adam import Adam
from .base import Optimizer
from .momentum import Momentum
from .nesterov import Nesterov
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "OPTIMIZERS", "make_optimizer"]

OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
}
"""The optimizers by lower-case name, as the book's ``Trainer`` names them."""


def make_optimizer(name: str, **settings) -> Optimizer:
    """An optimizer from its name (any case) and its settings, as the book's ``Trainer`` takes them.

    Parameters
    ----------
    name : str
        One of ``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``, ``"adam"``.
    **settings
        Keyword arguments of that class (``lr=0.1``, ``momentum=0.5`` …); the class's defaults
        fill in the rest.

    Examples
    --------
    >>> make_optimizer("Adam", lr=0.01)
    Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-07)
    >>> make_optimizer("adamw")
    Traceback (most recent call last):
    ...
    ValueError: optimizer must be one of ['adagrad', 'adam', 'momentum', 'nesterov', 'rmsprop', 'sgd'], got 'adamw'
    """
    if not isinstance(name, str):
        raise TypeError(f"optimizer must be a name (str) or an Optimizer, got {type(name).__name__}")
    cls = OPTIMIZERS.get(name.lower())
    if cls is None:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, got {name!r}")
    unknown = sorted(set(settings) - set(cls.settings))
    if unknown:
        raise TypeError(f"{cls.__name__} takes the settings {list(cls.settings)}, got {sorted(settings)}")
    return cls(**settings)
