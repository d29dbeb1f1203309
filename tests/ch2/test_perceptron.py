"""Chapter 2: a perceptron fires when w·x + b > 0; AND, NAND and OR are one perceptron each."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnspec import perceptron
from nnspec.functions import step_function
from nnspec.perceptron import AND, NAND, OR, Perceptron
from tests.ch2.strategies import BINARY, TRUTH, dyadic, inputs, weights
from tests.strategies import floats
from tests.tolerances import EPS64

# The float64 weighted sum (w1*x1 + w2*x2) + b takes 4 rounded operations; each is off by at most
# half an ulp of its result, so the computed sum is within 2·eps·(|w1 x1| + |w2 x2| + |b|) of the
# real one (plus a few subnormal steps when products underflow). Off that band around the
# boundary, the float rule must give the real-number answer.
ROUNDING_MARGIN = 2 * EPS64
UNDERFLOW_SLACK = Fraction(2) ** -1070  # a few multiples of the smallest subnormal, 2^-1074

# Input batches of shape (n, 2), n = 0..8, with moderate real entries.
pairs = hnp.arrays(np.float64, st.tuples(st.integers(0, 8), st.just(2)), elements=floats())


def real_sum(w1, w2, b, x1, x2) -> Fraction:
    """w1 x1 + w2 x2 + b in exact rational arithmetic (no rounding at all)."""
    return Fraction(w1) * Fraction(x1) + Fraction(w2) * Fraction(x2) + Fraction(b)


# --------------------------------------------------------------------------- threshold rule


@pytest.mark.claim("perceptron.threshold-rule")
@given(w1=weights, w2=weights, b=weights, x1=inputs, x2=inputs)
@example(w1=0.5, w2=0.5, b=-1.0, x1=1.0, x2=1.0)  # w·x + b is exactly 0: not above, so 0
@example(w1=0.5, w2=0.5, b=-0.7, x1=0.7, x2=0.7)  # on AND's line, also exactly 0 in float64
@example(w1=0.0, w2=0.0, b=0.0, x1=5.0, x2=-3.0)  # all parameters 0: never fires
@example(w1=0.0, w2=0.0, b=5e-324, x1=0.0, x2=0.0)  # the smallest positive bias fires
@example(w1=0.1, w2=0.2, b=0.3, x1=1.0, x2=1.0)  # (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3) in float64
def test_fires_iff_weighted_sum_is_positive(w1, w2, b, x1, x2):
    """gate(x) = [w1 x1 + w2 x2 + b > 0] = [w1 x1 + w2 x2 > θ] with θ = -b, bit for bit in float64."""
    gate = Perceptron(w=(w1, w2), b=b)
    s = w1 * x1 + w2 * x2 + b  # Python floats are IEEE float64: the formula exactly as written
    y = gate(x1, x2)
    assert type(y) is int
    assert y == (1 if s > 0 else 0), f"w·x + b = {s!r} but the perceptron gave {y}"
    assert gate.weighted_sum(x1, x2) == s
    theta = -b  # the book's first form: fire when the weighted sum exceeds the threshold
    assert y == (1 if w1 * x1 + w2 * x2 > theta else 0)
    assert y == int(step_function(s))  # the same thing as chapter 3's step function of w·x + b


@pytest.mark.claim("perceptron.threshold-rule")
@given(w1=dyadic, w2=dyadic, x1=dyadic, x2=dyadic, b=st.one_of(dyadic, st.none()))
def test_threshold_rule_is_exact_where_float64_is_exact(w1, w2, x1, x2, b):
    """On inputs float64 adds and multiplies without rounding, the output is the real-number rule;
    b=None puts the input exactly on the boundary w·x + b = 0, where the output must be 0."""
    if b is None:
        b = -(w1 * x1 + w2 * x2)  # exact on dyadic inputs (see tests/ch2/strategies.py)
    real = real_sum(w1, w2, b, x1, x2)
    gate = Perceptron(w=(w1, w2), b=b)
    assert Fraction(float(gate.weighted_sum(x1, x2))) == real
    assert gate(x1, x2) == (1 if real > 0 else 0)


@pytest.mark.claim("perceptron.threshold-rule")
@given(w1=weights, w2=weights, b=weights, x1=inputs, x2=inputs)
def test_threshold_rule_agrees_with_real_arithmetic_off_the_boundary(w1, w2, b, x1, x2):
    """For any real weights and inputs, the output is [w·x + b > 0] of the exact real numbers,
    unless w·x + b is within float64 rounding of 0."""
    real = real_sum(w1, w2, b, x1, x2)
    size = abs(Fraction(w1) * Fraction(x1)) + abs(Fraction(w2) * Fraction(x2)) + abs(Fraction(b))
    if abs(real) > Fraction(ROUNDING_MARGIN) * size + UNDERFLOW_SLACK:
        assert Perceptron(w=(w1, w2), b=b)(x1, x2) == (1 if real > 0 else 0)


@pytest.mark.claim("perceptron.threshold-rule")
def test_threshold_rule_measured(evidence):
    """2,000 seeded random (perceptron, input) cases against exact rational arithmetic."""
    rng = np.random.default_rng(20240602)
    cases = agree = near = 0
    for _ in range(20):
        w1, w2, b = (float(v) for v in rng.normal(scale=10, size=3))
        gate = Perceptron(w=(w1, w2), b=b)
        x = rng.normal(scale=10, size=(100, 2))
        y = gate(x)
        for (x1, x2), yi in zip(x.tolist(), y.tolist()):
            real = real_sum(w1, w2, b, x1, x2)
            size = abs(Fraction(w1) * Fraction(x1)) + abs(Fraction(w2) * Fraction(x2)) + abs(Fraction(b))
            cases += 1
            if abs(real) <= Fraction(ROUNDING_MARGIN) * size + UNDERFLOW_SLACK:
                near += 1
                continue
            agree += yi == (1 if real > 0 else 0)
    evidence("random (perceptron, input) cases", cases)
    evidence("cases within rounding distance of the line (not judged)", near)
    evidence("other cases whose output agrees with exact arithmetic", agree)
    assert agree == cases - near


@pytest.mark.claim("perceptron.threshold-rule")
@given(w1=weights, w2=weights, b=weights, x=pairs)
def test_a_batch_applies_the_rule_row_by_row(w1, w2, b, x):
    """gate(x) for x of shape (n, 2) is the int64 vector of gate(x[i]); two (n,) arrays work too."""
    gate = Perceptron(w=(w1, w2), b=b)
    y = gate(x)
    assert y.shape == (len(x),) and y.dtype == np.int64
    assert y.tolist() == [gate(row) for row in x]
    assert np.array_equal(gate(x[:, 0], x[:, 1]), y)


# --------------------------------------------------------------------------- AND, NAND, OR


@pytest.mark.claim("perceptron.and-nand-or")
@pytest.mark.parametrize("name", ["AND", "NAND", "OR"])
def test_truth_table(name, evidence):
    """The book's gates give the truth tables, in every call form."""
    gate = getattr(perceptron, name)
    want = TRUTH[name]
    assert [gate(int(a), int(b)) for a, b in BINARY] == want  # two numbers
    assert [gate(row) for row in BINARY] == want  # one (2,) array
    assert gate(BINARY).tolist() == want  # a (4, 2) batch
    assert gate(BINARY[:, 0], BINARY[:, 1]).tolist() == want  # two (4,) arrays
    assert gate(BINARY.astype(bool)).tolist() == want  # booleans are 0 and 1
    assert [gate(bool(a), bool(b)) for a, b in BINARY] == want
    evidence("w₁, w₂, b", [*gate.w, gate.b])
    evidence("w·x + b on (0,0), (1,0), (0,1), (1,1)", [round(v, 12) for v in gate.weighted_sum(BINARY)])


