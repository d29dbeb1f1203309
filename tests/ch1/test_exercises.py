"""Chapter 1 · Try it yourself: the answers on the page, proved."""

from __future__ import annotations

import numpy as np
import pytest

from nnspec.datasets import book_ch3_weights
from nnspec.functions import sigmoid
from nnspec.networks import forward, load_weights
from nnspec.rng import as_generator


@pytest.mark.claim("exercise.ch1-shapes")
def test_shapes_through_the_books_network(evidence):
    """(100, 784) @ W1 → (100, 50), @ W2 → (100, 100), @ W3 → (100, 10); the (100, 100) layer is
    where a per-image vector of shape (100,) broadcasts along the rows without an error."""
    net = load_weights(book_ch3_weights())
    x = np.zeros((100, 784), dtype=np.float32)
    a1 = x @ net["W1"] + net["b1"]
    a2 = sigmoid(a1) @ net["W2"] + net["b2"]
    a3 = sigmoid(a2) @ net["W3"] + net["b3"]
    shapes = [x.shape, a1.shape, a2.shape, a3.shape]
    evidence("shapes: x, after W1, after W2, after W3", [list(s) for s in shapes])
    assert shapes == [(100, 784), (100, 50), (100, 100), (100, 10)]
    assert forward(net, x).shape == (100, 10)
    per_image = np.arange(100, dtype=np.float32)  # one number per image, meant for its row
    silently = a2 + per_image  # no error: goes along each row, entry j to column j
    meant = a2 + per_image[:, None]  # one value per row
    assert silently.shape == meant.shape == (100, 100)
    np.testing.assert_array_equal(silently, a2 + np.tile(per_image, (100, 1)))  # entry j to column j
    assert not np.array_equal(silently, meant)
    with pytest.raises(ValueError):
        a1 + per_image  # (100, 50) + (100,): not square, so NumPy refuses


@pytest.mark.claim("exercise.ch1-seed-or-generator")
def test_a_seed_repeats_a_generator_continues(evidence):
    """as_generator(7) twice: equal draws. One Generator passed twice: the second draw continues
    its stream, so it differs from the first, and the first equals the seed-7 draw."""
    first_seeded = as_generator(7).normal(size=3)
    second_seeded = as_generator(7).normal(size=3)
    g = np.random.default_rng(7)
    first_passed = as_generator(g).normal(size=3)
    second_passed = as_generator(g).normal(size=3)
    evidence("as_generator(7).normal(size=3), twice", [first_seeded.round(4), second_seeded.round(4)])
    evidence("one default_rng(7) passed twice", [first_passed.round(4), second_passed.round(4)])
    assert np.array_equal(first_seeded, second_seeded)
    assert np.array_equal(first_passed, first_seeded)
    assert not np.array_equal(second_passed, first_passed)
