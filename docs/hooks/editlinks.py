"""MkDocs hook: an API page's "edit" link opens the module whose docstrings it shows.

``docs/api/gradient.md`` holds only ``::: nnspec.gradient``; what a reader wants to correct there
is a docstring in ``nnspec/gradient.py`` (or a package's ``__init__.py``), so that is where the
page's edit and view links point. Other pages keep MkDocs' link to their Markdown source.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AUTODOC = re.compile(r"^:::\s*(nnspec(?:\.\w+)*)\s*$", re.M)  # a mkdocstrings directive


def source_of(module: str) -> str | None:
    """The file of ``module`` relative to the project root, if it is one of ours."""
    path = ROOT.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate.relative_to(ROOT).as_posix()
    return None


def on_page_markdown(markdown: str, page, config, files):
    modules = AUTODOC.findall(markdown)
    if len(modules) != 1 or not (page.edit_url and config.repo_url and config.edit_uri):
        return markdown
    source = source_of(modules[0])
    if source:
        # edit_uri is "edit/main/docs/": the same branch, from the project's root
        docs = Path(config.docs_dir).name
        at_root = config.edit_uri.strip("/").removesuffix(docs).strip("/")
        page.edit_url = f"{config.repo_url.rstrip('/')}/{at_root}/{source}"
    return markdown
