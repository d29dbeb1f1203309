"""Figures for the pages, drawn at build time by our own code, from source a reader can rerun.

A page draws a figure in a ``markdown-exec`` block whose shown source is a plain script
(matplotlib and nnspec only) that ends with ``plt.show()``. One hidden line, which the "Source"
tab leaves out, hands the figure to ``svg`` with its caption::

    ```python exec="1" html="1" source="tabbed-right"
    import matplotlib.pyplot as plt
    import numpy as np
    from nnspec.functions import sigmoid

    x = np.linspace(-6, 6, 200)
    fig, ax = plt.subplots()
    ax.plot(x, sigmoid(x))
    plt.show()
    import nnfig; print(nnfig.svg(fig, "The sigmoid"))  # markdown-exec: hide
    ```

The figure is embedded as an SVG image (no image files, no network), with a caption that is also
its alternative text. The site's look (grid, no top and right spines, the font size) comes from
``rcParams`` set when this module is imported, which the figure hook (``execcache.py``) does
before any block runs; a reader's run of the same source gets matplotlib's own defaults.
``tests/test_figure_sources.py`` checks that every shown source stands on its own.

Legible on a phone: no text is drawn smaller than ``MIN_TEXT_PT``, and the image is never shown so
small that its smallest text falls below ``LEGIBLE_PX`` CSS pixels; a figure that would have to
shrink more than that keeps a minimum width and scrolls sideways in its own box instead.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import math
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402

__all__ = ["plt", "svg", "details_open", "details_close"]

_counter = itertools.count()

# The base font size. Smaller text (legends, annotations) is raised to it: a wide figure is shown
# at about 0.75x in a desktop column, and smaller text would fall below LEGIBLE_PX there.
MIN_TEXT_PT = 10
# Below about 9 CSS pixels, tick labels and legends are hard to read, on a phone especially.
LEGIBLE_PX = 9

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
    texts = [t for t in fig.findobj(Text) if t.get_visible()]
    for t in texts:
        t.set_fontsize(max(t.get_fontsize(), MIN_TEXT_PT))
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    # the smallest text drawn, in CSS pixels at the figure's own size (tick labels, legends …)
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    text_px = min(sizes, default=plt.rcParams["font.size"]) * 4 / 3
    data = buf.getvalue()
    head = data[: data.index(b">", data.index(b"<svg")) + 1].decode()
    size = dict(re.findall(r'(width|height)="([\d.]+)pt"', head))
    # points to CSS pixels (96/72), so the figure shows at the size matplotlib laid it out
    w, h = (round(float(size[k]) * 4 / 3) for k in ("width", "height"))
    uri = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
    alt = html.escape(caption)
    # narrower than this, the smallest text would be below LEGIBLE_PX: the box scrolls instead
    legible_w = min(w, math.ceil(w * LEGIBLE_PX / text_px))
    return (
        f'<figure class="nn-figure"><div class="nn-figure__box">'
        f'<img src="{uri}" alt="{alt}" width="{w}" height="{h}" data-text-px="{text_px:.1f}" '
        f'style="min-width: {legible_w}px"></div>'
        f"<figcaption>{alt}</figcaption></figure>"
    )


def details_open(summary_html: str) -> str:
    """Opens a folded block for text a figure's source prints (a table): print it, then the text,
    then ``details_close()``. The text is shown as printed, in a code block."""
    return f'<details class="nn-printed"><summary>{summary_html}</summary><pre><code>'


def details_close() -> str:
    return "</code></pre></details>"
