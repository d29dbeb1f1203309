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

# The page's generated sentences in the Korean edition (docs/mutation.ko.md), keyed by the English.
KO = {
    "no mutants": "뮤턴트 없음",
    "an unknown commit": "알 수 없는 커밋",
    " (with uncommitted changes)": " (커밋하지 않은 변경 포함)",
    "Not run": "실행 안 됨",
    "○ not run": "○ 실행 안 됨",
    "There is no mutation report (`reports/mutation.json`) yet: run `make mutation` to measure.": (
        "뮤테이션 보고서(`reports/mutation.json`)가 아직 없습니다. `make mutation`을 실행해 측정하세요."
    ),
    "**Last run:** {when}, on {commit}, with {tool}": "**마지막 실행:** {when}, 커밋 {commit}, 도구 {tool}",
    ", {minutes} min on 2 cores": ", 코어 2개에서 {minutes}분",
    " (this run: `{scope}` only; the other modules keep their own run's date)": (
        " (이번 실행은 `{scope}`만 다룹니다. 다른 모듈은 각자 실행한 날짜를 유지합니다)"
    ),
    "**All measured modules:** {mark} of {n} non-equivalent mutants killed; {survived} survived "
    "({unreached} reached by no spec), {equivalent} equivalent.": (
        "**측정한 모든 모듈:** 등가가 아닌 뮤턴트 {n}개 중 {mark} 잡음. {survived}개 살아남음"
        "(그중 {unreached}개는 어떤 명세도 닿지 않음), 등가 {equivalent}개."
    ),
    "| module | score | killed | survived | timeout | equivalent | run |": (
        "| 모듈 | 점수 | 잡힘 | 살아남음 | 시간 초과 | 등가 | 실행 |"
    ),
    "excluded": "제외",
    " ({n} unreached)": " (닿지 않음 {n})",
    "**Left out of the run:**": "**실행에서 뺀 모듈:**",
    "## Surviving mutants": "## 살아남은 뮤턴트 { #surviving-mutants }",
    "None: every non-equivalent mutant was killed.": "없습니다. 등가가 아닌 뮤턴트는 모두 잡혔습니다.",
    "Each is a change to nnspec that no spec noticed: a claim the specs do not pin yet, or a mutant that "
    "is equivalent after all and should be marked as such.": (
        "각각은 어떤 명세도 알아채지 못한 nnspec의 변경입니다. 명세가 아직 고정하지 못한 주장이거나, "
        "사실은 등가여서 그렇게 표시해야 할 뮤턴트입니다."
    ),
    "{name}: {n} surviving": "{name}: {n}개 살아남음",
    " (no spec reaches this function)": " (이 함수에 닿는 명세가 없음)",
    "## Equivalent mutants": "## 등가 뮤턴트 { #equivalent-mutants }",
    "A mutant is equivalent when it cannot change what the code does (an initial value every path "
    "overwrites, a bound that cannot be reached). Such a line carries `# pragma: no mutate` and the "
    "reason; the mutants mutmut would make of it are counted here, not silently left out.": (
        "코드가 하는 일을 바꿀 수 없는 뮤턴트를 등가 뮤턴트라고 합니다(모든 경로가 덮어쓰는 초깃값, 도달할 수 "
        "없는 경계). 그런 줄에는 `# pragma: no mutate`와 그 이유를 붙이고, mutmut이 그 줄에서 만들었을 "
        "뮤턴트는 조용히 빼지 않고 여기서 셉니다."
    ),
    "None marked.": "표시된 것이 없습니다.",
    # the reasons a module is left out of the run (scripts/mutation_report.py, EXCLUDED)
    "runs only with PyTorch installed (`python -m nnspec.bench --torch`); the specs run without PyTorch, so no "
    "spec can reach it and every mutant would survive untested": (
        "PyTorch가 설치되어 있을 때만 실행됩니다(`python -m nnspec.bench --torch`). 명세는 PyTorch 없이 돌기 "
        "때문에 어떤 명세도 닿을 수 없고, 모든 뮤턴트가 시험되지 않은 채 살아남게 됩니다"
    ),
    "drawing code for chapter 5's computational-graph figures: its specs check that every value and gradient "
    "is drawn, on its side of the edge and in its colour, but coordinates, sizes and styles are layout, judged "
    "by looking at the figure; the numbers it draws come from nnspec.graph, which is measured": (
        "5장 계산 그래프 그림을 그리는 코드입니다. 명세는 모든 값과 기울기가 간선의 제 쪽에 제 색으로 그려지는지 "
        "확인하지만, 좌표·크기·스타일은 배치의 문제로 그림을 보고 판단합니다. 그리는 수치는 측정 대상인 "
        "nnspec.graph에서 옵니다"
    ),
    "drawing code for chapter 6's figures: colours, positions and labels are judged by looking at the page "
    "(each figure's source is run by a spec); the data it draws comes from nnspec.experiments, which is measured": (
        "6장 그림을 그리는 코드입니다. 색·위치·레이블은 페이지를 보고 판단합니다(각 그림의 소스는 명세가 "
        "실행합니다). 그리는 데이터는 측정 대상인 nnspec.experiments에서 옵니다"
    ),
    "drawing code for the training curves: colours, positions and labels are judged by looking at the figure "
    "(a spec checks which curves it draws); the numbers come from nnspec.training, which is measured": (
        "학습 곡선을 그리는 코드입니다. 색·위치·레이블은 그림을 보고 판단합니다(어떤 곡선을 그리는지는 명세가 "
        "확인합니다). 수치는 측정 대상인 nnspec.training에서 옵니다"
    ),
    "| module | line | code | mutants | why it cannot change behaviour |": (
        "| 모듈 | 줄 | 코드 | 뮤턴트 | 동작을 바꿀 수 없는 이유 |"
    ),
}


