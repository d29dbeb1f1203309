import numpy as np
import pytest
from hypothesis import example, given

from nnspec.functions import softmax
from tests.strategies import arrays
from tests.tolerances import SUM_TOL


@pytest.mark.claim("softmax.sums-to-one")
@given(x=arrays())
@example(x=np.array([1010.0, 1000.0, 990.0]))
def test_softmax_sums_to_one(x):
    """sum_k softmax(x)_k = 1 and 0 <= softmax(x)_k <= 1."""
    y = softmax(x)
    assert np.all((y >= 0) & (y <= 1))
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=0, atol=SUM_TOL)


@pytest.mark.claim("softmax.sums-to-one")
def test_softmax_sum_error_measured(evidence):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1000, 10)) * 100
    err = np.abs(softmax(x).sum(axis=1) - 1).max()
    evidence("max |Σ softmax − 1|", err)
    assert err < SUM_TOL
