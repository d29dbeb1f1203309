"""The progress bar of long runs: ``tqdm``, chosen for you by one ``progress`` argument.

nnspec does not draw its own bar. ``tqdm`` does this job well (it has no dependencies, adapts to
the terminal's width, and shows a widget in Jupyter notebooks), and it is what most Python
users already have; this module only decides, from the argument a training function receives,
whether and where a bar is drawn.
"""

from __future__ import annotations

import sys

from tqdm import tqdm
from tqdm.auto import tqdm as tqdm_auto

__all__ = ["AUTO_PROGRESS_DELAY", "progress_bar"]

#: With ``progress=None`` the bar appears only once a run has lasted this many seconds (and only
#: when stderr is a terminal), so short runs and scripts print nothing extra.
AUTO_PROGRESS_DELAY = 1.0


def progress_bar(progress, total: int, desc: str | None = None):
    """A ``tqdm`` bar of ``total`` steps as ``progress`` asks, or ``None`` for no bar.

    Parameters
    ----------
    progress : None, bool or text stream
        ``None`` (auto): a bar on ``sys.stderr`` only if it is a terminal, shown once the run has
        lasted ``AUTO_PROGRESS_DELAY`` seconds. ``True``: a bar on ``sys.stderr`` at once.
        ``False``: none. A stream (anything with ``write``): a bar drawn into it. In a Jupyter
        notebook ``True`` gives tqdm's notebook widget.
    total : int
        The number of steps of the whole run.
    desc : str, optional
        A label in front of the bar.

    Returns
    -------
    tqdm.tqdm or None
        Call ``update(n)``, ``set_postfix_str(text)`` and ``close()`` on it.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = progress_bar(out, 4, "demo")
    >>> bar.update(4); bar.close()
    >>> "4/4" in out.getvalue()
    True
    >>> progress_bar(False, 4) is None
    True
    """
    if progress is False:
        return None
    if progress is None:
        stream = sys.stderr
        isatty = getattr(stream, "isatty", None)
        if stream is None or isatty is None or not isatty():
            return None
        return tqdm(total=total, desc=desc, delay=AUTO_PROGRESS_DELAY, dynamic_ncols=True)  # tqdm writes to stderr
    if progress is True:  # in a notebook: a widget
        return tqdm_auto(total=total, desc=desc, dynamic_ncols=True)  # on stderr, tqdm's default
    if callable(getattr(progress, "write", None)):
        return tqdm(total=total, desc=desc, file=progress, dynamic_ncols=True)
    raise TypeError(f"progress must be None (auto), True, False or a text stream, got {type(progress).__name__}")
