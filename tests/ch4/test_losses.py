"""Chapter 4 · loss functions: sum of squares error and cross-entropy."""

import re

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnspec.functions import cross_entropy_error, sum_squared_error
from nnspec.gradient import numerical_gradient
from nnspec.losses import targets_as_dense
from tests.ch4.strategies import fewer_examples, one_hot, outputs_and_labels, real_outputs
from tests.strategies import vectors
from tests.tolerances import ROUTE_TOL, SUM_TOL

# The book's example: the answer is class 2 (one-hot t); Y guesses 2 (0.6), Y_WRONG guesses 7.
T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=float)
Y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_WRONG = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])

TINY = float(np.finfo(np.float64).tiny)  # 2.2e-308, the smallest positive normal float64
BOOK_DELTA = 1e-7  # the book adds this inside the log: log(y + 1e-7)


@pytest.mark.claim("loss.sse-book-values")
def test_sse_book_values(evidence):
    """½Σ(y − t)² is 0.0975 for the right guess and 0.5975 for the wrong one, to the book's last digit."""
    right, wrong = sum_squared_error(Y, T), sum_squared_error(Y_WRONG, T)
    evidence("E (guess 2, right)", right)
    evidence("E (guess 7, wrong)", wrong)
    # the book prints 0.097500000000000031 and 0.59750000000000003: the same float64 numbers
    assert right == 0.097500000000000031
    assert wrong == 0.59750000000000003
    assert abs(right - 0.0975) < SUM_TOL and abs(wrong - 0.5975) < SUM_TOL
    assert right < wrong


@pytest.mark.claim("loss.cross-entropy-book-values")
def test_cross_entropy_book_values(evidence):
    """−log 0.6 = 0.5108 for the right guess and −log 0.1 = 2.3026 for the wrong one."""
    right, wrong = cross_entropy_error(Y, T), cross_entropy_error(Y_WRONG, T)
    evidence("E (guess 2, right)", right)
    evidence("E (guess 7, wrong)", wrong)
    assert (round(right, 4), round(wrong, 4)) == (0.5108, 2.3026)
    # exact: the probability of the right class is used as it is, no δ added
    assert right == -np.log(0.6) and wrong == -np.log(0.1)
    # the book's printed values carry its δ = 1e-7: they are lower by δ/y to first order
    book_right, book_wrong = 0.51082545709933802, 2.3025840929945458
    evidence("nnspec − book (its log(y + 1e-7)), right guess", right - book_right)
    evidence("nnspec − book (its log(y + 1e-7)), wrong guess", wrong - book_wrong)
    assert 0 < right - book_right <= BOOK_DELTA / 0.6
    assert 0 < wrong - book_wrong <= BOOK_DELTA / 0.1


@pytest.mark.claim("loss.cross-entropy-guard")
@given(case=outputs_and_labels())
@example(case=(np.array([1.0, 0.0]), np.array(1)))  # zero probability for the answer
@example(case=(np.array([1.0, 0.0]), np.array(0)))  # a perfect prediction
@example(case=(np.array([[5e-324, 1.0]]), np.array([0])))  # a subnormal probability
def test_cross_entropy_guard(case):
    """E = mean of −log max(y_t, tiny): finite, ≥ 0, exact from tiny up; no warning for y_t = 0."""
    y, labels = case
    got = cross_entropy_error(y, labels)
    y_t = np.take_along_axis(np.atleast_2d(y), np.atleast_1d(labels)[:, None], axis=1)[:, 0]
    expected = np.mean(-np.log(np.maximum(y_t, TINY)))
    assert got == pytest.approx(expected, rel=ROUTE_TOL, abs=0)
    assert 0.0 <= got <= -np.log(TINY) * (1 + ROUTE_TOL)  # a mean of values ≤ 708.4
    assert not np.signbit(got)  # 0.0 for a perfect prediction, never -0.0