@pytest.mark.claim("perceptron.and-nand-or")
def test_the_books_parameters():
    """AND w=(0.5, 0.5) b=-0.7; NAND w=(-0.5, -0.5) b=0.7; OR w=(0.5, 0.5) b=-0.2."""
    assert (AND.w, AND.b) == ((0.5, 0.5), -0.7)
    assert (NAND.w, NAND.b) == ((-0.5, -0.5), 0.7)
    assert (OR.w, OR.b) == ((0.5, 0.5), -0.2)


@pytest.mark.claim("perceptron.and-nand-or")
@pytest.mark.parametrize("w1, w2, theta", [(0.5, 0.5, 0.7), (0.5, 0.5, 0.8), (1.0, 1.0, 1.0)])
def test_other_parameters_also_make_and(w1, w2, theta):
    """The parameters are not unique: the book's other choices of (w1, w2, θ) make AND too."""
    assert Perceptron(w=(w1, w2), b=-theta)(BINARY).tolist() == TRUTH["AND"]


# --------------------------------------------------------------------------- one structure


@pytest.mark.claim("perceptron.same-structure")
@given(x=pairs)
@example(x=BINARY)
def test_gates_differ_only_in_weights_and_bias(x):
    """AND, NAND and OR are the same Perceptron code; a fresh, unnamed perceptron with a gate's
    (w, b) computes the same function on any real input."""
    for gate in (AND, NAND, OR):
        assert type(gate) is Perceptron
        twin = Perceptron(w=gate.w, b=gate.b)
        assert np.array_equal(twin(x), gate(x))
    assert OR.w == AND.w  # OR is AND with a lower threshold: only the bias differs


