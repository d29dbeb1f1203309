"""Every sentence of the notes is accounted for: quoted by a claim, or registered as not a claim.

The notes live outside the repository (``../shared/notes/study-notes.ko.txt``, or the file or
folder named by ``$NNSPEC_NOTES``); the specs that read them skip with the reason when they are
absent. The accounting itself (:func:`account`) is checked on small made-up notes and pages
first, so that it is seen to fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.claims import ROOT, claimblocks, studynotes
from tests.notes_register import REGISTER

pytestmark = pytest.mark.claim("notes.every-sentence-accounted-for")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass
class Accounting:
    quoted: dict[str, list[str]] = field(default_factory=dict)  # sentence -> claim IDs quoting it
    registered: list[str] = field(default_factory=list)  # sentences the register lists
    missing: list[studynotes.Sentence] = field(default_factory=list)  # neither quoted nor registered
    stale: list[str] = field(default_factory=list)  # register entries that are no sentence of the notes
    both: list[str] = field(default_factory=list)  # register entries a claim quotes anyway
    twice: list[str] = field(default_factory=list)  # register entries listed more than once
    no_reason: list[str] = field(default_factory=list)


def account(sentences: list[studynotes.Sentence], claims: list[claimblocks.Claim], register) -> Accounting:
    """Sort every sentence of the notes into quoted / registered / missing, and check the register."""
    acc = Accounting()
    for c in claims:
        for q in studynotes.quote_lines(c.body):
            acc.quoted.setdefault(q, []).append(c.id)
    texts = {s.text for s in sentences}
    seen: set[str] = set()
    for sentence, reason in register:
        if sentence in seen:
            acc.twice.append(sentence)
        seen.add(sentence)
        if not reason.strip():
            acc.no_reason.append(sentence)
        if sentence not in texts:
            acc.stale.append(sentence)
        elif sentence in acc.quoted:
            acc.both.append(sentence)
    acc.registered = sorted(seen & texts)
    acc.missing = [s for s in sentences if s.text not in acc.quoted and s.text not in seen]
    return acc


def stray_quotes(pages: dict[str, str], sentences: list[studynotes.Sentence]) -> list[str]:
    """Korean ``> `` quote lines on the pages (any block, outside code fences) that are no sentence of the notes."""
    texts = {s.text for s in sentences}
    bad = []
    for page, text in pages.items():
        in_fence = False
        for i, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith(("```", "~~~")) and not line.startswith("    "):
                in_fence = not in_fence
            stripped = line.strip()
            if in_fence or not stripped.startswith(">"):
                continue
            quote = studynotes.unescape(stripped[1:].strip())
            if HANGUL.search(quote) and quote not in texts:
                bad.append(f"{page}:{i}: {quote}")
    return bad


# --------------------------------------------------------------------------- the real notes


@pytest.fixture(scope="module")
def sentences() -> list[studynotes.Sentence]:
    path = studynotes.notes_path(ROOT)
    if not path.is_file():
        pytest.skip(
            f"needs the study notes, not found at {path} "
            f"(set {studynotes.ENV} to the notes file or the folder that holds {studynotes.NOTES_FILE})"
        )
    return studynotes.sentences(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stated() -> list[claimblocks.Claim]:
    return claimblocks.scan(ROOT)


def _where(s: studynotes.Sentence) -> str:
    return f"line {s.line} (chapter {s.chapter}): {s.text}"


def test_every_sentence_is_quoted_or_registered(sentences, stated, evidence):
    """Each non-blank line of the notes is quoted by a claim or listed in tests/notes_register.py."""
    acc = account(sentences, stated, REGISTER)
    distinct = {s.text for s in sentences}
    evidence("sentences in the notes (non-blank lines)", len(sentences))
    evidence("distinct sentences", len(distinct))
    evidence("quoted by a claim", sum(1 for t in distinct if t in acc.quoted))
    evidence("registered as not a claim", len(acc.registered))
    evidence("neither", len(acc.missing))
    assert not acc.missing, (
        "sentences of the notes no claim quotes and tests/notes_register.py does not list:\n"
        + "\n".join(_where(s) for s in acc.missing)
    )


def test_register_lists_only_sentences_no_claim_quotes(sentences, stated):
    """Each register entry is a sentence of the notes, listed once, with a reason, and quoted by no claim."""
    acc = account(sentences, stated, REGISTER)
    assert not acc.stale, f"register entries that are not a sentence of the notes: {acc.stale}"
    assert not acc.twice, f"register entries listed twice: {acc.twice}"
    assert not acc.no_reason, f"register entries without a reason: {acc.no_reason}"
    assert not acc.both, f"register entries a claim quotes (remove them from the register): {acc.both}"


def test_every_korean_quote_is_a_sentence_of_the_notes(sentences):
    """Every Korean ``> `` quote on any page is one whole line of the notes, exactly (after Markdown escaping)."""
    pages = {
        p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))
    }
    bad = stray_quotes(pages, sentences)
    assert not bad, "quotes that are not a line of the notes:\n" + "\n".join(bad)


def test_every_erratum_quote_is_specced_by_a_claim(stated):
    """Each sentence an erratum corrects is quoted by a claim too: the claim that specs the truth."""
    quoted = {q for c in stated for q in studynotes.quote_lines(c.body)}
    errata = studynotes.scan_errata(ROOT)
    assert errata, "no erratum found under docs/"
    orphans = [f"{e.page}:{e.line} {e.title!r}: {q}" for e in errata for q in e.quotes if q not in quoted]
    assert not orphans, "errata whose sentence no claim quotes:\n" + "\n".join(orphans)
    assert all(e.quotes for e in errata), [e.title for e in errata if not e.quotes]


# --------------------------------------------------------------------------- the accounting can fail

MADE_UP_NOTES = "1.머리\n\t첫 문장임\n\n\t둘째 문장 x*y=z임\n2.다음\n\t셋째\n"


def _claims(page: str) -> list[claimblocks.Claim]:
    return claimblocks.parse(page, "docs/t.md")


def test_accounting_finds_what_is_missing_stale_or_doubled():
    """On made-up notes: a sentence neither quoted nor registered is missing; a register entry that
    is not in the notes is stale; one a claim quotes is doubled; escapes are undone before comparing."""
    s = studynotes.sentences(MADE_UP_NOTES)
    assert [(x.text, x.line, x.chapter) for x in s] == [
        ("1.머리", 1, 1),
        ("첫 문장임", 2, 1),
        ("둘째 문장 x*y=z임", 4, 1),
        ("2.다음", 5, 2),
        ("셋째", 6, 2),
    ]
    page = '!!! claim "a.b"\n    Text.\n\n    > 첫 문장임\n    >\n    > 둘째 문장 x\\*y=z임\n'
    register = [("1.머리", "heading"), ("2.다음", "heading"), ("없는 문장", "gone"), ("첫 문장임", "both")]
    acc = account(s, _claims(page), register)
    assert [x.text for x in acc.missing] == ["셋째"]
    assert acc.stale == ["없는 문장"]
    assert acc.both == ["첫 문장임"]
    assert acc.quoted["둘째 문장 x*y=z임"] == ["a.b"]
    full = account(s, _claims(page), [("1.머리", "h"), ("2.다음", "h"), ("셋째", "a fragment"), ("셋째", "")])
    assert not full.missing and full.twice == ["셋째"] and full.no_reason == ["셋째"]


def test_stray_quotes_are_found():
    """A quote that differs from the notes by one character is reported; English quotes and code are not."""
    s = studynotes.sentences(MADE_UP_NOTES)
    page = "> 첫 문장임\n> 첫 문장 임\n> An English quote.\n```\n> 코드 안\n```\n"
    assert stray_quotes({"docs/t.md": page}, s) == ["docs/t.md:2: 첫 문장 임"]


def test_notes_path_follows_the_environment(tmp_path, monkeypatch):
    """$NNSPEC_NOTES may name the file or its folder; unset, the notes are looked for next to the project."""
    (tmp_path / studynotes.NOTES_FILE).write_text("x\n", encoding="utf-8")
    monkeypatch.setenv(studynotes.ENV, str(tmp_path))
    assert studynotes.notes_path(ROOT) == tmp_path / studynotes.NOTES_FILE
    monkeypatch.setenv(studynotes.ENV, str(tmp_path / studynotes.NOTES_FILE))
    assert studynotes.notes_path(ROOT) == tmp_path / studynotes.NOTES_FILE
    monkeypatch.delenv(studynotes.ENV)
    assert studynotes.notes_path(Path("/a/project")) == Path("/a/shared/notes") / studynotes.NOTES_FILE
