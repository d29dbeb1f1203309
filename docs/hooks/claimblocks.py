"""Find the claim blocks a page states.

A page states a claim with an admonition-style block::

    !!! claim "softmax.order-preserving"
        One English sentence that says what is true.

        $$ \\operatorname{argmax}\\,\\operatorname{softmax}(x) = \\operatorname{argmax} x $$

        > 소프트맥스는 값의 대소관계가 바뀌진않으니까

        api: nnspec.functions.softmax

The body is indented four spaces. A ``> `` quote inside it is the Korean sentence from the notes;
an ``api:`` line names the objects of the API reference the claim is about. Written ``??? claim``
instead, the claim is the answer to an exercise ("Try it yourself"): the page shows it folded, under
"Answer", and it is proved like every other claim.

This module is plain Python (no MkDocs import) so that the pytest plugin and the MkDocs hook read
pages the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CLAIM_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")
HEADER = re.compile(r'^(?P<kind>!!!|\?\?\?) claim "(?P<id>[^"]+)"\s*$')
API_LINE = re.compile(r"^api:\s*(?P<names>.+)$")
BOOK_LINE = re.compile(r"^book:\s*(?P<where>.+)$")


@dataclass
class Claim:
    id: str
    page: str  # path relative to the project root, e.g. "docs/ch3-neural-networks.md"
    line: int  # 1-based line of the header
    body: list[str] = field(default_factory=list)  # dedented body lines (without api: lines)
    api: list[str] = field(default_factory=list)
    book: str = ""  # where in the book a claim the notes do not make comes from ("§6.1.2 SGD")
    end: int = 0  # 1-based line after the block
    answer: bool = False  # written "??? claim": an exercise's answer, shown folded


def parse(text: str, page: str) -> list[Claim]:
    """Return the claim blocks of one page, in order."""
    lines = text.splitlines()
    claims: list[Claim] = []
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")) and not line.startswith("    "):
            in_fence = not in_fence
        m = None if in_fence else HEADER.match(line)
        if not m:
            i += 1
            continue
        claim = Claim(id=m.group("id"), page=page, line=i + 1, answer=m.group("kind") == "???")
        i += 1
        while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
            body_line = lines[i][4:] if lines[i].startswith("    ") else ""
            api = API_LINE.match(body_line)
            book = BOOK_LINE.match(body_line)
            if api:
                claim.api += [n.strip() for n in api.group("names").split(",") if n.strip()]
            elif book:
                claim.book = book.group("where").strip()
            else:
                claim.body.append(body_line)
            i += 1
        while claim.body and not claim.body[-1].strip():
            claim.body.pop()
        claim.end = i + 1
        claims.append(claim)
    return claims


# A page of another edition: "ch3-x.ko.md" beside "ch3-x.md" (docs/hooks/editions.py).
TRANSLATION = re.compile(r"\.[a-z]{2}\.md$")


def scan(root: Path, lang: str = "en") -> list[Claim]:
    """Every claim stated under ``root / "docs"``, pages in sorted order.

    The English pages (``lang="en"``, the default) are the claims' home: the Korean pages
    (``lang="ko"``: ``*.ko.md``) state the same claims again, each ID once per edition.
    """
    docs = root / "docs"
    found: list[Claim] = []
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        m = TRANSLATION.search(rel)
        if (m.group(0)[1:3] if m else "en") != lang:
            continue
        found += parse(path.read_text(encoding="utf-8"), rel)
    return found


# --- the specs side: which test functions declare which claims (read statically, never imported) ---

import ast  # noqa: E402


@dataclass
class SpecRef:
    path: str  # relative to the project root, e.g. "tests/ch3/test_softmax.py"
    name: str  # "test_sums_to_one" or "TestX::test_y"
    lineno: int  # first line of the definition, decorators included
    source: str


def _claim_args(node: ast.AST) -> list[str]:
    """IDs in every ``<anything>.mark.claim("…")`` call inside ``node``."""
    ids: list[str] = []
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and sub.func.attr == "claim"
            and isinstance(sub.func.value, ast.Attribute)
            and sub.func.value.attr == "mark"
        ):
            ids += [a.value for a in sub.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return ids


def _first_line(node: ast.AST) -> int:
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])


def spec_index(root: Path) -> dict[str, list[SpecRef]]:
    """Claim ID -> the spec functions that declare it, for every ``test_*.py`` under ``root/tests``."""
    index: dict[str, list[SpecRef]] = {}
    for path in sorted((root / "tests").rglob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text, filename=str(path))
        rel = path.relative_to(root).as_posix()
        module_ids: list[str] = []
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
            ):
                module_ids += _claim_args(node.value)

        def add(fn: ast.AST, name: str, inherited: list[str]) -> None:
            ids = inherited + [i for d in fn.decorator_list for i in _claim_args(d)]
            start = _first_line(fn)
            src = "\n".join(lines[start - 1 : fn.end_lineno])  # noqa: B023 - called in this iteration
            for cid in dict.fromkeys(ids):
                index.setdefault(cid, []).append(SpecRef(rel, name, start, src))  # noqa: B023 - same

        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                add(node, node.name, module_ids)
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                cls_ids = module_ids + [i for d in node.decorator_list for i in _claim_args(d)]
                for fn in node.body:
                    if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and fn.name.startswith("test"):
                        add(fn, f"{node.name}::{fn.name}", cls_ids)
    return index