@pytest.mark.claim("loss.cross-entropy-guard")
def test_cross_entropy_zero_probability_bound(evidence):
    """A zero probability costs exactly −log(tiny) of its dtype; a perfect prediction costs exactly 0."""
    for dtype in (np.float64, np.float32):
        y = np.array([1.0, 0.0], dtype=dtype)
        cost = cross_entropy_error(y, 1)
        evidence(f"E for y_t = 0 ({np.dtype(dtype).name})", cost)
        assert cost == float(-np.log(np.finfo(dtype).tiny))
        assert cross_entropy_error(y, 0) == 0.0
    evidence("the book's E for a perfect prediction", float(-np.log(1.0 + BOOK_DELTA)))


@pytest.mark.claim("loss.batch-mean")
@given(case=outputs_and_labels(ndims=(2,)), copies=st.integers(1, 5))
@example(case=(np.array([[0.5, 0.5], [0.9, 0.1]]), np.array([0, 0])), copies=3)
def test_cross_entropy_batch_mean(case, copies):
    """The loss of a batch is the mean of the per-sample losses; repeating the batch leaves it unchanged."""
    y, labels = case
    per_sample = [cross_entropy_error(y[i], labels[i]) for i in range(len(y))]
    batch = cross_entropy_error(y, labels)
    assert batch == pytest.approx(np.mean(per_sample), rel=ROUTE_TOL, abs=0)
    bigger = cross_entropy_error(np.tile(y, (copies, 1)), np.tile(labels, copies))
    assert bigger == pytest.approx(batch, rel=ROUTE_TOL, abs=0)
    # one sample as (n,) is the same as a batch of one, to the bit
    assert cross_entropy_error(y[0], labels[0]) == cross_entropy_error(y[:1], labels[:1])


@pytest.mark.claim("loss.batch-mean")
@given(case=real_outputs(), copies=st.integers(1, 5))
def test_sse_batch_mean(case, copies):
    """Sum of squares error: per sample ½Σ_k, then the mean over the batch."""
    y, labels = case
    y = np.atleast_2d(y)
    labels = np.atleast_1d(labels)
    t = one_hot(labels, y.shape[1])
    per_sample = [0.5 * np.sum((y[i] - t[i]) ** 2) for i in range(len(y))]
    batch = sum_squared_error(y, t)
    assert batch == pytest.approx(np.mean(per_sample), rel=ROUTE_TOL, abs=0)
    assert sum_squared_error(np.tile(y, (copies, 1)), np.tile(t, (copies, 1))) == pytest.approx(
        batch, rel=ROUTE_TOL, abs=0
    )
    assert sum_squared_error(y[0], t[0]) == sum_squared_error(y[:1], t[:1])


