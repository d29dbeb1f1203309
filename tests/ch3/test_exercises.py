"""Chapter 3 · Try it yourself: the answers on the page, proved."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from nnspec.datasets import book_ch3_weights, load_sample
from nnspec.functions import softmax
from nnspec.networks import forward, load_weights
from tests.strategies import vectors
from tests.tolerances import EPS64

SCORES = np.array([0.3, 2.9, 4.0])
# softmax rounds each probability to a few ε: "never lower" is checked up to that rounding.
ROUNDING = 8 * EPS64


@pytest.mark.claim("exercise.ch3-softmax-sharpen")
def test_sharpening_the_books_scores(evidence):
    """softmax(k·(0.3, 2.9, 4.0)) for k = ½, 1, 2: class 3 every time, with 0.5766, 0.7366, 0.8998."""
    top = {k: softmax(k * SCORES) for k in (0.5, 1.0, 2.0)}
    evidence("softmax(k·x) for k = ½, 1, 2", [p.round(4) for p in top.values()])
    assert all(int(np.argmax(p)) == 2 for p in top.values())
    np.testing.assert_allclose([p[2] for p in top.values()], [0.5766, 0.7366, 0.8998], atol=5e-5)


@pytest.mark.claim("exercise.ch3-softmax-sharpen")
@given(x=vectors(min_side=2), k1=st.floats(0.05, 20), k2=st.floats(0.05, 20))
@example(x=np.array([0.3, 2.9, 4.0]), k1=0.5, k2=2.0)
@example(x=np.array([1.0, 1.0 - 1e-3]), k1=1.0, k2=20.0)
def test_a_larger_factor_never_lowers_the_top_probability(x, k1, k2):
    """For x with one largest entry and 0 < k1 ≤ k2: argmax softmax(k·x) = argmax x, and the top
    probability 1 / (1 + Σ_j e^{k(x_j − max x)}) does not decrease in k (each exponent falls)."""
    k1, k2 = sorted((k1, k2))
    ordered = np.sort(x)
    assume(ordered[-1] - ordered[-2] > 1e-6 * (1 + abs(ordered[-1])))  # one clearly largest entry
    p1, p2 = softmax(k1 * x), softmax(k2 * x)
    assert int(np.argmax(p1)) == int(np.argmax(p2)) == int(np.argmax(x))
    assert p2.max() >= p1.max() - ROUNDING


@pytest.mark.claim("exercise.ch3-book-weights-on-sample")
def test_book_weights_on_the_offline_sample(evidence):
    """All 5,000 images of the offline sample (pixels / 255, float32 like the book): 4,700 right."""
    (x_train, t_train), (x_test, t_test) = load_sample(dtype="float32")
    x, t = np.concatenate([x_train, x_test]), np.concatenate([t_train, t_test])
    scores = forward(load_weights(book_ch3_weights()), x)
    correct = int(np.sum(np.argmax(scores, axis=1) == t))
    evidence("right, of the 5,000 sample images", f"{correct} / {len(t)}")
    evidence("accuracy (the test set: 0.9352)", correct / len(t))
    assert correct == 4700
