"""The registry: every claim a page states is backed by a spec, and every spec backs a stated claim.

The scan reads the source of every spec module (not just the ones selected by ``-m``), so running
one chapter still checks the whole registry.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.claims import ROOT, claimblocks


def spec_claims(root: Path = ROOT) -> dict[str, list[str]]:
    """Map claim ID -> spec locations ("tests/ch3/test_x.py:12") under ``root/tests``."""
    return {cid: [f"{ref.path}:{ref.lineno}" for ref in refs] for cid, refs in claimblocks.spec_index(root).items()}


@pytest.fixture(scope="module")
def stated() -> list[claimblocks.Claim]:
    return claimblocks.scan(ROOT)


def test_pages_state_claims(stated):
    assert stated, "no claim blocks found under docs/"


def test_claim_ids_are_unique(stated):
    twice = {cid: n for cid, n in Counter(c.id for c in stated).items() if n > 1}
    where = {cid: [f"{c.page}:{c.line}" for c in stated if c.id == cid] for cid in twice}
    assert not twice, f"claim IDs stated more than once: {where}"


def test_claim_ids_are_well_formed(stated):
    bad = [f"{c.page}:{c.line} {c.id!r}" for c in stated if not claimblocks.CLAIM_ID.match(c.id)]
    assert not bad, f"claim IDs must look like 'topic.some-name': {bad}"


def test_every_stated_claim_has_a_spec(stated):
    specs = spec_claims()
    unbacked = [f"{c.page}:{c.line} {c.id}" for c in stated if c.id not in specs]
    assert not unbacked, f"claims no spec backs: {unbacked}"


def test_every_spec_names_a_stated_claim(stated):
    ids = {c.id for c in stated}
    orphans = {cid: where for cid, where in spec_claims().items() if cid not in ids}
    assert not orphans, f"specs name claims no page states: {orphans}"


def test_every_claim_has_a_statement(stated):
    empty = [f"{c.page}:{c.line} {c.id}" for c in stated if not any(line.strip() for line in c.body)]
    assert not empty, f"claim blocks with no text: {empty}"


# The registry's own parsers must be able to fail: feed them pages with known defects.


def test_parser_reads_blocks_ids_quotes_and_api():
    page = (
        '# T\n\n!!! claim "a.b"\n    Says a thing.\n\n    > 원문\n    api: nnspec.x, nnspec.y\n\n'
        'Prose.\n\n```\n!!! claim "in.fence"\n```\n!!! claim "c.d"\n    Other.\n'
    )
    got = claimblocks.parse(page, "docs/t.md")
    assert [c.id for c in got] == ["a.b", "c.d"]
    assert got[0].api == ["nnspec.x", "nnspec.y"]
    assert (
        got[0].book == ""
        and claimblocks.parse('!!! claim "e.f"\n    Says.\n\n    book: §6.1.2 SGD\n', "p.md")[0].book == "§6.1.2 SGD"
    )
    assert got[0].body == ["Says a thing.", "", "> 원문"]
    assert got[0].line == 3


def test_scan_finds_spec_markers(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(
        "import pytest\n@pytest.mark.claim('p.q', 'r.s')\ndef test_a(): pass\n"
        "pytestmark = [pytest.mark.claim('t.u')]\n"
        "class TestK:\n    @pytest.mark.claim('v.w')\n    def test_b(self): pass\n",
        encoding="utf-8",
    )
    got = spec_claims(tmp_path)
    assert set(got) == {"p.q", "r.s", "t.u", "v.w"}
    assert got["v.w"] == ["tests/test_x.py:6"]
    assert claimblocks.CLAIM_ID.match("softmax.order-preserving")
    assert not claimblocks.CLAIM_ID.match("Softmax order")
