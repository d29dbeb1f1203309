"""Spec-suite wiring: Hypothesis profile, chapter markers, evidence, and the claim report."""

from __future__ import annotations

import functools
import json
import os
import re
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests import claims as claimreport

# deadline=None: NumPy's first call of a kernel can be slow; timing is for benchmarks, not specs.
settings.register_profile(
    "nnspec",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
# A deeper run for people checking their own understanding: HYPOTHESIS_PROFILE=thorough
settings.register_profile("thorough", parent=settings.get_profile("nnspec"), max_examples=1000)
# Mutation runs (make mutation) run the specs once per mutant: fewer examples, and derandomized so
# that a mutant killed once is killed on every rerun.
settings.register_profile(
    "mutation", parent=settings.get_profile("nnspec"), max_examples=20, derandomize=True, database=None
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "nnspec"))

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Each xdist worker takes one core: a multi-threaded BLAS in every worker would put two
    # threads on each core, and OpenBLAS's spinning threads then wait for each other (a matrix
    # product of a training step can take 20 ms instead of 0.5 ms on a loaded 2-core machine).
    import numpy  # noqa: F401 - threadpoolctl limits only the BLAS libraries already loaded
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)

EVIDENCE = pytest.StashKey[claimreport.Evidence]()
_results: dict[str, dict] = {}
_started = time.time()


def pytest_addoption(parser):
    parser.addoption(
        "--claim",
        action="append",
        default=[],
        metavar="ID",
        help="run only the specs of this claim (repeatable), e.g. --claim softmax.shift-invariant",
    )


def pytest_collection_modifyitems(config, items):
    """Mark every spec under tests/chN/ with ``chN`` so ``pytest -m ch3`` runs one chapter;
    with ``--claim ID``, keep only the specs that back that claim."""
    # In a mutation run (make mutation) nnspec's modules also hold mutmut's copies of each function,
    # docstrings included: their Examples are not specs of their own (the public function's are).
    copies = [i for i in items if "__mutmut_" in i.nodeid]
    if copies:
        config.hook.pytest_deselected(items=copies)
        items[:] = [i for i in items if "__mutmut_" not in i.nodeid]
    escaped = [i.nodeid for i in items if "\\" in i.nodeid]
    if escaped:  # see pytest_make_parametrize_id: mutmut could not find these specs again
        raise pytest.UsageError(f"spec IDs must not contain a backslash (give the parameters ids=): {escaped[:3]}")
    _fastest_first_under_a_mutant(items)
    wanted = set(config.getoption("--claim"))
    if wanted:
        keep = [i for i in items if wanted & set(claimreport.claim_ids(i))]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep
    for item in items:
        parts = item.path.parts
        for part in parts:
            if len(part) == 3 and part.startswith("ch") and part[2].isdigit():
                item.add_marker(getattr(pytest.mark, part))


def _fastest_first_under_a_mutant(items) -> None:
    """In a mutation run, run a mutant's specs fastest first (mutmut hands them over unordered):
    the first failure ends the run (``-x``), so a killed mutant costs its quickest killer's time.
    A spec's cost is its own time plus the setup of the module- and session-scoped fixtures it
    needs: a spec that only reads a trained experiment's results takes no time itself, but in a
    mutant's run it is the one that trains it."""
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return
    seconds, fixtures = _spec_seconds(), _scoped_fixture_seconds()

    def cost(item) -> float:
        shared = 0.0
        for name in item.fixturenames:
            # the definition nearest the spec: the longest base ID that is a prefix of the spec's ID
            found = [(len(base), t) for (base, n), t in fixtures.items() if n == name and item.nodeid.startswith(base)]
            shared += max(found)[1] if found else 0.0
        return seconds.get(item.nodeid, 0.0) + shared

    items.sort(key=cost)


@functools.cache
def _spec_seconds() -> dict[str, float]:
    """Each spec's time in mutmut's clean run (``mutants/mutmut-stats.json``; mutmut runs the specs
    from ``mutants/``), read once in mutmut's fork server and inherited by every mutant's run."""
    stats = Path("mutmut-stats.json")
    return json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {}) if stats.is_file() else {}


# mutmut times only a spec's call, not its fixtures' setup. Its clean run (every spec, unmutated,
# from mutants/, MUTANT_UNDER_TEST set and empty) times each module- and session-scoped fixture here.
FIXTURE_SECONDS = Path("nnspec-fixture-seconds.json")
_fixture_times: dict[tuple[str, str], float] = {}


def _mutmut_clean_run() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "" and Path.cwd().name == "mutants"


@functools.cache
def _scoped_fixture_seconds() -> dict[tuple[str, str], float]:
    """(base ID, name) of each scoped fixture -> its setup time in the clean run."""
    if not FIXTURE_SECONDS.is_file():
        return {}
    return {(base, name): t for base, name, t in json.loads(FIXTURE_SECONDS.read_text(encoding="utf-8"))}


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if fixturedef.scope == "function" or not _mutmut_clean_run():
        return (yield)
    start = time.perf_counter()
    try:
        return (yield)
    finally:
        _fixture_times[(fixturedef.baseid, fixturedef.argname)] = time.perf_counter() - start


def pytest_make_parametrize_id(config, val, argname):
    """A string parameter's test ID, without backslashes: pytest escapes a backslash in an ID once
    per session, so in a process that collects twice (mutmut's stats pass, then each mutant's run)
    the ID of an expected message such as ``"got \\(2,\\)"`` changes and the spec is not found."""
    if isinstance(val, str) and ("\\" in val or "\n" in val):
        return val.replace("\\", "").replace("\n", " ")
    return None


