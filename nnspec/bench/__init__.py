r"""Benchmark: what nnspec's training steps cost, against their matrix products, the book's code and PyTorch.

Run ``python -m nnspec.bench`` (``--help`` for options; ``--torch`` adds PyTorch when installed).
Every row times two things in the same process, *interleaved* (the order rotating from one
repetition to the next, the weights reset before every call, the garbage collector paused), and
reports the median over the repetitions of their ratio within a repetition, with its quartiles.

| row | timed | against | target |
|---|---|---|---|
| TwoLayerNet step | ``SGD.step``: what [`train`][nnspec.training.train] runs (784-100-10, batch 100) | the step's five matrix products alone | float64 ≤ ``TARGETS["step"]`` |
| gradient + update | ``SGD.update(params, net.gradient(x, t))``, the book's way | the same products | float64 ≤ ``TARGETS["gradient+update"]`` |
| chapter-6 comparison | one iteration of the book's optimizer comparison (four 784-[100]×4-10 nets, SGD, Momentum, AdaGrad, Adam, batch 128) | the same computed the book's way (`nnspec.bench.bookstyle`) | float64 ≤ ``TARGETS["ch6 vs book"]`` |
| with ``--torch`` | the TwoLayerNet step, a batch-norm net with Adam, the chapter-6 iteration, all float32 | the same in PyTorch CPU float32 | see ``TARGETS`` |

Targets are goals to read the numbers against, not tests: times depend on the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import sys

import numpy as np

from .cases import optimizer_comparison, two_layer_step
from .timing import Ratio, blas_info, blas_threads, interleaved, quartiles, ratio, threadpoolctl
from .torch_cases import torch_rows

__all__ = ["Ratio", "TARGETS", "run", "main", "interleaved", "quartiles", "ratio", "blas_info"]

#: Ratios the project aims to stay under (see the table above).
TARGETS = {
    "step": 1.35,
    "gradient+update": 1.6,
    "ch6 vs book": 0.8,
    "step vs torch": 0.6,
    "batchnorm adam vs torch": 1.0,
    "ch6 vs torch": 1.0,
}


def run(
    reps: int = 300,
    *,
    seed: int = 0,
    warmup: int | None = None,
    hidden: int = 100,
    batch: int = 100,
    torch: bool = False,
    threads: int | None = None,
    ch6: bool = True,
) -> dict:
    """Time every row; return ``{"rows": [Ratio, ...], "torch_info": str}``.

    Parameters
    ----------
    reps : int
        Timed repetitions of every row.
    seed : int
        Seed of the weights and the data.
    warmup : int, optional
        Untimed repetitions first (default ``max(5, reps // 10)``).
    hidden, batch : int
        Hidden units and batch size of the TwoLayerNet rows (784-``hidden``-10).
    torch : bool
        Also the PyTorch rows (skipped, with the reason in ``torch_info``, when torch is missing).
    threads : int, optional
        Threads for torch (default: NumPy's BLAS thread count).
    ch6 : bool
        Include the chapter-6 rows (four 784-[100]×4-10 nets: the slowest part).
    """
    warmup = max(5, reps // 10) if warmup is None else warmup
    sizes = (784, hidden, 10)
    funcs: dict = {}
    for dtype in (np.float64, np.float32):
        for name, case in two_layer_step(dtype, batch=batch, sizes=sizes, seed=seed).items():
            funcs[f"{name} {np.dtype(dtype).name}"] = case
    t = interleaved(funcs, reps, warmup)
    net = f"TwoLayerNet 784-{hidden}-10, batch {batch}"
    rows = []
    for dt in ("float64", "float32"):
        rows.append(
            ratio(
                f"{net}, {dt}: SGD step as train() runs it / 5 GEMMs",
                t[f"step {dt}"],
                t[f"gemm {dt}"],
                TARGETS["step"] if dt == "float64" else None,
            )
        )
        rows.append(
            ratio(
                f"{net}, {dt}: gradient() + SGD.update / 5 GEMMs",
                t[f"gradient+update {dt}"],
                t[f"gemm {dt}"],
                TARGETS["gradient+update"] if dt == "float64" else None,
            )
        )
    rows.append(ratio(f"{net}: float32 step / float64 step", t["step float32"], t["step float64"]))
    if ch6:
        c = interleaved(optimizer_comparison(np.float64, seed=seed), reps, warmup)
        rows.append(
            ratio(
                "chapter-6 comparison iteration, float64: nnspec / the book's way",
                c["nnspec"],
                c["book"],
                TARGETS["ch6 vs book"],
            )
        )
    out = {"rows": rows, "torch_info": ""}
    if torch:
        out["torch_info"] = torch_rows(rows, reps, warmup, seed, hidden, batch, threads, ch6)
    return out


def format_rows(rows: list[Ratio]) -> str:
    """The result table as text: one line per row, with medians in µs, the ratio and its quartiles."""
    width = max(len(r.label) for r in rows)
    lines = [f"{'case':<{width}}  {'a µs':>9}  {'b µs':>9}  {'a/b':>6}  {'quartiles':<13} target"]
    for r in rows:
        target = f"≤ {r.target:g} {r.verdict}" if r.target is not None else ""
        lines.append(
            f"{r.label:<{width}}  {r.a_s * 1e6:>9.1f}  {r.b_s * 1e6:>9.1f}  {r.ratio:>6.3f}  "
            f"{f'[{r.q1:.2f}, {r.q3:.2f}]':<13} {target}".rstrip()
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    """Print the benchmark's table (see the module docstring); returns the exit status."""
    ap = argparse.ArgumentParser(prog="python -m nnspec.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=300, help="timed repetitions per row (default 300)")
    ap.add_argument("--batch", type=int, default=100, help="batch size of the TwoLayerNet rows (default 100)")
    ap.add_argument("--hidden", type=int, default=100, help="hidden units of the TwoLayerNet rows (default 100)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--threads",
        type=int,
        help="limit the BLAS (and torch) threads to this many (needs threadpoolctl)",
    )
    ap.add_argument("--no-ch6", action="store_true", help="skip the chapter-6 rows (the slowest)")
    ap.add_argument("--torch", action="store_true", help="also compare with PyTorch float32, if installed")
    ap.add_argument(
        "--json",
        metavar="FILE",
        help="also write the rows and the machine's description to FILE (what docs/benchmark.md shows)",
    )
    args = ap.parse_args(argv)
    if min(args.reps, args.batch, args.hidden) < 1 or (args.threads is not None and args.threads < 1):
        ap.error("--reps, --batch, --hidden and --threads must be positive")
    if args.threads is not None and threadpoolctl is None:  # pragma: no cover - depends on the environment
        ap.error("--threads needs threadpoolctl (pip install threadpoolctl)")

    limit = threadpoolctl.threadpool_limits(args.threads, user_api="blas") if args.threads else None
    try:
        load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        machine = f"numpy {np.__version__}, {blas_info()}, {platform.machine()}"
        load = "" if load_before is None else f", load average {load_before:.1f}"
        print(f"nnspec training steps: {machine}{load}")
        res = run(
            args.reps,
            seed=args.seed,
            hidden=args.hidden,
            batch=args.batch,
            torch=args.torch,
            threads=args.threads,
            ch6=not args.no_ch6,
        )
        load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    finally:
        if limit is not None:
            limit.restore_original_limits()
    print(f"{args.reps} interleaved repetitions per row; a/b is the median of per-repetition ratios [quartiles]")
    print(format_rows(res["rows"]))
    if res["torch_info"]:
        print(res["torch_info"])
        if (args.threads or blas_threads() or 1) > 1:  # pragma: no cover - optional comparison
            print(
                "note: with more than one thread, OpenBLAS's and torch's thread pools share the cores and slow "
                "each other; --threads 1 compares them without that"
            )
    if args.json:
        record = {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": [load_before, load_after],
            "argv": ["python", "-m", "nnspec.bench", *(argv if argv is not None else sys.argv[1:])],
            "reps": args.reps,
            "torch": res["torch_info"],
            "rows": [dataclasses.asdict(r) for r in res["rows"]],
        }
        with open(
            args.json,
            "w",
            encoding="utf-8",  # pragma: no mutate (equivalent: codec names ignore case, "UTF-8" is this codec)
        ) as fh:
            json.dump(record, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
        print(f"rows written to {args.json}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
