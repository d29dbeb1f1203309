"""Skip reasons and failure messages reach the pages without the absolute paths of the machine."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.claims import ROOT, build_report, tidy_paths


def test_paths_become_relative_or_home(monkeypatch):
    """Under the project: relative; next to it: ../; under the home folder: ~; elsewhere: unchanged."""
    home = Path("/nnspec-home-for-this-spec")  # the clone itself may live in the real home folder
    monkeypatch.setenv("HOME", str(home))
    text = (
        f"not found in {home}/.cache/nnspec/mnist or {ROOT.parent}/shared/data/mnist; "
        f"see {ROOT}/tests/conftest.py:12 (in {ROOT}); /opt/other/file stays"
    )
    got = tidy_paths(text, ROOT)
    assert got == (
        "not found in ~/.cache/nnspec/mnist or ../shared/data/mnist; "
        "see tests/conftest.py:12 (in .); /opt/other/file stays"
    )
    tmp = Path(tempfile.gettempdir())
    if tmp not in (ROOT, *ROOT.parents):  # a clone inside the temp folder tidies it as ../ instead
        assert tidy_paths(f"{tmp}/pytest-of-x/t0", ROOT).startswith("<tmp>/")
    assert tidy_paths(None, ROOT) is None and tidy_paths("", ROOT) == ""


def test_a_prefix_counts_only_as_whole_folders():
    """A sibling folder whose name merely starts like the project's is not inside the project."""
    assert tidy_paths(f"{ROOT}x/y", ROOT) == f"../{ROOT.name}x/y"


def test_the_report_stores_tidy_messages():
    """build_report runs every spec message through tidy_paths."""
    results = {
        "tests/test_home.py::test_example_claim": {
            "nodeid": "tests/test_home.py::test_example_claim",
            "claims": ["example.how-to-read"],
            "outcome": "skipped",
            "duration_s": 0.0,
            "evidence": {},
            "message": f"needs {ROOT.parent}/shared/data/mnist",
        }
    }
    report = build_report(results, 0.0)
    spec = report["claims"]["example.how-to-read"]["specs"][0]
    assert spec["message"] == "needs ../shared/data/mnist"
