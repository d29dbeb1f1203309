"""``mutmut`` with one repair, as ``make mutation`` runs it: ``python scripts/mutmut_run.py run 'nnspec.*'``.

``max_stack_depth`` (``pyproject.toml``) makes a spec count for a function only when the function
is at most that many nnspec calls below the spec. To count, mutmut 3.8 walks the call stack and
resolves each frame's file name on disk; a frame of code without a file (the import machinery,
``<frozen importlib._bootstrap>``; a method a dataclass made, ``<string>``; a figure source the
specs run with ``exec``) makes it fail with ``FileNotFoundError`` and stops the whole run. The
repair below walks the stack the same way and passes over such frames: they are not nnspec's code,
so they do not count, exactly as a NumPy frame does not.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import mutmut.mutation.trampoline
import mutmut.stats
from mutmut.__main__ import cli
from mutmut.configuration import config
from mutmut.state import state


def record_trampoline_hit(name: str, caller: str | None = None) -> None:
    """mutmut 3.8's ``record_trampoline_hit``, except that frames without a file are passed over."""
    depth = config().max_stack_depth
    if depth != -1:
        sources = config().resolved_mutated_source_paths
        frame = inspect.currentframe()
        while depth and frame:
            filename = frame.f_code.co_filename
            frame = frame.f_back
            if "pytest" in filename or "unittest" in filename:
                break
            if filename.startswith("<"):
                continue
            path = Path(filename).resolve()
            if any(source in path.parents for source in sources):
                depth -= 1
        if not depth:
            return
    state()._stats.add(name)
    if caller is not None and config().track_dependencies:
        state().function_dependencies[name].add(caller)


mutmut.stats.record_trampoline_hit = record_trampoline_hit
mutmut.mutation.trampoline.record_trampoline_hit = record_trampoline_hit  # type: ignore[attr-defined]

if __name__ == "__main__":
    sys.argv[0] = "mutmut"
    sys.exit(cli())
