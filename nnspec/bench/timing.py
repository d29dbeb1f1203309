"""How the benchmark times things: interleaved repetitions, medians, ratios within a repetition."""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

try:  # optional: shows and sets the BLAS thread count
    import threadpoolctl
except ImportError:  # pragma: no cover - depends on the environment
    threadpoolctl = None

__all__ = ["Ratio", "interleaved", "quartiles", "ratio", "blas_info", "blas_threads"]

#: A case: ``name -> (function, reset)``; ``reset`` (untimed, may be None) runs just before each call.
Cases = dict[str, tuple[Callable[[], object], "Callable[[], object] | None"]]


def interleaved(funcs: Cases, reps: int, warmup: int) -> dict[str, list[float]]:
    """Seconds of every function at every repetition, the order rotating from one repetition to the next.

    A slow moment of the machine (another program, a change of clock speed) then hits every
    function alike. The garbage collector is paused while timing and left as it was.
    """
    names = list(funcs)
    times: dict[str, list[float]] = {name: [] for name in names}
    clock = time.perf_counter
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for i in range(warmup + reps):
            k = i % len(names)
            for name in names[k:] + names[:k]:
                f, reset = funcs[name]
                if reset is not None:
                    reset()
                t0 = clock()
                f()
                t1 = clock()
                if i >= warmup:
                    times[name].append(t1 - t0)
    finally:
        if was_enabled:
            gc.enable()
    return times


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """``(q1, median, q3)`` of ``values`` (all three equal for a single value)."""
    if len(values) < 2:
        return values[0], values[0], values[0]
    q1, _, q3 = statistics.quantiles(values)  # n=4 cut points (the default): the quartiles
    return q1, statistics.median(values), q3


@dataclass(frozen=True)
class Ratio:
    """Two timings and their ratio, measured in the same repetitions.

    Attributes
    ----------
    label : str
        What the row measures.
    a_s, b_s : float
        Median seconds of the timed code (``a``) and of what it is compared with (``b``).
    ratio : float
        Median over the repetitions of ``a / b`` within the same repetition.
    q1, q3 : float
        Quartiles of those ratios: how noisy the machine was.
    reps : int
        Timed repetitions.
    target : float or None
        The ratio the project aims to stay under, if any.
    """

    label: str
    a_s: float
    b_s: float
    ratio: float
    q1: float
    q3: float
    reps: int
    target: float | None = None

    @property
    def verdict(self) -> str:
        """``"ok"``, ``"over"``, or ``""`` when there is no target."""
        if self.target is None:
            return ""
        return "ok" if self.ratio <= self.target else "over"


def ratio(label: str, a: list[float], b: list[float], target: float | None = None) -> Ratio:
    """The [`Ratio`][nnspec.bench.Ratio] of two lists of per-repetition times."""
    q1, med, q3 = quartiles([x / y for x, y in zip(a, b)])
    return Ratio(label, statistics.median(a), statistics.median(b), med, q1, q3, len(a), target)


def blas_info() -> str:
    """One line on the BLAS NumPy uses and its thread count (from threadpoolctl when installed)."""
    if threadpoolctl is None:  # pragma: no cover - depends on the environment
        return f"BLAS: see numpy.show_config(); {os.cpu_count()} CPUs"
    pools = [p for p in threadpoolctl.threadpool_info() if p.get("user_api") == "blas"]
    parts = [
        f"{p.get('internal_api')} {p.get('version')} ({p.get('architecture')}), {p.get('num_threads')} threads"
        for p in pools
    ] or ["unknown"]
    return f"BLAS: {'; '.join(parts)}; {os.cpu_count()} CPUs"


def blas_threads() -> int | None:
    """The BLAS thread count, or None when threadpoolctl cannot tell."""
    if threadpoolctl is None:  # pragma: no cover - depends on the environment
        return None
    counts = [p["num_threads"] for p in threadpoolctl.threadpool_info() if p.get("user_api") == "blas"]
    return max(counts) if counts else None
