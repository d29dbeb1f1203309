"""Running an experiment's independent trainings in parallel, on any ``concurrent.futures.Executor``.

Every experiment that trains several networks (one per optimizer, per weight scale, per trial)
takes ``executor=``: ``None`` runs them one after another in this process; an executor runs each
as a task (``executor.submit``), and the results are gathered in order, so they do not depend on
who ran which task. [`process_pool`][nnspec.experiments.process_pool] makes a pool of processes
that share the machine's cores without fighting over them.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor

from ..validation import check_positive_int

__all__ = ["process_pool", "run_all"]


def _one_blas_thread() -> None:
    """Pool initializer: one BLAS thread per worker process (the workers already share the cores)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is optional
        return
    threadpool_limits(1)


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A ``ProcessPoolExecutor`` of ``workers`` processes (default: every core), one BLAS thread each.

    NumPy's BLAS starts as many threads as there are cores in *every* process; a pool of one process
    per core would then run cores × cores threads, which wait for each other. Each worker here is
    limited to one (with ``threadpoolctl``, when installed).

    Examples
    --------
    >>> with process_pool(2) as pool:
    ...     sum(pool.map(abs, [-1, -2]))
    3
    """
    workers = os.cpu_count() or 1 if workers is None else check_positive_int(workers, "workers")
    return ProcessPoolExecutor(max_workers=workers, initializer=_one_blas_thread)


def run_all(function, jobs: list[tuple[tuple, dict]], executor: Executor | None = None, bar=None) -> list:
    """``[function(*args, **kwargs) for args, kwargs in jobs]``, on ``executor`` if one is given.

    ``bar`` (a tqdm bar or None) advances by one per finished job.
    """
    if executor is None:
        results = []
        for args, kwargs in jobs:
            results.append(function(*args, **kwargs))
            if bar is not None:
                bar.update(1)
        return results
    futures = [executor.submit(function, *args, **kwargs) for args, kwargs in jobs]
    results = []
    for f in futures:
        results.append(f.result())
        if bar is not None:
            bar.update(1)
    return results
