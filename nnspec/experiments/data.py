"""The data the experiments train on: the MNIST sample by default, full MNIST when asked."""

from __future__ import annotations

import numpy as np

from .. import datasets
from ..rng import as_generator

__all__ = ["load_data", "child_seeds"]


def load_data(source: str = "sample", *, dtype=np.float64, data_dir=None, download: bool = False):
    """``((x_train, t_train), (x_test, t_test))``: pixels in [0, 1] as ``(N, 784)`` rows, integer labels.

    Parameters
    ----------
    source : {"sample", "mnist"}
        ``"sample"``: the 5,000-image sample that works offline (4,000 train / 1,000 test).
        ``"mnist"``: the full set (60,000 / 10,000), read from ``data_dir`` and fetched only with
        ``download=True`` (see [`load_mnist`][nnspec.datasets.load_mnist]).
    dtype : numpy dtype
        float64 by default, the dtype of every experiment on the site.
    """
    if source == "sample":
        return datasets.load_sample(dtype=dtype)  # its defaults: normalized, flattened, integer labels
    if source == "mnist":
        return datasets.load_mnist(
            normalize=True, flatten=True, one_hot_label=False, data_dir=data_dir, download=download, dtype=dtype
        )
    raise ValueError(f"source must be 'sample' or 'mnist', got {source!r}")


def child_seeds(rng, n: int) -> list[int]:
    """``n`` seeds drawn from ``rng`` (an int seed or a Generator): one per run of an experiment.

    Examples
    --------
    >>> child_seeds(0, 3) == child_seeds(0, 3)
    True
    """
    gen = as_generator(rng)
    return [int(s) for s in gen.integers(2**32, size=n)]  # [0, 2**32): any 32-bit seed
