"""The benchmark's table, its options and its JSON, with the timing stood in for.

What `python -m nnspec.bench` prints and writes is what docs/benchmark.md shows. These specs
replace the timed cases (or the whole run) by stand-ins that record how they were called, so
the rows, the options and the record can be checked exactly and fast.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import sys
import time

import numpy as np
import pytest

from nnspec import bench

# A stand-in run takes no time: the record's date is the time of the call, to the minute.
DATE_SLACK = datetime.timedelta(minutes=2)


class _Recorder:
    """Stands in for the case builders and the timer of `bench.run`, recording their calls."""

    def __init__(self, monkeypatch):
        self.steps: list[tuple] = []
        self.comparisons: list[tuple] = []
        self.timed: list[tuple] = []
        self.torch: list[tuple] = []
        monkeypatch.setattr(bench, "two_layer_step", self.two_layer_step)
        monkeypatch.setattr(bench, "optimizer_comparison", self.optimizer_comparison)
        monkeypatch.setattr(bench, "interleaved", self.interleaved)
        monkeypatch.setattr(bench, "torch_rows", self.torch_rows)

    def two_layer_step(self, dtype=np.float64, *, batch=100, sizes=(784, 100, 10), seed=0):
        self.steps.append((dtype, batch, sizes, seed))
        return {name: (lambda: None, None) for name in ("step", "gradient+update", "gemm")}

    def optimizer_comparison(self, dtype=np.float64, *, seed=0):
        self.comparisons.append((dtype, seed))
        return {"nnspec": (lambda: None, None), "book": (lambda: None, None)}

    def interleaved(self, funcs, reps, warmup):
        self.timed.append((reps, warmup))
        # every "step" or "nnspec" call takes 3 s, "gradient+update" 4 s, everything else 2 s
        cost = {"step": 3.0, "gradient+update": 4.0, "nnspec": 3.0}
        return {name: [cost.get(name.split(" ")[0], 2.0)] * reps for name in funcs}

    def torch_rows(self, rows, *args):
        self.torch.append(args)
        rows.append(bench.ratio("torch row", [1.0], [2.0], 0.6))
        return "torch 0.0, 1 threads"


@pytest.mark.claim("bench.table")
def test_run_defaults_rows_and_targets(monkeypatch):
    """run() times 784-100-10 steps with batch 100 in float64 then float32, 300 repetitions after
    max(5, reps // 10) untimed ones, seed 0; targets only on the float64 rows and the chapter-6 row."""
    rec = _Recorder(monkeypatch)
    res = bench.run()
    assert rec.steps == [(np.float64, 100, (784, 100, 10), 0), (np.float32, 100, (784, 100, 10), 0)]
    assert rec.comparisons == [(np.float64, 0)] and rec.timed == [(300, 30), (300, 30)]
    assert rec.torch == [] and res["torch_info"] == ""
    net = "TwoLayerNet 784-100-10, batch 100"
    rows = [(r.label, r.a_s, r.b_s, r.ratio, r.reps, r.target) for r in res["rows"]]
    assert rows == [
        (f"{net}, float64: SGD step as train() runs it / 5 GEMMs", 3.0, 2.0, 1.5, 300, bench.TARGETS["step"]),
        (f"{net}, float64: gradient() + SGD.update / 5 GEMMs", 4.0, 2.0, 2.0, 300, bench.TARGETS["gradient+update"]),
        (f"{net}, float32: SGD step as train() runs it / 5 GEMMs", 3.0, 2.0, 1.5, 300, None),
        (f"{net}, float32: gradient() + SGD.update / 5 GEMMs", 4.0, 2.0, 2.0, 300, None),
        (f"{net}: float32 step / float64 step", 3.0, 3.0, 1.0, 300, None),
        (
            "chapter-6 comparison iteration, float64: nnspec / the book's way",
            3.0,
            2.0,
            1.5,
            300,
            bench.TARGETS["ch6 vs book"],
        ),
    ]


@pytest.mark.claim("bench.table")
@pytest.mark.parametrize(("reps", "warmup"), [(75, 7), (20, 5), (120, 12)])
def test_run_warms_up_a_tenth_of_the_repetitions_and_at_least_five(monkeypatch, reps, warmup):
    """Without ``warmup``, max(5, reps // 10) untimed repetitions; a given ``warmup`` is used as is."""
    rec = _Recorder(monkeypatch)
    bench.run(reps, ch6=False)
    bench.run(reps, warmup=0, ch6=False)
    assert rec.timed == [(reps, warmup), (reps, 0)]
    assert all(type(w) is int for _, w in rec.timed)


@pytest.mark.claim("bench.table")
def test_run_passes_its_options_to_every_case(monkeypatch):
    """seed, hidden and batch reach every case; torch=True hands the same options to the torch rows."""
    rec = _Recorder(monkeypatch)
    res = bench.run(7, seed=5, warmup=2, hidden=9, batch=3, torch=True, threads=2, ch6=False)
    assert rec.steps == [(np.float64, 3, (784, 9, 10), 5), (np.float32, 3, (784, 9, 10), 5)]
    assert rec.comparisons == [] and rec.timed == [(7, 2)]
    assert rec.torch == [(7, 2, 5, 9, 3, 2, False)]
    assert res["torch_info"] == "torch 0.0, 1 threads"
    assert [r.label for r in res["rows"]][-1] == "torch row" and len(res["rows"]) == 6
    bench.run(7, seed=5, warmup=2, hidden=9, batch=3, torch=True)
    assert rec.comparisons == [(np.float64, 5)] and rec.torch[-1] == (7, 2, 5, 9, 3, None, True)


@pytest.mark.claim("bench.table")
def test_run_without_torch_says_why():
    """Asked for the torch rows without PyTorch installed, run() adds none and says how to get it."""
    try:
        import torch  # noqa: F401
    except ImportError:
        pass
    else:  # pragma: no cover - torch installed
        pytest.skip("torch is installed")
    res = bench.run(1, warmup=0, hidden=2, batch=2, torch=True, ch6=False)
    assert len(res["rows"]) == 5
    assert res["torch_info"] == "torch is not installed (pip install torch to compare)"


@pytest.mark.claim("bench.table")
def test_the_table_in_microseconds():
    """Times are seconds × 10⁶ in the table, to 0.1 µs."""
    row = bench.Ratio("one second", 1.0, 2.0, 0.5, 0.5, 0.5, 3)
    assert bench.format_rows([row]).splitlines()[1] == "one second  1000000.0  2000000.0   0.500  [0.50, 0.50]"


# --------------------------------------------------------------------------- main, run stood in for


class _FakeLimits:
    """Stands in for threadpoolctl, recording the limits asked and their restoring."""

    def __init__(self):
        self.calls: list[tuple] = []

    def threadpool_limits(self, *args, **kwargs):
        self.calls.append(("limit", args, kwargs))
        return self

    def restore_original_limits(self):
        self.calls.append(("restore",))


@pytest.fixture
def fake_run(monkeypatch):
    """bench.run replaced by one that records its arguments and returns two fixed rows."""
    calls = []
    rows = [
        bench.Ratio("a 784-[100]×4-10 row", 3e-6, 2e-6, 1.5, 1.25, 1.75, 4, 2.0),
        bench.Ratio("b row", 1e-6, 1e-6, 1.0, 1.0, 1.0, 4),
    ]

    def run(*args, **kwargs):
        calls.append((args, kwargs))
        return {"rows": list(rows), "torch_info": fake_run.torch_info}

    fake_run.torch_info = ""
    monkeypatch.setattr(bench, "run", run)
    monkeypatch.setattr(bench, "blas_info", lambda: "BLAS: fake")
    monkeypatch.setattr(bench, "blas_threads", lambda: None)
    fake_run.calls, fake_run.rows = calls, rows
    return fake_run


@pytest.mark.claim("bench.table")
def test_main_defaults(fake_run, monkeypatch, capsys):
    """Without options: 300 repetitions, batch 100, 100 hidden units, seed 0, chapter-6 rows, no torch, no limit."""
    limits = _FakeLimits()
    monkeypatch.setattr(bench, "threadpoolctl", limits)
    assert bench.main([]) == 0
    assert fake_run.calls == [
        ((300,), {"seed": 0, "hidden": 100, "batch": 100, "torch": False, "threads": None, "ch6": True})
    ]
    assert limits.calls == []
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        "300 interleaved repetitions per row; a/b is the median of per-repetition ratios [quartiles]",
        *bench.format_rows(fake_run.rows).splitlines(),
    ]