@pytest.mark.claim("perceptron.same-structure")
def test_nand_parameters_are_and_negated():
    assert NAND.w == tuple(-w for w in AND.w)
    assert NAND.b == -AND.b


@pytest.mark.claim("perceptron.same-structure")
@given(w1=weights, w2=weights, b=weights, x=pairs)
@example(w1=0.5, w2=0.5, b=-0.7, x=np.array([[0.7, 0.7], [0.0, 1.4], [1.0, 1.0]]))  # AND's line
@example(w1=0.5, w2=0.5, b=-0.7, x=BINARY)
def test_negating_every_parameter_flips_the_side(w1, w2, b, x):
    """With (w, b) negated, w·x + b is negated exactly, so the output is flipped everywhere
    except on the line w·x + b = 0, where both perceptrons output 0."""
    p = Perceptron(w=(w1, w2), b=b)
    q = Perceptron(w=(-w1, -w2), b=-b)
    s = p.weighted_sum(x)
    assert np.array_equal(q.weighted_sum(x), -s)  # IEEE rounding is symmetric: negation is exact
    off = s != 0
    assert np.array_equal(q(x)[off], 1 - p(x)[off])
    assert not p(x)[~off].any() and not q(x)[~off].any()


@pytest.mark.claim("perceptron.same-structure")
def test_nand_is_not_and_on_binary_inputs(evidence):
    """No binary input lies on AND's line, so there NAND is exactly NOT AND; the point (0.7, 0.7)
    lies on it, and there both output 0."""
    s = AND.weighted_sum(BINARY)
    evidence("min |w·x + b| of AND over binary inputs", float(np.abs(s).min()))
    assert np.all(s != 0)
    assert np.array_equal(NAND(BINARY), 1 - AND(BINARY))
    assert AND.weighted_sum(0.7, 0.7) == 0 and AND(0.7, 0.7) == 0 and NAND(0.7, 0.7) == 0


# --------------------------------------------------------------------------- bad input

ANY_GATE = [AND, NAND, OR, perceptron.XOR]


@pytest.mark.claim("perceptron.bad-input")
@pytest.mark.parametrize("gate", ANY_GATE, ids=lambda g: getattr(g, "name", getattr(g, "__name__", "?")))
@pytest.mark.parametrize(
    "args, error, words",
    [
        (("a", 1), TypeError, ["x1", "str"]),
        ((0, "b"), TypeError, ["x2", "str"]),
        ((["0", "1"],), TypeError, ["x", "<U1"]),
        (([[0, 1], [1]],), TypeError, ["x", "list"]),  # ragged
        ((None, 1), TypeError, ["x1", "object"]),
        (([0, 1, 1],), ValueError, ["x", "2", "(3,)"]),
        (([[0, 1, 1]],), ValueError, ["x", "2", "(1, 3)"]),
        ((5,), ValueError, ["x", "(2,) or (n, 2)", "()"]),
        ((np.zeros((2, 2, 2)),), ValueError, ["x", "(2,) or (n, 2)", "(2, 2, 2)"]),
        (([0, 1], [1, 0, 1]), ValueError, ["x1", "x2", "(2,)", "(3,)"]),
        (([0, 1], 1), ValueError, ["x1", "x2", "(2,)", "()"]),
        (([[0, 1]], [[1, 0]]), ValueError, ["x1", "x2", "(1, 2)"]),
        ((np.nan, 1), ValueError, ["x1", "finite", "nan"]),
        (([[0, 1], [1, np.inf]],), ValueError, ["x", "finite", "inf"]),
    ],
    ids=lambda v: " ".join(repr(v).split()) if not isinstance(v, type) else v.__name__,
)
def test_bad_input_is_named(gate, args, error, words):
    """Wrong shapes, non-numbers and non-finite values get an error naming the argument,
    what was expected and what was given."""
    with pytest.raises(error) as info:
        gate(*args)
    for word in words:
        assert word in str(info.value), f"{word!r} not in {str(info.value)!r}"


