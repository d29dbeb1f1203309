"""The pages show each command's --help exactly as the command prints it (docs/snippets/help/*.txt).

To refresh the files after changing an option: ``NNSPEC_WRITE_HELP=1 .venv/bin/pytest tests/test_cli_help.py``.
"""

from __future__ import annotations

import contextlib
import io
import os

import pytest

from nnspec import __main__ as cli
from nnspec import bench
from nnspec.datasets import __main__ as datasets_cli
from tests.claims import ROOT

SNIPPETS = ROOT / "docs" / "snippets" / "help"
WIDTH = "100"  # argparse wraps help to $COLUMNS; the snippets are written at this width

COMMANDS = {
    "nnspec.txt": (cli.main, ["--help"]),
    "nnspec-train.txt": (cli.main, ["train", "--help"]),
    "nnspec-experiment.txt": (cli.main, ["experiment", "--help"]),
    "nnspec-datasets.txt": (datasets_cli.main, ["--help"]),
    "nnspec-datasets-download.txt": (datasets_cli.main, ["download", "--help"]),
    "nnspec-datasets-check.txt": (datasets_cli.main, ["check", "--help"]),
    "nnspec-bench.txt": (bench.main, ["--help"]),
}


def _help(main, argv, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", WIDTH)
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    return out.getvalue()


@pytest.mark.claim("cli.help-on-the-page")
def test_a_missing_command_is_a_usage_error(capsys):
    """`python -m nnspec.datasets` without download or check: status 2 and the usage, not a traceback."""
    with pytest.raises(SystemExit) as exit_:
        datasets_cli.main([])
    assert exit_.value.code == 2
    assert "the following arguments are required: command" in capsys.readouterr().err


@pytest.mark.claim("cli.help-on-the-page")
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_page_shows_the_commands_own_help(name, monkeypatch):
    """The --help text a page shows is, word for word, what the command prints (spacing aside)."""
    main, argv = COMMANDS[name]
    text = _help(main, argv, monkeypatch)
    path = SNIPPETS / name
    if os.environ.get("NNSPEC_WRITE_HELP"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing; write it with NNSPEC_WRITE_HELP=1"
    assert text.split() == path.read_text(encoding="utf-8").split(), (
        f"{path.name} differs from `{' '.join(argv)}`; refresh it with NNSPEC_WRITE_HELP=1 and read the diff"
    )
