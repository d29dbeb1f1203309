"""Chapter 6 · dropout: inverted scaling keeps the expectation; masks come from the layer's own seed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnspec.layers import Dropout
from tests.strategies import seeds

MASKS = 20_000  # masks averaged per claim: the mean's spread falls as 1/√MASKS


@pytest.mark.claim("dropout.inverted-expectation")
@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_training_mean_equals_the_input(p, evidence):
    """Averaged over 20,000 masks, the training output m ⊙ x/(1 − p) equals x: each entry is x/(1 − p)
    with probability 1 − p and 0 otherwise, so its mean is x and its spread |x|·√(p/(1 − p))."""
    x = np.array([[1.0, -2.0, 0.5, 3.0]])
    layer = Dropout(p, rng=0)
    outs = np.stack([layer.forward(x) for _ in range(MASKS)])
    mean = outs.mean(axis=0)
    spread = np.abs(x) * np.sqrt(p / (1 - p)) / np.sqrt(MASKS)  # standard error of the mean
    kept = float(np.mean(outs != 0))
    evidence(f"p = {p}: mean output over {MASKS:,} masks (input 1, −2, 0.5, 3)", mean.ravel().round(4))
    evidence(f"p = {p}: fraction of units kept", kept)
    assert np.all(np.abs(mean - x) <= 5 * spread)
    assert abs(kept - (1 - p)) <= 5 * np.sqrt(p * (1 - p) / outs.size)
    assert set(np.unique(outs[:, 0, 0])) == {0.0, 1.0 / (1 - p)}


@pytest.mark.claim("dropout.inverted-expectation")
@given(seed=seeds, p=st.floats(0.0, 0.95))
def test_inference_is_the_identity_and_backward_uses_the_same_mask(seed, p):
    """train_flg=False returns x unchanged (no 1 − p factor: the training pass already scaled);
    backward after a training pass multiplies dout by the very same mask and scale."""
    rng = np.random.default_rng(seed)
    x, dout = rng.normal(size=(4, 6)), rng.normal(size=(4, 6))
    layer = Dropout(p, rng=seed)
    np.testing.assert_array_equal(layer.forward(x, train_flg=False), x)
    np.testing.assert_array_equal(layer.backward(dout), dout)
    y = layer.forward(x, train_flg=True)
    scale = 1 / (1 - p)
    if p == 0:  # nothing is dropped: the identity in training too, and no mask is drawn
        assert layer.mask is None
        np.testing.assert_array_equal(y, x)
        np.testing.assert_array_equal(layer.backward(dout), dout)
        return
    np.testing.assert_array_equal(y, np.where(layer.mask, x * scale, 0.0))
    np.testing.assert_array_equal(layer.backward(dout), np.where(layer.mask, dout * scale, 0.0))


@pytest.mark.claim("dropout.inverted-expectation")
def test_the_books_scaling_gives_the_same_expectation(evidence):
    """The book keeps units unscaled in training and multiplies by 1 − p at inference. Both give
    inference outputs equal to the expected training output; inverted dropout puts the factor where
    inference never sees it."""
    p, x = 0.5, np.array([2.0, -4.0])
    layer = Dropout(p, rng=1)
    ours_train = np.mean([layer.forward(x) for _ in range(MASKS)], axis=0)
    book_train = ours_train * (1 - p)  # the book's training output: m ⊙ x, without the 1/(1 − p)
    book_inference = x * (1 - p)
    evidence("mean training output: nnspec, the book", [ours_train.round(3).tolist(), book_train.round(3).tolist()])
    evidence(
        "inference output: nnspec, the book", [layer.forward(x, train_flg=False).tolist(), book_inference.tolist()]
    )
    np.testing.assert_allclose(ours_train, layer.forward(x, train_flg=False), rtol=0.05)
    np.testing.assert_allclose(book_train, book_inference, rtol=0.05)


@pytest.mark.claim("dropout.seeded")
def test_same_seed_same_masks_and_no_global_state(evidence):
    """Two layers with one seed draw identical masks; another seed draws others; NumPy's global
    random state is neither read nor moved."""
    x = np.ones((3, 50))
    np.random.seed(123)  # the legacy global state: dropout must not touch it
    before = np.random.get_state()[1].copy()
    a, b, c = Dropout(0.5, rng=7), Dropout(0.5, rng=7), Dropout(0.5, rng=8)
    for _ in range(3):
        ya, yb, yc = a.forward(x), b.forward(x), c.forward(x)
        np.testing.assert_array_equal(ya, yb)
        assert not np.array_equal(ya, yc)
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    evidence("units kept in the first row, seed 7 and seed 8", [int(a.mask[0].sum()), int(c.mask[0].sum())])
    gen = np.random.default_rng(7)
    assert Dropout(0.5, rng=gen).rng is gen  # a Generator is used as given


@pytest.mark.claim("dropout.seeded")
@pytest.mark.parametrize(
    ("ratio", "error", "message"),
    [
        (1.0, ValueError, r"dropout_ratio must be a finite number in \[0, 1\), got 1.0"),
        (-0.1, ValueError, r"dropout_ratio must be a finite number in \[0, 1\), got -0.1"),
        ("half", TypeError, r"dropout_ratio must be a real number, got str"),
    ],
)
def test_bad_ratios_are_named(ratio, error, message):
    with pytest.raises(error, match=message):
        Dropout(ratio)


@pytest.mark.claim("dropout.seeded")
def test_bad_calls_are_named():
    layer = Dropout(0.5, rng=0)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones(3))
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dout must have the forward input's shape \(2, 3\), got \(3,\)"):
        layer.backward(np.ones(3))
    out = Dropout(0.3, rng=0).forward(np.ones(4, dtype=np.float32))
    assert out.dtype == np.float32


@pytest.mark.claim("dropout.seeded")
def test_a_seeded_network_with_dropout_trains_reproducibly():
    """MultiLayerNet hands its rng to its dropout layers: one seed, the same masks, the same gradients."""
    from nnspec.networks import MultiLayerNet

    x, t = np.random.default_rng(0).normal(size=(8, 5)), np.arange(8) % 3
    nets = [MultiLayerNet(5, [6, 6], 3, use_dropout=True, dropout_ratio=0.5, rng=seed) for seed in (4, 4)]
    g = [net.gradient(x, t) for net in nets]
    for k in g[0]:
        np.testing.assert_array_equal(g[0][k], g[1][k])
    np.testing.assert_array_equal(nets[0].layers["Dropout1"].mask, nets[1].layers["Dropout1"].mask)
    again = [net.gradient(x, t) for net in nets]  # the second step draws new masks, the same in both
    assert not np.array_equal(nets[0].layers["Dropout1"].mask, np.zeros_like(nets[0].layers["Dropout1"].mask))
    for k in again[0]:
        np.testing.assert_array_equal(again[0][k], again[1][k])


@pytest.mark.claim("dropout.seeded")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_mask_is_a_uniform_draw_in_the_inputs_dtype_at_least_p(dtype):
    """A training pass keeps unit i iff u_i >= p, u = rng.random(x.shape, dtype=x.dtype): with p set to
    a value the generator draws, that unit is kept (u = p counts as kept, so P(kept) = 1 − p exactly)."""
    shape, seed = (3, 7), 11
    u = np.random.default_rng(seed).random(shape, dtype=dtype)
    p = float(u[1, 2])  # a value the draw hits exactly
    layer = Dropout(p, rng=seed)
    y = layer.forward(np.ones(shape, dtype=dtype))
    np.testing.assert_array_equal(layer.mask, u >= p)
    assert layer.mask[1, 2]
    assert y.dtype == dtype


@pytest.mark.claim("dropout.seeded")
def test_the_defaults_and_a_fresh_layer():
    """The default ratio is the book's 0.5; a fresh layer has no mask yet."""
    layer = Dropout()
    assert layer.dropout_ratio == 0.5
    assert layer.mask is None


