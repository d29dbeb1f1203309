"""The sentences of the notes that are not claims, each with the reason.

Every non-blank line of ``../shared/notes/study-notes.ko.txt`` is either quoted, exactly, by a
claim on some page (a ``> `` line in a ``!!! claim`` block) or listed here.
``tests/test_notes_coverage.py`` fails when a sentence is neither, when an entry here is not a
sentence of the notes (any more), or when a claim quotes a sentence listed here (then the entry is
no longer needed). A sentence that occurs twice in the notes (``1.relu``) needs one entry.

Add an entry only for a line that says nothing checkable: a heading, an aside, a fragment. A
sentence that says something true or false about the book's subject becomes a claim instead, with
an erratum next to it when the notes get it wrong. The corrections page lists this register too.
"""

from __future__ import annotations

HEADING = "A heading of the notes. The site's chapters and sections follow the notes' outline."

REGISTER: list[tuple[str, str]] = [
    (
        "1.파이썬기초",
        "The heading of chapter 1 (Python basics), which the notes skip; the site's chapter 1 covers "
        "the NumPy facts the later chapters rely on instead.",
    ),
    (
        "넘어감",
        "'Skipped': the notes' whole chapter 1. An aside about the notes, not about the subject; chapter 1's "
        "page quotes it at the top.",
    ),
    ("2.퍼셉트론", HEADING),
    ("3.신경망", HEADING),
    ("1.활성화함수", HEADING),
    ("1.relu", HEADING + " (It heads a section twice: in chapter 3 and in chapter 5.)"),
    ("2.출력층", HEADING),
    ("4.신경망학습", HEADING),
    ("1.손실함수", HEADING),
    ("2.수치미분", HEADING),
    ("3.기울기", HEADING),
    ("1.신경망에서의 기울기", HEADING),
    ("5.오차역전파", HEADING),
    ("1.각 노드별 역전파", HEADING),
    ("1.덧셈노드의 역전파", HEADING),
    ("2.곱셈노드의 역전파", HEADING),
    ("2.활성화함수 계층", HEADING),
    ("2.시그모이드", HEADING),
    ("3.affine/softmax층 구현", HEADING),
    ("1.affine", HEADING),
    ("2.softmax with loss", HEADING),
    (
        "6.학습관련기술들",
        "The heading of chapter 6 (training techniques), with no text under it yet; the site's "
        "chapter 6 will follow the book.",
    ),
]
