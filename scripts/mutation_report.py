"""Write reports/mutation.json from a mutmut run (``make mutation`` calls this after ``mutmut run``).

Per module of nnspec: how many mutants the specs killed, how many survived (``no_tests``: of those,
how many no spec even reached), timed out, and how many are equivalent — mutants that cannot change
behaviour, suppressed in the code by ``# pragma: no mutate`` with the reason on the same line. The
report lists each survivor's diff and each equivalent line with its reason, and the date and commit
of the run. With ``--only PATTERN`` (``make mutation MODULE=nnspec.layers``) only the modules that
match are replaced; the others keep what an earlier run measured, with their own date and commit.

Run from the repository's root, after ``mutmut run``::

    python scripts/mutation_report.py [--only nnspec.layers] [--seconds 1234]
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "mutation.json"
SOURCE = ROOT / "nnspec"
MUTANTS = ROOT / "mutants"
PRAGMA = re.compile(r"#\s*pragma:\s*no mutate\b\s*[-:(]*\s*(?P<reason>.*?)\)?\s*$")

# Modules left out of the run (pyproject.toml, [tool.mutmut] do_not_mutate), each with the reason the
# page shows.
EXCLUDED = {
    "nnspec.bench.torch_cases": "runs only with PyTorch installed (`python -m nnspec.bench --torch`); the specs "
    "run without PyTorch, so no spec can reach it and every mutant would survive untested",
    "nnspec.drawgraph": "drawing code for chapter 5's computational-graph figures: its specs check that every "
    "value and gradient is drawn, on its side of the edge and in its colour, but coordinates, sizes and styles "
    "are layout, judged by looking at the figure; the numbers it draws come from nnspec.graph, which is measured",
    "nnspec.experiments.plots": "drawing code for chapter 6's figures: colours, positions and labels are judged "
    "by looking at the page (each figure's source is run by a spec); the data it draws comes from "
    "nnspec.experiments, which is measured",
    "nnspec.training.plot": "drawing code for the training curves: colours, positions and labels are judged by "
    "looking at the figure (a spec checks which curves it draws); the numbers come from nnspec.training, which "
    "is measured",
}

# mutmut's exit codes of one mutant's spec run (mutmut.stats.status_by_exit_code), in our words.
KILLED, SURVIVED, NO_TESTS, TIMEOUT, NOT_RUN = "killed", "survived", "no_tests", "timeout", "not_run"
STATUS = {1: KILLED, 3: KILLED, 37: KILLED, -11: KILLED, -9: KILLED, 0: SURVIVED, 5: NO_TESTS, 33: NO_TESTS}
STATUS.update({36: TIMEOUT, 24: TIMEOUT, -24: TIMEOUT, 152: TIMEOUT, 255: TIMEOUT, None: NOT_RUN, 2: NOT_RUN})


def module_of(path: Path) -> str:
    """``nnspec/layers/add.py`` → ``nnspec.layers.add``; a package's ``__init__`` is the package."""
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def equivalents(path: Path) -> list[dict]:
    """The lines of ``path`` marked ``# pragma: no mutate``, each with its reason and how many mutants
    mutmut would make of it (counted by mutating the file with that one pragma removed)."""
    from mutmut.mutation.file_mutation import create_mutations

    code = path.read_text(encoding="utf-8")
    lines = code.splitlines(keepends=True)
    marked = [(i, m) for i, line in enumerate(lines) if (m := PRAGMA.search(line))]
    if not marked:
        return []
    rel = str(path.relative_to(ROOT))
    base = len(create_mutations(rel, code)[1])
    out = []
    for i, m in marked:
        unmarked = lines.copy()
        unmarked[i] = lines[i][: m.start()].rstrip() + "\n"
        count = len(create_mutations(rel, "".join(unmarked))[1]) - base
        out.append(
            {"line": i + 1, "code": lines[i][: m.start()].strip(), "reason": m.group("reason"), "mutants": count}
        )
    return out


def diff_of(name: str, path: Path) -> str:
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant

        return get_diff_for_mutant(name, path=str(path.relative_to(ROOT)))
    except Exception as exc:  # a diff we cannot render is still a survivor: say so, keep going
        return f"(diff not available: {type(exc).__name__}: {exc})"