@pytest.mark.claim("dropout.seeded")
def test_bad_calls_are_named_word_for_word():
    """forward checks its input unless told not to (a list is accepted, a bool array refused as x);
    backward names dout and refuses to run before forward."""
    layer = Dropout(0.5, rng=0)
    with pytest.raises(RuntimeError, match=r"^Dropout\.backward called before forward$"):
        layer.backward(np.ones(3))
    with pytest.raises(TypeError, match=r"^x must be a real numeric array \(int or float\), got dtype bool"):
        layer.forward(np.array([True, False]))
    assert layer.forward([1, 2, 3]).shape == (3,)
    with pytest.raises(TypeError, match=r"^dout must be a real numeric array \(int or float\), got dtype bool"):
        layer.backward(np.array([True, False, True]))


@pytest.mark.claim("dtype.float32-end-to-end")
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_dropout_keeps_the_inputs_dtype_even_for_a_float64_dout(dtype):
    """Output and gradient have x's dtype (float16 too); a float64 dout is cast to it first."""
    layer = Dropout(0.5, rng=3)
    y = layer.forward(np.ones((4, 5), dtype=dtype))
    assert y.dtype == dtype
    dout = np.full((4, 5), 1 + np.pi * 2.0**-30)  # not representable in float32
    dx = layer.backward(dout)
    assert dx.dtype == dtype
    np.testing.assert_array_equal(dx, layer.backward(dout.astype(dtype)))
