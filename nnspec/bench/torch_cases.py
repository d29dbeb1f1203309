"""The same steps in PyTorch (CPU, float32), for comparison only: torch is never a dependency.

Each builder imports torch when called (raising ``ImportError`` when it is not installed) and
returns ``name -> (function, reset)`` like `nnspec.bench.cases`. They use what a PyTorch
user writes: ``torch.nn`` modules, ``cross_entropy``, ``backward()`` and a ``torch.optim``
optimizer with its default implementation.
"""

from __future__ import annotations

__all__ = ["torch_rows", "torch_two_layer_step", "torch_multilayer_bn_adam", "torch_optimizer_comparison", "torch_info"]


def _torch(threads):  # pragma: no cover - optional comparison
    import torch

    if threads:
        torch.set_num_threads(threads)
    return torch


def torch_info() -> str:  # pragma: no cover - optional comparison
    """The torch version and thread count, or why there is none."""
    try:
        import torch
    except ImportError:
        return "torch is not installed (pip install torch to compare)"
    return f"torch {torch.__version__}, {torch.get_num_threads()} threads"


def _mlp(torch, sizes, batchnorm=False):  # pragma: no cover - optional comparison
    nn = torch.nn
    layers = []
    for i in range(1, len(sizes)):
        lin = nn.Linear(sizes[i - 1], sizes[i])
        with torch.no_grad():  # He initialisation and zero biases, as nnspec's nets start
            lin.weight.normal_(0.0, (2.0 / sizes[i - 1]) ** 0.5)
            lin.bias.zero_()
        layers.append(lin)
        if i < len(sizes) - 1:
            if batchnorm:  # the book's momentum 0.9 on the old value is PyTorch's 0.1; the book's eps
                layers.append(nn.BatchNorm1d(sizes[i], momentum=0.1, eps=1e-6))
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def _step_case(torch, model, opt, batch, d, c, seed):  # pragma: no cover - optional comparison
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(batch, d, generator=gen)
    t = torch.randint(0, c, (batch,), generator=gen)
    cross_entropy = torch.nn.functional.cross_entropy
    start = [p.detach().clone() for p in model.parameters()]

    def step():
        opt.zero_grad(set_to_none=True)
        loss = cross_entropy(model(x), t)
        loss.backward()
        opt.step()

    def reset():
        with torch.no_grad():
            for p, s in zip(model.parameters(), start):
                p.copy_(s)

    return step, reset


def torch_two_layer_step(*, batch=100, sizes=(784, 100, 10), lr=0.1, seed=0, threads=None):  # pragma: no cover
    """TwoLayerNet's SGD step in torch: ``{"torch": (step, reset)}``."""
    torch = _torch(threads)
    torch.manual_seed(seed)
    model = _mlp(torch, sizes)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    return {"torch": _step_case(torch, model, opt, batch, sizes[0], sizes[-1], seed)}


def torch_multilayer_bn_adam(*, batch=100, hidden=(100, 100, 100, 100), seed=0, threads=None):  # pragma: no cover
    """The batch-norm net and Adam in torch: ``{"torch": (step, reset)}``."""
    torch = _torch(threads)
    torch.manual_seed(seed)
    sizes = (784, *hidden, 10)
    model = _mlp(torch, sizes, batchnorm=True).train()
    opt = torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-7)
    return {"torch": _step_case(torch, model, opt, batch, 784, 10, seed)}


def torch_optimizer_comparison(*, batch=128, hidden=(100, 100, 100, 100), seed=0, threads=None):  # pragma: no cover
    """The four-optimizer iteration in torch: ``{"torch": (iteration, reset)}``."""
    torch = _torch(threads)
    torch.manual_seed(seed)
    sizes = (784, *hidden, 10)
    makers = {
        "SGD": lambda ps: torch.optim.SGD(ps, lr=0.01),
        "Momentum": lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9),
        "AdaGrad": lambda ps: torch.optim.Adagrad(ps, lr=0.01, eps=1e-7),
        "Adam": lambda ps: torch.optim.Adam(ps, lr=0.001, eps=1e-7),
    }
    steps = []
    for make in makers.values():
        model = _mlp(torch, sizes)
        steps.append(_step_case(torch, model, make(model.parameters()), batch, 784, 10, seed))

    def iteration():
        for step, _ in steps:
            step()

    def reset():
        for _, r in steps:
            r()

    return {"torch": (iteration, reset)}


def torch_rows(rows, reps, warmup, seed, hidden, batch, threads, ch6) -> str:  # pragma: no cover - optional
    """Append the PyTorch rows to ``rows`` (each pair timed on its own); return `torch_info`.

    Without torch, no row is added and the returned line says why.
    """
    try:
        import torch  # noqa: F401
    except ImportError:
        return torch_info()
    import numpy as np

    from . import TARGETS
    from .cases import multilayer_bn_adam, optimizer_comparison, two_layer_step
    from .timing import blas_threads, interleaved, ratio

    threads = threads or blas_threads()
    pairs = [
        (
            "TwoLayerNet 784-{h}-10, float32: nnspec / torch SGD step".format(h=hidden),
            "step vs torch",
            two_layer_step(np.float32, batch=batch, sizes=(784, hidden, 10), seed=seed)["step"],
            torch_two_layer_step(batch=batch, sizes=(784, hidden, 10), seed=seed, threads=threads)["torch"],
        ),
        (
            "MultiLayerNet 784-[100]×4-10 + batch norm, Adam, float32: nnspec / torch",
            "batchnorm adam vs torch",
            multilayer_bn_adam(np.float32, seed=seed)["step"],
            torch_multilayer_bn_adam(seed=seed, threads=threads)["torch"],
        ),
    ]
    if ch6:
        pairs.append(
            (
                "chapter-6 comparison iteration, float32: nnspec / torch",
                "ch6 vs torch",
                optimizer_comparison(np.float32, seed=seed, book=False)["nnspec"],
                torch_optimizer_comparison(seed=seed, threads=threads)["torch"],
            )
        )
    for label, target, ours, theirs in pairs:
        t = interleaved({"nnspec": ours, "torch": theirs}, reps, warmup)
        rows.append(ratio(label, t["nnspec"], t["torch"], TARGETS[target]))
    return torch_info()
