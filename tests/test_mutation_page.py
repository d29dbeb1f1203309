"""The "How strong are the specs" page shows the mutation report as it is: scores, survivors, equivalents, or "not run"."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "hooks"))
import mutationpage  # noqa: E402

sys.path.pop(0)

MODULES = ["nnspec.bench.torch_cases", "nnspec.gradient", "nnspec.layers.add", "nnspec.losses"]
REPORT = {
    "tool": "mutmut 3.8.1",
    "date": "2026-11-30T01:00:00Z",
    "commit": "0123456789abcdef",
    "dirty": False,
    "scope": "nnspec",
    "seconds": 1800,
    "excluded": {"nnspec.bench.torch_cases": "needs PyTorch"},
    "total": {"killed": 150, "survived": 3, "no_tests": 1, "timeout": 2, "equivalent": 4, "score": 0.9806},
    "modules": {
        "nnspec.gradient": {
            "killed": 100,
            "survived": 0,
            "no_tests": 0,
            "timeout": 2,
            "equivalent": 4,
            "score": 1.0,
            "date": "2026-11-30T01:00:00Z",
            "commit": "0123456789abcdef",
            "survivors": [],
            "equivalents": [{"line": 12, "code": "x = 0", "reason": "every path sets x", "mutants": 4}],
        },
        "nnspec.layers.add": {
            "killed": 50,
            "survived": 3,
            "no_tests": 1,
            "timeout": 0,
            "equivalent": 0,
            "score": 0.9434,
            "date": "2026-11-30T01:00:00Z",
            "commit": "0123456789abcdef",
            "equivalents": [],
            "survivors": [
                {"name": "nnspec.layers.add.x_f__mutmut_3", "no_tests": True, "diff": "-    a + b\n+    a - b"}
            ],
        },
    },
}


def test_the_page_says_not_run_without_a_report():
    md = mutationpage.report_markdown(None, MODULES)
    assert "not run" in md and "make mutation" in md
    assert "%" not in md


def test_the_page_shows_scores_survivors_and_equivalents():
    md = mutationpage.report_markdown(REPORT, MODULES, "https://example.org/r")
    rows = {line.split("|")[1].strip(): line for line in md.splitlines() if line.startswith("| `nnspec")}
    assert "✓ 100.0 %" in rows["`nnspec.gradient`"]
    assert "✗ 94.3 %" in rows["`nnspec.layers.add`"]  # below the 95 % bar: marked as failing it
    assert "not run" in rows["`nnspec.losses`"]  # a module the report does not hold
    assert "[excluded](#excluded)" in rows["`nnspec.bench.torch_cases`"]  # left out, with the reason below
    assert "- `nnspec.bench.torch_cases`: needs PyTorch" in md
    assert "[`0123456789`](https://example.org/r/commit/0123456789abcdef)" in md
    assert "2026-11-30 01:00:00 UTC" in md and "30 min on 2 cores" in md
    assert "    +    a - b" in md and "no spec reaches this function" in md
    assert "every path sets x" in md and "<code>x = 0</code> | 4 |" in md


def test_the_shipped_report_is_shown():
    """reports/mutation.json is committed, and every module it holds has a row with its numbers."""
    report = mutationpage.load()
    assert report is not None, "reports/mutation.json is committed with the code; run make mutation"
    md = mutationpage.report_markdown(report, mutationpage.modules_of_nnspec())
    for name, m in report["modules"].items():
        assert f"| `{name}` | {mutationpage._mark(m['score'])} | {m['killed']} |" in md


def test_the_korean_page_says_the_same_in_korean():
    """The Korean edition shows the same numbers, rows and diffs, with its own words and the English anchors."""
    en = mutationpage.report_markdown(REPORT, MODULES, "https://example.org/r")
    ko = mutationpage.report_markdown(REPORT, MODULES, "https://example.org/r", "ko")
    assert "| 모듈 | 점수 | 잡힘 |" in ko and "## 살아남은 뮤턴트 { #surviving-mutants }" in ko
    assert "코어 2개에서 30분" in ko and "[제외](#excluded)" in ko and "실행 안 됨" in ko
    for english in mutationpage.KO:  # no sentence the table translates is left in English
        if english.strip() not in ("", "excluded") and "{" not in english:
            assert english not in ko, english
    numbers = [line.split("|")[3:6] for line in en.splitlines() if line.startswith("| `nnspec.gradient`")]
    assert numbers == [line.split("|")[3:6] for line in ko.splitlines() if line.startswith("| `nnspec.gradient`")]
    assert "    +    a - b" in ko and "every path sets x" in ko  # diffs and reasons are code and stay as written
    assert "실행 안 됨" in mutationpage.report_markdown(None, MODULES, lang="ko")


def test_every_module_left_out_is_listed_with_its_reason_in_both_languages():
    """The modules pyproject.toml keeps out of the run are exactly the ones the report explains, each in Korean too."""
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11

    sys.path.insert(0, str(ROOT / "scripts"))
    import mutation_report

    sys.path.pop(0)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    left_out = {mutation_report.module_of(Path(p)) for p in config["do_not_mutate"]}
    assert left_out == set(mutation_report.EXCLUDED)
    for why in mutation_report.EXCLUDED.values():
        assert mutationpage.KO.get(why, why) != why, why
