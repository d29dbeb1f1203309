r"""Benchmark: one training step of TwoLayerNet against its GEMM floor.

One SGD step of a 784-100-10 ``TwoLayerNet`` on a batch of 100 (forward, backward, in-place update:
``TwoLayerNet.sgd_step``, which is what :func:`nnspec.training.train` runs) contains five matrix
products:

    forward   A1 = X·W1      (100×784 · 784×100)      A2 = Z1·W2      (100×100 · 100×10)
    backward  dW2 = Z1ᵀ·D2   (100×100 · 100×10)       D1 = D2·W2ᵀ     (100×10 · 10×100)
              dW1 = Xᵀ·D1    (784×100 · 100×100)

(the sixth, the input gradient D1·W1ᵀ, is skipped: the input needs none). Everything else — bias
additions, ReLU and its mask, softmax, loss, the update — is overhead. The target is a step costing
at most ``TARGET_RATIO`` = 1.25 times the five products alone.

How it is measured: the step and the five bare products (same shapes, same dtype, written into
arrays made beforehand, so matrix-product time alone) are timed in the same process, interleaved
(the order rotates from one repetition to the next), so a change in the machine's speed hits all
of them alike. The network is reset to the same weights before every repetition, so every
repetition does the same arithmetic. The garbage collector is paused while timing. Reported are
medians: of the times, and of the per-repetition ratios.

Run ``python -m nnspec.bench`` (``--help`` for options). ``--unfused`` also times the general
route, ``gradient()`` followed by :func:`nnspec.training.sgd_update`. ``--torch`` also times the
same step in PyTorch (CPU, float32, the same number of threads) when torch is installed; torch is
a point of comparison only, never a dependency of nnspec.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .networks.two_layer import TwoLayerNet
from .rng import as_generator
from .training import sgd_update

try:  # optional: shows and sets the BLAS thread count
    import threadpoolctl
except ImportError:  # pragma: no cover - depends on the environment
    threadpoolctl = None

__all__ = ["StepTiming", "TARGET_RATIO", "blas_info", "time_step", "run", "main"]

TARGET_RATIO = 1.25
SIZES = (784, 100, 10)


@dataclass(frozen=True)
class StepTiming:
    """One dtype's result: medians over the repetitions.

    Attributes
    ----------
    dtype : str
        ``"float64"`` or ``"float32"``.
    step_s, gemm_s : float
        Median seconds of one training step and of its five matrix products.
    ratio : float
        Median over the repetitions of (step time / products time) within the same repetition.
    ratio_q1, ratio_q3 : float
        Quartiles of those ratios: how noisy the machine was.
    reps : int
        Timed repetitions.
    """

    dtype: str
    step_s: float
    gemm_s: float
    ratio: float
    ratio_q1: float
    ratio_q3: float
    reps: int


def _problem(dtype, batch: int, sizes, lr: float, seed: int):
    """The step, the unfused step, the bare products of one dtype, and a reset to the initial weights."""
    d, h, c = sizes
    gen = as_generator(seed)
    net = TwoLayerNet(d, h, c, weight_init_std=0.01, rng=gen, dtype=dtype)
    x = gen.random((batch, d)).astype(dtype)  # like normalized pixels
    t = gen.integers(0, c, size=batch)
    params = net.params
    start = {k: v.copy() for k, v in params.items()}
    scratch: dict = {}

    def step():  # what train() runs for a TwoLayerNet
        net.sgd_step(x, t, lr)

    def unfused():  # what train() runs for a net without sgd_step
        sgd_update(params, net.gradient(x, t), lr, scratch)

    w1, w2 = params["W1"], params["W2"]
    z1 = np.maximum(x @ w1, 0)
    d2 = gen.standard_normal((batch, c)).astype(dtype)
    outs = [np.empty(shape, dtype=dtype) for shape in ((batch, h), (batch, c), (h, c), (batch, h), (d, h))]

    def gemms():  # the five products, into preallocated outputs: matrix-product time alone
        np.matmul(x, w1, out=outs[0])
        np.matmul(z1, w2, out=outs[1])
        np.matmul(z1.T, d2, out=outs[2])
        np.matmul(d2, w2.T, out=outs[3])
        np.matmul(x.T, outs[3], out=outs[4])

    def reset():
        for k, v in start.items():
            params[k][...] = v

    return step, unfused, gemms, reset


def _interleaved(funcs: dict[str, tuple[Callable[[], object], Callable[[], object] | None]], reps: int,
                 warmup: int) -> dict[str, list[float]]:
    """Seconds of every function at every repetition, the order rotating from one repetition to the next.

    ``funcs`` maps a name to ``(function, reset)``; ``reset`` (untimed, may be None) runs just before.
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


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4)
    return q1, statistics.median(values), q3


def _summary(dtype: str, step: list[float], gemm: list[float]) -> StepTiming:
    q1, med, q3 = _quartiles([s / g for s, g in zip(step, gemm)])
    return StepTiming(dtype, statistics.median(step), statistics.median(gemm), med, q1, q3, len(step))


