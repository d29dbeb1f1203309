"""Chapter 3 · the book's pretrained network on the real MNIST test set.

The weights ship with nnspec; the test set is the reader's download
(``python -m nnspec.datasets download --test-only``) or ``../shared/data/mnist``.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnspec.datasets import read_idx
from nnspec.functions import softmax
from nnspec.networks import forward, load_weights

BOOK_ACCURACY = 0.9352  # printed by the book: 9352 of the 10,000 test images


@pytest.fixture(scope="module")
def mnist_scores(mnist_test_dir, book_ch3_weights):
    """One batched forward pass of all 10,000 test images (pixels / 255, as float32 like the book)."""
    images = read_idx(mnist_test_dir / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(mnist_test_dir / "t10k-labels-idx1-ubyte.gz")
    x = images.reshape(len(images), -1).astype(np.float32) / 255
    return forward(load_weights(book_ch3_weights), x), labels


@pytest.mark.claim("network.book-mnist-accuracy")
def test_book_weights_classify_mnist_test_set(mnist_scores, evidence):
    scores, labels = mnist_scores
    assert scores.shape == (10_000, 10) and labels.shape == (10_000,)
    correct = int(np.sum(np.argmax(scores, axis=1) == labels))
    evidence("accuracy", correct / len(labels))
    evidence("correct", f"{correct} / {len(labels)}")
    assert correct == 9352
    assert correct / len(labels) == BOOK_ACCURACY


@pytest.mark.claim("softmax.skip-at-inference")
def test_softmax_changes_no_mnist_prediction(mnist_scores, evidence):
    """On all 10,000 test images, argmax with and without the softmax output agree."""
    scores, _ = mnist_scores
    same = int(np.sum(np.argmax(softmax(scores), axis=1) == np.argmax(scores, axis=1)))
    evidence("same class with and without softmax", f"{same} / {len(scores)}")
    assert same == len(scores)
