"""The site's two editions, English and Korean: which page is which, and the hooks' words in each.

The Korean edition is built by ``mkdocs-static-i18n`` (suffix layout): ``docs/ch3-x.ko.md`` beside
``docs/ch3-x.md``, the English site at its usual URLs and the Korean one under ``ko/``. The plugin
runs the whole build a second time for Korean, hooks included; this module tells the hooks which
edition they are rendering and gives them their own sentences in that language.

It is plain Python (no MkDocs import), shared with the specs (``tests/test_editions.py``), and is
also a MkDocs hook (listed in mkdocs.yml) for two jobs of its own:

- ``on_files``: the build fails when an English page has no Korean page (or the other way round),
  or when the two do not state the same claim IDs in the same order.
- ``on_page_content``: on a Korean page, each figure's English caption is replaced by the Korean one
  the page gives after the figure's block (``<!-- ko-caption: … -->``). The figure itself is drawn
  once, from the same code, and shared by both editions through the figure cache (``execcache.py``).
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

import claimblocks

log = logging.getLogger("mkdocs.hooks.editions")


class _InstantSwitchFilter(logging.Filter):
    """mkdocs-static-i18n warns that Material's instant navigation keeps the header's language links
    of the first page opened. docs/javascripts/language-switch.js answers that: it computes the
    other edition's URL of the page the reader is on when the link is clicked (and loads it in full),
    so the warning, which would fail the strict build, is dropped, and only that one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "not compatible with theme.features = navigation.instant" not in record.getMessage()


logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_InstantSwitchFilter())

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = "en"
TRANSLATIONS = ("ko",)  # the other editions: a page of edition xx is page.xx.md
_SUFFIX = re.compile(r"\.(?P<lang>" + "|".join(TRANSLATIONS) + r")\.md$")


# --------------------------------------------------------------------------- pages and languages


def language_of(path: str) -> str:
    """"docs/ch3-x.ko.md" -> "ko"; "docs/ch3-x.md" -> "en"."""
    m = _SUFFIX.search(path)
    return m.group("lang") if m else DEFAULT


def english_of(path: str) -> str:
    """The English page of a page of any edition: "docs/ch3-x.ko.md" -> "docs/ch3-x.md"."""
    return _SUFFIX.sub(".md", path)


def translation_of(path: str, lang: str) -> str:
    """The page of edition ``lang``: ("docs/ch3-x.md", "ko") -> "docs/ch3-x.ko.md"."""
    english = english_of(path)
    return english if lang == DEFAULT else english[: -len(".md")] + f".{lang}.md"


def pages(root: Path = ROOT, lang: str = DEFAULT) -> list[Path]:
    """The Markdown pages of one edition under ``root/docs``, sorted."""
    return [p for p in sorted((root / "docs").rglob("*.md"))
            if language_of(p.as_posix()) == lang and "snippets" not in p.relative_to(root / "docs").parts]


def build_language(config) -> str:
    """The edition a build renders: the i18n plugin's current language (English without the plugin)."""
    plugin = config.plugins.get("i18n") if hasattr(config, "plugins") else None
    return getattr(plugin, "current_language", None) or DEFAULT


# --------------------------------------------------------------------------- keeping editions in step


def sync_problems(root: Path = ROOT) -> list[str]:
    """Why the editions are out of step (empty: in step): a page missing in one edition, or a page
    whose claim IDs (with their kind, claim or folded answer) differ from its English page's, in order."""
    problems: list[str] = []
    english = {p.relative_to(root).as_posix() for p in pages(root)}
    for lang in TRANSLATIONS:
        translated = {p.relative_to(root).as_posix() for p in pages(root, lang)}
        for page in sorted(english):
            other = translation_of(page, lang)
            if other not in translated:
                problems.append(f"{page} has no {lang} page: write {other}")
                continue
            a = [(c.id, c.answer) for c in claimblocks.parse((root / page).read_text(encoding="utf-8"), page)]
            b = [(c.id, c.answer) for c in claimblocks.parse((root / other).read_text(encoding="utf-8"), other)]
            if a != b:
                problems.append(f"{other} states the claims {_ids(b)}, its English page {_ids(a)}: "
                                "the same IDs, in the same order, each ??? where the English page has ???")
        problems += [f"{page} has no English page {english_of(page)}" for page in sorted(translated)
                     if english_of(page) not in english]
    return problems


def _ids(pairs: list[tuple[str, bool]]) -> str:
    return "[" + ", ".join(("???" if answer else "") + cid for cid, answer in pairs) + "]"


def on_files(files, config):
    if build_language(config) == DEFAULT:  # once per build of the whole site
        for problem in sync_problems():
            log.error(f"editions out of step: {problem}")
    return files


# --------------------------------------------------------------------------- figure captions

CAPTION = re.compile(r"<!--\s*ko-caption:\s*(?P<text>.*?)\s*-->", re.S)
FIGURE = re.compile(r'<figure class="nn-figure">.*?<figcaption>(?P<caption>.*?)</figcaption></figure>', re.S)
NUMBER = re.compile(r"[−-]?\d+(?:[.,]\d+)*(?:e[−+-]?\d+)?")
PLACEHOLDER = re.compile(r"\{(\d+)\}")


