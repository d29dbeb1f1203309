"""MkDocs hook: show each claim's live status, evidence and spec beside the claim.

It reads ``reports/claims.json`` (written by every spec run) and never runs a spec, so
``mkdocs serve`` starts at once. A missing report, or one older than the specs, shows "not run".
It also gives every erratum an anchor and the claims that check it, generates the "All claims" and
"Corrections to the notes" pages (``claimpages.py``), and adds each claim to the search index, so
that a search for a claim's ID or words lands on the claim itself.
"""

from __future__ import annotations

import html
import importlib.util
import json
import logging
import re
import sys
from pathlib import Path

import claimblocks
import claimpages
import studynotes
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from tidypaths import tidy_paths

log = logging.getLogger("mkdocs.hooks.claims")

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "reports" / "claims.json"
REGISTER = ROOT / "tests" / "notes_register.py"
ALL_CLAIMS_PAGE = claimpages.ALL_CLAIMS_PAGE
CORRECTIONS_PAGE = claimpages.CORRECTIONS_PAGE

STATUS = {
    "passed": ("✓", "passed"),
    "failed": ("✗", "failed"),
    "skipped": ("–", "skipped"),
    "unverified": ("?", "unverified: no spec of it ran"),
    "not-run": ("○", "not run: no fresh report; run make test"),
}
OUTCOME_MARK = {"passed": "✓", "failed": "✗", "skipped": "–"}

_state: dict = {}


# --------------------------------------------------------------------------- loading


def _newest_spec_mtime() -> float:
    paths = list((ROOT / "tests").rglob("*.py"))
    return max((p.stat().st_mtime for p in paths), default=0.0)


def load_report() -> tuple[dict, str | None]:
    """The report's claims, and why it is not used (None when it is fresh)."""
    if not REPORT.exists():
        return {}, "no report yet: run `make test` (or `pytest`) to prove the claims"
    if REPORT.stat().st_mtime < _newest_spec_mtime():
        return {}, "the report is older than the specs: run the specs again"
    try:
        return json.loads(REPORT.read_text(encoding="utf-8")).get("claims", {}), None
    except (OSError, ValueError) as exc:
        return {}, f"unreadable report ({exc})"


def on_config(config):
    # Pages draw figures with ``from nnfig import plt, show`` inside markdown-exec blocks.
    hooks_dir = str(Path(__file__).resolve().parent)
    if hooks_dir not in sys.path:
        sys.path.insert(0, hooks_dir)
    _state["repo"] = (config.repo_url or "").rstrip("/")  # a spec's file opens there, at its line
    return config


def _register() -> list[tuple[str, str]]:
    """``tests/notes_register.py``'s REGISTER, read without importing the tests package."""
    spec = importlib.util.spec_from_file_location("nnspec_notes_register", REGISTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.REGISTER)


def _notes() -> list[studynotes.Sentence] | None:
    path = studynotes.notes_path(ROOT)
    return studynotes.sentences(path.read_text(encoding="utf-8")) if path.is_file() else None


def on_pre_build(config):
    report, stale = load_report()
    stated = claimblocks.scan(ROOT)
    errata = studynotes.scan_errata(ROOT)
    clarifications = studynotes.scan_clarifications(ROOT)
    _state.update(
        report=report,
        stale=stale,
        stated={c.id: c for c in stated},
        specs=claimblocks.spec_index(ROOT),
        titles={},
    )
    for page in [c.page for c in stated] + [e.page for e in errata + clarifications]:
        if page not in _state["titles"]:
            _state["titles"][page] = _page_title(ROOT / page)
    _state["view"] = claimpages.View(
        stated=stated,
        errata=errata,
        clarifications=clarifications,
        titles=_state["titles"],
        specs=_state["specs"],
        badge=badge,
        stale=stale,
        register=_register(),
        notes=_notes(),
    )


def _page_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def status_of(cid: str) -> str:
    if _state.get("stale"):
        return "not-run"
    return _state["report"].get(cid, {}).get("status", "not-run")


def _runs(cid: str) -> list[dict]:
    return [] if _state.get("stale") else _state["report"].get(cid, {}).get("specs", [])


