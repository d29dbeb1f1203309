"""The two pages generated from the claim blocks: "All claims" and "Corrections to the notes".

Plain Python (no MkDocs import): ``claims.py``, the MkDocs hook, gathers what the pages state and
what the last spec run found into a :class:`View` and asks this module for each page's Markdown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

import claimblocks
import editions
import studynotes

ALL_CLAIMS_PAGE = "claims.md"
CORRECTIONS_PAGE = "corrections.md"


@dataclass
class Badge:
    status: str  # passed | failed | skipped | unverified | not-run
    text: str  # "✓ passed", "✓ passed, 1 skipped"
    title: str  # the tooltip: what the status means, and skip reasons
    partial: bool = False  # passed, but some specs skipped

    def html(self) -> str:
        partial = " nn-status--partial" if self.partial else ""
        return (
            f'<span class="nn-status nn-status--{self.status}{partial}" title="{html.escape(self.title)}">'
            f"{html.escape(self.text)}</span>"
        )


@dataclass
class View:
    stated: list[claimblocks.Claim]
    errata: list[studynotes.Erratum]
    clarifications: list[studynotes.Erratum]  # "!!! note" blocks that quote the notes
    titles: dict[str, str]  # page ("docs/ch3-….md") -> its title
    specs: dict[str, list[claimblocks.SpecRef]]
    badge: Callable[[str], Badge]
    stale: str | None = None
    register: list[tuple[str, str]] = field(default_factory=list)
    notes: list[studynotes.Sentence] | None = None  # None: the notes were not found
    lang: str = "en"  # the edition: "ko" when stated/errata are the Korean pages' blocks

    _quoted: dict[str, list[str]] | None = field(default=None, init=False, repr=False)

    def quoted_by(self) -> dict[str, list[str]]:
        """Sentence of the notes -> the claims that quote it (worked out once: every claim and
        erratum of both editions asks)."""
        if self._quoted is None:
            out: dict[str, list[str]] = {}
            for c in self.stated:
                for q in studynotes.quote_lines(c.body):
                    out.setdefault(q, []).append(c.id)
            self._quoted = out
        return self._quoted

    def claims_of(self, erratum: studynotes.Erratum) -> list[claimblocks.Claim]:
        """The claims that quote a sentence the erratum corrects: they spec what is true instead."""
        ids = {cid for q in erratum.quotes for cid in self.quoted_by().get(q, [])}
        return [c for c in self.stated if c.id in ids]

    def errata_of(self, cid: str) -> list[studynotes.Erratum]:
        """The errata that correct a sentence the claim quotes."""
        return [e for e in self.errata if any(c.id == cid for c in self.claims_of(e))]


# --------------------------------------------------------------------------- pieces of a claim


def sentence(claim: claimblocks.Claim) -> str:
    """The claim's statement: its first paragraph, as Markdown."""
    lines: list[str] = []
    for line in claim.body:
        if not line.strip():
            if lines:
                break
            continue
        if line.startswith((">", "$$")):
            break
        lines.append(line.strip())
    return " ".join(lines)


def quote_paragraphs(body: list[str]) -> list[str]:
    """The ``> `` quote of a block as paragraphs (lines of one paragraph joined), still Markdown-escaped."""
    paras: list[list[str]] = [[]]
    for line in body:
        if not line.startswith(">"):
            continue
        text = line[1:].strip()
        if text:
            paras[-1].append(text)
        elif paras[-1]:
            paras.append([])
    return [" ".join(p) for p in paras if p]


def page_url(page: str) -> str:
    """ "docs/ch3-x.md" -> "ch3-x.md" (a link from a page at the site's root). A Korean page is
    linked by its English name too ("docs/ch3-x.ko.md" -> "ch3-x.md"): the i18n plugin resolves it
    to the page of the edition being built."""
    return editions.english_of(page).removeprefix("docs/")


def _link_fix(markdown: str, page: str) -> str:
    """Links of a block's body that point into its own page ("#x") point there from another page."""
    return re.sub(r"\]\(#", f"]({page_url(page)}#", markdown)


def _span(markdown: str) -> str:
    """Markdown safe inside ``<td markdown="span">``: one line, no raw newlines."""
    return " ".join(markdown.split())


