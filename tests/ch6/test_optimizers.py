"""Chapter 6 · optimizers: the book's update rules, their PyTorch forms, their state and their errors."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nnspec.optimizers import OPTIMIZERS, SGD, AdaGrad, Adam, Momentum, Nesterov, Optimizer, RMSprop, make_optimizer
from nnspec.training import resolve_optimizer
from tests.ch6.strategies import betas, learning_rates, momenta, params_and_grads

# Two float64 evaluations of one update rule written two ways (the book's in-place form and
# PyTorch's buffer form) round differently at each of a few dozen operations per entry and step:
# a few ulps of the numbers involved. 1e-12 of the largest number in play leaves three orders of
# magnitude for that, while a wrong rule (a missing bias correction, ε in the wrong place, the
# book's Nesterov) is off by far more than 1e-6 of it.
CONVENTION_TOL = 1e-12


def copied(params):
    return {k: v.copy() for k, v in params.items()}


# ----------------------------------------------------------------------------- SGD


@pytest.mark.claim("optimizer.sgd-rule")
@given(pg=params_and_grads(steps=1), lr=learning_rates)
@example(
    pg=(
        {"W1": np.array([[1.0, 2.0]]), "b1": np.array([0.0]), "W2": np.array([[3.0]])},
        [{"W1": np.array([[0.5, -1.0]]), "b1": np.array([0.0]), "W2": np.array([[-3.0]])}],
    ),
    lr=0.1,
)
def test_sgd_step_is_the_formula(pg, lr):
    """W ← W − ηg for every parameter, bit for bit, in place (the arrays stay the same objects)."""
    params, (grads,) = pg
    expected = {k: params[k] - lr * grads[k] for k in params}
    ids = {k: id(v) for k, v in params.items()}
    SGD(lr).update(params, grads)
    for k in params:
        assert id(params[k]) == ids[k]
        np.testing.assert_array_equal(params[k], expected[k])


@pytest.mark.claim("optimizer.sgd-rule")
def test_the_optimizer_train_uses_by_default_is_the_books_sgd():
    """With no optimizer named, train's optimizer is SGD with its default learning rate 0.01."""
    assert repr(resolve_optimizer()) == "SGD(lr=0.01)"
    assert repr(resolve_optimizer(lr=0.5)) == "SGD(lr=0.5)"


@pytest.mark.claim("optimizer.sgd-rule")
def test_sgd_defaults_are_the_books(evidence):
    """The six classes carry the book's names and default settings."""
    defaults = {name: repr(cls()) for name, cls in OPTIMIZERS.items()}
    evidence("defaults", list(defaults.values()))
    assert defaults == {
        "sgd": "SGD(lr=0.01)",
        "momentum": "Momentum(lr=0.01, momentum=0.9)",
        "nesterov": "Nesterov(lr=0.01, momentum=0.9)",
        "adagrad": "AdaGrad(lr=0.01, eps=1e-07)",
        "rmsprop": "RMSprop(lr=0.01, decay_rate=0.99, eps=1e-07)",
        "adam": "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-07)",
    }


# ----------------------------------------------------------------------------- the PyTorch forms


def torch_form(name, settings, params, grads_seq):
    """Each optimizer as ``torch.optim`` writes its update, computed in NumPy (float64)."""
    p = copied(params)
    state = {k: {} for k in p}
    lr = settings["lr"]
    for t, grads in enumerate(grads_seq, start=1):
        for k, g in grads.items():
            s = state[k]
            if name == "sgd":
                p[k] = p[k] - lr * g
            elif name in ("momentum", "nesterov"):  # SGD(momentum=μ, dampening=0[, nesterov=True])
                mu = settings["momentum"]
                s["buf"] = g.copy() if t == 1 else mu * s["buf"] + g
                d = g + mu * s["buf"] if name == "nesterov" else s["buf"]
                p[k] = p[k] - lr * d
            elif name == "adagrad":  # Adagrad(lr_decay=0, initial_accumulator_value=0)
                s["sum"] = s.get("sum", 0.0) + g * g
                p[k] = p[k] - lr * g / (np.sqrt(s["sum"]) + settings["eps"])
            elif name == "rmsprop":  # RMSprop(alpha=ρ, momentum=0, centered=False)
                a = settings["decay_rate"]
                s["sq"] = a * s.get("sq", 0.0) + (1 - a) * g * g
                p[k] = p[k] - lr * g / (np.sqrt(s["sq"]) + settings["eps"])
            elif name == "adam":  # Adam(betas=(β1, β2), eps=ε'), with ε' = ε / √(1 − β2^t) at step t
                b1, b2 = settings["beta1"], settings["beta2"]
                s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
                s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
                bc1, bc2 = 1 - b1**t, 1 - b2**t
                eps_torch = settings["eps"] / math.sqrt(bc2)
                p[k] = p[k] - (lr / bc1) * s["m"] / (np.sqrt(s["v"]) / math.sqrt(bc2) + eps_torch)
    return p