def measure(path: Path) -> dict | None:
    meta = MUTANTS / (str(path.relative_to(ROOT)) + ".meta")
    if not meta.is_file():
        return None
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    if not codes and not PRAGMA.search(path.read_text(encoding="utf-8")):
        return None  # nothing to mutate here (a package that only re-exports): no row, like an unmutated file
    counts = dict.fromkeys((KILLED, SURVIVED, NO_TESTS, TIMEOUT, NOT_RUN), 0)
    survivors = []
    for name, code in sorted(codes.items(), key=lambda kv: _natural(kv[0])):
        status = STATUS.get(code, SURVIVED if code is not None else NOT_RUN)
        counts[status] += 1
        if status in (SURVIVED, NO_TESTS):
            survivors.append({"name": name, "no_tests": status == NO_TESTS, "diff": diff_of(name, path)})
    if counts[NOT_RUN] == len(codes) and codes:
        return None  # mutants made but none run yet (another module's run): not measured
    equiv = equivalents(path)
    return {
        "file": str(path.relative_to(ROOT)),
        "killed": counts[KILLED],
        "survived": counts[SURVIVED] + counts[NO_TESTS],
        "no_tests": counts[NO_TESTS],
        "timeout": counts[TIMEOUT],
        "not_run": counts[NOT_RUN],
        "equivalent": sum(e["mutants"] for e in equiv),
        "score": score(counts[KILLED] + counts[TIMEOUT], counts[SURVIVED] + counts[NO_TESTS]),
        "survivors": survivors,
        "equivalents": equiv,
    }


def score(detected: int, survived: int) -> float | None:
    """Killed (or timed out: the mutant changed what the code does) / every non-equivalent mutant."""
    total = detected + survived
    return round(detected / total, 4) if total else None


def _natural(name: str) -> tuple:
    head, _, n = name.rpartition("__mutmut_")
    return (head, int(n) if n.isdigit() else 0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--only", action="append", default=[], help="a module or package, e.g. nnspec.layers (repeatable; default: all)"
    )
    ap.add_argument("--seconds", type=float, default=None, help="how long the mutmut run took")
    args = ap.parse_args(argv)

    old = json.loads(REPORT.read_text(encoding="utf-8")) if REPORT.is_file() else {}
    modules: dict[str, dict] = old.get("modules", {}) if args.only else {}
    commit = git("rev-parse", "HEAD")
    dirty = bool(git("status", "--porcelain", "--", "nnspec", "tests"))
    stamp = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit,
        "dirty": dirty,
    }
    for path in sorted(SOURCE.rglob("*.py")):
        rel = path.relative_to(ROOT)
        name = module_of(rel)
        if name in EXCLUDED:
            continue
        if args.only and not any(name == o or fnmatch.fnmatch(name, o.rstrip("*") + ".*") for o in args.only):
            continue
        result = measure(path)
        if result is None:
            continue
        modules[name] = {**result, **stamp}
    total = {
        k: sum(m[k] for m in modules.values()) for k in ("killed", "survived", "no_tests", "timeout", "equivalent")
    }
    total["score"] = score(total["killed"] + total["timeout"], total["survived"])
    report = {
        "tool": "mutmut " + _mutmut_version(),
        **stamp,
        "scope": ", ".join(args.only) or "nnspec",
        "seconds": args.seconds,
        "total": total,
        "modules": dict(sorted(modules.items())),
        "excluded": EXCLUDED,
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{REPORT.relative_to(ROOT)}: {total['killed']} killed, {total['survived']} survived, "
        f"{total['timeout']} timeout, {total['equivalent']} equivalent, score {total['score']}"
    )
    for name, m in modules.items():
        if not args.only or any(name.startswith(o) for o in args.only):
            print(f"  {name:40} {m['score'] if m['score'] is not None else '-':>7}  survived {m['survived']}")
    return 0


def _mutmut_version() -> str:
    from importlib.metadata import version

    return version("mutmut")


if __name__ == "__main__":
    raise SystemExit(main())
