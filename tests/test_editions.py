"""The English and the Korean edition say the same things: same pages, same claims, same anchors.

Every English page ``docs/x.md`` has its Korean page ``docs/x.ko.md`` (the build fails too when one
is missing: ``docs/hooks/editions.py``). The two state the same claim IDs in the same order, quote
the same lines of the notes, run the same code (so each figure is drawn once and shared through the
figure cache), and give every heading and erratum the same anchor (so links and the language switch
land on the same place). The Korean pages use the glossary's Korean terms.

The checks are first seen to fail on made-up pages, at the end of this file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from tests.claims import ROOT, claimblocks, studynotes

sys.path.insert(0, str(ROOT / "docs" / "hooks"))
import editions  # noqa: E402

sys.path.pop(0)

ENGLISH = [p.relative_to(ROOT).as_posix() for p in editions.pages(ROOT)]
FENCE = re.compile(r"^(?P<fence>```+|~~~+)[^\n]*\n.*?^(?P=fence)\s*$", re.S | re.M)
HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")
EXPLICIT_ID = re.compile(r"\s*\{[^{}]*#(?P<id>[^\s}]+)[^{}]*\}\s*$")


def _read(page: str, root: Path = ROOT) -> str:
    return (root / page).read_text(encoding="utf-8")


def heading_anchors(text: str) -> list[str]:
    """The anchors of a page's headings, in order: an explicit ``{ #id }``, or what ``toc`` makes of the title."""
    out, fence = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        m = None if fence else HEADING.match(line)
        if not m:
            continue
        title = m.group(2)
        explicit = EXPLICIT_ID.search(title)
        out.append(explicit.group("id") if explicit else slugify(re.sub(r"<[^>]+>|[`*]", "", title), "-"))
    return out


def code_blocks(text: str) -> list[str]:
    """Every fenced block (figure sources, shell commands) and ``:::`` directive line, in order."""
    blocks = [m.group(0) for m in FENCE.finditer(text)]
    rest = FENCE.sub("", text)
    return blocks + [line for line in rest.splitlines() if line.startswith(":::") or line.startswith("--8<--")]


def quotes(text: str) -> list[str]:
    """The ``> `` lines (the notes' sentences), in order, outside code."""
    return [line.strip() for line in FENCE.sub("", text).splitlines() if line.strip().startswith(">")]


def edition_problems(english: str, korean: str, root: Path = ROOT) -> list[str]:
    """What differs, where it must not, between an English page and its Korean page."""
    a, b = _read(english, root), _read(korean, root)
    problems = []
    ca = [(c.id, c.answer, c.api, c.book) for c in claimblocks.parse(a, english)]
    cb = [(c.id, c.answer, c.api, c.book) for c in claimblocks.parse(b, korean)]
    if ca != cb:
        problems.append(f"claims (ID, ???, api:, book:) differ:\n  en {ca}\n  ko {cb}")
    if quotes(a) != quotes(b):
        diff = [(x, y) for x, y in zip(quotes(a), quotes(b)) if x != y][:3]
        problems.append(f"the quotes of the notes differ (first: {diff or 'a quote missing or added'})")
    if code_blocks(a) != code_blocks(b):
        diff = [y[:120] for x, y in zip(code_blocks(a), code_blocks(b)) if x != y][:2]
        problems.append(f"code blocks differ (the figure cache needs them byte-identical): {diff or 'one missing or added'}")
    ea = [(e.kind, e.quotes) for e in studynotes.quoting_blocks(a, english)]
    eb = [(e.kind, e.quotes) for e in studynotes.quoting_blocks(b, korean)]
    if ea != eb:
        problems.append("the errata and notes quoting the notes differ (same kind, same quotes, same order)")
    ha, hb = heading_anchors(a), heading_anchors(b)
    if ha != hb:
        problems.append(f"heading anchors differ (write ## 제목 {{ #english-anchor }}):\n  en {ha}\n  ko {hb}")
    return problems


@pytest.mark.parametrize("english", ENGLISH)
def test_every_english_page_has_a_korean_page_that_says_the_same(english):
    """docs/x.ko.md exists and states the same claims, quotes, code, errata and anchors as docs/x.md."""
    korean = editions.translation_of(english, "ko")
    assert (ROOT / korean).is_file(), f"{english} has no Korean page: write {korean}"
    problems = edition_problems(english, korean)
    assert not problems, f"{korean} is out of step with {english}:\n" + "\n".join(problems)


