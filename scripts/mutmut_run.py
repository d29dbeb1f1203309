"""``mutmut`` with one repair, as ``make mutation`` runs it: ``python scripts/mutmut_run.py run 'nnspec.*'``.

``max_stack_depth`` (``pyproject.toml``) makes a spec count for a function only when the function
is at most that many nnspec calls below the spec. To count, mutmut 3.8 walks the call stack and
resolves each frame's file name on disk; a frame of code without a file (the import machinery,
``<frozen importlib._bootstrap>``; a method a dataclass made, ``<string>``; a figure source the
specs run with ``exec``) makes it fail with ``FileNotFoundError`` and stops the whole run. The
repair below walks the stack the same way and passes over such frames: they are not nnspec's code,
so they do not count, exactly as a NumPy frame does not. And a subprocess a spec starts during the
stats pass runs without mutmut's bookkeeping (see ``set_mutant_under_test``).

mutmut forks each mutant's run from one process, and kills a run that exceeds its time. tqdm's
default write lock is a multiprocessing semaphore, shared by that process and every child it forks:
a mutant's run killed while it wrote a progress bar leaves the semaphore taken for good, and every
later bar, in every later mutant's run, then waits until mutmut's wall-clock limit (minutes) ends
it as a "timeout". So in a mutation run tqdm gets a lock of its own in each process (a thread
lock: nnspec's bars are only written by threads of one process) and no monitor thread (it takes
the lock from a thread that a fork does not copy).
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import threading
from pathlib import Path

import mutmut.__main__
import mutmut.mutation.trampoline
import mutmut.stats
from mutmut.__main__ import cli
from mutmut.configuration import config
from mutmut.state import state
from tqdm import tqdm


@functools.cache
def _is_nnspec(filename: str, sources: tuple[Path, ...]) -> bool:
    """Whether a frame's code is the (mutated) nnspec; code without a file (``<string>``) is not."""
    if filename.startswith("<"):
        return False
    path = Path(filename).resolve()
    return any(source in path.parents for source in sources)


def record_trampoline_hit(name: str, caller: str | None = None) -> None:
    """mutmut 3.8's ``record_trampoline_hit``, except that frames without a file are passed over (and,
    for speed, a function already counted for this spec is not counted again, each file is resolved once)."""
    recorded = state()._stats
    if name in recorded:  # already counted for this spec: the walk below could only say so again
        if caller is not None and config().track_dependencies:
            state().function_dependencies[name].add(caller)
        return
    depth = config().max_stack_depth
    if depth != -1:
        sources = config().resolved_mutated_source_paths
        frame = inspect.currentframe()
        while depth and frame:
            filename = frame.f_code.co_filename
            frame = frame.f_back
            if "pytest" in filename or "unittest" in filename:
                break
            if _is_nnspec(filename, tuple(sources)):
                depth -= 1
        if not depth:
            return
    recorded.add(name)
    if caller is not None and config().track_dependencies:
        state().function_dependencies[name].add(caller)


def set_mutant_under_test(name: str | None) -> None:
    """mutmut's ``set_mutant_under_test``, except that the stats pass is not handed to subprocesses:
    a spec that starts ``python -m nnspec`` would record hits nobody reads, with mutmut's own
    walk, which fails in the import machinery. (A mutant's name is still handed on, so the
    command-line specs run the mutant.)"""
    _set_mutant_under_test(name)
    if name == "stats":
        os.environ.pop("MUTANT_UNDER_TEST", None)  # this process keeps its own copy


_set_mutant_under_test = mutmut.mutation.trampoline.set_mutant_under_test
mutmut.__main__.set_mutant_under_test = set_mutant_under_test  # type: ignore[attr-defined]
mutmut.stats.record_trampoline_hit = record_trampoline_hit
mutmut.mutation.trampoline.record_trampoline_hit = record_trampoline_hit  # type: ignore[attr-defined]


def _own_tqdm_lock() -> None:
    """A fresh thread lock for tqdm in this process (see the module's docstring)."""
    tqdm.set_lock(threading.RLock())


if __name__ == "__main__":
    tqdm.monitor_interval = 0
    _own_tqdm_lock()
    os.register_at_fork(after_in_child=_own_tqdm_lock)
    sys.argv[0] = "mutmut"
    sys.exit(cli())
