"""Figures for the pages, drawn at build time by our own code.

A page draws a figure in a ``markdown-exec`` block and hands it to :func:`show`::

    ```python exec="1" html="1"
    from nnfig import plt, svg
    fig, ax = plt.subplots()
    ...
    print(svg(fig, "Step, sigmoid and ReLU"))
    ```

The figure is inlined as SVG (no image files, no network), with unique glyph IDs per figure and a
caption that doubles as its accessible name.
"""

from __future__ import annotations

import html
import io
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
    """``fig`` as an inline SVG ``<figure>`` with ``caption`` (print it in the block); closes ``fig``."""
    plt.rcParams["svg.hashsalt"] = f"nnfig-{next(_counter)}"
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    out = buf.getvalue()
    out = out[out.index("<svg") :]  # drop the XML prolog and DOCTYPE: this SVG lives inside HTML
    out = out.replace("<svg ", f'<svg role="img" aria-label="{html.escape(caption)}" ', 1)
    return f'<figure class="nn-figure">{out}<figcaption>{html.escape(caption)}</figcaption></figure>'