@pytest.mark.claim("perceptron.bad-input")
@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"w": (1, 2, 3), "b": 0}, ValueError, ["w", "(2,)", "(3,)"]),
        ({"w": 1.0, "b": 0}, ValueError, ["w", "(2,)", "()"]),
        ({"w": ("a", "b"), "b": 0}, TypeError, ["w", "<U1"]),
        ({"w": (1, np.nan), "b": 0}, ValueError, ["w", "finite"]),
        ({"w": (1, 2), "b": [1, 2]}, ValueError, ["b", "one number", "(2,)"]),
        ({"w": (1, 2), "b": "0"}, TypeError, ["b", "str"]),
        ({"w": (1, 2), "b": np.inf}, ValueError, ["b", "finite"]),
        ({"w": (1, 2), "b": 0, "name": 3}, TypeError, ["name", "str", "int"]),
    ],
)
def test_bad_parameters_are_named(kwargs, error, words):
    with pytest.raises(error) as info:
        Perceptron(**kwargs)
    for word in words:
        assert word in str(info.value), f"{word!r} not in {str(info.value)!r}"


@pytest.mark.claim("perceptron.bad-input")
@pytest.mark.parametrize("x, arg", [((1, 1), "x1, x2"), (([1, 1],), "x"), (([[0, 0], [1, 1]],), "x")])
def test_an_overflowing_weighted_sum_is_refused(x, arg):
    """Finite inputs whose weighted sum overflows float64 get a ValueError, not inf or a warning."""
    big = Perceptron(w=(1e308, 1e308), b=0.0, name="big")
    with pytest.raises(ValueError) as info:
        big(*x)
    msg = str(info.value)
    assert f"big({arg})" in msg and "finite" in msg and "[1.0, 1.0]" in msg


@pytest.mark.claim("perceptron.bad-input")
@pytest.mark.parametrize("gate", ANY_GATE, ids=lambda g: getattr(g, "name", getattr(g, "__name__", "?")))
@pytest.mark.parametrize(
    "args, message",
    [
        (("a", 1), r"^x1 must be a real numeric array \(int or float\), got dtype <U1 from str$"),
        ((0, "b"), r"^x2 must be a real numeric array \(int or float\), got dtype <U1 from str$"),
        ((["0", "1"],), r"^x must be a real numeric array \(int or float\), got dtype <U1 from list$"),
        (([0, 1, 1],), r"^x must have last dimension 2, got shape \(3,\)$"),
        ((5,), r"^{gate}\(x\): x must have shape \(2,\) or \(n, 2\), got shape \(\)$"),
        (
            ([0, 1], [1, 0, 1]),
            r"^{gate}\(x1, x2\): x1 and x2 must be two numbers or two 1-D arrays of the same shape \(n,\), "
            r"got x1 of shape \(2,\) and x2 of shape \(3,\)$",
        ),
        (
            ([[0, 1]], [[1, 0]]),
            r"^{gate}\(x1, x2\): x1 and x2 must be two numbers or two 1-D arrays of the same shape \(n,\), "
            r"got x1 of shape \(1, 2\) and x2 of shape \(1, 2\)$",
        ),
    ],
    ids=lambda v: repr(v).replace("\\", ""),  # no backslash in a spec ID (tests/conftest.py says why)
)
def test_bad_input_message_in_full(gate, args, message):
    """The message starts with the argument's name, or with the gate's own name and the call form,
    then says what was expected and what was given."""
    name = getattr(gate, "name", getattr(gate, "__name__", "?"))
    with pytest.raises((TypeError, ValueError), match=message.replace("{gate}", name)):
        gate(*args)