def time_step(dtype=np.float64, *, reps: int = 300, batch: int = 100, sizes=SIZES, lr: float = 0.1,
              seed: int = 0, warmup: int = 20) -> StepTiming:
    """Time one SGD step of TwoLayerNet and its five matrix products, interleaved.

    Parameters
    ----------
    dtype : numpy floating dtype
        float64 (the default of nnspec) or float32.
    reps : int
        Timed repetitions; each times one step and one set of five products.
    batch : int
        Batch size $N$.
    sizes : tuple of int
        ``(input, hidden, output)``.
    lr : float
        Learning rate of the update.
    seed : int
        Seed of the weights and the data.
    warmup : int
        Untimed repetitions first (caches, BLAS threads, allocator).

    Returns
    -------
    StepTiming

    Examples
    --------
    >>> r = time_step(np.float32, reps=3, warmup=1, sizes=(20, 10, 5), batch=4)
    >>> r.dtype, r.reps, r.step_s > 0 and r.gemm_s > 0
    ('float32', 3, True)
    """
    name = np.dtype(dtype).name
    step, _, gemms, reset = _problem(dtype, batch, sizes, lr, seed)
    times = _interleaved({"step": (step, reset), "gemm": (gemms, None)}, reps, warmup)
    return _summary(name, times["step"], times["gemm"])


def blas_info() -> str:
    """One line on the BLAS NumPy uses and its thread count (from threadpoolctl when installed)."""
    if threadpoolctl is None:  # pragma: no cover - depends on the environment
        return f"BLAS: see numpy.show_config(); {os.cpu_count()} CPUs"
    pools = [p for p in threadpoolctl.threadpool_info() if p.get("user_api") == "blas"]
    parts = [f"{p.get('internal_api')} {p.get('version')} ({p.get('architecture')}), {p.get('num_threads')} threads"
             for p in pools] or ["unknown"]
    return f"BLAS: {'; '.join(parts)}; {os.cpu_count()} CPUs"


def _blas_threads() -> int | None:
    if threadpoolctl is None:  # pragma: no cover - depends on the environment
        return None
    counts = [p["num_threads"] for p in threadpoolctl.threadpool_info() if p.get("user_api") == "blas"]
    return max(counts) if counts else None


