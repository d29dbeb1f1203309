"""MkDocs hook: show each claim's live status, evidence and spec beside the claim.

It reads ``reports/claims.json`` (written by every spec run) and never runs a spec, so
``mkdocs serve`` starts at once. A missing report, or one older than the specs, shows "not run".
"""

from __future__ import annotations

import html
import json
import logging
import re
import sys
from pathlib import Path

import claimblocks
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.claims")

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "reports" / "claims.json"
ALL_CLAIMS_PAGE = "claims.md"

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
    return config


def on_pre_build(config):
    report, stale = load_report()
    stated = claimblocks.scan(ROOT)
    _state.update(
        report=report,
        stale=stale,
        stated={c.id: c for c in stated},
        specs=claimblocks.spec_index(ROOT),
        titles={},
    )
    for c in stated:
        if c.page not in _state["titles"]:
            _state["titles"][c.page] = _page_title(ROOT / c.page)


def _page_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def status_of(cid: str) -> str:
    if _state.get("stale"):
        return "not-run"
    return _state["report"].get(cid, {}).get("status", "not-run")


# --------------------------------------------------------------------------- rendering a claim


def fmt(value) -> str:
    """Evidence for people: 6 significant digits, short lists in full, long ones summarised."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        if len(value) <= 6 and all(not isinstance(v, list) for v in value):
            return "[" + ", ".join(fmt(v) for v in value) + "]"
        return f"{len(value)} values"
    return str(value)


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
    mark, label = STATUS[status]
    entry = _state["report"].get(cid, {}) if not _state.get("stale") else {}
    runs = entry.get("specs", [])
    refs = _state["specs"].get(cid, [])

    parts = [
        f'<div class="nn-claim nn-claim--{status}" id="{cid}" markdown="1">',
        f'<div class="nn-claim__head"><a class="nn-claim__id" href="#{cid}" title="Link to this claim">'
        f'{cid}</a> <span class="nn-status nn-status--{status}" title="{html.escape(label)}">'
        f"{mark} {label.split(':')[0]}</span></div>",
        "",
        _body(claim.body),
        "",
    ]
    if not any(line.startswith(">") for line in claim.body):
        parts += ['<p class="nn-claim__origin">Added by nnspec: the notes have no sentence for this claim.</p>', ""]
    if status == "not-run" and _state.get("stale"):
        parts += [f'<p class="nn-claim__note">{html.escape(_state["stale"])}</p>', ""]

    # failures and skip reasons, then the numbers the specs measured
    for run in runs:
        if run["outcome"] in ("failed", "skipped") and run.get("message"):
            kind = "failure" if run["outcome"] == "failed" else "info"
            title = f"{run['outcome'].capitalize()}: {run['nodeid'].split('::', 1)[-1]}"
            parts += [f'!!! {kind} "{html.escape(title)}"', "", _indent("```text\n" + run["message"] + "\n```"), ""]
    rows = [(run, k, v) for run in runs for k, v in run.get("evidence", {}).items()]
    if rows:
        cells = "".join(
            f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(fmt(v))}</code></td>"
            f"<td>{OUTCOME_MARK.get(run['outcome'], '')} <code>{html.escape(run['nodeid'].split('::', 1)[-1])}</code></td></tr>"
            for run, k, v in rows
        )
        parts += [
            '<div class="nn-evidence"><table><thead><tr><th>measured</th><th>value</th><th>by spec</th></tr>'
            f"</thead><tbody>{cells}</tbody></table></div>",
            "",
        ]

    # the specs' source, one collapsible each (click 1), and the API it runs against (click 2)
    for ref in refs:
        ran = [r for r in runs if r["nodeid"].split("[")[0] == f"{ref.path}::{ref.name}"]
        outcome = ", ".join(sorted({r["outcome"] for r in ran})) or ("not run" if status == "not-run" else "not run")
        secs = sum(r["duration_s"] for r in ran)
        timing = f" in {secs:.2f} s" if ran else ""
        title = f"Spec {ref.path}::{ref.name} — {outcome}{timing}"
        parts += [f'??? spec "{html.escape(title)}"', "", _indent(f"```python linenums=\"{ref.lineno}\"\n{ref.source}\n```"), ""]
    if claim.api:
        links = " · ".join(f"[`{name.split('.')[-1]}`][{name}]" for name in claim.api)
        parts += [f"**API:** {links}", ""]
    parts += ["</div>", ""]
    return "\n".join(parts)


def on_page_markdown(markdown: str, page, config, files):
    src = page.file.src_uri
    rel = f"docs/{src}"
    claims = claimblocks.parse(markdown, rel)
    if not claims:
        return markdown
    lines = markdown.splitlines()
    out: list[str] = []
    cursor = 0
    for c in claims:
        out += lines[cursor : c.line - 1]
        out.append(render_claim(c, rel))
        cursor = c.end - 1
    out += lines[cursor:]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- the "All claims" page


def all_claims_markdown() -> str:
    stated = list(_state["stated"].values())
    counts: dict[str, int] = {}
    for c in stated:
        counts[status_of(c.id)] = counts.get(status_of(c.id), 0) + 1
    summary = ", ".join(f"{n} {STATUS[s][1].split(':')[0]}" for s, n in sorted(counts.items()))
    lines = [
        "# All claims",
        "",
        "Every claim the chapters state, with the status its specs reached in the last run "
        "(`reports/claims.json`). Click an ID to read the claim, its evidence and its spec.",
        "",
        f"**{len(stated)} claims:** {summary}.",
        "",
    ]
    if _state.get("stale"):
        lines += [f"!!! warning \"Not run\"\n    {_state['stale']}", ""]
    lines += ["| claim | chapter | status | specs (hover for the file) |", "|---|---|---|---|"]
    for c in stated:
        status = status_of(c.id)
        mark, label = STATUS[status]
        page = c.page.removeprefix("docs/")
        refs = _state["specs"].get(c.id, [])
        specs = "<br>".join(
            f'<code title="{html.escape(r.path)}">{html.escape(r.name)}</code>' for r in refs
        )
        chapter = _state["titles"].get(c.page, page)
        lines.append(
            f"| [{c.id}]({page}#{c.id}) | {chapter} | "
            f'<span class="nn-status nn-status--{status}">{mark} {label.split(":")[0]}</span> | {specs} |'
        )
    return "\n".join(lines) + "\n"


def on_files(files, config):
    files.append(File.generated(config, ALL_CLAIMS_PAGE, content=all_claims_markdown()))
    return files