def badge(cid: str) -> claimpages.Badge:
    """The status badge: "✓ passed", or "✓ passed, 2 skipped" when some specs could not run here."""
    status = status_of(cid)
    mark, label = STATUS[status]
    text, title = f"{mark} {label.split(':')[0]}", label
    skipped = [r for r in _runs(cid) if r["outcome"] == "skipped"]
    if status == "passed" and skipped:
        passed = sum(r["outcome"] == "passed" for r in _runs(cid))
        reasons = "; ".join(dict.fromkeys(tidy(r.get("message")) or "no reason given" for r in skipped))
        text += f", {len(skipped)} skipped"
        title = f"passed: {passed} spec{'s' * (passed != 1)} passed, {len(skipped)} skipped ({reasons})"
    return claimpages.Badge(status, text, title, partial=bool(status == "passed" and skipped))


def tidy(message: str | None) -> str | None:
    """A spec message without this machine's absolute paths (older reports may still hold them)."""
    return tidy_paths(message, ROOT)


# --------------------------------------------------------------------------- rendering a claim


# Lists of up to this many numbers are shown in full: a table of ten class probabilities or twenty
# epochs reads at a glance; a longer one (a whole curve) is summarised by its ends.
LIST_IN_FULL = 24


def _leaves(value) -> list:
    return [x for v in value for x in _leaves(v)] if isinstance(value, list) else [value]


def fmt(value) -> str:
    """Evidence for people: 6 significant digits, lists (nested ones too) in full up to
    ``LIST_IN_FULL`` numbers, longer ones as their count, first and last values."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        leaves = _leaves(value)
        if len(leaves) <= LIST_IN_FULL:
            return "[" + ", ".join(fmt(v) for v in value) + "]"
        head = ", ".join(fmt(v) for v in leaves[:4])
        tail = ", ".join(fmt(v) for v in leaves[-2:])
        return f"{len(leaves)} values: [{head}, …, {tail}]"
    return str(value)


def breakable(name: str) -> str:
    """A spec's name as HTML that a narrow column breaks after an underscore, never inside a word."""
    return html.escape(name).replace("_", "_<wbr>")


