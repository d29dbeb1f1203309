"""A static check: find every use of a global random state in Python source, without running it.

Allowed: building a generator from an explicit seed (``np.random.default_rng(seed)``,
``nnspec.rng.as_generator(rng)``) and naming the generator classes. Flagged:

* NumPy's legacy global-state functions: ``np.random.rand``, ``randn``, ``seed``, ``random``,
  ``choice``, ``permutation``, ``shuffle``, ``normal``, … — anything in ``numpy.random`` that is
  not in :data:`ALLOWED`, however NumPy or ``numpy.random`` was imported or renamed;
* ``numpy.random`` used as a value (``r = np.random``, ``getattr(np.random, name)``);
* ``default_rng()`` or ``default_rng(None)``: a generator seeded from the OS that no caller can seed;
* Python's own global generator: ``import random``, ``from random import …``.
"""

from __future__ import annotations

import ast
from pathlib import Path

# The parts of numpy.random that do not touch the global state.
ALLOWED = frozenset(
    {"default_rng", "Generator", "SeedSequence", "BitGenerator", "PCG64", "PCG64DXSM", "Philox", "SFC64"}
)


def _aliases(tree: ast.AST) -> tuple[set[str], set[str], set[str], list[tuple[int, str]]]:
    """Names bound to numpy, to numpy.random, to numpy.random.default_rng; stdlib-random imports."""
    numpy_names: set[str] = set()
    random_names: set[str] = set()
    rng_factories: set[str] = set()
    problems: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "numpy":
                    numpy_names.add(a.asname or "numpy")
                elif a.name == "numpy.random":
                    if a.asname:
                        random_names.add(a.asname)
                    else:
                        numpy_names.add("numpy")  # ``import numpy.random`` binds ``numpy``
                elif a.name == "random" or a.name.startswith("random."):
                    problems.append((node.lineno, f"imports Python's global-state module {a.name!r}"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module == "numpy":
                for a in node.names:
                    if a.name == "random":
                        random_names.add(a.asname or "random")
            elif node.module == "numpy.random":
                for a in node.names:
                    if a.name == "default_rng":
                        rng_factories.add(a.asname or a.name)
                    elif a.name not in ALLOWED:
                        problems.append((node.lineno, f"imports numpy.random.{a.name} (global state)"))
            elif node.module == "random" or (node.module or "").startswith("random."):
                problems.append((node.lineno, f"imports from Python's global-state module {node.module!r}"))
    return numpy_names, random_names, rng_factories, problems


def find_global_random(source: str, filename: str = "<snippet>") -> list[str]:
    """Every use of a global random state in ``source``, as ``"file:line: what"`` strings."""
    tree = ast.parse(source, filename=filename)
    numpy_names, random_names, rng_factories, problems = _aliases(tree)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def is_numpy_random(node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in random_names
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "random"
            and isinstance(node.value, ast.Name)
            and node.value.id in numpy_names
        )

    for node in ast.walk(tree):
        if is_numpy_random(node):
            parent = parents.get(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                if parent.attr not in ALLOWED:
                    problems.append((node.lineno, f"uses numpy.random.{parent.attr} (global state)"))
            elif not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)):
                problems.append((node.lineno, "uses the numpy.random module as a value"))
        if isinstance(node, ast.Call):
            f = node.func
            factory = (isinstance(f, ast.Name) and f.id in rng_factories) or (
                isinstance(f, ast.Attribute) and f.attr == "default_rng" and is_numpy_random(f.value)
            )
            unseeded = not node.args and not node.keywords
            none_seed = bool(node.args) and isinstance(node.args[0], ast.Constant) and node.args[0].value is None
            if factory and (unseeded or none_seed):
                problems.append((node.lineno, "calls default_rng() with no seed: a generator no caller can seed"))
    return [f"{filename}:{line}: {what}" for line, what in sorted(set(problems))]


def scan_tree(root: Path) -> tuple[int, list[str]]:
    """Scan every ``*.py`` under ``root``: (number of files, problems)."""
    files = sorted(root.rglob("*.py"))
    problems: list[str] = []
    for path in files:
        problems += find_global_random(path.read_text(encoding="utf-8"), str(path))
    return len(files), problems
