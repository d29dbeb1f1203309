"""The figure helper of chapter 5: a graph drawn from the numbers, each where the book puts it."""

from __future__ import annotations

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")  # the docs extra; the specs' environment has it
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from nnspec.drawgraph import BACKWARD_COLOR, FORWARD_COLOR, draw_graph  # noqa: E402

APPLES = {
    "apple": (0, 1.7, "apple", "input"),
    "num": (0, -0.1, "apple_num", "input"),
    "tax": (2.6, -1.2, "tax", "input"),
    "m1": (2.2, 0.8, "×", "op"),
    "m2": (4.6, 0.0, "×", "op"),
    "out": (6.6, 0.0, "price", "output"),
}
EDGES = [
    ("apple", "m1", "100", "2.2"),
    ("num", "m1", "2", "110"),
    ("m1", "m2", "200", "1.1"),
    ("tax", "m2", "1.1", "200"),
    ("m2", "out", "220", "1"),
]


def drawn(nodes=APPLES, edges=EDGES):
    ax = Figure().add_subplot()
    draw_graph(nodes, edges, ax)
    return ax


def test_every_value_and_gradient_is_drawn_in_its_colour_on_its_side():
    """Forward values on the arrow's left (above a left-to-right edge) in blue, gradients on its
    right in red, one arrow per edge, one circle per operation."""
    ax = drawn()
    texts = {(t.get_text(), t.get_color()): t.get_position() for t in ax.texts}
    for src, dst, fwd, bwd in EDGES:
        (x0, y0), (x1, y1) = APPLES[src][:2], APPLES[dst][:2]
        direction = np.array([x1 - x0, y1 - y0])
        left = np.array([-direction[1], direction[0]])
        mid = np.array([x0, y0]) + 0.45 * direction
        assert (np.array(texts[(fwd, FORWARD_COLOR)]) - mid) @ left > 0, (src, dst, fwd)
        assert (np.array(texts[(bwd, BACKWARD_COLOR)]) - mid) @ left < 0, (src, dst, bwd)
    arrows = [c for c in ax.get_children() if type(c).__name__ == "Annotation" and c.arrow_patch is not None]
    assert len(arrows) == len(EDGES)
    assert len([p for p in ax.patches if isinstance(p, Circle)]) == 2
    assert {t.get_text() for t in ax.texts} >= {"apple", "apple_num", "tax", "×", "price"}
    assert not ax.axison and ax.get_aspect() == 1.0


def test_arrows_point_from_source_to_target():
    ax = drawn()
    arrows = [c for c in ax.get_children() if type(c).__name__ == "Annotation" and c.arrow_patch is not None]
    for arrow, (_src, dst, _, _) in zip(arrows, EDGES):
        head, tail = np.array(arrow.xy), np.array(arrow.xyann)
        assert np.linalg.norm(head - np.array(APPLES[dst][:2])) < np.linalg.norm(tail - np.array(APPLES[dst][:2]))


@pytest.mark.parametrize(
    "nodes, edges, words",
    [
        ({"a": (0, 0, "a", "circle")}, [], ["nodes['a']", "kind", "'circle'"]),
        (APPLES, [("apple", "nowhere", "1", "1")], ["'nowhere'", "not in nodes"]),
        (APPLES, [("m1", "m1", "1", "1")], ["'m1'", "itself"]),
    ],
)
def test_a_bad_graph_is_named(nodes, edges, words):
    with pytest.raises(ValueError) as info:
        drawn(nodes, edges)
    assert all(w in str(info.value) for w in words), str(info.value)