@pytest.mark.claim("perceptron.bad-input")
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"w": (1, 2, 3), "b": 0}, r"^w must hold two weights \(w1, w2\), shape \(2,\), got shape \(3,\)$"),
        ({"w": ("a", "b"), "b": 0}, r"^w must be a real numeric array \(int or float\), got dtype <U1 from tuple$"),
        ({"w": (1, 2), "b": [1, 2]}, r"^b must be one number, got shape \(2,\)$"),
        ({"w": (1, 2), "b": "0"}, r"^b must be a real numeric array \(int or float\), got dtype <U1 from str$"),
        ({"w": (1, 2), "b": np.inf}, r"^b must be finite, got inf at index \(\)$"),
    ],
)
def test_bad_parameter_message_in_full(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        Perceptron(**kwargs)


@pytest.mark.claim("perceptron.bad-input")
def test_parameters_are_stored_as_python_floats():
    """Whatever numbers w and b are given as, the perceptron holds w as a tuple of two floats and b
    as a float: it compares, hashes and prints like one made from plain numbers."""
    gate = Perceptron(w=np.array([1, 2], dtype=np.int64), b=np.float32(-0.5), name="g")
    assert gate.w == (1.0, 2.0) and all(type(v) is float for v in gate.w)
    assert type(gate.b) is float and gate.b == -0.5
    assert repr(gate) == "Perceptron(w=(1.0, 2.0), b=-0.5, name='g')"
    assert hash(gate) == hash(Perceptron(w=(1.0, 2.0), b=-0.5, name="g"))


@pytest.mark.claim("perceptron.threshold-rule")
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.int32, bool])
def test_the_weighted_sum_is_float64_for_any_input_dtype(dtype):
    """The weighted sum is computed in float64 whatever the input's dtype: float32 input gives the
    float64 sum of its (exactly converted) values, not a float32 one."""
    x = np.array([[0.1, 0.7], [1.0, 0.0]]).astype(dtype)
    gate = Perceptron(w=(0.1, 0.3), b=-0.2)
    s = gate.weighted_sum(x)
    x64 = x.astype(np.float64)
    assert s.dtype == np.float64
    np.testing.assert_array_equal(s, x64[:, 0] * 0.1 + x64[:, 1] * 0.3 + -0.2)


@pytest.mark.claim("perceptron.bad-input")
@pytest.mark.parametrize(
    "x, arg, shown, got",
    [
        ((1, 1), "x1, x2", "[1.0, 1.0]", "inf"),
        (([[0, 0], [1, 1]],), "x", "[1.0, 1.0]", "inf"),
        (([[0, 0], [10, 10], [0, 0]],), "x", "[10.0, 10.0]", "nan"),
    ],
)
def test_an_overflowing_weighted_sum_names_the_first_bad_row(x, arg, shown, got):
    """The message shows the gate, the call form, the first input row whose sum is not finite, the
    parameters and that sum; inf − inf (NaN) is refused the same way, without a RuntimeWarning."""
    w = (1e308, 1e308) if got == "inf" else (1e308, -1e308)
    gate = Perceptron(w=w, b=0.0, name="big")
    message = (
        f"big({arg}): the weighted sum w·x + b must be a finite float64, but input {shown} "
        f"with w={gate.w}, b=0.0 gives {got}; scale the input down"
    )
    with pytest.raises(ValueError) as info:
        gate.weighted_sum(*x) if got == "nan" else gate(*x)
    assert str(info.value) == message


@pytest.mark.claim("perceptron.bad-input")
@pytest.mark.skipif(np.finfo(np.longdouble).max <= np.finfo(np.float64).max, reason="long double is float64 here")
def test_a_long_double_beyond_float64_is_refused_without_a_warning():
    """A long double weight, bias or input too large for float64 is not a finite float64: it is
    refused with a ValueError naming the argument, and NumPy's overflow warning is not let out."""
    huge = np.longdouble("1e400")
    with pytest.raises(ValueError, match=r"^w must be finite, got inf at index \(0,\)$"):
        Perceptron(w=np.array([huge, 0]), b=0)
    with pytest.raises(ValueError, match=r"^b must be finite, got inf"):
        Perceptron(w=(1, 1), b=huge)
    with pytest.raises(ValueError, match=r"^x must be finite, got inf at index \(1,\)$"):
        AND(np.array([0, huge]))