def test_no_korean_page_without_its_english_page():
    orphans = [p.relative_to(ROOT).as_posix() for p in editions.pages(ROOT, "ko")
               if not (ROOT / editions.english_of(p.relative_to(ROOT).as_posix())).is_file()]
    assert not orphans, f"Korean pages with no English page: {orphans}"


def test_the_build_checks_the_same():
    """The build's own check (docs/hooks/editions.py) agrees: it fails the build when this fails."""
    missing = [p for p in ENGLISH if not (ROOT / editions.translation_of(p, "ko")).is_file()]
    problems = editions.sync_problems(ROOT)
    assert all(any(m in p for p in problems) for m in missing), problems


# --------------------------------------------------------------------------- vocabulary

# A Korean word for a glossary concept that is not the glossary's word -> the glossary's word.
# Patterns are regular expressions over the pages' Korean prose (quotes of the notes are exempt:
# they stay as the notes wrote them).
VARIANTS = {
    r"활성화함수|활성함수": "활성화 함수",
    r"손실함수": "손실 함수",
    r"계단함수": "계단 함수",
    r"항등함수": "항등 함수",
    r"그래디언트|그라디언트|그레디언트": "기울기",
    r"경사하강법": "경사 하강법",
    r"배치정규화": "배치 정규화",
    r"가중치감소": "가중치 감소",
    r"초기값": "초깃값",
    r"최소값": "최솟값",
    r"학습율": "학습률",
    r"에포크|에퐄": "에폭",
    r"미니 배치": "미니배치",
    r"하이퍼 파라미터": "하이퍼파라미터",
    r"수치미분": "수치 미분",
    r"편 미분": "편미분",
    r"계산그래프": "계산 그래프",
    r"연쇄 법칙": "연쇄법칙",
    r"과적합": "과대적합",
    r"아핀|애파인": "어파인",
    r"교차엔트로피": "교차 엔트로피",
    r"오차 역전파|(?<!오차)역전파법": "오차역전파법",
    r"드롭 아웃": "드롭아웃",
    r"소프트 맥스": "소프트맥스",
    r"바이어스": "편향",
    r"임계치": "임계값",
    r"안장 점": "안장점",
    r"순방향 전파": "순전파",
    r"역방향 전파": "역전파",
    r"옵티마이져": "옵티마이저",
    r"검증데이터": "검증 데이터",
    r"로그스케일": "로그 스케일",
    r"기울기 손실|기울기소실": "기울기 소실",
    r"확률적 경사하강|확률적경사": "확률적 경사 하강법",
}


def glossary_terms(root: Path = ROOT) -> set[str]:
    """The Korean terms of the glossary (docs/glossary.md, its second column), one per word or phrase."""
    terms: set[str] = set()
    for line in _read("docs/glossary.md", root).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not re.search(r"[가-힣]", cells[1]):
            continue
        for part in re.split(r"\s*(?:/|,|\(|\)|also)\s*", cells[1]):
            if part.strip():
                terms.add(part.strip())
    return terms


def prose(text: str) -> list[tuple[int, str]]:
    """(line, text) of a page's prose: no code, no quotes of the notes, no inline code or math."""
    out, fence = [], False
    for i, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence or line.strip().startswith(">"):
            continue
        line = re.sub(r"`[^`]*`|\$\$?[^$]*\$?\$|\]\([^)]*\)", " ", line)
        out.append((i, line))
    return out


def vocabulary_problems(pages: dict[str, str]) -> list[str]:
    found = []
    for page, text in pages.items():
        for i, line in prose(text):
            for pattern, term in VARIANTS.items():
                for m in re.finditer(pattern, line):
                    found.append(f"{page}:{i}: {m.group(0)!r}: the glossary's word is {term!r}")
    return found


def test_the_variants_point_at_glossary_terms():
    """Each word the Korean pages must use instead of a variant is (part of) one of the glossary's Korean terms."""
    terms = glossary_terms()
    assert not [t for t in VARIANTS.values() if not any(t in term for term in terms)], sorted(terms)