@st.composite
def optimizer_settings(draw):
    name = draw(st.sampled_from(sorted(OPTIMIZERS)))
    settings = {"lr": draw(learning_rates)}
    if name in ("momentum", "nesterov"):
        settings["momentum"] = draw(momenta)
    if name in ("adagrad", "rmsprop", "adam"):
        settings["eps"] = draw(st.sampled_from([1e-7, 1e-8, 1e-3]))
    if name == "rmsprop":
        settings["decay_rate"] = draw(betas)
    if name == "adam":
        # The book updates the moments as m += (1 − β)(g − m); PyTorch as m = βm + (1 − β)g. Equal in
        # exact arithmetic, but with β near 0 the book's form cancels catastrophically when the
        # gradient drops sharply (v = 1 + (1e-8 − 1) keeps only the last digits of 1), so the two
        # roundings part by 1e-9 relative. Over the β's Adam is used with, [0.5, 0.999], they agree.
        settings["beta1"], settings["beta2"] = draw(st.floats(0.5, 0.999)), draw(st.floats(0.5, 0.999))
    return name, settings


@pytest.mark.claim("optimizer.torch-conventions")
@settings(max_examples=120)
@given(ns=optimizer_settings(), pg=params_and_grads(steps=6))
def test_each_optimizer_is_its_pytorch_form(ns, pg):
    """Over six steps, every optimizer's update equals the ``torch.optim`` rule its docstring names,
    computed independently in float64: Momentum with v = −η·buf, Nesterov as nesterov=True, Adam
    with PyTorch's ε set to ε/√(1 − β₂ᵗ)."""
    name, settings = ns
    params, grads_seq = pg
    expected = torch_form(name, settings, params, grads_seq)
    opt = OPTIMIZERS[name](**settings)
    ours = copied(params)
    for grads in grads_seq:
        opt.update(ours, grads)
    # The largest number in play: a parameter before or after, or the whole path of steps.
    scale = max(
        max(float(np.max(np.abs(d[k]))) for d in (params, expected) for k in d), settings["lr"] * len(grads_seq)
    )
    for k in ours:
        np.testing.assert_allclose(ours[k], expected[k], rtol=0, atol=CONVENTION_TOL * scale)


@pytest.mark.claim("optimizer.torch-conventions")
def test_the_conventions_measured(evidence):
    """The largest difference over 200 random six-step runs of every optimizer, relative to the scale."""
    rng = np.random.default_rng(0)
    worst = {}
    defaults = {
        "sgd": {},
        "momentum": {"momentum": 0.9},
        "nesterov": {"momentum": 0.9},
        "adagrad": {"eps": 1e-7},
        "rmsprop": {"decay_rate": 0.99, "eps": 1e-7},
        "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-7},
    }
    for name, extra in defaults.items():
        settings = {"lr": 0.05, **extra}
        for _ in range(200):
            params = {"W": rng.normal(size=(3, 4)), "b": rng.normal(size=4)}
            grads_seq = [{k: rng.normal(size=v.shape) for k, v in params.items()} for _ in range(6)]
            expected = torch_form(name, settings, params, grads_seq)
            opt, ours = OPTIMIZERS[name](**settings), copied(params)
            for g in grads_seq:
                opt.update(ours, g)
            diff = max(float(np.max(np.abs(ours[k] - expected[k]))) for k in ours)
            worst[name] = max(worst.get(name, 0.0), diff)
    evidence("max |nnspec − PyTorch form| over 200 runs × 6 steps, |W| ~ 1", [f"{k} {v:.1e}" for k, v in worst.items()])
    assert max(worst.values()) < CONVENTION_TOL


# ----------------------------------------------------------------------------- Nesterov: the paper, not the book's line


def book_nesterov_line(params, grads_seq, lr, mu):
    """The book's code: v ← μv − ηg, then W ← W + μ²v − (1 + μ)ηg with the *updated* v."""
    p, v = copied(params), {k: np.zeros_like(x) for k, x in params.items()}
    for grads in grads_seq:
        for k, g in grads.items():
            v[k] = mu * v[k] - lr * g
            p[k] = p[k] + mu * mu * v[k] - (1 + mu) * lr * g
    return p


