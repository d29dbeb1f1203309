"""The home page's example claim is a real one: it is proved like every other."""

import numpy as np
import pytest

from nnspec.functions import softmax
from tests.tolerances import SUM_TOL


@pytest.mark.claim("example.how-to-read")
def test_example_claim(evidence):
    """The example on the home page: softmax of a seeded batch sums to 1 per row."""
    x = np.random.default_rng(0).normal(scale=10.0, size=(100, 10))
    err = float(np.abs(softmax(x).sum(axis=1) - 1).max())
    evidence("max |Σ softmax − 1| over 100 rows", err)
    assert err <= SUM_TOL
