r"""Training a network on mini-batches: the loop of chapters 4 to 6.

Each iteration draws a random mini-batch of ``batch_size`` training samples, computes the gradient
of the batch's loss with respect to every parameter, and lets an optimizer move each parameter in
place. With plain SGD (the default) that is

$$W \leftarrow W - \eta\,\frac{\partial L}{\partial W};$$

chapter 6's optimizers ([`nnspec.optimizers`][nnspec.optimizers]) plug in the same way.

Every ``eval_every`` iterations (by default once per *epoch*, i.e. after as many iterations as it
takes to draw about as many samples as the training set holds) the loop measures the accuracy on
the whole training set and on the test set. Comparing the two shows whether the network is
overfitting: training accuracy climbing while test accuracy stalls.

The package is one idea per module: ``loop`` (the loop, [`train`][nnspec.training.train]),
``result`` (what a run measured and its table), ``progress`` (the progress bar), ``plot``
(the curves). The command line ``python -m nnspec train`` is built on them.
"""

from .loop import GRADIENTS, resolve_optimizer, train
from .plot import plot_curves
from .progress import AUTO_PROGRESS_DELAY, progress_bar
from .result import TABLE_HEADER, TrainResult, format_row, format_table

__all__ = [
    "train",
    "resolve_optimizer",
    "TrainResult",
    "plot_curves",
    "progress_bar",
    "format_row",
    "format_table",
    "TABLE_HEADER",
    "GRADIENTS",
    "AUTO_PROGRESS_DELAY",
]
