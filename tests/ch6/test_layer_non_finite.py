"""Chapter 6 · what an infinity or a NaN does in the layers that mix entries: it spreads only as far
as the layer's formula reaches, and nothing raises (NumPy's RuntimeWarning is left for the caller)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nnspec.layers import Affine, BatchNormalization, Dropout, SoftmaxWithLoss

N, D, K = 4, 5, 3
BAD_ROW, BAD_COL = 1, 2  # the one non-finite entry of x


def _x(bad):
    x = np.random.default_rng(0).standard_normal((N, D))
    x[BAD_ROW, BAD_COL] = bad
    return x


def _spoiled(n, d, rows=(), cols=()):
    """The boolean (n, d) mask of entries expected non-finite: whole rows, whole columns."""
    mask = np.zeros((n, d), dtype=bool)
    mask[list(rows), :] = True
    mask[:, list(cols)] = True
    return mask


def _quietly(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # inf - inf and 0 * inf: NumPy warns, we check values
        return fn(*args, **kwargs)


BADS = pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])


@pytest.mark.claim("layers.non-finite-spread")
@BADS
def test_affine_spoils_its_sample_row_and_its_feature_row_of_dw(bad):
    """Y = XW + b: entry (n, j) of X reaches row n of Y and row j of ∂L/∂W = XᵀD, nothing else; ∂L/∂X = DWᵀ never sees X."""
    rng = np.random.default_rng(1)
    layer = Affine(rng.standard_normal((D, K)), rng.standard_normal(K))
    y = _quietly(layer.forward, _x(bad))
    np.testing.assert_array_equal(~np.isfinite(y), _spoiled(N, K, rows=[BAD_ROW]))
    dx = _quietly(layer.backward, np.ones((N, K)))
    assert np.isfinite(dx).all() and np.isfinite(layer.grads["b"]).all()
    np.testing.assert_array_equal(~np.isfinite(layer.grads["W"]), _spoiled(D, K, rows=[BAD_COL]))


@pytest.mark.claim("layers.non-finite-spread")
@BADS
@pytest.mark.parametrize("train_flg", [True, False], ids=["training", "inference"])
def test_dropout_keeps_it_in_its_own_entry(bad, train_flg):
    """Dropout multiplies entry by entry: only the bad entry is non-finite (a dropped infinity is 0 · ∞ = NaN, still only there)."""
    layer = Dropout(0.5, rng=3)
    y = _quietly(layer.forward, _x(bad), train_flg)
    expected = np.zeros((N, D), dtype=bool)
    expected[BAD_ROW, BAD_COL] = True
    np.testing.assert_array_equal(~np.isfinite(y), expected)
    dx = _quietly(layer.backward, np.ones((N, D)))
    assert np.isfinite(dx).all()


@pytest.mark.claim("layers.non-finite-spread")
@BADS
def test_batchnorm_spoils_its_feature_over_the_batch_and_in_the_running_averages(bad):
    """Training normalizes each feature with its batch mean and variance: the bad feature's column is spoiled for
    every sample, and so are its running averages, so later inference spoils that feature for any input too."""
    layer = BatchNormalization(np.ones(D), np.zeros(D))
    y = _quietly(layer.forward, _x(bad), True)
    np.testing.assert_array_equal(~np.isfinite(y), _spoiled(N, D, cols=[BAD_COL]))
    for name in ("running_mean", "running_var"):
        np.testing.assert_array_equal(~np.isfinite(layer.state[name]), np.arange(D) == BAD_COL)
    later = _quietly(layer.forward, np.zeros((2, D)), False)
    np.testing.assert_array_equal(~np.isfinite(later), _spoiled(2, D, cols=[BAD_COL]))
    fresh = BatchNormalization(np.ones(D), np.zeros(D))
    y = _quietly(fresh.forward, _x(bad), False)  # inference with clean running averages: entry by entry
    expected = np.zeros((N, D), dtype=bool)
    expected[BAD_ROW, BAD_COL] = True
    np.testing.assert_array_equal(~np.isfinite(y), expected)


@pytest.mark.claim("layers.non-finite-spread")
@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
def test_softmax_with_loss_spoils_the_loss_and_its_sample_row(bad):
    """The loss is a mean over samples, so it is not finite; the gradient (y − t)/N is spoiled in the bad sample's row only."""
    layer = SoftmaxWithLoss()
    loss = _quietly(layer.forward, _x(bad), np.arange(N) % D)
    assert not np.isfinite(loss)
    dx = _quietly(layer.backward)
    np.testing.assert_array_equal(~np.isfinite(dx), _spoiled(N, D, rows=[BAD_ROW]))


@pytest.mark.claim("layers.non-finite-spread")
def test_minus_infinity_is_an_impossible_class():
    """A score of −∞ is exact, not spoiled: exp(−∞) = 0, so that class gets probability 0 and gradient y − t = 0,
    the loss stays finite — unless −∞ is the label's own score, whose probability 0 makes the loss +∞."""
    x, t = _x(-np.inf), np.arange(N) % D
    assert t[BAD_ROW] != BAD_COL
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    dx = layer.backward()
    finite = x.copy()
    finite[BAD_ROW, BAD_COL] = -1e4  # far enough below the rest that exp() of it is 0 in float64
    reference = SoftmaxWithLoss()
    assert loss == reference.forward(finite, t)
    np.testing.assert_array_equal(dx, reference.backward())
    assert dx[BAD_ROW, BAD_COL] == 0.0
    t[BAD_ROW] = BAD_COL
    assert _quietly(SoftmaxWithLoss().forward, x, t) == np.inf


@pytest.mark.claim("layers.non-finite-spread")
def test_the_warning_is_numpys_and_is_not_hidden():
    """nnspec does not silence NumPy: an invalid operation warns, so np.errstate(invalid="raise") (train() uses it) can stop a run."""
    x = np.zeros((N, D))
    x[0, :2] = np.inf, -np.inf  # their sum in x @ W is inf - inf: NaN
    with pytest.warns(RuntimeWarning, match="invalid value"):
        Affine(np.ones((D, K)), np.zeros(K)).forward(x)
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
        SoftmaxWithLoss().forward(_x(np.inf), np.zeros(N, dtype=int))