@pytest.mark.claim("optimizer.nesterov-follows-paper")
def test_nesterov_is_the_papers_rule_not_the_books_line(evidence):
    """W_t = W_{t−1} + μ²v_{t−1} − (1+μ)ηg_t (Bengio et al. 2012, eq. 7, and PyTorch); the book's
    code uses v_t there, which makes its first step 1 + μ + μ² times SGD's instead of 1 + μ."""
    mu, lr = 0.9, 0.01
    params = {"w": np.array([0.0])}
    grads_seq = [{"w": np.array([1.0])} for _ in range(3)]
    ours = copied(params)
    opt = Nesterov(lr, mu)
    opt.update(ours, grads_seq[0])
    book = book_nesterov_line(params, grads_seq[:1], lr, mu)
    evidence(
        "first step with g = 1, η = 0.01, μ = 0.9: nnspec, the book's line", [float(ours["w"][0]), float(book["w"][0])]
    )
    assert ours["w"][0] == pytest.approx(-(1 + mu) * lr, rel=1e-15)
    assert book["w"][0] == pytest.approx(-(1 + mu + mu * mu) * lr, rel=1e-15)
    # Over many steps the two keep apart: the book's line is a different method.
    rng = np.random.default_rng(1)
    params = {"W": rng.normal(size=(4, 3))}
    grads_seq = [{"W": rng.normal(size=(4, 3))} for _ in range(10)]
    ours, opt = copied(params), Nesterov(lr, mu)
    for g in grads_seq:
        opt.update(ours, g)
    paper = torch_form("nesterov", {"lr": lr, "momentum": mu}, params, grads_seq)
    book = book_nesterov_line(params, grads_seq, lr, mu)
    gap = float(np.max(np.abs(book["W"] - paper["W"])))
    evidence(
        "after 10 random steps: max |nnspec − paper form|, max |book's line − paper form|",
        [float(np.max(np.abs(ours["W"] - paper["W"]))), gap],
    )
    np.testing.assert_allclose(ours["W"], paper["W"], rtol=0, atol=CONVENTION_TOL)
    assert gap > 1e-3


# ----------------------------------------------------------------------------- state keyed by name


STATEFUL = [Momentum, Nesterov, AdaGrad, RMSprop, Adam]


@pytest.mark.claim("optimizer.state-per-parameter")
@given(pg=params_and_grads(steps=4), cls=st.sampled_from(STATEFUL))
def test_state_is_kept_per_parameter(pg, cls):
    """Updating W1, b1, W2 together gives exactly what updating each alone (with its own optimizer)
    gives: no parameter's velocity, sum or moments leak into another's."""
    params, grads_seq = pg
    together, opt = copied(params), cls()
    alone = {k: ({k: params[k].copy()}, cls()) for k in params}
    for grads in grads_seq:
        opt.update(together, grads)
        for k, (p, o) in alone.items():
            o.update(p, {k: grads[k]})
    for k in params:
        np.testing.assert_array_equal(together[k], alone[k][0][k])
    for store in opt.state().values():
        assert set(store) == set(params)
        assert all(store[k].shape == params[k].shape for k in params)


@pytest.mark.claim("optimizer.state-per-parameter")
def test_two_parameters_with_opposite_gradients_keep_opposite_velocities(evidence):
    opt = Momentum(lr=0.1, momentum=0.9)
    params = {"a": np.zeros(1), "b": np.zeros(1)}
    for _ in range(5):
        opt.update(params, {"a": np.ones(1), "b": -np.ones(1)})
    evidence("velocities after 5 steps", [float(opt.v["a"][0]), float(opt.v["b"][0])])
    assert opt.v["a"][0] == -opt.v["b"][0] < 0


# ----------------------------------------------------------------------------- bad input


BAD_SETTINGS = [
    (SGD, dict(lr=-0.1), ValueError, r"lr must be a finite number > 0, got -0.1"),
    (SGD, dict(lr=float("inf")), ValueError, r"lr must be a finite number > 0, got inf"),
    (SGD, dict(lr=float("nan")), ValueError, r"lr must be a finite number > 0, got nan"),
    (SGD, dict(lr="0.1"), TypeError, r"lr must be a real number, got str"),
    (Momentum, dict(momentum=1.0), ValueError, r"momentum must be a finite number in \[0, 1\), got 1.0"),
    (Momentum, dict(momentum=-0.1), ValueError, r"momentum must be a finite number in \[0, 1\), got -0.1"),
    (Nesterov, dict(momentum=True), TypeError, r"momentum must be a real number, got bool"),
    (AdaGrad, dict(eps=0.0), ValueError, r"eps must be a finite number > 0, got 0.0"),
    (RMSprop, dict(decay_rate=1.5), ValueError, r"decay_rate must be a finite number in \[0, 1\), got 1.5"),
    (Adam, dict(beta1=1.0), ValueError, r"beta1 must be a finite number in \[0, 1\), got 1.0"),
    (Adam, dict(beta2=-1e-3), ValueError, r"beta2 must be a finite number in \[0, 1\), got -0.001"),
]