# --------------------------------------------------------------------------- All claims


def all_claims_markdown(view: View) -> str:
    stated = view.stated
    counts: dict[str, int] = {}
    partial = 0
    for c in stated:
        b = view.badge(c.id)
        counts[b.status] = counts.get(b.status, 0) + 1
        partial += b.partial
    names = {"not-run": "not run"}
    ko = view.lang == "ko"
    summary = ", ".join(
        f"{editions.say('ko', names.get(s, s))} {n}" if ko else f"{n} {names.get(s, s)}"
        for s, n in sorted(counts.items())
    )
    if partial:
        summary += f" (그중 {partial}개는 명세 일부를 건너뜀)" if ko else f" ({partial} of them with a spec skipped)"
    corrected = sum(1 for c in stated if view.errata_of(c.id))
    if ko:
        lines = [
            "# 모든 주장 { #all-claims }",
            "",
            "각 페이지가 내세우는 모든 주장입니다. 주장의 문장, 그 주장이 나온 노트의 한국어 문장, 그리고 마지막 "
            "실행(`reports/claims.json`)에서 명세가 낸 상태를 보여 줍니다. ID를 누르면 주장과 측정값, 명세를 읽을 "
            "수 있습니다. **✎ 정오** 표시가 붙은 주장은 노트가 틀렸거나 부정확하게 쓴 문장에 관한 것입니다. "
            "[정오표](corrections.md)에 그런 문장과 실제로 참인 내용이 모여 있습니다. "
            "[명세는 얼마나 강한가](mutation.md)는 일부러 망가뜨린 nnspec 사본을 명세가 얼마나 잡아내는지 보여 줍니다.",
            "",
            f"**주장 {len(stated)}개:** {summary}. 그중 {corrected}개는 바로잡은 문장에 관한 주장입니다.",
            "",
        ]
    else:
        lines = [
            "# All claims",
            "",
            "Every claim the pages state: its sentence, the Korean sentence of the notes it comes from, and the "
            "status its specs reached in the last run (`reports/claims.json`). Click an ID to read the claim, its "
            "evidence and its spec. A claim marked **✎ erratum** is about a sentence the notes get wrong or "
            "imprecise; [Corrections to the notes](corrections.md) lists those sentences with what is true instead. "
            "[How strong are the specs](mutation.md) shows how many deliberately broken copies of nnspec they catch.",
            "",
            f"**{len(stated)} claims:** {summary}; {corrected} about a corrected sentence.",
            "",
        ]
    if view.stale:
        lines += [f'!!! warning "{editions.say(view.lang, "Not run")}"\n    {view.stale}', ""]
    lines += [
        '<div class="nn-claims" markdown="1">',
        '<table markdown="1">',
        "<thead><tr><th>주장</th><th>장</th><th>상태</th></tr></thead>"
        if ko
        else "<thead><tr><th>claim</th><th>chapter</th><th>status</th></tr></thead>",
        '<tbody markdown="1">',
    ]
    for c in stated:
        b = view.badge(c.id)
        page = page_url(c.page)
        chapter = view.titles.get(c.page, page)
        marks = "".join(
            f' [{editions.say(view.lang, "✎ erratum")}]({CORRECTIONS_PAGE}#{e.anchor}){{ .nn-corrected title="{html.escape(e.title)}" }}'
            for e in view.errata_of(c.id)
        )
        quotes = quote_paragraphs(c.body)
        korean = (
            '<span class="nn-claims__quote" lang="ko">' + " / ".join(_span(q) for q in quotes) + "</span>"
            if quotes
            else '<span class="nn-claims__quote nn-claims__quote--none">'
            + ("노트에 없음" if ko else "not in the notes")
            + "</span>"
        )
        refs = view.specs.get(c.id, [])
        specs = ", ".join(f'<code title="{html.escape(r.path)}">{html.escape(r.name)}</code>' for r in refs)
        lines += [
            f'<tr data-chapter="{html.escape(page)}" data-chapter-title="{html.escape(chapter)}" '
            f'data-status="{b.status}" data-partial="{int(b.partial)}" data-corrected="{int(bool(marks))}" markdown="1">',
            f'<td markdown="span">[`{c.id}`]({page}#{c.id}){marks}<br>{_span(sentence(c))}<br>{korean}'
            f'<br><span class="nn-claims__specs">'
            + ("명세 (파일은 마우스를 올리면 보입니다)" if ko else f"spec{'s' * (len(refs) != 1)} (hover for the file)")
            + f": {specs}</span></td>",
            f"<td>{html.escape(chapter)}</td>",
            f"<td>{b.html()}</td>",
            "</tr>",
        ]
    lines += ["</tbody>", "</table>", "</div>", ""]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- Corrections to the notes


