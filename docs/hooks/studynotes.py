"""Read the study notes sentence by sentence, and the quotes the pages take from them.

The notes (``study-notes.ko.txt``) are written one sentence per line, indented by tabs, with
numbered headings (``2.퍼셉트론``, ``1.relu``). A *sentence* here is one non-blank line, stripped
of its indentation: that is the unit a claim quotes with a ``> `` line.

Where the notes are: ``$NNSPEC_NOTES`` (the file, or the folder that holds it) when set, else
``../shared/notes/study-notes.ko.txt`` next to the project.

Plain Python (no MkDocs import), like :mod:`claimblocks`, so that the specs and the MkDocs hooks
read the notes the same way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

NOTES_FILE = "study-notes.ko.txt"
ENV = "NNSPEC_NOTES"

# A chapter heading of the notes: "2.퍼셉트론", "5.오차역전파" at the left margin.
_NUMBERED = re.compile(r"^(?P<n>\d+)\.\s*(?P<title>\S.*)$")
# Markdown's backslash escapes: a page writes "전값\*" for the notes' "전값*".
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


@dataclass(frozen=True)
class Sentence:
    text: str  # the line without its indentation
    line: int  # 1-based line in the notes
    chapter: int  # the notes' chapter (1-6) the line is in


def notes_path(root: Path) -> Path:
    """The notes file: ``$NNSPEC_NOTES`` (a file or a folder) or ``root/../shared/notes/``."""
    env = os.environ.get(ENV)
    path = Path(env).expanduser() if env else root.parent / "shared" / "notes"
    return path / NOTES_FILE if path.is_dir() or not path.suffix else path


def sentences(text: str) -> list[Sentence]:
    """Every non-blank line of the notes, in order, with the chapter it belongs to.

    Chapters are the numbered headings at the left margin whose number is one more than the
    current chapter's (the notes restart numbering for sections, also at the margin:
    ``3.신경망`` is followed by ``1.활성화함수``, a section of chapter 3).
    """
    out: list[Sentence] = []
    chapter = 0
    for i, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        m = _NUMBERED.match(raw.rstrip())
        if m and not raw[:1].isspace() and int(m.group("n")) == chapter + 1:
            chapter += 1
        out.append(Sentence(stripped, i, chapter))
    return out


def unescape(markdown: str) -> str:
    """A quote line as the notes wrote it: Markdown's backslash escapes removed."""
    return _ESCAPE.sub(r"\1", markdown)


def quote_lines(body: list[str]) -> list[str]:
    """The quoted sentences of a block body: each non-empty ``> `` line, unescaped and stripped."""
    out = []
    for line in body:
        if line.startswith(">"):
            text = unescape(line[1:].strip())
            if text:
                out.append(text)
    return out


# --- the other blocks that quote the notes: errata, and notes that clarify -------------------

BLOCK = re.compile(r'^!!! (?P<kind>erratum|note) "(?P<title>[^"]+)"\s*$')


@dataclass
class Erratum:
    """An ``!!! erratum`` block (the notes are wrong or imprecise), or an ``!!! note`` block that
    quotes the notes (a precision, no correction)."""

    title: str
    page: str  # "docs/ch5-backprop.md"
    line: int  # 1-based line of the header
    body: list[str]  # dedented body lines
    end: int  # 1-based line after the block
    kind: str = "erratum"
    english_anchor: str = ""  # on a Korean page: the anchor of the same block on the English page


    @property
    def quotes(self) -> list[str]:
        return quote_lines(self.body)

    @property
    def anchor(self) -> str:
        """A stable anchor from the title: "erratum-the-maximum-is-subtracted-not-multiplied".

        A Korean page's block has the anchor of the English page's (``english_anchor``), so that
        links and the language switch land on the same erratum in either edition."""
        if self.english_anchor:
            return self.english_anchor
        slug = re.sub(r"[^0-9a-z]+", "-", self.title.lower()).strip("-")
        return f"{self.kind}-{slug}"


def parse_blocks(text: str, page: str) -> list[Erratum]:
    """The ``!!! erratum "…"`` and ``!!! note "…"`` blocks of one page (outside code fences), in order."""
    lines = text.splitlines()
    found: list[Erratum] = []
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")) and not line.startswith("    "):
            in_fence = not in_fence
        m = None if in_fence else BLOCK.match(line)
        if not m:
            i += 1
            continue
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
            body.append(lines[i][4:] if lines[i].startswith("    ") else "")
            i += 1
        while body and not body[-1].strip():
            body.pop()
        found.append(Erratum(m.group("title"), page, start + 1, body, i + 1, m.group("kind")))
    return found


def quoting_blocks(text: str, page: str) -> list[Erratum]:
    """Every erratum, and every note that quotes the notes, of one page."""
    return [b for b in parse_blocks(text, page) if b.kind == "erratum" or b.quotes]


def parse_errata(text: str, page: str) -> list[Erratum]:
    """The ``!!! erratum "…"`` blocks of one page (outside code fences), in order."""
    return [b for b in parse_blocks(text, page) if b.kind == "erratum"]


def with_english_anchors(blocks: list[Erratum], english: list[Erratum]) -> list[Erratum]:
    """A translated page's blocks, each given the anchor of the English page's block of the same
    kind that quotes the same lines (the quotes are the same in both editions; the titles are not).
    A block no English block matches keeps the anchor of the one at its place, if any."""
    unused = list(english)
    for i, block in enumerate(blocks):
        match = next((e for e in unused if e.kind == block.kind and e.quotes == block.quotes), None)
        if match is None:
            same_kind = [e for e in english if e.kind == block.kind]
            place = sum(1 for b in blocks[:i] if b.kind == block.kind)
            match = same_kind[place] if place < len(same_kind) else None
        if match is not None:
            block.english_anchor = match.anchor
            if match in unused:
                unused.remove(match)
    return blocks


_TRANSLATION = re.compile(r"\.(?P<lang>[a-z]{2})\.md$")


def page_blocks(root: Path, page: str, text: str | None = None) -> list[Erratum]:
    """The quoting blocks of one page (``page`` relative to ``root``), anchored like the English page's."""
    if text is None:
        text = (root / page).read_text(encoding="utf-8")
    blocks = quoting_blocks(text, page)
    if _TRANSLATION.search(page):
        english = _TRANSLATION.sub(".md", page)
        if (root / english).is_file():
            with_english_anchors(blocks, quoting_blocks((root / english).read_text(encoding="utf-8"), english))
    return blocks


def _scan(root: Path, kind: str, lang: str = "en") -> list[Erratum]:
    found: list[Erratum] = []
    for path in sorted((root / "docs").rglob("*.md")):
        page = path.relative_to(root).as_posix()
        m = _TRANSLATION.search(page)
        if (m.group("lang") if m else "en") != lang:
            continue
        found += [b for b in page_blocks(root, page) if b.kind == kind]
    return found


def scan_errata(root: Path, lang: str = "en") -> list[Erratum]:
    """Every erratum under ``root / "docs"`` of one edition (English by default), pages in sorted order."""
    return _scan(root, "erratum", lang)


def scan_clarifications(root: Path, lang: str = "en") -> list[Erratum]:
    """Every ``!!! note`` under ``root / "docs"`` of one edition that quotes the notes."""
    return _scan(root, "note", lang)
