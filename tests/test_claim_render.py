"""How a claim is set on its page (docs/hooks/claims.py): little machinery between reader and idea.

One collapsible per claim, "Specs (N)", opening to the list of specs, each with its source; the
measured numbers grouped under the spec that measured them, named once and never broken inside a
word; short lists in full; an exercise's answer folded under "Answer".
"""

from __future__ import annotations

import re
import sys

import pytest

from tests.claims import ROOT

sys.path.insert(0, str(ROOT / "docs" / "hooks"))
import claimblocks  # noqa: E402  (plain modules shared with the MkDocs hooks)
import claims as hook  # noqa: E402

sys.path.pop(0)


def run(name: str, outcome: str = "passed", evidence: dict | None = None, secs: float = 0.25) -> dict:
    return {
        "nodeid": f"tests/ch9/test_x.py::{name}",
        "outcome": outcome,
        "duration_s": secs,
        "evidence": evidence or {},
        "message": None,
    }


def ref(name: str, lineno: int = 10) -> claimblocks.SpecRef:
    return claimblocks.SpecRef("tests/ch9/test_x.py", name, lineno, f"def {name}():\n    assert True")


@pytest.fixture
def state(monkeypatch):
    """The hook's state for one claim ``a.b`` on page docs/ch9.md, with the given runs and specs."""

    def make(runs: list[dict], refs: list[claimblocks.SpecRef]) -> None:
        monkeypatch.setattr(
            hook,
            "_state",
            {
                "report": {"a.b": {"status": "passed", "specs": runs}},
                "stale": None,
                "specs": {"a.b": refs},
                "repo": "https://example.org/r",
                "view": None,
            },
        )

    return make


def test_short_lists_are_shown_in_full_and_long_ones_by_their_ends():
    assert hook.fmt([1, 2, 3, 4, 5, 6, 7]) == "[1, 2, 3, 4, 5, 6, 7]"  # not "7 values"
    assert hook.fmt([[0.5, -1.5], [500.0, -1500.0]]) == "[[0.5, -1.5], [500, -1500]]"
    assert hook.fmt(0.1 + 0.2) == "0.3" and hook.fmt(True) == "True" and hook.fmt("9352 / 10000") == "9352 / 10000"
    long = hook.fmt([float(i) for i in range(hook.LIST_IN_FULL + 1)])
    assert long == f"{hook.LIST_IN_FULL + 1} values: [0, 1, 2, 3, …, {hook.LIST_IN_FULL - 1}, {hook.LIST_IN_FULL}]"


def test_the_measuring_spec_is_named_once_above_its_numbers():
    html = hook.evidence_table(
        [
            run("test_first_spec", evidence={"rows compared": 1000, "share equal": 0.5, "largest error": 1e-16}),
            run("test_second_spec", evidence={"end point": [1.0, 2.0]}),
            run("test_quiet_spec"),
        ]
    )
    assert html.count("test_<wbr>first_<wbr>spec") == 1 and html.count("test_<wbr>second_<wbr>spec") == 1
    assert "quiet" not in html  # a spec that measured nothing adds no row
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html)
    assert [r.startswith("<th colspan") for r in rows] == [False, True, False, False, False, True, False]
    assert "by spec" not in html  # no column repeating the name on every row


def test_a_spec_name_breaks_only_after_an_underscore():
    assert hook.breakable("test_a_b[x]") == "test_<wbr>a_<wbr>b[x]"
    assert re.sub(r"_<wbr>", "_", hook.breakable("test_each_row_of_a_batch")) == "test_each_row_of_a_batch"


def test_one_collapsible_per_claim_opens_to_every_spec_with_its_source(state):
    refs = [ref(f"test_{i}", 10 * i) for i in range(1, 10)]
    runs = [run(f"test_{i}") for i in range(1, 9)] + [run("test_9", "skipped")]
    state(runs, refs)
    lines = hook.specs_block(refs, runs)
    text = "\n".join(lines)
    outer = [line for line in lines if line.startswith("??? spec ")]
    assert len(outer) == 1 and outer[0].startswith('??? spec "Specs (9) · 8 passed, 1 skipped in 2.25 s')
    assert text.count("??? spec-item") == 9  # the list: closed, one line each
    for i in range(1, 10):
        assert f'```python linenums="{10 * i}"\n        def test_{i}():' in text  # each with its source
        assert f"https://example.org/r/blob/main/tests/ch9/test_x.py#L{10 * i}" in text


def test_a_claim_with_one_spec_shows_its_source_at_once(state):
    state([run("test_1")], [ref("test_1")])
    text = "\n".join(hook.specs_block([ref("test_1")], [run("test_1")]))
    assert text.count("???+ spec-item") == 1 and "Specs (1) · 1 passed" in text


def test_a_rendered_claim_has_exactly_one_specs_collapsible(state):
    refs = [ref("test_1"), ref("test_2", 20)]
    runs = [run("test_1", evidence={"x": 1}), run("test_2")]
    state(runs, refs)
    claim = claimblocks.parse('!!! claim "a.b"\n    Says a thing.\n', "docs/ch9.md")[0]
    page = hook.render_claim(claim, "docs/ch9.md")
    assert len(re.findall(r"(?m)^\?\?\?\+? spec ", page)) == 1
    assert "<details" not in page  # not an exercise's answer


def test_an_exercise_answer_is_a_claim_folded_under_answer(state):
    state([run("test_1")], [ref("test_1")])
    claim = claimblocks.parse('??? claim "a.b"\n    The answer.\n', "docs/ch9.md")[0]
    assert claim.answer and claim.body == ["The answer."]
    page = hook.render_claim(claim, "docs/ch9.md")
    assert page.startswith('<details class="nn-answer" markdown="1">\n<summary>Answer <span class="nn-status')
    assert 'id="a.b"' in page and page.rstrip().endswith("</details>")
    assert "Added by nnspec" not in page  # an answer needs no note that the notes lack it