def _worst(badges: list[Badge]) -> Badge | None:
    order = ["failed", "not-run", "unverified", "skipped", "passed"]
    return min(badges, key=lambda b: (order.index(b.status), not b.partial), default=None)


def _true_instead(e: studynotes.Erratum) -> str:
    """The erratum's body without its quote: what is true instead, as Markdown."""
    body = [line for line in e.body if not line.startswith(">")]
    while body and not body[0].strip():
        body.pop(0)
    return _link_fix("\n".join(body), e.page)


def _notes_line(view: View, e: studynotes.Erratum) -> str:
    if not view.notes or not e.quotes:
        return ""
    lines = [s.line for s in view.notes if s.text == e.quotes[0]]
    if not lines:
        return ""
    return f", {lines[0]}행" if view.lang == "ko" else f", line {lines[0]}"


def corrections_markdown(view: View) -> str:
    pages = list(dict.fromkeys(e.page for e in view.errata))
    ko = view.lang == "ko"
    lines = (
        [
            "# 정오표 { #corrections-to-the-notes }",
            "",
            "노트가 틀렸거나 부정확하게 말한 곳마다, 각 장의 페이지는 주장 옆에 **정오** 상자를 둡니다. 노트의 "
            "문장, 실제로 참인 내용, 그리고 참인 내용을 확인하는 명세가 함께 있습니다. 이 페이지는 그것들을 장별로 "
            "모읍니다. 각 항목에는 그것을 확인하는 주장들이 마지막 명세 실행에서 낸 상태가 붙어 있고, "
            "**페이지에서 보기**를 누르면 장 안의 그 자리로 갑니다.",
            "",
            f"**정오 {len(view.errata)}건**, {len(pages)}개 페이지.",
            "",
        ]
        if ko
        else [
            "# Corrections to the notes · 정오표",
            "",
            "Where the notes say something that is wrong or imprecise, the chapter page puts an **erratum** next to "
            "the claim: the notes' sentence, what is true instead, and the spec that checks the true statement. "
            "This page collects them, chapter by chapter. Each shows the status of the claims that check it in "
            "the last spec run; **On its page** opens the erratum where it stands in the chapter.",
            "",
            f"**{len(view.errata)} corrections** on {len(pages)} pages.",
            "",
        ]
    )
    if view.stale:
        lines += [f'!!! warning "{editions.say(view.lang, "Not run")}"\n    {view.stale}', ""]
    for page in pages:
        title = view.titles.get(page, page_url(page))
        lines += [f"## [{title}]({page_url(page)})", ""]
        for e in (x for x in view.errata if x.page == page):
            claims = view.claims_of(e)
            badges = [view.badge(c.id) for c in claims]
            worst = _worst(badges)
            checked = " · ".join(f"[`{c.id}`]({page_url(c.page)}#{c.id}) {view.badge(c.id).html()}" for c in claims)
            lines += [
                f'<div class="nn-correction" id="{e.anchor}" markdown="1">',
                f'<p class="nn-correction__title"><strong>{html.escape(e.title)}</strong>'
                + (f" {worst.html()}" if worst else "")
                + "</p>",
                "",
                '<blockquote class="nn-source" lang="ko" markdown="1">',
                (
                    f'<span class="nn-source__label" lang="ko">노트{_notes_line(view, e)}</span>'
                    if ko
                    else f'<span class="nn-source__label" lang="en">The notes{_notes_line(view, e)}</span>'
                ),
                "\n\n".join(quote_paragraphs(e.body)),
                "",
                "</blockquote>",
                "",
                '<p class="nn-correction__label">' + ("실제로 참인 내용" if ko else "What is true instead") + "</p>",
                "",
                _true_instead(e),
                "",
                (
                    f"**확인하는 주장:** {checked or '아직 없음'} · [페이지에서 보기]({page_url(e.page)}#{e.anchor})"
                    if ko
                    else f"**Checked by** {checked or 'no claim yet'} · [On its page]({page_url(e.page)}#{e.anchor})"
                ),
                "",
                "</div>",
                "",
            ]
    if view.clarifications and ko:
        lines += [
            "## 꼼꼼히 읽으면 맞는 문장 { #read-closely-but-right }",
            "",
            "노트의 어떤 문장은 두 가지로 읽히거나, 한 단어를 독자에게 맡깁니다. 각 장의 페이지가 무엇도 "
            "바로잡지 않고 정확함만 더하는 곳에서는 노트(note) 상자로 그렇게 말합니다:",
            "",
        ]
    elif view.clarifications:
        lines += [
            "## Read closely, but right",
            "",
            "Some sentences of the notes read two ways, or leave a word to the reader. Where the chapter "
            "pages add a precision without correcting anything, they say so in a note:",
            "",
        ]
        for n in view.clarifications:
            quote = _span(quote_paragraphs(n.body)[0]) if n.quotes else ""
            lines.append(
                f"- [{html.escape(n.title)}]({page_url(n.page)}#{n.anchor}) "
                f'({view.titles.get(n.page, page_url(n.page))}): <span lang="ko">{quote}</span>'
            )
        lines.append("")
    lines += _register_section(view)
    return "\n".join(lines) + "\n"