def korean_caption(template: str, english: str) -> str:
    """The Korean caption, its ``{n}`` filled with the n-th number of the English caption (1-based)."""
    numbers = NUMBER.findall(html.unescape(english))

    def fill(m: re.Match) -> str:
        n = int(m.group(1))
        if not 1 <= n <= len(numbers):
            raise ValueError(f"{{{n}}} but the English caption has {len(numbers)} numbers: {english!r}")
        return numbers[n - 1]

    return PLACEHOLDER.sub(fill, template)


def translate_captions(content: str, where: str) -> tuple[str, list[str]]:
    """A Korean page's HTML with each figure's caption (and image alt text) replaced by the
    ``<!-- ko-caption: … -->`` after it; and the problems: a figure without one, a bad ``{n}``."""
    problems: list[str] = []
    out: list[str] = []
    pending: list[re.Match] = []  # figures seen since the last caption comment
    cursor = 0
    events = sorted([(m.start(), "figure", m) for m in FIGURE.finditer(content)]
                    + [(m.start(), "caption", m) for m in CAPTION.finditer(content)], key=lambda e: e[0])
    replaced: dict[int, str] = {}
    for _, kind, m in events:
        if kind == "figure":
            pending.append(m)
            continue
        if not pending:
            problems.append(f"{where}: a ko-caption with no figure before it: {m.group('text')!r}")
            continue
        figure = pending.pop()  # the caption belongs to the figure just before it
        problems += [f"{where}: a figure without a ko-caption after its block: {f.group('caption')!r}" for f in pending]
        pending.clear()
        try:
            text = html.escape(korean_caption(html.unescape(m.group("text")), figure.group("caption")), quote=True)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        old = figure.group(0)
        new = re.sub(r'alt="[^"]*"', f'alt="{text}"', old, count=1)
        new = new[: new.rindex("<figcaption>")] + f"<figcaption>{text}</figcaption></figure>"
        replaced[figure.start()] = new
    problems += [f"{where}: a figure without a ko-caption after its block: {f.group('caption')!r}" for f in pending]
    for start, kind, m in events:
        if kind == "figure" and start in replaced:
            out += [content[cursor:start], replaced[start]]
            cursor = m.end()
    out.append(content[cursor:])
    return "".join(out), problems


def on_page_content(content, page, config, files):
    lang = getattr(page.file, "locale", DEFAULT)
    if lang == DEFAULT or "nn-figure" not in content:
        return content
    content, problems = translate_captions(content, page.file.src_uri)
    for problem in problems:
        log.error(problem)
    return content


# --------------------------------------------------------------------------- the hooks' own words

# Everything a hook writes on a page, in each edition. English is the key itself unless noted.
WORDS: dict[str, dict[str, str]] = {
    "ko": {
        "passed": "통과",
        "failed": "실패",
        "skipped": "건너뜀",
        "unverified": "미확인",
        "not run": "실행 안 됨",
        "partly skipped": "일부 건너뜀",
        "unverified: no spec of it ran": "미확인: 이 주장의 명세가 하나도 실행되지 않았습니다",
        "not run: no fresh report; run make test": "실행 안 됨: 최신 보고서가 없습니다. make test를 실행하세요",
        "{n} skipped": "{n}개 건너뜀",
        "passed: {passed} spec(s) passed, {skipped} skipped ({reasons})":
            "통과: 명세 {passed}개 통과, {skipped}개 건너뜀 ({reasons})",
        "no reason given": "이유가 적혀 있지 않음",
        "Link to this claim": "이 주장의 링크",
        "✎ erratum": "✎ 정오",
        "From the notes": "노트에서",
        "The notes have no text here; from the book: {book}": "노트에는 이 부분의 글이 없습니다. 책에서: {book}",
        "Added by nnspec: the notes have no sentence for this claim.":
            "nnspec이 덧붙인 주장입니다. 노트에는 이 주장에 해당하는 문장이 없습니다.",
        "Failed": "실패",
        "Skipped": "건너뜀",
        "measured": "측정 항목",
        "value": "값",
        "measured by": "측정한 명세",
        "{path}, line {line}": "{path}, {line}행",
        ", {n} cases": ", 사례 {n}개",
        " in {secs} s": ", {secs}초",
        "Specs ({n})": "명세 ({n})",
        "Answer": "답",
        "Checked by": "확인하는 주장:",
        "all corrections": "모든 정오",
        # load_report's reasons for showing "not run"
        "no report yet: run `make test` (or `pytest`) to prove the claims":
            "아직 보고서가 없습니다. 주장을 증명하려면 `make test`(또는 `pytest`)를 실행하세요",
        "the report is older than the specs: run the specs again":
            "보고서가 명세보다 오래되었습니다. 명세를 다시 실행하세요",
        "Not run": "실행 안 됨",
    },
}


def say(lang: str, english: str, **fields) -> str:
    """``english`` in edition ``lang`` (English when there is no translation), with ``fields`` filled in."""
    text = WORDS.get(lang, {}).get(english, english)
    return text.format(**fields) if fields else text
