"""Messages without the machine's absolute paths: relative to the project, or ``~``.

A skip reason such as "not found in /home/ada/.cache/nnspec/mnist or /srv/ci/shared/data/mnist"
becomes "not found in ~/.cache/nnspec/mnist or ../shared/data/mnist" before it reaches a page.
Plain Python, shared by the claim report (``tests/claims.py``) and the MkDocs hook.
"""

from __future__ import annotations

import re
import sysconfig
import tempfile
from pathlib import Path


def _prefixes(root: Path) -> list[tuple[str, str]]:
    """(absolute prefix, what it becomes), longest prefix first; for a folder that is two of these
    at once (the home folder may hold the project), the project-relative form wins."""
    root = root.resolve()
    pairs = [(str(Path(tempfile.gettempdir()).resolve()), "<tmp>")]
    stdlib = sysconfig.get_paths().get("stdlib")
    if stdlib:
        pairs.append((str(Path(stdlib).resolve()), "<python>"))
    try:
        pairs.append((str(Path.home().resolve()), "~"))
    except RuntimeError:  # no home directory (some CI users)
        pass
    pairs += [(str(root.parent), ".."), (str(root), ".")]
    table = {p: r for p, r in pairs if p not in ("/", "")}  # later entries win
    return sorted(table.items(), key=lambda pr: len(pr[0]), reverse=True)


def tidy_paths(text: str | None, root: Path) -> str | None:
    """``text`` with every absolute path under the project, its parent folder, the home folder, the
    Python library or the temporary folder written relative to the project (``tests/x.py``,
    ``../shared/data``), or as ``~/…``, ``<python>/…``, ``<tmp>/…``. Other text is unchanged."""
    if not text:
        return text
    pairs = _prefixes(root)
    table = dict(pairs)
    # a prefix counts only as whole path components: "/srv/ab" is not under "/srv/a"
    pattern = re.compile("|".join(re.escape(p) + r"(?=[/\\]|$|[^\w.-])" for p, _ in pairs))

    def swap(m: re.Match) -> str:
        repl = table[m.group(0)]
        rest = m.string[m.end() : m.end() + 1]
        return "\0" if repl == "." and rest in ("/", "\\") else repl

    # the project's own "<root>/x" becomes "x": mark it, then drop the mark with its slash
    return re.sub(r"\0[/\\]", "", pattern.sub(swap, text))