def evidence_table(runs: list[dict]) -> str:
    """The numbers the specs measured, grouped under the spec that measured them (named once)."""
    body = []
    for run in runs:
        items = run.get("evidence", {})
        if not items:
            continue
        name = run["nodeid"].split("::", 1)[-1]
        mark = OUTCOME_MARK.get(run["outcome"], "")
        body.append(
            f'<tr class="nn-evidence__by"><th colspan="2" title="{html.escape(run["outcome"])}">{mark} '
            f"measured by <code>{breakable(name)}</code></th></tr>"
        )
        body += [
            f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(fmt(v))}</code></td></tr>" for k, v in items.items()
        ]
    if not body:
        return ""
    return (
        '<div class="nn-evidence"><table><thead><tr><th>measured</th><th>value</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _tally(outcomes: list[str]) -> str:
    """ "9 passed", "2 passed, 1 skipped": how the specs of a claim ended."""
    counts = {o: outcomes.count(o) for o in ("failed", "passed", "skipped", "not run") if o in outcomes}
    return ", ".join(f"{n} {o}" for o, n in counts.items())


def specs_block(refs: list[claimblocks.SpecRef], runs: list[dict]) -> list[str]:
    """One collapsible, "Specs (N)", that opens to the list of the claim's specs; each spec in
    it opens to its source (a claim with one spec shows that source at once)."""
    if not refs:
        return []
    items: list[str] = []
    outcomes: list[str] = []
    total = 0.0
    for ref in refs:
        ran = [r for r in runs if r["nodeid"].split("[")[0] == f"{ref.path}::{ref.name}"]
        found = {r["outcome"] for r in ran}
        outcome = next((o for o in ("failed", "skipped", "passed") if o in found), "not run")
        if "skipped" in found and "passed" in found:
            outcome = "partly skipped"
        outcomes.append(outcome if outcome != "partly skipped" else "skipped")
        secs = sum(r["duration_s"] for r in ran)
        total += secs
        mark = OUTCOME_MARK.get(outcome, "○") if outcome != "partly skipped" else "–"
        cases = f", {len(ran)} cases" if len(ran) > 1 else ""
        timing = f" in {secs:.2f} s" if ran else ""
        title = f"{mark} <code>{breakable(ref.name)}</code> — {outcome}{cases}{timing}"
        where = f"`{ref.path}`, line {ref.lineno}"
        if _state.get("repo"):
            where = f"[{where}]({_state['repo']}/blob/main/{ref.path}#L{ref.lineno})"
        opener = "???+" if len(refs) == 1 else "???"
        items += [
            f'{opener} spec-item "{title.replace(chr(34), "&quot;")}"',
            "",
            _indent(f'<p class="nn-spec__where" markdown="span">{where}</p>'),
            "",
            _indent(f'```python linenums="{ref.lineno}"\n{ref.source}\n```'),
            "",
        ]
    ran_any = any(o != "not run" for o in outcomes)
    tally = _tally(outcomes) if ran_any else "not run"
    timing = f" in {total:.2f} s" if ran_any else ""
    title = f"Specs ({len(refs)}) · {tally}{timing}"
    return [f'??? spec "{html.escape(title)}"', "", _indent("\n".join(items)), ""]


def _indent(text: str, n: int = 4) -> str:
    pad = " " * n
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def _body(lines: list[str]) -> str:
    """The claim's own text; a quote from the notes becomes a Korean source block."""
    out: list[str] = []
    quote: list[str] = []

    def flush() -> None:
        if quote:
            text = "\n".join(q[1:].lstrip() if q.startswith(">") else q for q in quote).strip()
            out.append('<blockquote class="nn-source" lang="ko" markdown="1">\n')
            out.append('<span class="nn-source__label" lang="en">From the notes</span>\n')
            out.append(text + "\n\n</blockquote>\n")
            quote.clear()

    for line in lines:
        if line.startswith(">"):
            quote.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


def render_claim(claim: claimblocks.Claim, page_src: str) -> str:
    cid = claim.id
    status = status_of(cid)
    runs = _runs(cid)
    refs = _state["specs"].get(cid, [])
    view = _state.get("view")
    marks = "".join(
        f' <a class="nn-corrected" href="#{e.anchor}" title="{html.escape(e.title)}">✎ erratum</a>'
        for e in (view.errata_of(cid) if view else [])
        if e.page == page_src
    )

    parts = [
        f'<div class="nn-claim nn-claim--{status}" id="{cid}" markdown="1">',
        f'<div class="nn-claim__head"><span><a class="nn-claim__id" href="#{cid}" title="Link to this claim">'
        f"{cid}</a>{marks}</span> {badge(cid).html()}</div>",
        "",
        _body(claim.body),
        "",
    ]
    if not any(line.startswith(">") for line in claim.body) and not claim.answer:
        if claim.book:  # a chapter the notes leave empty: the claim names its place in the book
            origin = f"The notes have no text here; from the book: {claim.book}"
            parts += ['<p class="nn-claim__origin" markdown="span">' + origin + "</p>", ""]
        else:
            parts += ['<p class="nn-claim__origin">Added by nnspec: the notes have no sentence for this claim.</p>', ""]
    if status == "not-run" and _state.get("stale"):
        parts += [f'<p class="nn-claim__note">{html.escape(_state["stale"])}</p>', ""]

    # failures and skip reasons, then the numbers the specs measured
    for run in runs:
        if run["outcome"] in ("failed", "skipped") and run.get("message"):
            kind = "failure" if run["outcome"] == "failed" else "info"
            title = f"{run['outcome'].capitalize()}: {run['nodeid'].split('::', 1)[-1]}"
            message = tidy(run["message"])
            # a failure's assertion output keeps its layout; a skip reason is a sentence and wraps
            body = "```text\n" + message + "\n```" if kind == "failure" else html.escape(message, quote=False)
            parts += [f'!!! {kind} "{html.escape(title)}"', "", _indent(body), ""]
    table = evidence_table(runs)
    if table:
        parts += [table, ""]

    # the specs, in one collapsible (click 1), each with its source; the API it runs against (click 2)
    parts += specs_block(refs, runs)
    if claim.api:
        links = " · ".join(f"[`{name.split('.')[-1]}`][{name}]" for name in claim.api)
        parts += [f"**API:** {links}", ""]
    parts += ["</div>", ""]
    if claim.answer:  # an exercise's answer: folded, its status on the fold
        parts = [
            '<details class="nn-answer" markdown="1">',
            f"<summary>Answer {badge(cid).html()}</summary>",
            "",
            *parts,
            "</details>",
            "",
        ]
    return "\n".join(parts)


def render_erratum(block: studynotes.Erratum) -> str:
    """An erratum (or a note quoting the notes) as an admonition with an anchor, the Korean
    sentence marked as such, and, for an erratum, the claims that check what is true instead."""
    view = _state.get("view")
    parts = [
        f'<div class="admonition {block.kind} nn-{block.kind}" id="{block.anchor}" markdown="1">',
        f'<p class="admonition-title">{html.escape(block.title)}</p>',
        "",
        _body(block.body),
        "",
    ]
    if block.kind == "erratum" and view is not None:
        claims = view.claims_of(block)
        here = [c for c in claims if c.page == block.page] or claims
        links = " · ".join(
            f"[`{c.id}`]({'' if c.page == block.page else claimpages.page_url(c.page)}#{c.id}) {badge(c.id).html()}"
            for c in here
        )
        parts += [
            f'<p class="nn-erratum__checked" markdown="span">Checked by {links} · '
            f"[all corrections]({'../' * block.page.count('/', len('docs/'))}{CORRECTIONS_PAGE}#{block.anchor})</p>",
            "",
        ]
    parts += ["</div>", ""]
    return "\n".join(parts)


def on_page_markdown(markdown: str, page, config, files):
    src = page.file.src_uri
    rel = f"docs/{src}"
    claims = claimblocks.parse(markdown, rel)
    blocks = studynotes.quoting_blocks(markdown, rel)
    if not claims and not blocks:
        return markdown
    render = [(c.line, c.end, render_claim(c, rel)) for c in claims]
    render += [(b.line, b.end, render_erratum(b)) for b in blocks]
    lines = markdown.splitlines()
    out: list[str] = []
    cursor = 0
    for line, end, text in sorted(render):
        out += lines[cursor : line - 1]
        out.append(text)
        cursor = end - 1
    out += lines[cursor:]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- generated pages, search


def on_files(files, config):
    view = _state["view"]
    _state["files"] = files
    files.append(File.generated(config, ALL_CLAIMS_PAGE, content=claimpages.all_claims_markdown(view)))
    files.append(File.generated(config, CORRECTIONS_PAGE, content=claimpages.corrections_markdown(view)))
    return files


_TEX_TEXT = {
    r"\partial": "∂",
    r"\cdot": "·",
    r"\times": "×",
    r"\le": "≤",
    r"\ge": "≥",
    r"\ne": "≠",
    r"\sigma": "σ",
    r"\varepsilon": "ε",
    r"\eta": "η",
    r"\theta": "θ",
    r"\infty": "∞",
    r"\to": "→",
}


def search_text(markdown: str) -> str:
    """A claim's Markdown as words for the search index: math without TeX commands, no markup."""

    def math(m: re.Match) -> str:
        tex = re.sub(r"\\(?:operatorname|mathrm|mathsf|text)\{([^{}]*)\}", r"\1", m.group(1))
        tex = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"\1/\2", tex)
        tex = re.sub(r"\\(exp|log|max|min|sum|argmax)(?![A-Za-z])", r" \1 ", tex)
        for command, char in _TEX_TEXT.items():
            tex = re.sub(re.escape(command) + r"(?![A-Za-z])", char, tex)
        tex = re.sub(r"\\[A-Za-z]+", " ", tex)
        return re.sub(r"[{}_^\\]", " ", tex)

    text = re.sub(r"\$\$?(.+?)\$?\$", math, markdown)
    text = re.sub(r"[`*]|\\(?=[^A-Za-z])", "", text)
    return " ".join(text.split())


@event_priority(-100)  # after Material's search plugin has written its index
def on_post_build(config):
    """Add one search entry per claim, located at the claim's anchor: its ID as the title, its
    sentence and Korean quote as the text. A search for either then lands on the claim itself."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    urls = {f"docs/{f.src_uri}": f.url for f in _state["files"].documentation_pages()}
    for c in _state["view"].stated:
        url = urls.get(c.page)
        if url is None:
            continue
        quote = " ".join(claimpages.quote_paragraphs(c.body))
        index["docs"].append(
            {
                "location": f"{url}#{c.id}",
                "title": html.escape(c.id),
                "boost": 2,  # a claim ranks above the section around it for the words of its sentence
                "text": html.escape(f"{search_text(claimpages.sentence(c))} {studynotes.unescape(quote)}".strip()),
            }
        )
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path.write_text(data, encoding="utf-8")
    inlined = path.with_name("search_index.js")  # the offline plugin's copy for file:// (if it ran first)
    if inlined.is_file():
        inlined.write_text(f"var __index = {data}", encoding="utf-8")
