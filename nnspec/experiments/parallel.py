"""Running an experiment's independent trainings in parallel, on any ``concurrent.futures.Executor``.

Every experiment that trains several networks (one per optimizer, per weight scale, per trial)
takes ``executor=``: ``None`` runs them one after another in this process; an executor runs each
as a task (``executor.submit``), and the results are gathered in order, so they do not depend on
who ran which task.

[`thread_pool`][nnspec.experiments.thread_pool] is the simplest way to use several cores: NumPy
releases Python's global lock inside its matrix products and array operations, where a training
step spends most of its time, so threads run them in parallel, with no copying of data and no
special care in a script or a notebook. [`process_pool`][nnspec.experiments.process_pool] runs the
trainings in separate processes instead (the whole step in parallel); in a script on macOS or
Windows, which start processes by re-running the script, create it under
``if __name__ == "__main__":``.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

from ..validation import check_positive_int

__all__ = ["thread_pool", "process_pool", "run_all"]


def _one_blas_thread() -> None:
    """Pool initializer: one BLAS thread per worker process (the workers already share the cores)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is optional
        return
    threadpool_limits(1)


class thread_pool(ThreadPoolExecutor):  # noqa: N801 - used like a function: with thread_pool(2) as pool
    """A ``ThreadPoolExecutor`` of ``workers`` threads (default: every core) that, while open, limits
    NumPy's BLAS to one thread per call, so that the workers share the cores instead of each product
    claiming all of them.

    Use it in a ``with`` block; the BLAS limit (set with ``threadpoolctl``, when installed) is lifted
    when the block ends.

    Examples
    --------
    >>> with thread_pool(2) as pool:
    ...     sum(pool.map(abs, [-1, -2]))
    3
    """

    def __init__(self, workers: int | None = None):
        workers = (os.cpu_count() or 1) if workers is None else check_positive_int(workers, "workers")
        super().__init__(max_workers=workers)
        self._limit = None

    def __enter__(self):
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover - threadpoolctl is optional
            pass
        else:
            self._limit = threadpool_limits(1)
        return super().__enter__()

    def __exit__(self, *exc) -> None:  # None: an exception in the block goes on, as with any executor
        try:
            super().__exit__(*exc)
        finally:
            if self._limit is not None:
                self._limit.restore_original_limits()
                self._limit = None


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
    workers = (os.cpu_count() or 1) if workers is None else check_positive_int(workers, "workers")
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
