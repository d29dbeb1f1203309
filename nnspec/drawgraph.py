r"""Draw a computational graph as the book does: values forward above each edge, gradients below.

Chapter 5 explains backpropagation with small graphs (buying apples, the sigmoid as four nodes).
[`draw_graph`][nnspec.drawgraph.draw_graph] draws such a graph on a matplotlib ``Axes`` from the
numbers your own layers computed, so a figure of the pages can be rerun as it is:

```python
import matplotlib.pyplot as plt
from nnspec.drawgraph import draw_graph

nodes = {"x": (0, 0, "x", "input"), "mul": (2, 0, "×", "op"), "y": (4, 0, "y", "output")}
edges = [("x", "mul", "3", "2"), ("mul", "y", "6", "1")]
fig, ax = plt.subplots(figsize=(6, 2))
draw_graph(nodes, edges, ax)
plt.show()
```

matplotlib is needed only here, and is imported by the caller. Forward values are drawn in
``FORWARD_COLOR`` (blue), gradients in ``BACKWARD_COLOR`` (red).
"""

from __future__ import annotations

import math

__all__ = ["draw_graph", "FORWARD_COLOR", "BACKWARD_COLOR", "NODE_KINDS"]

FORWARD_COLOR = "#1f3b99"
"""Colour of the forward values (above an edge)."""
BACKWARD_COLOR = "#c0392b"
"""Colour of the backward gradients (below an edge)."""
NODE_KINDS = ("input", "op", "output")
"""``input``: a bare label where an edge starts; ``op``: a circled operation; ``output``: a boxed result."""

_RADIUS = 0.32  # an operation's circle, in data units
_LABEL_OFFSET = 0.2  # distance of an edge's labels from the edge


def draw_graph(nodes: dict, edges: list, ax) -> None:
    r"""Draw ``nodes`` joined by ``edges`` on ``ax``, each edge labelled forward and backward.

    Parameters
    ----------
    nodes : dict
        ``name -> (x, y, label, kind)``: where the node sits (data units; about 2 apart reads
        well), the text it shows, and its kind, one of ``NODE_KINDS``.
    edges : list of tuple
        ``(source, target, forward, backward)``: an arrow from node ``source`` to node
        ``target``, with the text ``forward`` on its left (above a left-to-right edge, in
        ``FORWARD_COLOR``) and ``backward`` on its right (below, in ``BACKWARD_COLOR``).
        Labels sit just before the middle of the edge, so edges that meet stay apart.
    ax : matplotlib.axes.Axes
        Where to draw; its axis is turned off, its limits fit the nodes, and its aspect is equal.

    Raises
    ------
    ValueError
        A node of an unknown kind, an edge naming a missing node, or an edge from a node to itself.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> draw_graph({"a": (0, 0, "a", "input"), "m": (2, 0, "×", "op")}, [("a", "m", "100", "2.2")], ax)
    >>> sorted(t.get_text() for t in ax.texts if t.get_text())
    ['100', '2.2', 'a', 'backward gradient', 'forward value', '×']
    """
    for name, (_, _, _, kind) in nodes.items():
        if kind not in NODE_KINDS:
            raise ValueError(f"nodes[{name!r}]: kind must be one of {list(NODE_KINDS)}, got {kind!r}")
    for src, dst, _, _ in edges:
        missing = [n for n in (src, dst) if n not in nodes]
        if missing:
            raise ValueError(f"edge ({src!r}, {dst!r}) names nodes not in nodes: {missing}")
        if src == dst:
            raise ValueError(f"edge ({src!r}, {dst!r}) goes from a node to itself")

    ax.set_axis_off()
    for x, y, label, kind in nodes.values():
        if kind == "op":
            ax.add_patch(_circle((x, y)))
            ax.text(x, y, label, ha="center", va="center", fontsize=14 if len(label) == 1 else 9, zorder=4)
        elif kind == "output":
            ax.text(
                x,
                y,
                label,
                ha="center",
                va="center",
                fontsize=10,
                zorder=4,
                bbox={"boxstyle": "round,pad=0.35", "facecolor": "#eef", "edgecolor": "black"},
            )
        else:
            ax.text(x, y, label, ha="right", va="center", fontsize=10)

    for src, dst, forward, backward in edges:
        x0, y0, _, kind0 = nodes[src]
        x1, y1, _, kind1 = nodes[dst]
        x0 += 0.1 if kind0 == "input" else 0.0  # an input's label ends just left of its point
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        ux, uy = dx / length, dy / length
        start = 0.0 if kind0 == "input" else _RADIUS  # leave a circle or box at its rim
        stop = _RADIUS + 0.02 if kind1 == "op" else 0.5
        ax.annotate(
            "",
            xy=(x1 - stop * ux, y1 - stop * uy),
            xytext=(x0 + start * ux, y0 + start * uy),
            arrowprops={"arrowstyle": "->", "lw": 1.2, "shrinkA": 0, "shrinkB": 0},
        )
        xm, ym = x0 + 0.45 * dx, y0 + 0.45 * dy
        nx, ny = -uy, ux  # the normal on the arrow's left: "above" for a left-to-right edge
        ax.text(
            xm + _LABEL_OFFSET * nx,
            ym + _LABEL_OFFSET * ny,
            forward,
            ha="center",
            va="center",
            color=FORWARD_COLOR,
            fontsize=10,
        )
        ax.text(
            xm - _LABEL_OFFSET * nx,
            ym - _LABEL_OFFSET * ny,
            backward,
            ha="center",
            va="center",
            color=BACKWARD_COLOR,
            fontsize=10,
        )

    xs = [p[0] for p in nodes.values()]
    ys = [p[1] for p in nodes.values()]
    ax.set_xlim(min(xs) - 1.4, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 1.0, max(ys) + 0.5)
    ax.set_aspect("equal")
    ax.text(max(xs) + 0.7, min(ys) - 0.55, "forward value", color=FORWARD_COLOR, fontsize=9, ha="right")
    ax.text(max(xs) + 0.7, min(ys) - 0.9, "backward gradient", color=BACKWARD_COLOR, fontsize=9, ha="right")


def _circle(center):
    from matplotlib.patches import Circle

    return Circle(center, _RADIUS, facecolor="white", edgecolor="black", lw=1.4, zorder=3)