def _torch_problem(batch: int, sizes, lr: float, seed: int, threads: int | None):  # pragma: no cover - optional
    """The same step in PyTorch (CPU, float32): forward, cross-entropy, backward, in-place SGD."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    d, h, c = sizes
    w1 = (0.01 * torch.randn(d, h)).requires_grad_()
    b1 = torch.zeros(h, requires_grad=True)
    w2 = (0.01 * torch.randn(h, c)).requires_grad_()
    b2 = torch.zeros(c, requires_grad=True)
    x = torch.rand(batch, d)
    t = torch.randint(0, c, (batch,))
    params = (w1, b1, w2, b2)
    start = [p.detach().clone() for p in params]
    cross_entropy = torch.nn.functional.cross_entropy

    def step():
        # addmm is what torch.nn.Linear runs; the update is fused (no lr·grad temporary).
        loss = cross_entropy(torch.addmm(b2, torch.relu(torch.addmm(b1, x, w1)), w2), t)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.add_(p.grad, alpha=-lr)
                p.grad = None

    def reset():
        with torch.no_grad():
            for p, s in zip(params, start):
                p.copy_(s)

    info = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    return step, reset, info


def run(reps: int = 300, *, batch: int = 100, hidden: int = 100, seed: int = 0, lr: float = 0.1,
        warmup: int | None = None, unfused: bool = False, torch: bool = False) -> dict:
    """Time float64 and float32 in one interleaved run; then, with ``torch``, float32 against torch.

    Returns
    -------
    dict
        ``"float64"``, ``"float32"``: :class:`StepTiming` of ``sgd_step`` (with ``unfused`` also
        ``"unfused float64"``, ``"unfused float32"``: ``gradient`` + ``sgd_update``);
        ``"speedup"``: median per-repetition ratio float64 step / float32 step. With ``torch``:
        ``"torch_info"`` and, if torch is installed, ``"torch_s"`` and ``"nnspec_s"`` (median
        seconds of the two float32 steps) and ``"vs_torch"`` (median per-repetition ratio
        nnspec / torch).
    """
    sizes = (SIZES[0], hidden, SIZES[2])
    warmup = max(5, reps // 10) if warmup is None else warmup
    funcs: dict = {}
    for dtype in (np.float64, np.float32):
        step, unfused_step, gemms, reset = _problem(dtype, batch, sizes, lr, seed)
        name = np.dtype(dtype).name
        funcs[f"step {name}"], funcs[f"gemm {name}"] = (step, reset), (gemms, None)
        if unfused:
            funcs[f"unfused {name}"] = (unfused_step, reset)
    times = _interleaved(funcs, reps, warmup)
    out: dict = {}
    for name in ("float64", "float32"):
        out[name] = _summary(name, times[f"step {name}"], times[f"gemm {name}"])
        if unfused:
            out[f"unfused {name}"] = _summary(name, times[f"unfused {name}"], times[f"gemm {name}"])
    out["speedup"] = statistics.median(a / b for a, b in zip(times["step float64"], times["step float32"]))
    if torch:  # pragma: no cover - optional comparison
        # A run of its own, after the one above: torch's thread pool is not even started while
        # NumPy's products are timed. Here the two steps alternate.
        try:
            t_step, t_reset, out["torch_info"] = _torch_problem(batch, sizes, lr, seed, _blas_threads())
        except ImportError:
            out["torch_info"] = "torch is not installed (pip install torch to compare)"
        else:
            step, _, _, reset = _problem(np.float32, batch, sizes, lr, seed)
            tt = _interleaved({"nnspec": (step, reset), "torch": (t_step, t_reset)}, reps, warmup)
            out["nnspec_s"], out["torch_s"] = statistics.median(tt["nnspec"]), statistics.median(tt["torch"])
            out["vs_torch"] = statistics.median(a / b for a, b in zip(tt["nnspec"], tt["torch"]))
    return out


def main(argv=None) -> int:
    """Print the step/GEMM ratio for float64 and float32, the float32 speedup and, with --torch, torch's time."""
    ap = argparse.ArgumentParser(prog="python -m nnspec.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=300, help="timed repetitions (default 300)")
    ap.add_argument("--batch", type=int, default=100, help="batch size (default 100)")
    ap.add_argument("--hidden", type=int, default=100, help="hidden units (default 100)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=None,
                    help="limit the BLAS (and torch) threads to this many (needs threadpoolctl)")
    ap.add_argument("--unfused", action="store_true",
                    help="also time gradient() followed by sgd_update(), the route of a net without sgd_step")
    ap.add_argument("--torch", action="store_true", help="also time the same step in PyTorch float32, if installed")
    args = ap.parse_args(argv)
    if min(args.reps, args.batch, args.hidden) < 1 or (args.threads is not None and args.threads < 1):
        ap.error("--reps, --batch, --hidden and --threads must be positive")
    if args.threads is not None and threadpoolctl is None:  # pragma: no cover - depends on the environment
        ap.error("--threads needs threadpoolctl (pip install threadpoolctl)")

    limit = threadpoolctl.threadpool_limits(args.threads, user_api="blas") if args.threads else None
    try:
        load = ", load average {:.1f}".format(os.getloadavg()[0]) if hasattr(os, "getloadavg") else ""
        print(f"One SGD step of TwoLayerNet 784-{args.hidden}-10, batch {args.batch} "
              f"(forward, backward, in-place update) against its five matrix products")
        print(f"numpy {np.__version__}, {blas_info()}, {platform.machine()}{load}")
        threads = _blas_threads()
        res = run(args.reps, batch=args.batch, hidden=args.hidden, seed=args.seed, unfused=args.unfused,
                  torch=args.torch)
    finally:
        if limit is not None:
            limit.restore_original_limits()
    print(f"{args.reps} interleaved repetitions; medians (ratio: median of per-repetition ratios, [quartiles])")
    print(f"{'step':<26} {'step µs':>9} {'5 GEMMs µs':>11} {'step/GEMM':>10}  {'quartiles':<13} "
          f"target ≤ {TARGET_RATIO}")
    rows = [(f"{name} sgd_step", name) for name in ("float64", "float32")]
    if args.unfused:
        rows += [(f"{name} gradient+sgd_update", f"unfused {name}") for name in ("float64", "float32")]
    for label, key in rows:
        r = res[key]
        verdict = "ok" if r.ratio <= TARGET_RATIO else "over"
        quart = f"[{r.ratio_q1:.2f}, {r.ratio_q3:.2f}]"
        print(f"{label:<26} {r.step_s * 1e6:>9.1f} {r.gemm_s * 1e6:>11.1f} {r.ratio:>10.3f}  {quart:<13} {verdict}")
    print(f"float32 speedup over float64: {res['speedup']:.2f}x (median per-repetition step time ratio)")
    if args.torch:  # pragma: no cover - optional comparison
        if "torch_s" in res:
            vs = res["vs_torch"]
            print(f"float32 step, interleaved with {res['torch_info']}: nnspec {res['nnspec_s'] * 1e6:.1f} µs, "
                  f"torch {res['torch_s'] * 1e6:.1f} µs; nnspec / torch = {vs:.2f} "
                  f"({'nnspec faster' if vs < 1 else 'torch faster'})")
            if (threads or 1) > 1:
                print("  note: with more than one thread, OpenBLAS's and torch's thread pools share the cores "
                      "and slow each other; --threads 1 compares them without that")
        else:
            print(res["torch_info"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