@pytest.mark.claim("optimizer.bad-input")
@pytest.mark.parametrize(("cls", "kwargs", "error", "message"), BAD_SETTINGS)
def test_bad_hyperparameters_are_named(cls, kwargs, error, message):
    with pytest.raises(error, match=message):
        cls(**kwargs)


BAD_UPDATES = [
    (
        {"W": np.ones((2, 2))},
        {},
        ValueError,
        r"grads must have exactly the keys of params: missing \['W'\], unexpected \[\]",
    ),
    ({"W": np.ones((2, 2))}, {"W": np.ones((2, 2)), "V": np.ones(2)}, ValueError, r"missing \[\], unexpected \['V'\]"),
    (
        {"W": np.ones((2, 2))},
        {"W": np.ones((2, 3))},
        ValueError,
        r"grads\['W'\] must have the shape of params\['W'\] \(2, 2\), got \(2, 3\)",
    ),
    (
        {"W": np.ones((2, 2), dtype=int)},
        {"W": np.ones((2, 2))},
        TypeError,
        r"params\['W'\] must be a floating numpy array \(updated in place\), got ndarray int64",
    ),
    ({"W": [[1.0]]}, {"W": [[1.0]]}, TypeError, r"params\['W'\] must be a floating numpy array .*got list$"),
    ({"W": np.ones(2)}, {"W": np.array(["a", "b"])}, TypeError, r"grads\['W'\] must be a real numeric array"),
    ({"W": np.ones(2)}, {"W": [True, False]}, TypeError, r"grads\['W'\] must be a real numeric array, got dtype bool$"),
    ([np.ones(2)], {"W": np.ones(2)}, TypeError, r"params must be a dict of arrays keyed by name, got list$"),
    ({"W": np.ones(2)}, [np.ones(2)], TypeError, r"grads must be a dict of arrays keyed like params, got list$"),
]


@pytest.mark.claim("optimizer.bad-input")
@pytest.mark.parametrize("cls", [SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam])
@pytest.mark.parametrize(("params", "grads", "error", "message"), BAD_UPDATES)
def test_bad_updates_are_named_and_change_nothing(cls, params, grads, error, message):
    """A bad call raises before any array moves: parameters and the optimizer's state stay as they were."""
    opt = cls()
    good = {"b": np.ones(3)}
    opt.update(good, {"b": np.full(3, 0.5)})  # some state to protect
    before_state = copy.deepcopy(opt.__dict__)
    before_params = copy.deepcopy(params)
    # The bad parameter sits after a good one: a loop that updated as it checked would move `b`.
    both = {"b": good["b"], **params} if isinstance(params, dict) else params
    both_grads = {"b": np.full(3, 0.5), **grads} if isinstance(grads, dict) else grads
    kept_b = good["b"].copy()
    with pytest.raises(error, match=message):
        opt.update(both, both_grads)
    np.testing.assert_array_equal(good["b"], kept_b)
    if isinstance(params, dict):
        for k in params:
            np.testing.assert_array_equal(np.asarray(params[k]), np.asarray(before_params[k]))
    after = opt.__dict__
    assert after.keys() == before_state.keys()
    for k, v in before_state.items():
        if isinstance(v, dict):
            assert v.keys() == after[k].keys(), k
            for key in v:
                np.testing.assert_array_equal(after[k][key], v[key])
        elif k != "_buffers":
            assert after[k] == v, k


@pytest.mark.claim("optimizer.bad-input")
@pytest.mark.parametrize("name", [3, None, SGD])
def test_make_optimizer_names_a_name_that_is_not_a_string(name):
    """make_optimizer takes a name; anything else is a TypeError naming the type it got."""
    with pytest.raises(
        TypeError, match=rf"^optimizer must be a name \(str\) or an Optimizer, got {type(name).__name__}$"
    ):
        make_optimizer(name)


@pytest.mark.claim("optimizer.sgd-rule")
@pytest.mark.parametrize(
    "grad",
    [
        [[1.0, -2.0, 3.0]],
        [[1, -2, 3]],
        np.array([[1, 2, 3]], dtype=np.uint8),
        np.array([[1.0, -2.0, 3.0]], dtype=np.float32),
    ],
    ids=["list", "int-list", "uint8", "float32"],
)
def test_sgd_takes_any_real_array_like_gradient(grad):
    """A gradient may be any real array_like of the parameter's shape (a list, integers): the step is −η·g all the same."""
    p = np.array([[0.5, 0.25, -1.0]])
    expected = p - 0.5 * np.asarray(grad, dtype=np.float64)
    SGD(lr=0.5).update({"W": p}, {"W": grad})
    np.testing.assert_array_equal(p, expected)