def test_korean_pages_use_the_glossary_terms():
    pages = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in editions.pages(ROOT, "ko")}
    problems = vocabulary_problems(pages)
    assert not problems, "Korean pages use a word the glossary does not:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- the checks can fail

EN = """# Softmax

## The idea

!!! claim "a.b"
    Says a thing.

    > 원문 한 줄

```python exec="1" html="1" source="tabbed-right"
print(1)
```

!!! erratum "Wrong"
    > 원문 한 줄

    Truth.
"""

KO = """# 소프트맥스 { #softmax }

## 아이디어 { #the-idea }

!!! claim "a.b"
    한 가지를 말합니다.

    > 원문 한 줄

```python exec="1" html="1" source="tabbed-right"
print(1)
```

<!-- ko-caption: 그림 -->

!!! erratum "틀림"
    > 원문 한 줄

    참.
"""


def _pair(tmp_path: Path, en: str, ko: str) -> list[str]:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "p.md").write_text(en, encoding="utf-8")
    (tmp_path / "docs" / "p.ko.md").write_text(ko, encoding="utf-8")
    return edition_problems("docs/p.md", "docs/p.ko.md", tmp_path)


def test_edition_check_finds_each_difference(tmp_path):
    assert _pair(tmp_path, EN, KO) == []
    assert "claims" in _pair(tmp_path, EN, KO.replace('"a.b"', '"a.c"'))[0]
    assert "quotes" in _pair(tmp_path, EN, KO.replace("> 원문 한 줄\n\n```", "> 원문 한줄\n\n```"))[0]
    assert "code blocks" in _pair(tmp_path, EN, KO.replace("print(1)", "print(2)"))[0]
    assert "errata" in _pair(tmp_path, EN, KO.replace("!!! erratum", "!!! note"))[0]
    assert "heading anchors" in _pair(tmp_path, EN, KO.replace(" { #the-idea }", ""))[0]


def test_sync_check_finds_missing_and_reordered_pages(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text('!!! claim "x.one"\n    A.\n\n!!! claim "x.two"\n    B.\n', encoding="utf-8")
    (docs / "b.md").write_text("# B\n", encoding="utf-8")
    (docs / "a.ko.md").write_text('!!! claim "x.two"\n    나.\n\n!!! claim "x.one"\n    가.\n', encoding="utf-8")
    (docs / "c.ko.md").write_text("# C\n", encoding="utf-8")
    problems = editions.sync_problems(tmp_path)
    assert any("docs/a.ko.md states the claims" in p for p in problems)
    assert any("docs/b.md has no ko page" in p for p in problems)
    assert any("docs/c.ko.md has no English page" in p for p in problems)
    (docs / "a.ko.md").write_text('!!! claim "x.one"\n    가.\n\n??? claim "x.two"\n    나.\n', encoding="utf-8")
    assert any("???" in p for p in editions.sync_problems(tmp_path))


def test_vocabulary_check_finds_variants_outside_quotes_and_code():
    page = "활성화 함수를 씁니다.\n손실함수는 틀린 말입니다.\n> 활성화함수 인용은 괜찮음\n`계산그래프`\n역전파와 오차역전파법, 역전파법\n"
    got = vocabulary_problems({"p.ko.md": page})
    assert [g.split(": ")[1] for g in got] == ["'손실함수'", "'역전파법'"], got


def test_captions_are_replaced_and_checked():
    fig = '<figure class="nn-figure"><div class="nn-figure__box"><img src="x" alt="{c}" width="1"></div><figcaption>{c}</figcaption></figure>'
    page = fig.format(c="Accuracy of 100 trials; best 20") + "</div><!-- ko-caption: 시행 {1}번 중 상위 {2}개 -->"
    out, problems = editions.translate_captions(page, "p.ko.md")
    assert not problems
    assert "<figcaption>시행 100번 중 상위 20개</figcaption>" in out and 'alt="시행 100번 중 상위 20개"' in out
    _, problems = editions.translate_captions(fig.format(c="A") + fig.format(c="B") + "<!-- ko-caption: 나 -->", "p")
    assert problems == ["p: a figure without a ko-caption after its block: 'A'"]
    _, problems = editions.translate_captions(fig.format(c="A 1") + "<!-- ko-caption: {2} -->", "p")
    assert "{2} but the English caption has 1 numbers" in problems[0]
