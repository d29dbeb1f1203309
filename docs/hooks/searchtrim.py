"""Keep the specs' source code out of the search index.

Every claim carries the source of its specs (about 650 blocks of Python over both editions). Search
is for the site's prose, claims and quotes; indexing that code doubled the index a reader's browser
downloads and was the largest cost of a warm build (Material's search parses every page's HTML).

``on_page_context`` here runs before Material's search plugin (priority 0) and hands it the page
without those blocks; ``restore`` — called by ``claims.on_page_context``, which runs after the search
plugin — puts the full page back before the template renders it. A spec source is recognised as
what ``claims.specs_block`` writes: a fenced block with line numbers, i.e. a Pygments
``highlighttable``; no other block on the site uses line numbers.
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority

_SPEC_SOURCE = re.compile(
    r'<div class="language-python highlight"><table class="highlighttable">.*?</table></div>', re.S
)
_KEY = "nn_full_content"  # where the page keeps its full content meanwhile: page.meta, the page's own
# public dict (this module is loaded twice, as a hook and as claims.py's import, so no state here)


@event_priority(50)  # before Material's search plugin indexes the page
def on_page_context(context, page, config, nav):
    if page.content and "highlighttable" in page.content:
        page.meta[_KEY] = page.content
        page.content = _SPEC_SOURCE.sub("", page.content)
    return context


def restore(page) -> None:
    """Give ``page`` back the content it had before ``on_page_context`` trimmed it."""
    full = page.meta.pop(_KEY, None)
    if full is not None:
        page.content = full
