"""The API reference shows no raw Sphinx roles.

mkdocstrings renders nnspec's docstrings as Markdown, where a Sphinx role such as
``:class:`Affine``` reaches the reader as literal text. A cross-reference is written the Markdown
way, ``[`Affine`][nnspec.layers.Affine]``, and ``mkdocs build --strict`` then checks that it
resolves. These specs read every docstring of ``nnspec/`` (modules, classes, functions and the
docstrings under attributes) and name each role left, with the Markdown to write instead.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.claims import ROOT

# :func:`x`, :class:`x`, :meth:`x`, :py:attr:`x`, :mod:`x`, :data:`x` … any role with a target
ROLE = re.compile(r"(?<![\w`]):(?:py:)?(?P<role>[a-z]+):`~?(?P<target>[^`]+)`")


def docstrings(path: Path):
    """(line, text) of every docstring in a module: any string that stands alone as a statement."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            yield node.lineno, node.value.value


def markdown_for(module: str, target: str) -> str:
    """The mkdocstrings cross-reference for a role's target, qualified from its module."""
    name = target.rsplit(".", 1)[-1]
    qualified = target if target.startswith("nnspec.") else f"{module}.{target}"
    return f"[`{name}`][{qualified}]"


def roles(root: Path = ROOT) -> dict[str, list[str]]:
    """Each file of nnspec/ with a role in a docstring -> one line per role (where, what, fix)."""
    found: dict[str, list[str]] = {}
    for path in sorted((root / "nnspec").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        module = rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for lineno, text in docstrings(path):
            for m in ROLE.finditer(text):
                line = lineno + text.count("\n", 0, m.start())  # the docstring's own line offset
                found.setdefault(rel, []).append(
                    f"{rel}:{line}: {m.group(0)} -> write {markdown_for(module, m['target'])}"
                )
    return found


def test_no_sphinx_role_in_a_docstring():
    """No docstring of nnspec holds a Sphinx role."""
    left = [line for lines in roles().values() for line in lines]
    assert not left, (
        f"{len(left)} Sphinx role(s) in docstrings; the API reference would show them as raw text:\n" + "\n".join(left)
    )


def test_the_scan_finds_a_role(tmp_path):
    """The scan itself: a role in a module docstring, a method's docstring and an attribute's."""
    pkg = tmp_path / "nnspec"
    pkg.mkdir()
    (pkg / "demo.py").write_text(
        '"""See :func:`helper`."""\n\n'
        "class A:\n"
        '    """A class."""\n\n'
        "    size = 3\n"
        '    """Like :attr:`nnspec.other.B.size`."""\n\n'
        "    def m(self):\n"
        '        """Calls\n        :meth:`~A.n`."""\n',
        encoding="utf-8",
    )
    assert roles(tmp_path) == {
        "nnspec/demo.py": [
            "nnspec/demo.py:1: :func:`helper` -> write [`helper`][nnspec.demo.helper]",
            "nnspec/demo.py:7: :attr:`nnspec.other.B.size` -> write [`size`][nnspec.other.B.size]",
            "nnspec/demo.py:11: :meth:`~A.n` -> write [`n`][nnspec.demo.A.n]",
        ]
    }
