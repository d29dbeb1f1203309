"""The claim report: which page claims the specs proved, with the numbers they measured.

``tests/conftest.py`` wires these functions into pytest. After every run,
``reports/claims.json`` holds::

    {"claims": {ID: {"status": "passed" | "failed" | "skipped" | "unverified",
                     "page": "docs/….md",
                     "specs": [{"nodeid", "outcome", "duration_s", "evidence", "message"}]}}}

A claim is *failed* if any of its specs failed, else *passed* if any passed, else *skipped* if its
specs were all skipped, else *unverified* (no spec of it ran in this session).
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "claims.json"

sys.path.insert(0, str(ROOT / "docs" / "hooks"))
import claimblocks  # noqa: E402  (plain modules shared with the MkDocs hooks)
import studynotes  # noqa: E402, F401  (re-exported: tests/test_notes_coverage.py)
from tidypaths import tidy_paths  # noqa: E402

sys.path.pop(0)


def jsonable(value: Any) -> Any:
    """Evidence as JSON: NumPy scalars and arrays become Python numbers and lists."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # JSON has no nan/inf; keep it readable
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return repr(value)


class Evidence:
    """What one spec measured. Call it: ``evidence("max relative error", err)``."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def __call__(self, name: str, value: Any) -> Any:
        self.values[name] = jsonable(value)
        return value


def claim_ids(item) -> list[str]:
    """The claim IDs a collected spec declares with ``@pytest.mark.claim(...)``."""
    ids: list[str] = []
    for mark in item.iter_markers(name="claim"):
        ids += [str(a) for a in mark.args]
    return ids


def status_of(outcomes: list[str]) -> str:
    if not outcomes:
        return "unverified"
    if "failed" in outcomes:
        return "failed"
    if "passed" in outcomes:
        return "passed"
    return "skipped"


def build_report(results: dict[str, dict], started: float) -> dict:
    """Merge the per-spec results (keyed by nodeid) with every claim the pages state."""
    stated = claimblocks.scan(ROOT)
    claims: dict[str, dict] = {}
    for c in stated:
        claims.setdefault(c.id, {"status": "unverified", "page": c.page, "specs": []})
    orphans: set[str] = set()
    for _nodeid, r in sorted(results.items()):
        for cid in r["claims"]:
            entry = claims.get(cid)
            if entry is None:
                orphans.add(cid)
                continue
            spec = {k: r[k] for k in ("nodeid", "outcome", "duration_s", "evidence", "message")}
            spec["message"] = tidy_paths(spec["message"], ROOT)  # pages show no path of this machine
            entry["specs"].append(spec)
    for entry in claims.values():
        entry["status"] = status_of([s["outcome"] for s in entry["specs"]])
    return {
        "generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "duration_s": round(time.time() - started, 3),
        "claims": claims,
        "unknown_claims": sorted(orphans),
    }


def write_report(report: dict, path: Path = REPORT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