@pytest.fixture
def evidence(request) -> claimreport.Evidence:
    """Record a measured number beside the claim on its page: ``evidence("accuracy", 0.9352)``."""
    ev = claimreport.Evidence()
    request.node.stash[EVIDENCE] = ev
    return ev


_GROUP_LINE = re.compile(r"^[\s|+\-]*\| ?(.*)$")
_ERROR_LINE = re.compile(r"^\w+(Error|Warning|Exception|Exit)\b.*")


def _exception_group_lines(text: str) -> list[str]:
    """From an exception group's traceback (Hypothesis reports several failures at once), the
    error lines and the failing examples, without the frames."""
    out: list[str] = []
    example = False
    for raw in text.splitlines():
        m = _GROUP_LINE.match(raw)
        if not m:
            continue
        line = m.group(1)
        if line.startswith(("Failing ", "Falsifying ")):
            example = True
        if example:
            out.append(line)
            example = line.strip() != ")"
        elif _ERROR_LINE.match(line):
            out.append(line)
    return out


def _message(report) -> str | None:
    if report.passed:
        return None
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    # The "E" lines of pytest's report: the assertion, its values and Hypothesis's falsifying
    # examples (a bare crash message says only "Hypothesis found 2 distinct failures").
    text = report.longreprtext
    lines = [ln[1:].rstrip() for ln in text.splitlines() if ln.startswith("E ")]
    lines += _exception_group_lines(text)
    if lines:
        return textwrap.dedent("\n".join(ln for ln in lines if ln.strip()))[:4000]
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message
    return str(report.longrepr)[-2000:]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the claim IDs and evidence to the report itself, so they reach the process that
    writes the report even when specs run in pytest-xdist workers."""
    report = yield
    ids = claimreport.claim_ids(item)
    if ids:
        report.user_properties.append(("nnspec.claims", ids))
        if report.when == "teardown":
            ev = item.stash.get(EVIDENCE, None)
            report.user_properties.append(("nnspec.evidence", ev.values if ev is not None else {}))
    return report


def pytest_runtest_logreport(report):
    props = dict(report.user_properties)
    ids = props.get("nnspec.claims")
    if not ids:
        return
    r = _results.setdefault(
        report.nodeid,
        {
            "nodeid": report.nodeid,
            "claims": list(ids),
            "outcome": "passed",
            "duration_s": 0.0,
            "evidence": {},
            "message": None,
        },
    )
    r["duration_s"] = round(r["duration_s"] + report.duration, 4)
    if report.failed:
        r["outcome"], r["message"] = "failed", _message(report)
    elif report.skipped and r["outcome"] != "failed":
        r["outcome"], r["message"] = "skipped", _message(report)
    if "nnspec.evidence" in props:
        r["evidence"] = props["nnspec.evidence"]


def pytest_sessionfinish(session, exitstatus):
    if getattr(session.config, "workerinput", None) is not None:
        return  # an xdist worker; the controller writes the report
    if _fixture_times and _mutmut_clean_run():
        rows = [[base, name, t] for (base, name), t in sorted(_fixture_times.items())]
        FIXTURE_SECONDS.write_text(json.dumps(rows), encoding="utf-8")
    if session.config.option.collectonly:
        return
    if not _results:
        return  # no claim spec ran (e.g. only the browser spec): keep the last report as it is
    claimreport.write_report(claimreport.build_report(_results, _started))


# --------------------------------------------------------------------------- shared data

SHARED_DATA = Path(os.environ.get("NNSPEC_SHARED_DATA", claimreport.ROOT.parent / "shared" / "data"))


def _shared(relpath: str) -> Path:
    path = SHARED_DATA / relpath
    if not path.exists():
        pytest.skip(
            f"needs {relpath} from the project's shared data, not found at {path} "
            "(set NNSPEC_SHARED_DATA to the folder that holds mnist/ and reference/)"
        )
    return path


@pytest.fixture(scope="session")
def shared_mnist_dir() -> Path:
    """``../shared/data/mnist`` (real MNIST test files), or skip with the reason."""
    _shared("mnist/t10k-images-idx3-ubyte.gz")
    _shared("mnist/t10k-labels-idx1-ubyte.gz")
    return SHARED_DATA / "mnist"


@pytest.fixture(scope="session")
def mnist_test_dir() -> Path:
    """A folder with the MNIST test files: the reader's own download (``NNSPEC_DATA``, else the
    cache; ``python -m nnspec.datasets download --test-only``), else ``../shared/data/mnist``;
    or skip, saying where it looked and the one command that fetches them."""
    from nnspec.datasets import MNIST_FILES, mnist_dir, verify_file

    files = [MNIST_FILES["test_img"], MNIST_FILES["test_label"]]
    tried = []
    for folder in (mnist_dir(), SHARED_DATA / "mnist"):
        if all((folder / f.filename).is_file() for f in files):
            for f in files:
                verify_file(folder / f.filename, f)  # the checksum table's digests, or an error
            return folder
        tried.append(str(folder))
    pytest.skip(
        "needs the MNIST test set, not found in "
        + " or ".join(tried)
        + "; fetch it once (1.6 MB, checksummed) with `python -m nnspec.datasets download --test-only`"
    )


@pytest.fixture(scope="session")
def shared_book_ch3_weights() -> Path:
    """The reference copy of the book's chapter-3 weights in ``../shared/data``, or skip."""
    return _shared("reference/book-ch03-sample-weights.npz")


@pytest.fixture(scope="session")
def book_ch3_weights() -> Path:
    """The book's chapter-3 weights as ``.npz``: the copy shipped with nnspec, checked."""
    from nnspec.datasets import book_ch3_weights

    return book_ch3_weights()
