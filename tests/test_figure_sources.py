"""Every figure's "Source" tab is a script a reader can paste and run.

A page draws a figure in a ``markdown-exec`` block and shows its source in a tab. What the tab
shows is the block without its lines marked ``# markdown-exec: hide``, and that must stand on its
own: it imports only NumPy, matplotlib, nnspec and the standard library (not the site's figure
helper ``nnfig``), uses no name it does not define, shares no state with other blocks (no
``session``), and shows the figure with ``plt.show()``. The hidden lines only hand the figure to
``nnfig`` or print HTML around what the script prints; they compute nothing the figure uses.

The build itself runs every block (hidden lines included) and fails on any error; this spec makes
sure the part a reader copies is the part that draws.
"""

from __future__ import annotations

import ast
import builtins
import re
import symtable
import sys
from pathlib import Path

import pytest

from tests.claims import ROOT

HIDE = "markdown-exec: hide"  # markdown-exec drops every line containing this from the shown source
ALLOWED = {"numpy", "matplotlib", "nnspec"} | set(sys.stdlib_module_names)
BLOCK = re.compile(r'^```python (?P<opts>[^\n]*\bexec="1"[^\n]*)\n(?P<code>.*?)\n```$', re.S | re.M)


def figure_blocks(root: Path = ROOT) -> list[tuple[str, str, str]]:
    """(where, options, code) of every executed Python block that shows its source."""
    found = []
    for path in sorted((root / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            if "source=" in m.group("opts"):
                line = text.count("\n", 0, m.start()) + 1
                found.append((f"{path.relative_to(root).as_posix()}:{line}", m.group("opts"), m.group("code")))
    return found


def undefined_names(code: str) -> set[str]:
    """Names the code reads but never binds (imports, assignments, defs), builtins excepted."""
    top = symtable.symtable(code, "<source tab>", "exec")
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()}
    missing: set[str] = set()

    def walk(table, module: bool) -> None:
        for sym in table.get_symbols():
            name = sym.get_name()
            if not sym.is_referenced() or hasattr(builtins, name):
                continue
            if (module and name not in bound) or (not module and sym.is_global() and name not in bound):
                missing.add(name)
        for child in table.get_children():
            walk(child, module=False)

    walk(top, module=True)
    return missing


def problems_of(options: str, code: str) -> list[str]:
    """Why the shown source of one block would not run on its own (empty: it would)."""
    out: list[str] = []
    if "session=" in options:
        out.append("shares a session with other blocks: its source needs theirs")
    lines = code.split("\n")
    shown = "\n".join(line for line in lines if HIDE not in line)
    hidden = [re.sub(r"\s*#\s*" + HIDE + r"\s*$", "", line).strip() for line in lines if HIDE in line]
    try:
        tree = ast.parse(shown)
    except SyntaxError as exc:
        return out + [f"the shown source does not parse: {exc}"]
    for node in ast.walk(tree):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        out += [f"imports {n!r}, which a reader does not have" for n in names if n.split(".")[0] not in ALLOWED]
    missing = undefined_names(shown)
    if missing:
        out.append(f"uses {sorted(missing)} without defining or importing them")
    for line in hidden:
        for stmt in ast.parse(line).body:
            ok = (isinstance(stmt, ast.Import) and [a.name for a in stmt.names] == ["nnfig"]) or (
                isinstance(stmt, ast.Expr)
                and isinstance(stmt.value, ast.Call)
                and isinstance(stmt.value.func, ast.Name)
                and stmt.value.func.id == "print"
            )
            if not ok:
                out.append(f"a hidden line computes something the reader does not see: {line!r}")
    if any("svg(" in line for line in hidden) and "plt.show()" not in shown:
        out.append("draws a figure but its source never calls plt.show()")
    return out


def test_pages_draw_figures():
    assert len(figure_blocks()) >= 15, "fewer figure blocks than the chapters draw: is the block pattern stale?"


@pytest.mark.parametrize("where, options, code", figure_blocks(), ids=lambda v: v if ".md:" in str(v) else "")
def test_shown_source_runs_by_itself(where, options, code):
    problems = problems_of(options, code)
    assert not problems, f"{where}: " + "; ".join(problems)


# The checker must be able to fail: feed it the sources this project used to show.

GOOD = """import matplotlib.pyplot as plt
import numpy as np
from nnspec.functions import sigmoid

x = np.linspace(-6, 6, 200)
fig, ax = plt.subplots()
ax.plot(x, [sigmoid(v) for v in x])
plt.show()
import nnfig; print(nnfig.svg(fig, "The sigmoid"))  # markdown-exec: hide"""


@pytest.mark.parametrize(
    "options, code, words",
    [
        (
            'exec="1" source="tabbed-right"',
            GOOD.replace("import matplotlib.pyplot as plt", "from nnfig import plt, svg"),
            ["'nnfig'"],
        ),
        ('exec="1" source="tabbed-right"', GOOD.replace("import matplotlib.pyplot as plt\n", ""), ["['plt']"]),
        ('exec="1" source="tabbed-right" session="ch5"', GOOD, ["session"]),
        ('exec="1" source="tabbed-right"', GOOD.replace("plt.show()", "fig.tight_layout()"), ["plt.show()"]),
        (
            'exec="1" source="tabbed-right"',
            GOOD.replace("fig, ax = plt.subplots()", "fig, ax = draw_graph(nodes, edges)"),
            ["draw_graph", "nodes"],
        ),
        (
            'exec="1" source="tabbed-right"',
            GOOD.replace("x = np.linspace(-6, 6, 200)", "x = np.linspace(-6, 6, 200)  # markdown-exec: hide"),
            ["['x']", "computes something"],
        ),
        (
            'exec="1" source="tabbed-right"',
            GOOD.replace("def_never", "") + "\ndef f():\n    return fmt(x)\n",
            ["['fmt']"],
        ),
    ],
)
def test_the_checker_names_what_would_not_run(options, code, words):
    found = "; ".join(problems_of(options, code))
    assert all(w in found for w in words), found


def test_the_checker_passes_a_good_source():
    assert problems_of('exec="1" source="tabbed-right"', GOOD) == []