def _register_section(view: View) -> list[str]:
    """The register of sentences that are not claims, and how the notes' lines are accounted for."""
    if not view.register:
        return []
    ko = view.lang == "ko"
    out = [
        "## 주장이 아닌 노트의 문장 { #sentences-of-the-notes-that-are-not-claims }"
        if ko
        else "## Sentences of the notes that are not claims",
        "",
    ]
    if view.notes is None:
        out += [
            "이 사이트를 빌드할 때 노트를 찾지 못해 개수가 빠져 있습니다."
            if ko
            else "The notes were not found when this site was built, so the counts are missing.",
            "",
        ]
    elif ko:
        quoted = view.quoted_by()
        texts = [s.text for s in view.notes]
        n_quoted = sum(1 for t in set(texts) if t in quoted)
        out += [
            f"노트에는 비어 있지 않은 줄이 {len(texts)}개 있고, 그중 서로 다른 줄은 {len(set(texts))}개입니다. "
            f"{n_quoted}개는 주장이 인용하고, 나머지 {len(set(texts)) - n_quoted}개는 주장이 아닌 이유와 함께 "
            "여기에 적혀 있습니다(`tests/notes_register.py`; 이유는 영어로 적혀 있습니다). 어느 쪽에도 없는 문장이 "
            "있으면 [`notes.every-sentence-accounted-for`](index.md#notes.every-sentence-accounted-for)의 명세가 "
            "실패합니다.",
            "",
        ]
    else:
        quoted = view.quoted_by()
        texts = [s.text for s in view.notes]
        n_quoted = sum(1 for t in set(texts) if t in quoted)
        out += [
            f"The notes have {len(texts)} non-blank lines, {len(set(texts))} of them distinct: {n_quoted} are "
            f"quoted by claims, and the other {len(set(texts)) - n_quoted} are listed here, each with the reason "
            "it is not a claim (`tests/notes_register.py`). The spec of "
            "[`notes.every-sentence-accounted-for`](index.md#notes.every-sentence-accounted-for) fails if a "
            "sentence is neither.",
            "",
        ]
    out += (
        ['??? note "목록"', "", "    | 문장 | 주장이 아닌 이유 |", "    |---|---|"]
        if ko
        else ['??? note "The register"', "", "    | sentence | why it is not a claim |", "    |---|---|"]
    )
    for text, reason in view.register:
        out.append(f'    | <span lang="ko">{html.escape(text)}</span> | {html.escape(reason)} |')
    out.append("")
    return out
