"""How often a classifier is right: the accuracy every network of nnspec reports.

Accuracy is what people care about, but it is a step function of the weights (it changes only
when some sample's highest score changes class), so networks are trained on a loss and merely
*measured* with accuracy.
"""

from __future__ import annotations

import numpy as np

from .losses import targets_as_dense

__all__ = ["accuracy"]


def accuracy(scores, t) -> float:
    r"""Fraction of samples whose highest score is the target class.

    $$\text{accuracy} = \frac{1}{N}\sum_{n=1}^{N} [\operatorname{argmax}_k y_{nk} = t_n]$$

    Parameters
    ----------
    scores : array_like, shape ``(N, C)`` or ``(C,)``
        Class scores or probabilities (softmax does not change which is largest, so either works).
    t : array_like
        Integer labels ``(N,)`` (``()`` for one sample) or one-hot rows of ``scores``' shape,
        checked as the losses check them: a label out of range or a non-integer label is an error,
        never silently counted as a wrong answer.

    Returns
    -------
    float
        In $[0, 1]$, a multiple of $1/N$.

    Examples
    --------
    >>> accuracy([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], [1, 0, 0])
    0.6666666666666666
    >>> accuracy([[0.1, 0.9]], [[0, 1]])
    1.0
    """
    scores = np.asarray(scores)
    target = targets_as_dense(scores, t, probabilities=True)
    return float(np.mean(np.argmax(scores, axis=-1) == np.argmax(target, axis=-1)))
