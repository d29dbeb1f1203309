"""MkDocs hook: the "How strong are the specs" page (``docs/mutation.md``) shows ``reports/mutation.json``.

The page's prose is Markdown; the marker ``<!-- mutation-report -->`` in it becomes the measured
part: the run's date and commit, the score per module of nnspec, every surviving mutant's diff,
and every equivalent mutant with the reason it was marked. Without a report, or for a module the
report does not hold, the page says "not run", the way a claim's badge does. The report is written
by ``make mutation`` (``scripts/mutation_report.py``) and committed, since a full run takes long.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "reports" / "mutation.json"
PAGE = "mutation.md"
MARKER = "<!-- mutation-report -->"
TARGET = 0.95  # the bar every module must reach (issue 10): 95 % of non-equivalent mutants killed


def load(path: Path = REPORT) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def modules_of_nnspec(root: Path = ROOT) -> list[str]:
    names = []
    for path in sorted((root / "nnspec").rglob("*.py")):
        if "def " not in path.read_text(encoding="utf-8"):
            continue  # re-exports only: nothing for mutmut to change
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return sorted(names)


def _pct(score: float | None) -> str:
    return "–" if score is None else f"{100 * score:.1f} %"


def _mark(score: float | None) -> str:
    if score is None:
        return '<span class="nn-status nn-status--skipped">no mutants</span>'
    if score >= TARGET:
        return f'<span class="nn-status nn-status--passed">✓ {_pct(score)}</span>'
    return f'<span class="nn-status nn-status--failed">✗ {_pct(score)}</span>'


def _commit(commit: str, dirty: bool, repo_url: str | None) -> str:
    if not commit:
        return "an unknown commit"
    short = f"`{commit[:10]}`"
    link = f"[{short}]({repo_url.rstrip('/')}/commit/{commit})" if repo_url else short
    return link + (" (with uncommitted changes)" if dirty else "")


def report_markdown(report: dict | None, modules: list[str], repo_url: str | None = None) -> str:
    """The measured part of the page, as Markdown."""
    if not report:
        return "\n".join(
            [
                '!!! warning "Not run"',
                '    <span class="nn-status nn-status--not-run">○ not run</span> There is no mutation report '
                "(`reports/mutation.json`) yet: run `make mutation` to measure.",
                "",
            ]
        )
    measured = report.get("modules", {})
    total = report.get("total", {})
    when = report.get("date", "?").replace("T", " ").replace("Z", " UTC")
    took = report.get("seconds")
    lines = [
        f"**Last run:** {when}, on {_commit(report.get('commit', ''), report.get('dirty', False), repo_url)}, "
        f"with {report.get('tool', 'mutmut')}"
        + (f", {took / 60:.0f} min on 2 cores" if took else "")
        + (
            f" (this run: `{report['scope']}` only; the other modules keep their own run's date)"
            if report.get("scope") not in (None, "nnspec")
            else ""
        )
        + ".",
        "",
        f"**All measured modules:** {_mark(total.get('score'))} of {total.get('killed', 0) + total.get('timeout', 0) + total.get('survived', 0)} "
        f"non-equivalent mutants killed; {total.get('survived', 0)} survived "
        f"({total.get('no_tests', 0)} reached by no spec), {total.get('equivalent', 0)} equivalent.",
        "",
        "| module | score | killed | survived | timeout | equivalent | run |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    excluded = report.get("excluded", {})
    for name in modules:
        m = measured.get(name)
        if name in excluded:
            lines.append(f"| `{name}` | [excluded](#excluded) | | | | | |")
            continue
        if m is None:
            lines.append(f'| `{name}` | <span class="nn-status nn-status--not-run">○ not run</span> | | | | | |')
            continue
        survived = str(m["survived"]) + (f" ({m['no_tests']} unreached)" if m.get("no_tests") else "")
        run = m.get("date", "")[:10] + " " + (f"`{m.get('commit', '')[:7]}`" if m.get("commit") else "")
        anchor = name.replace(".", "-")
        shown = f"[{survived}](#survivors-{anchor})" if m["survived"] else survived
        equiv = f"[{m['equivalent']}](#equivalent-{anchor})" if m.get("equivalent") else str(m.get("equivalent", 0))
        lines.append(f"| `{name}` | {_mark(m['score'])} | {m['killed']} | {shown} | {m['timeout']} | {equiv} | {run} |")
    lines.append("")
    if excluded:
        lines += ['<a id="excluded"></a>', "", "**Left out of the run:**", ""]
        lines += [f"- `{name}`: {html.escape(why)}" for name, why in sorted(excluded.items())]
        lines.append("")

    survivors = [(n, measured[n]) for n in modules if n in measured and measured[n]["survived"]]
    lines += ["## Surviving mutants", ""]
    if not survivors:
        lines += ["None: every non-equivalent mutant was killed.", ""]
    lines += [
        "Each is a change to nnspec that no spec noticed: a claim the specs do not pin yet, or a "
        "mutant that is equivalent after all and should be marked as such.",
        "",
    ]
    for name, m in survivors:
        lines += [f'<a id="survivors-{name.replace(".", "-")}"></a>', ""]
        lines += [f'??? failure "`{name}`: {m["survived"]} surviving"']
        for s in m["survivors"]:
            label = " (no spec reaches this function)" if s.get("no_tests") else ""
            lines += ["", f"    `{s['name']}`{html.escape(label)}", "", "    ```diff"]
            lines += [f"    {ln}" for ln in s["diff"].splitlines()]
            lines += ["    ```"]
        lines.append("")

    equivalents = [(n, measured[n]) for n in modules if n in measured and measured[n].get("equivalents")]
    lines += [
        "## Equivalent mutants",
        "",
        "A mutant is equivalent when it cannot change what the code does (an initial value every path "
        "overwrites, a bound that cannot be reached). Such a line carries `# pragma: no mutate` and the "
        "reason; the mutants mutmut would make of it are counted here, not silently left out.",
        "",
    ]
    if not equivalents:
        lines += ["None marked.", ""]
    else:
        lines += ["| module | line | code | mutants | why it cannot change behaviour |", "|---|--:|---|--:|---|"]
        for name, m in equivalents:
            for i, e in enumerate(m["equivalents"]):
                anchor = f'<a id="equivalent-{name.replace(".", "-")}"></a>' if i == 0 else ""
                code = html.escape(e["code"]).replace("|", "&#124;")
                reason = html.escape(e["reason"]).replace("|", "&#124;")
                lines.append(f"| {anchor}`{name}` | {e['line']} | <code>{code}</code> | {e['mutants']} | {reason} |")
        lines.append("")
    return "\n".join(lines)


def on_page_markdown(markdown: str, page, config, files):
    if page.file.src_uri != PAGE or MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, report_markdown(load(), modules_of_nnspec(), config.repo_url))
