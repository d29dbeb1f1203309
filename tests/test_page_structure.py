"""Chapter pages 1-5 teach first: the library's guarantees, then exercises, close each page.

Every chapter page 1-5 ends with "What nnspec guarantees" (promises of the library: bad input,
dtypes, what a function does to its arguments) and then "Try it yourself": two or three exercises,
each answered by a claim written ``??? claim "exercise.chN-…"`` and proved by a spec in
``tests/chN/test_exercises.py``. No "Bad input" heading sits in the teaching part.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.claims import ROOT, claimblocks

CHAPTERS = sorted((ROOT / "docs").glob("ch[1-5]-*.md"))
GUARANTEES, EXERCISES = "What nnspec guarantees", "Try it yourself"


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line, level, title) of the Markdown headings outside code fences."""
    out, fence = [], False
    for i, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        m = None if fence else re.match(r"^(#{1,6}) (.+?)\s*$", line)
        if m:
            out.append((i, len(m.group(1)), m.group(2)))
    return out


def structure_problems(text: str, page: str, chapter: str) -> list[str]:
    found = headings(text)
    h2 = [(line, title) for line, level, title in found if level == 2]
    titles = [t for _, t in h2]
    problems = []
    if titles[-2:] != [GUARANTEES, EXERCISES]:
        return [f"{page}: the last sections are {titles[-2:]}, expected {[GUARANTEES, EXERCISES]}"]
    guarantees_at, exercises_at = h2[-2][0], h2[-1][0]
    problems += [
        f"{page}:{line}: {title!r} in the teaching part"
        for line, _, title in found
        if "bad input" in title.lower() and line < guarantees_at
    ]
    claims = claimblocks.parse(text, page)
    answers = [c for c in claims if c.answer]
    problems += [f"{page}:{c.line}: answer {c.id} outside {EXERCISES!r}" for c in answers if c.line < exercises_at]
    problems += [
        f"{page}:{c.line}: {c.id} in {EXERCISES!r} is not folded as an answer (??? claim)"
        for c in claims
        if c.line > exercises_at and not c.answer
    ]
    problems += [
        f"{page}:{c.line}: answer {c.id} is not named exercise.{chapter}-…"
        for c in answers
        if not c.id.startswith(f"exercise.{chapter}-")
    ]
    if not 2 <= len(answers) <= 3:
        problems.append(f"{page}: {len(answers)} exercises, expected two or three")
    if not any(c.line > guarantees_at and not c.answer for c in claims):
        problems.append(f"{page}: {GUARANTEES!r} states no claim")
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_teaches_first_then_guarantees_then_exercises(path: Path):
    chapter = path.name.split("-")[0]
    problems = structure_problems(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix(), chapter)
    assert not problems, "\n".join(problems)


def test_every_exercise_answer_has_its_spec_in_the_chapters_exercise_file():
    specs = claimblocks.spec_index(ROOT)
    for path in CHAPTERS:
        chapter = path.name.split("-")[0]
        for c in claimblocks.parse(path.read_text(encoding="utf-8"), path.name):
            if c.answer:
                where = {ref.path for ref in specs.get(c.id, [])}
                assert where == {f"tests/{chapter}/test_exercises.py"}, (c.id, where)


PAGE = """# T

## Idea

!!! claim "a.idea"
    Says.

## {g}

### Bad input

!!! claim "a.guard"
    Refuses.

## {e}

??? claim "exercise.ch9-one"
    One.

??? claim "exercise.ch9-two"
    Two.
"""


def test_the_structure_check_can_fail():
    good = PAGE.format(g=GUARANTEES, e=EXERCISES)
    assert structure_problems(good, "p.md", "ch9") == []
    moved = good.replace("## Idea\n", "## Idea\n\n### Bad input\n")
    assert "teaching part" in " ".join(structure_problems(moved, "p.md", "ch9"))
    swapped = PAGE.format(g=EXERCISES, e=GUARANTEES)
    assert "expected" in " ".join(structure_problems(swapped, "p.md", "ch9"))
    unfolded = good.replace('??? claim "exercise.ch9-two"', '!!! claim "exercise.ch9-two"')
    assert "not folded" in " ".join(structure_problems(unfolded, "p.md", "ch9"))
    one = good.replace('??? claim "exercise.ch9-two"\n    Two.\n', "")
    assert "expected two or three" in " ".join(structure_problems(one, "p.md", "ch9"))
    misnamed = good.replace("exercise.ch9-one", "exercise.ch8-one")
    assert "not named" in " ".join(structure_problems(misnamed, "p.md", "ch9"))
