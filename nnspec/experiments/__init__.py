"""Chapter 6's experiments: functions that train, measure and return numbers (never plots).

Each is seeded through ``rng=`` and sized by its arguments, so a spec runs a small version and the
chapter-6 page the book's; [`nnspec.experiments.plots`][nnspec.experiments.plots] draws their
results, and ``python -m nnspec experiment NAME`` runs each from a terminal with the book's settings.

| function | the book's experiment |
|---|---|
| [`optimizer_paths`][nnspec.experiments.optimizer_paths] | four optimizers on $x^2/20 + y^2$ (§6.1.7) |
| [`compare_optimizers`][nnspec.experiments.compare_optimizers] | SGD, Momentum, AdaGrad, Adam on MNIST (§6.1.8) |
| [`activation_histograms`][nnspec.experiments.activation_histograms] | activations of five layers for four weight scales (§6.2.2) |
| [`symmetric_start`][nnspec.experiments.symmetric_start] | why weights must not all start equal (§6.2.1) |
| [`compare_inits`][nnspec.experiments.compare_inits] | std 0.01, Xavier and He on MNIST (§6.2.4) |
| [`batchnorm_comparison`][nnspec.experiments.batchnorm_comparison] | with and without batch norm over 16 weight scales (§6.3.3) |
| [`overfitting`][nnspec.experiments.overfitting] | 300 images, plain, weight decay and dropout (§6.4) |
| [`random_search`][nnspec.experiments.random_search] | learning rate and weight decay on validation data (§6.5) |

The experiments that train several networks take ``executor=`` (any ``concurrent.futures.Executor``,
e.g. [`thread_pool`][nnspec.experiments.thread_pool]) and return the same numbers whichever runs them.
"""

from .activations import activation_histograms, symmetric_start
from .batchnorm import BOOK_SCALES, batchnorm_comparison
from .compare import compare_inits, compare_optimizers, smooth
from .data import child_seeds, load_data
from .overfit import BOOK_OVERFIT_RUNS, overfitting
from .parallel import process_pool, thread_pool
from .paths import BOOK_PATH_SETTINGS, bowl, bowl_gradient, gradient_angle, optimizer_paths
from .search import grid, log_uniform, random_search, run_trial, split_validation

__all__ = [
    "optimizer_paths",
    "bowl",
    "bowl_gradient",
    "gradient_angle",
    "BOOK_PATH_SETTINGS",
    "compare_optimizers",
    "compare_inits",
    "smooth",
    "activation_histograms",
    "symmetric_start",
    "batchnorm_comparison",
    "BOOK_SCALES",
    "overfitting",
    "BOOK_OVERFIT_RUNS",
    "random_search",
    "run_trial",
    "log_uniform",
    "split_validation",
    "grid",
    "load_data",
    "child_seeds",
    "thread_pool",
    "process_pool",
]
