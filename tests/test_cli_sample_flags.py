"""The MNIST-only options of ``nnspec train`` and ``nnspec experiment`` are refused with the sample.

``--data-dir`` and ``--download`` name where full MNIST is read from or fetched; with ``--data
sample`` (the default) they would be ignored, so the command stops with a usage error naming the
option instead of training on the sample as if full MNIST had been asked for.
"""

from __future__ import annotations

import io

import pytest

from nnspec import __main__ as cli


@pytest.mark.claim("mnist.explicit-source")
@pytest.mark.parametrize("command", [["train"], ["experiment", "overfit"]])
@pytest.mark.parametrize(
    ("options", "flag"),
    [
        (["--data-dir", "somewhere"], "--data-dir"),
        (["--download"], "--download"),
        (["--download", "--data-dir", "somewhere"], "--download"),
    ],
)
def test_mnist_options_with_the_sample_are_a_usage_error(command, options, flag, capsys):
    """Status 2 and ``nnspec COMMAND: error: FLAG applies to --data mnist only`` on stderr, nothing run."""
    out = io.StringIO()
    assert cli.main([*command, *options], out=out) == 2
    assert out.getvalue() == ""
    err = capsys.readouterr().err
    assert err.startswith(f"nnspec {command[0]}: error: {flag} applies to --data mnist only (the sample ships")
