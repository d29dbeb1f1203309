"""Figures for the pages, drawn at build time by our own code.

A page draws a figure in a ``markdown-exec`` block and hands it to :func:`show`::

    ```python exec="1" html="1"
    from nnfig import plt, svg
    fig, ax = plt.subplots()
    ...
    print(svg(fig, "Step, sigmoid and ReLU"))
    ```

The figure is embedded as an SVG image (no image files, no network), with a caption that is also
its alternative text.
"""

from __future__ import annotations

import base64
import html
import io
import re
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["plt", "svg"]

_counter = itertools.count()

plt.rcParams.update(
    {
        "figure.figsize": (6.0, 3.6),
        "figure.dpi": 100,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10,
        "svg.fonttype": "path",
        "figure.facecolor": "white",
    }
)


def svg(fig, caption: str) -> str:
    """``fig`` as a ``<figure>`` holding an SVG image, with ``caption`` (print it in the block).

    The SVG is embedded as a ``data:`` URI in an ``<img>``: crisp at any zoom, no separate file,
    no network, and the browser (and the search indexer) need not parse thousands of path
    elements in the page itself. Closes ``fig``.
    """
    plt.rcParams["svg.hashsalt"] = f"nnfig-{next(_counter)}"
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    data = buf.getvalue()
    head = data[: data.index(b">", data.index(b"<svg")) + 1].decode()
    size = dict(re.findall(r'(width|height)="([\d.]+)pt"', head))
    # points to CSS pixels (96/72), so the figure shows at the size matplotlib laid it out
    w, h = (round(float(size[k]) * 4 / 3) for k in ("width", "height"))
    uri = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
    alt = html.escape(caption)
    return (
        f'<figure class="nn-figure"><img src="{uri}" alt="{alt}" width="{w}" height="{h}">'
        f"<figcaption>{alt}</figcaption></figure>"
    )