def _t(lang: str, english: str, **fields) -> str:
    """``english`` in edition ``lang``, with ``fields`` filled in."""
    text = KO.get(english, english) if lang == "ko" else english
    return text.format(**fields) if fields else text


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


def _mark(score: float | None, lang: str = "en") -> str:
    if score is None:
        return f'<span class="nn-status nn-status--skipped">{_t(lang, "no mutants")}</span>'
    if score >= TARGET:
        return f'<span class="nn-status nn-status--passed">✓ {_pct(score)}</span>'
    return f'<span class="nn-status nn-status--failed">✗ {_pct(score)}</span>'


def _commit(commit: str, dirty: bool, repo_url: str | None, lang: str = "en") -> str:
    if not commit:
        return _t(lang, "an unknown commit")
    short = f"`{commit[:10]}`"
    link = f"[{short}]({repo_url.rstrip('/')}/commit/{commit})" if repo_url else short
    return link + (_t(lang, " (with uncommitted changes)") if dirty else "")


def report_markdown(report: dict | None, modules: list[str], repo_url: str | None = None, lang: str = "en") -> str:
    """The measured part of the page, as Markdown, in edition ``lang`` ("en" or "ko")."""
    if not report:
        return "\n".join(
            [
                f'!!! warning "{_t(lang, "Not run")}"',
                f'    <span class="nn-status nn-status--not-run">{_t(lang, "○ not run")}</span> '
                + _t(
                    lang, "There is no mutation report (`reports/mutation.json`) yet: run `make mutation` to measure."
                ),
                "",
            ]
        )
    measured = report.get("modules", {})
    total = report.get("total", {})
    when = report.get("date", "?").replace("T", " ").replace("Z", " UTC")
    took = report.get("seconds")
    scope = report.get("scope")
    killed_n = total.get("killed", 0) + total.get("timeout", 0) + total.get("survived", 0)
    lines = [
        _t(
            lang,
            "**Last run:** {when}, on {commit}, with {tool}",
            when=when,
            commit=_commit(report.get("commit", ""), report.get("dirty", False), repo_url, lang),
            tool=report.get("tool", "mutmut"),
        )
        + (_t(lang, ", {minutes} min on 2 cores", minutes=f"{took / 60:.0f}") if took else "")
        + (
            _t(lang, " (this run: `{scope}` only; the other modules keep their own run's date)", scope=scope)
            if scope not in (None, "nnspec")
            else ""
        )
        + ".",
        "",
        _t(
            lang,
            "**All measured modules:** {mark} of {n} non-equivalent mutants killed; {survived} survived "
            "({unreached} reached by no spec), {equivalent} equivalent.",
            mark=_mark(total.get("score"), lang),
            n=killed_n,
            survived=total.get("survived", 0),
            unreached=total.get("no_tests", 0),
            equivalent=total.get("equivalent", 0),
        ),
        "",
        _t(lang, "| module | score | killed | survived | timeout | equivalent | run |"),
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    excluded = report.get("excluded", {})
    for name in modules:
        m = measured.get(name)
        if name in excluded:
            lines.append(f"| `{name}` | [{_t(lang, 'excluded')}](#excluded) | | | | | |")
            continue
        if m is None:
            lines.append(
                f'| `{name}` | <span class="nn-status nn-status--not-run">{_t(lang, "○ not run")}</span> | | | | | |'
            )
            continue
        survived = str(m["survived"]) + (_t(lang, " ({n} unreached)", n=m["no_tests"]) if m.get("no_tests") else "")
        run = m.get("date", "")[:10] + " " + (f"`{m.get('commit', '')[:7]}`" if m.get("commit") else "")
        anchor = name.replace(".", "-")
        shown = f"[{survived}](#survivors-{anchor})" if m["survived"] else survived
        equiv = f"[{m['equivalent']}](#equivalent-{anchor})" if m.get("equivalent") else str(m.get("equivalent", 0))
        lines.append(
            f"| `{name}` | {_mark(m['score'], lang)} | {m['killed']} | {shown} | {m['timeout']} | {equiv} | {run} |"
        )
    lines.append("")
    if excluded:
        lines += ['<a id="excluded"></a>', "", _t(lang, "**Left out of the run:**"), ""]
        lines += [f"- `{name}`: {html.escape(_t(lang, why))}" for name, why in sorted(excluded.items())]
        lines.append("")

    survivors = [(n, measured[n]) for n in modules if n in measured and measured[n]["survived"]]
    lines += [_t(lang, "## Surviving mutants"), ""]
    if not survivors:
        lines += [_t(lang, "None: every non-equivalent mutant was killed."), ""]
    lines += [
        _t(
            lang,
            "Each is a change to nnspec that no spec noticed: a claim the specs do not pin yet, or a mutant that "
            "is equivalent after all and should be marked as such.",
        ),
        "",
    ]
    for name, m in survivors:
        lines += [f'<a id="survivors-{name.replace(".", "-")}"></a>', ""]
        lines += [f'??? failure "{_t(lang, "{name}: {n} surviving", name=f"`{name}`", n=m["survived"])}"']
        for s in m["survivors"]:
            label = _t(lang, " (no spec reaches this function)") if s.get("no_tests") else ""
            lines += ["", f"    `{s['name']}`{html.escape(label)}", "", "    ```diff"]
            lines += [f"    {ln}" for ln in s["diff"].splitlines()]
            lines += ["    ```"]
        lines.append("")

    equivalents = [(n, measured[n]) for n in modules if n in measured and measured[n].get("equivalents")]
    lines += [
        _t(lang, "## Equivalent mutants"),
        "",
        _t(
            lang,
            "A mutant is equivalent when it cannot change what the code does (an initial value every path "
            "overwrites, a bound that cannot be reached). Such a line carries `# pragma: no mutate` and the "
            "reason; the mutants mutmut would make of it are counted here, not silently left out.",
        ),
        "",
    ]
    if not equivalents:
        lines += [_t(lang, "None marked."), ""]
    else:
        lines += [
            _t(lang, "| module | line | code | mutants | why it cannot change behaviour |"),
            "|---|--:|---|--:|---|",
        ]
        for name, m in equivalents:
            for i, e in enumerate(m["equivalents"]):
                anchor = f'<a id="equivalent-{name.replace(".", "-")}"></a>' if i == 0 else ""
                code = html.escape(e["code"]).replace("|", "&#124;")
                reason = html.escape(e["reason"]).replace("|", "&#124;")
                lines.append(f"| {anchor}`{name}` | {e['line']} | <code>{code}</code> | {e['mutants']} | {reason} |")
        lines.append("")
    return "\n".join(lines)


def on_page_markdown(markdown: str, page, config, files):
    src = page.file.src_uri
    lang = "ko" if src.endswith(".ko.md") else "en"
    if src.removesuffix(".ko.md").removesuffix(".md") + ".md" != PAGE or MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, report_markdown(load(), modules_of_nnspec(), config.repo_url, lang))