@pytest.mark.claim("bench.table")
def test_main_hands_its_options_to_run(fake_run, monkeypatch, capsys):
    """Every option reaches run(); --threads limits the BLAS threads while it runs, then restores them."""
    limits = _FakeLimits()
    monkeypatch.setattr(bench, "threadpoolctl", limits)
    argv = ["--reps", "1", "--batch", "1", "--hidden", "1", "--seed", "3", "--threads", "2", "--torch", "--no-ch6"]
    assert bench.main(argv) == 0
    assert fake_run.calls == [((1,), {"seed": 3, "hidden": 1, "batch": 1, "torch": True, "threads": 2, "ch6": False})]
    assert limits.calls == [("limit", (2,), {"user_api": "blas"}), ("restore",)]
    assert "1 interleaved repetitions per row" in capsys.readouterr().out


@pytest.mark.claim("bench.table")
def test_main_prints_the_machine_and_the_load(fake_run, monkeypatch, capsys):
    """The header names NumPy, the BLAS, the machine and the 1-minute load average before the run (when the OS has one)."""
    import platform

    loads = iter([(1.5, 7.0, 9.0), (2.5, 8.0, 9.0)])
    monkeypatch.setattr(os, "getloadavg", lambda: next(loads))
    assert bench.main([]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert (
        header == f"nnspec training steps: numpy {np.__version__}, BLAS: fake, {platform.machine()}, load average 1.5"
    )
    monkeypatch.delattr(os, "getloadavg")
    assert bench.main([]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"nnspec training steps: numpy {np.__version__}, BLAS: fake, {platform.machine()}"
    )


@pytest.mark.claim("bench.table")
def test_main_prints_torch_info_and_the_two_pools_note(fake_run, monkeypatch, capsys):
    """With torch rows, the torch line follows the table, and with more than one thread a note on the two thread pools."""
    monkeypatch.setattr(bench, "threadpoolctl", _FakeLimits())
    note = (
        "note: with more than one thread, OpenBLAS's and torch's thread pools share the cores and slow "
        "each other; --threads 1 compares them without that"
    )
    fake_run.torch_info = "torch 0.0, 1 threads"
    for argv, blas, with_note in [
        ([], None, False),
        ([], 1, False),
        ([], 2, True),
        (["--threads", "2"], 1, True),
        (["--threads", "1"], 4, False),
    ]:
        monkeypatch.setattr(bench, "blas_threads", lambda blas=blas: blas)
        assert bench.main(argv) == 0
        out = capsys.readouterr().out.splitlines()
        expected = ["torch 0.0, 1 threads", note] if with_note else ["torch 0.0, 1 threads"]
        assert out[-len(expected) :] == expected, (argv, blas)


@pytest.mark.claim("bench.table")
def test_main_writes_the_json_record(fake_run, monkeypatch, tmp_path, capsys):
    """--json FILE writes date (UTC, to the minute), machine, python, cpus, load averages before and after,
    the command line, reps, torch and the rows, as UTF-8 JSON indented by 1, non-ASCII kept."""
    import platform

    monkeypatch.setattr(os, "getloadavg", iter([(1.5, 7.0, 9.0), (2.5, 8.0, 9.0)]).__next__)
    out_json = tmp_path / "bench.json"
    monkeypatch.setattr(sys, "argv", ["nnspec.bench", "--json", str(out_json)])
    tz = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Seoul"  # UTC+9: a local time would be off by hours
    time.tzset()
    try:
        assert bench.main() == 0
    finally:
        if tz is None:
            del os.environ["TZ"]
        else:  # pragma: no cover - depends on the environment
            os.environ["TZ"] = tz
        time.tzset()
    text = out_json.read_bytes().decode("utf-8")
    record = json.loads(text)
    assert text == json.dumps(record, indent=1, ensure_ascii=False) + "\n" and "×" in text
    assert list(record) == ["date", "machine", "python", "cpus", "load_average", "argv", "reps", "torch", "rows"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", record["date"])
    when = datetime.datetime.strptime(record["date"], "%Y-%m-%d %H:%M UTC").replace(tzinfo=datetime.timezone.utc)
    assert abs(datetime.datetime.now(datetime.timezone.utc) - when) < DATE_SLACK
    assert record["machine"] == f"numpy {np.__version__}, BLAS: fake, {platform.machine()}"
    assert record["python"] == platform.python_version() and record["cpus"] == os.cpu_count()
    assert record["load_average"] == [1.5, 2.5]
    assert record["argv"] == ["python", "-m", "nnspec.bench", "--json", str(out_json)]
    assert record["reps"] == 300 and record["torch"] == ""
    assert record["rows"][0] == {
        "label": "a 784-[100]×4-10 row",
        "a_s": 3e-6,
        "b_s": 2e-6,
        "ratio": 1.5,
        "q1": 1.25,
        "q3": 1.75,
        "reps": 4,
        "target": 2.0,
    }
    assert capsys.readouterr().out.splitlines()[-1] == f"rows written to {out_json}"


@pytest.mark.claim("bench.table")
def test_main_accepts_sizes_of_one_and_refuses_zero(fake_run, capsys):
    """1 is the smallest size; 0 or less stops with status 2 and says which options must be positive."""
    assert bench.main(["--reps", "1", "--batch", "1", "--hidden", "1"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        bench.main(["--reps", "0"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.endswith("error: --reps, --batch, --hidden and --threads must be positive\n")


@pytest.mark.claim("bench.table")
def test_main_without_threadpoolctl(fake_run, monkeypatch, capsys):
    """Without threadpoolctl, --threads stops with status 2 and says what to install; the rest runs."""
    monkeypatch.setattr(bench, "threadpoolctl", None)
    with pytest.raises(SystemExit) as exc:
        bench.main(["--threads", "1"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.endswith("error: --threads needs threadpoolctl (pip install threadpoolctl)\n")
    assert bench.main([]) == 0


@pytest.mark.claim("bench.table")
def test_main_writes_utf8_whatever_the_locale(fake_run, monkeypatch, tmp_path):
    """The JSON file is UTF-8 even where the locale's default encoding is another (Latin-1 here)."""
    import builtins

    def latin1_default(file, mode="r", *args, encoding=None, **kwargs):
        return builtins.open(file, mode, *args, encoding=encoding or "latin-1", **kwargs)

    monkeypatch.setattr(bench, "open", latin1_default, raising=False)
    out_json = tmp_path / "bench.json"
    assert bench.main(["--json", str(out_json)]) == 0
    record = json.loads(out_json.read_bytes().decode("utf-8"))
    assert record["rows"][0]["label"] == "a 784-[100]×4-10 row"
