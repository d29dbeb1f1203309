"""MkDocs hook: remember what each figure block printed, so rebuilds (and ``mkdocs serve``) are quick.

The pages draw their figures in ``markdown-exec`` Python blocks, which run on every build. This
hook wraps markdown-exec's Python runner with a cache on disk (``.cache/figures/``): a block's
output is reused when its code, every source file of ``nnspec``, the figure helper and the
library versions are all unchanged — so a figure is never stale, only not redrawn for nothing.
Blocks that share a ``session`` are not cached (a later block needs the earlier ones' variables).
Set ``NNSPEC_FIGURE_CACHE=0`` to turn the cache off.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.execcache")

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "figures"


@lru_cache(maxsize=1)
def _inputs_digest() -> str:
    """What every block's output may depend on besides its own code."""
    h = hashlib.sha256()
    files = sorted((ROOT / "nnspec").rglob("*.py")) + [Path(__file__).with_name("nnfig.py")]
    for path in files:
        h.update(path.relative_to(ROOT).as_posix().encode())
        h.update(path.read_bytes())
    for dist in ("numpy", "matplotlib", "markdown-exec", "mlxtend"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()


def _caching(run):
    def cached_run(code, returncode=None, session=None, id=None, **extra):  # noqa: A002
        if session:
            return run(code, returncode=returncode, session=session, id=id, **extra)
        key = hashlib.sha256(f"{_inputs_digest()}\n{sorted(extra.items())}\n{code}".encode()).hexdigest()
        path = CACHE / f"{key}.out"
        if path.exists():
            return path.read_text(encoding="utf-8")
        out = run(code, returncode=returncode, session=session, id=id, **extra)  # raises on error: not cached
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(out, encoding="utf-8")
        tmp.replace(path)
        return out

    return cached_run


def on_config(config):
    _inputs_digest.cache_clear()  # `mkdocs serve` rebuilds: nnspec may have changed
    # The figures' look (rcParams, the Agg backend) is set before any block runs: a block's shown
    # source is plain matplotlib, and only its hidden last line calls nnfig.svg.
    hooks = str(Path(__file__).resolve().parent)
    if hooks not in sys.path:
        sys.path.insert(0, hooks)
    import nnfig  # noqa: F401

    if os.environ.get("NNSPEC_FIGURE_CACHE", "1") == "0":
        return config
    try:
        from markdown_exec._internal import main as mx_main
        from markdown_exec._internal.formatters import base as mx_base
        from markdown_exec._internal.formatters import python as mx_python
    except ImportError:  # markdown-exec reorganised its internals: build without the cache
        log.info("markdown-exec internals not found; figures are redrawn on every build")
        return config
    run = _caching(mx_python._run_python)

    def format_python(**kwargs):
        return mx_base.base_format(language="python", run=run, **kwargs)

    mx_main.formatters["python"] = format_python
    return config