@pytest.mark.claim("loss.batch-mean")
def test_batch_size_does_not_scale_the_loss(evidence):
    """The book's two outputs (a right and a wrong guess) as a batch, then the same pair repeated
    to batches of 10 and 1000: the batch loss stays the mean of the two, where a sum grows with N."""
    pair, labels = np.stack([Y, Y_WRONG]), np.array([2, 2])
    per_sample = [cross_entropy_error(y, t) for y, t in zip(pair, labels)]
    sizes = (2, 10, 1000)
    losses = [cross_entropy_error(np.tile(pair, (n // 2, 1)), np.tile(labels, n // 2)) for n in sizes]
    evidence("per-sample losses: right guess, wrong guess", per_sample)
    evidence("batch loss at N = 2, 10, 1000 (the pair repeated)", losses)
    evidence("sum of the per-sample losses at N = 2, 10, 1000, for contrast", [n // 2 * sum(per_sample) for n in sizes])
    for loss in losses:
        assert loss == pytest.approx(np.mean(per_sample), rel=ROUTE_TOL, abs=0)


@pytest.mark.claim("loss.labels-equal-one-hot")
@given(case=outputs_and_labels())
@example(case=(Y, np.array(2)))
def test_cross_entropy_labels_equal_one_hot(case):
    """Label indices and one-hot rows give the same cross-entropy, to the bit."""
    y, labels = case
    assert cross_entropy_error(y, labels) == cross_entropy_error(y, one_hot(labels, y.shape[-1]))


@pytest.mark.claim("loss.labels-equal-one-hot")
@given(case=real_outputs())
@example(case=(Y, np.array(2)))
def test_sse_labels_equal_one_hot(case):
    """Label indices and one-hot rows give the same sum of squares error, to the bit."""
    y, labels = case
    assert sum_squared_error(y, labels) == sum_squared_error(y, one_hot(labels, y.shape[-1]))


# ½Σ(y−t)² is quadratic, so the central difference has no truncation error; what is left is rounding
# of E (a few ulps of E ≤ 8·(2·10)²/2 = 1600) divided by 2h: 1600·8·eps/2e-4 ≈ 1.4e-8.
SSE_GRAD_TOL = 1e-7


@pytest.mark.claim("loss.sse-gradient-is-difference")
@given(y=vectors(bound=10.0), data=st.data())
@example(y=Y.copy(), data=None)
@fewer_examples
def test_sse_gradient_is_difference(y, data):
    """∂E/∂y = y − t for one sample (the ½ cancels the 2 of the square); (y − t)/N for a batch."""
    t = T.copy() if data is None else data.draw(vectors(min_side=len(y), max_side=len(y), bound=10.0))
    grad = numerical_gradient(lambda v: sum_squared_error(v, t), y.copy())
    np.testing.assert_allclose(grad, y - t, rtol=0, atol=SSE_GRAD_TOL)
    batch = np.stack([y, t, y])
    targets = np.stack([t, y, t])
    grad = numerical_gradient(lambda v: sum_squared_error(v, targets), batch.copy())
    np.testing.assert_allclose(grad, (batch - targets) / 3, rtol=0, atol=SSE_GRAD_TOL)


BAD_INPUTS = [
    # (function, y, t, error, words the message must contain)
    (cross_entropy_error, [0.5, 0.5], 2, ValueError, "[0, 2)"),
    (cross_entropy_error, [0.5, 0.5], -1, ValueError, "[0, 2)"),
    (cross_entropy_error, [[0.5, 0.5]], [0, 5], ValueError, "shape (1,)"),
    (cross_entropy_error, [0.5, 0.5], 1.0, TypeError, "integers"),
    (cross_entropy_error, [0.5, 0.5], True, TypeError, "integers"),
    (cross_entropy_error, [1.5, -0.5], 0, ValueError, "[0, 1]"),
    (cross_entropy_error, [0.5, 0.5], [0.0, 2.0], ValueError, "[0, 1]"),
    (cross_entropy_error, [0.5, 0.5], [0.0, 1.0, 0.0], ValueError, "shape of y (2,)"),
    (cross_entropy_error, [np.nan, 0.5], 0, ValueError, "finite"),
    (cross_entropy_error, 0.5, 0, ValueError, "1-D or 2-D"),
    (cross_entropy_error, np.zeros((0, 3)), np.zeros(0, dtype=int), ValueError, "at least one sample"),
    (cross_entropy_error, ["a", "b"], 0, TypeError, "y must be"),
    (cross_entropy_error, [0.5, 0.5], [[0], [1, 2]], TypeError, "t must be"),
    (sum_squared_error, [1.0, 2.0], 3, ValueError, "[0, 2)"),
    (sum_squared_error, [[1.0, 2.0]], [[1.0, 2.0, 3.0]], ValueError, "got shape (1, 3)"),
    (sum_squared_error, np.zeros((2, 0)), np.zeros((2, 0)), ValueError, "one class"),
]


@pytest.mark.claim("loss.checks-input")
@pytest.mark.parametrize(("fn", "y", "t", "error", "words"), BAD_INPUTS)
def test_losses_refuse_bad_input(fn, y, t, error, words):
    """What a loss cannot score is refused with an error that names the argument and what was wrong."""
    with pytest.raises(error) as info:
        fn(y, t)
    assert words in str(info.value)


@pytest.mark.claim("loss.checks-input")
def test_sse_accepts_any_real_targets():
    """The sum of squares error is also a regression loss: outputs and targets may be any real numbers."""
    assert sum_squared_error([3.0, -1.0], [1.0, 1.0]) == 4.0
    assert sum_squared_error([[1e200]], [[-1e200]]) == np.inf  # beyond the float range: inf, no warning


LOSS_ERRORS = [
    # (y, t, error, the whole message)
    (
        [[0.1, 0.9], [0.6, 0.4]],
        np.array([0.0, 1.0]),
        TypeError,
        "t with shape (2,) is read as class labels, which must be integers, got dtype float64; "
        "pass one-hot targets of shape (2, 2) instead",
    ),
    (
        [[0.1, 0.9], [0.6, 0.4]],
        np.array([0, 1, 1]),
        ValueError,
        "t (labels) must have shape (2,) to match y (2, 2), got (3,)",
    ),
    ([[0.1, 0.9], [0.6, 0.4]], np.array([0, 2]), ValueError, "t (labels) must be class indices in [0, 2), got 2"),
    ([[0.1, 0.9], [0.6, 0.4]], np.array([-1, 0]), ValueError, "t (labels) must be class indices in [0, 2), got -1"),
    (
        [[0.1, 0.9], [0.6, 0.4]],
        np.ones((2, 3)),
        ValueError,
        "t must be one-hot with the shape of y (2, 2), or integer labels of shape (2,); got shape (2, 3)",
    ),
    (
        [[0.1, 0.9], [0.6, 0.4]],
        np.array([[0.0, 2.0], [1.0, 0.0]]),
        ValueError,
        "t (one-hot) must have entries in [0, 1], got 2.0",
    ),
    (
        [[0.1, 0.9], [0.6, 0.4]],
        np.array([[0.0, 1.0], [-0.5, 0.0]]),
        ValueError,
        "t (one-hot) must have entries in [0, 1], got -0.5",
    ),
    (
        np.ones((0, 2)),
        np.zeros(0, dtype=int),
        ValueError,
        "y must have at least one sample and one class, got shape (0, 2)",
    ),
    ([[0.1, 1.5]], np.array([1]), ValueError, "y must be probabilities in [0, 1], got 1.5"),
    ([[-0.1, 0.5]], np.array([1]), ValueError, "y must be probabilities in [0, 1], got -0.1"),
    (0.5, np.array(0), ValueError, "y must be 1-D or 2-D, got shape ()"),
    (
        [[0.1, 0.9], [0.6, 0.4]],
        np.array([["a", "b"], ["c", "d"]]),
        TypeError,
        "t must be a real numeric array (int or float), got dtype <U1 from ndarray",
    ),
]


@pytest.mark.claim("loss.checks-input")
@pytest.mark.parametrize(("y", "t", "error", "message"), LOSS_ERRORS)
def test_cross_entropy_refusals_word_for_word(y, t, error, message):
    with pytest.raises(error, match="^" + re.escape(message) + "$"):
        cross_entropy_error(np.asarray(y, dtype=float), t)


@pytest.mark.claim("loss.checks-input")
def test_a_ragged_target_is_named():
    with pytest.raises(TypeError, match=r"^t must be a numeric array, got list \(setting an array element"):
        cross_entropy_error(np.array([[0.1, 0.9], [0.6, 0.4]]), [[0, 1], [1]])


@pytest.mark.claim("loss.checks-input")
def test_targets_as_dense_names_the_shapes_of_any_y():
    """For y of any rank the labels must have shape y.shape[:-1], the one-hot targets y's shape;
    each message gives both shapes in full."""
    y = np.zeros((2, 3, 4))
    with pytest.raises(
        ValueError, match="^" + re.escape("t (labels) must have shape (2, 3) to match y (2, 3, 4), got (3, 2)") + "$"
    ):
        targets_as_dense(y, np.zeros((3, 2), dtype=int), probabilities=True)
    message = "t must be one-hot with the shape of y (2, 3, 4), or integer labels of shape (2, 3); got shape (2, 3, 5)"
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        targets_as_dense(y, np.zeros((2, 3, 5)), probabilities=True)


@pytest.mark.claim("loss.labels-equal-one-hot")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_labels_become_one_hot_rows_in_ys_dtype(dtype):
    """Labels become the one-hot rows e_label, in y's dtype (a float32 network compares float32 with float32)."""
    dense = targets_as_dense(np.zeros((2, 3), dtype=dtype), np.array([2, 0]), probabilities=True)
    assert dense.dtype == dtype
    np.testing.assert_array_equal(dense, [[0, 0, 1], [1, 0, 0]])