@pytest.mark.claim("optimizer.sgd-rule")
def test_plain_sgd_keeps_no_state_so_it_updates_parameters_of_any_shape_and_dtype():
    """SGD has no state: the same SGD may update a parameter name whose array changed shape or dtype, by the same formula."""
    opt = SGD(lr=0.5)
    for p in (np.ones(2), np.ones(3), np.ones((3, 1)), np.ones(3, dtype=np.float32), np.ones(2)):
        kept = p
        opt.update({"W": p}, {"W": np.full(p.shape, 2.0)})
        assert p is kept and p.dtype == kept.dtype
        np.testing.assert_array_equal(p, np.zeros(p.shape))


@pytest.mark.claim("optimizer.bad-input")
def test_a_parameter_that_changed_shape_is_refused():
    opt = Momentum()
    opt.update({"W": np.ones(2)}, {"W": np.ones(2)})
    with pytest.raises(
        ValueError, match=r"params\['W'\] has shape \(3,\), but this optimizer's state for 'W' has \(2,\)"
    ):
        opt.update({"W": np.ones(3)}, {"W": np.ones(3)})


@pytest.mark.claim("optimizer.bad-input")
def test_the_base_class_has_no_rule():
    with pytest.raises(NotImplementedError):
        Optimizer(0.1).update({"W": np.ones(1)}, {"W": np.ones(1)})


BOOK_STATE_NAMES = {
    "sgd": [],
    "momentum": ["v"],
    "nesterov": ["v"],
    "adagrad": ["h"],
    "rmsprop": ["h"],
    "adam": ["m", "v"],
}


@pytest.mark.claim("optimizer.state-per-parameter")
@pytest.mark.parametrize("name", sorted(BOOK_STATE_NAMES))
def test_state_carries_the_books_names_and_a_step_allocates_nothing_new(name):
    """state() is {book name: {parameter name: array}}; once warmed up, an update's peak allocation stays far
    below one parameter's size (the rule runs through kept buffers, one per parameter)."""
    import tracemalloc

    rng = np.random.default_rng(0)
    params = {"W1": rng.standard_normal((100, 50)), "b1": rng.standard_normal(50), "W2": rng.standard_normal((50, 10))}
    grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
    opt = OPTIMIZERS[name]()
    opt.update(params, grads)
    opt.update(params, grads)
    state = opt.state()
    assert sorted(state) == BOOK_STATE_NAMES[name]
    for per_param in state.values():
        assert sorted(per_param) == sorted(params)
        assert all(per_param[k].shape == params[k].shape for k in params)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        opt.update(params, grads)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < params["W2"].nbytes, f"an update allocated {peak} bytes"  # W1 is 10x W2


# Every hyperparameter of every optimizer, at and beyond its bounds: (accepted values, refused values, the rule's words).
BOUNDS = {
    "momentum": ([0.0, 0.999], [1.0, -0.1], r"in \[0, 1\)"),
    "decay_rate": ([0.0, 0.999], [1.0, -0.1], r"in \[0, 1\)"),
    "beta1": ([0.0, 0.999], [1.0, -0.1], r"in \[0, 1\)"),
    "beta2": ([0.0, 0.999], [1.0, -0.1], r"in \[0, 1\)"),
    "eps": ([1e-300], [0.0, -1e-7], r"> 0"),
    "lr": ([1e-300], [0.0, -0.1], r"> 0"),
}


@pytest.mark.claim("optimizer.bad-input")
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_each_hyperparameter_is_checked_at_its_bounds_and_named(name):
    """Each optimizer accepts a hyperparameter on the closed side of its range and refuses it at the open end or
    beyond, with an error that names it, states the range and repeats the value: [0, 1) for momentum and decay
    rates, > 0 for eps and the learning rate."""
    import inspect

    cls = OPTIMIZERS[name]
    names = [p for p in inspect.signature(cls).parameters if p in BOUNDS]
    assert names, cls
    for arg in names:
        accepted, refused, rule = BOUNDS[arg]
        for value in accepted:
            assert getattr(cls(**{arg: value}), arg) == value
        for value in refused:
            with pytest.raises(ValueError, match=rf"^{arg} must be a finite number {rule}, got {value}$"):
                cls(**{arg: value})
