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

    def quoted_by(self) -> dict[str, list[str]]:
        """Sentence of the notes -> the claims that quote it."""
        out: dict[str, list[str]] = {}
        for c in self.stated:
            for q in studynotes.quote_lines(c.body):
                out.setdefault(q, []).append(c.id)
        return out

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
    """ "docs/ch3-x.md" -> "ch3-x.md" (a link from a page at the site's root)."""
    return page.removeprefix("docs/")


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
    summary = ", ".join(f"{n} {names.get(s, s)}" for s, n in sorted(counts.items()))
    if partial:
        summary += f" ({partial} of them with a spec skipped)"
    corrected = sum(1 for c in stated if view.errata_of(c.id))
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
        lines += [f'!!! warning "Not run"\n    {view.stale}', ""]
    lines += [
        '<div class="nn-claims" markdown="1">',
        '<table markdown="1">',
        "<thead><tr><th>claim</th><th>chapter</th><th>status</th></tr></thead>",
        '<tbody markdown="1">',
    ]
    for c in stated:
        b = view.badge(c.id)
        page = page_url(c.page)
        chapter = view.titles.get(c.page, page)
        marks = "".join(
            f' [✎ erratum]({CORRECTIONS_PAGE}#{e.anchor}){{ .nn-corrected title="{html.escape(e.title)}" }}'
            for e in view.errata_of(c.id)
        )
        quotes = quote_paragraphs(c.body)
        korean = (
            '<span class="nn-claims__quote" lang="ko">' + " / ".join(_span(q) for q in quotes) + "</span>"
            if quotes
            else '<span class="nn-claims__quote nn-claims__quote--none">not in the notes</span>'
        )
        refs = view.specs.get(c.id, [])
        specs = ", ".join(f'<code title="{html.escape(r.path)}">{html.escape(r.name)}</code>' for r in refs)
        lines += [
            f'<tr data-chapter="{html.escape(page)}" data-chapter-title="{html.escape(chapter)}" '
            f'data-status="{b.status}" data-partial="{int(b.partial)}" data-corrected="{int(bool(marks))}" markdown="1">',
            f'<td markdown="span">[`{c.id}`]({page}#{c.id}){marks}<br>{_span(sentence(c))}<br>{korean}'
            f'<br><span class="nn-claims__specs">spec{"s" * (len(refs) != 1)} (hover for the file): {specs}</span></td>',
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
    return f", line {lines[0]}" if lines else ""


def corrections_markdown(view: View) -> str:
    pages = list(dict.fromkeys(e.page for e in view.errata))
    lines = [
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
    if view.stale:
        lines += [f'!!! warning "Not run"\n    {view.stale}', ""]
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
                f'<span class="nn-source__label" lang="en">The notes{_notes_line(view, e)}</span>',
                "\n\n".join(quote_paragraphs(e.body)),
                "",
                "</blockquote>",
                "",
                '<p class="nn-correction__label">What is true instead</p>',
                "",
                _true_instead(e),
                "",
                f"**Checked by** {checked or 'no claim yet'} · [On its page]({page_url(e.page)}#{e.anchor})",
                "",
                "</div>",
                "",
            ]
    if view.clarifications:
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
    out = ["## Sentences of the notes that are not claims", ""]
    if view.notes is None:
        out += ["The notes were not found when this site was built, so the counts are missing.", ""]
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
    out += ['??? note "The register"', "", "    | sentence | why it is not a claim |", "    |---|---|"]
    for text, reason in view.register:
        out.append(f'    | <span lang="ko">{html.escape(text)}</span> | {html.escape(reason)} |')
    out.append("")
    return out
