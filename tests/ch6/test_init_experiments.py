"""Chapter 6 · initial weights: symmetry, saturation, collapse, and the scales that keep the signal."""

from __future__ import annotations

import numpy as np
import pytest

from nnspec.experiments import activation_histograms, compare_inits, symmetric_start


@pytest.fixture(scope="module")
def sigmoid_stack():
    """The book's histogram experiment, at the book's size (1,000 × 100, five sigmoid layers)."""
    return activation_histograms((1.0, 0.01, "xavier"), activation="sigmoid", rng=0)


@pytest.fixture(scope="module")
def relu_stack():
    return activation_histograms((0.01, "xavier", "he"), activation="relu", rng=0)


@pytest.mark.claim("init.zero-symmetry")
def test_equal_weights_stay_equal(evidence):
    """All weights 0.1 at the start: after 100 SGD steps on MNIST every hidden unit of the first
    layer still has exactly the same incoming weights as every other (spread ≤ 1e-12), so 50 units
    act as one; from a random start they all differ."""
    out = symmetric_start(hidden=(50,), iters=100, rng=0)
    evidence(
        "largest difference between two units' weights, after 0, 1, 100 steps",
        [out["spread"][0], out["spread"][1], out["spread"][-1]],
    )
    evidence("distinct units in the first layer after 100 steps (of 50)", out["distinct_units"])
    evidence("mini-batch loss, first and last step", [round(out["loss"][0], 3), round(out["loss"][-1], 3)])
    assert out["spread"].max() <= 1e-12 and out["distinct_units"] == 1
    assert out["loss"][-1] > 1.5  # one effective unit cannot separate ten digits


@pytest.mark.claim("init.sigmoid-std1-saturates")
def test_std_one_saturates_the_sigmoids(sigmoid_stack, evidence):
    """With standard deviation 1, 40–65 % of every layer's sigmoid outputs lie below 0.01 or above
    0.99, where σ' = σ(1 − σ) < 0.01: backprop through one such layer keeps only about 5 % of the
    gradient that reaches it (0.25 is the most a sigmoid can keep)."""
    run = sigmoid_stack["1.0"]
    evidence("share of outputs below 0.01 or above 0.99, layers 1–5", np.round(run["saturated"], 3))
    evidence("share of the top gradient that reaches each layer's inputs", np.round(run["grad"], 4))
    assert min(run["saturated"]) > 0.4
    assert max(run["grad"]) < 0.1
    xavier = sigmoid_stack["xavier"]
    assert max(xavier["saturated"]) < 0.01  # the same draws scaled by 0.1 saturate nothing


@pytest.mark.claim("init.small-std-collapses")
def test_small_std_collapses_to_one_half(sigmoid_stack, evidence):
    """With standard deviation 0.01 every output is near 0.5 (σ(0)) and the units of a layer are
    nearly alike: the spread across units is a tenth of Xavier's, and the gradient shrinks about
    forty-fold per layer, 1e-7 of it reaching the first."""
    small, xavier = sigmoid_stack["0.01"], sigmoid_stack["xavier"]
    evidence("mean and std of the outputs, layers 1–5", [np.round(small["mean"], 3), np.round(small["std"], 4)])
    evidence(
        "spread across units (std 0.01 vs Xavier), layer 5",
        [round(small["unit_spread"][-1], 4), round(xavier["unit_spread"][-1], 4)],
    )
    evidence("share of the gradient reaching layers 1–5", [f"{g:.1e}" for g in small["grad"]])
    assert all(abs(m - 0.5) < 0.01 for m in small["mean"]) and max(small["std"]) < 0.03
    assert small["unit_spread"][-1] < xavier["unit_spread"][-1] / 5
    assert small["grad"][0] < 1e-5


@pytest.mark.claim("init.xavier-spreads")
def test_xavier_spreads_the_activations(sigmoid_stack, evidence):
    """With Xavier's √(1/n) every layer's outputs spread over a wide range (std 0.1–0.25, none
    saturated): neither piled at 0 and 1 nor collapsed to 0.5."""
    x = sigmoid_stack["xavier"]
    counts, _ = x["hist"][-1]
    occupied = int(np.sum(counts > 0.01 * counts.sum()))
    evidence("std of the outputs, layers 1–5", np.round(x["std"], 3))
    evidence("histogram bins (of 30) holding over 1 % of layer 5", occupied)
    assert all(0.1 < s < 0.3 for s in x["std"])
    assert max(x["saturated"]) < 0.01
    assert occupied >= 8


@pytest.mark.claim("init.he-for-relu")
def test_he_keeps_relus_scale(relu_stack, evidence):
    """Through five ReLU layers the root-mean-square activation stays level with He's √(2/n)
    (ReLU zeroes half the signal, He's factor 2 restores it), halves its square — shrinks by √2 —
    per layer with Xavier's √(1/n), and is a hundred times smaller per layer with 0.01."""
    rms = {k: [float(np.sqrt(np.mean(a**2))) for a in v["activations"]] for k, v in relu_stack.items()}
    ratios = {k: [b / a for a, b in zip(r, r[1:])] for k, r in rms.items()}
    for k in rms:
        evidence(f"{k}: rms activation, layers 1–5", [f"{v:.3g}" for v in rms[k]])
    evidence(
        "mean ratio of successive layers: he, xavier, 0.01",
        [round(float(np.mean(ratios[k])), 3) for k in ("he", "xavier", "0.01")],
    )
    assert all(0.8 < r < 1.25 for r in ratios["he"])
    assert all(abs(r - 1 / np.sqrt(2)) < 0.15 for r in ratios["xavier"])
    assert all(r < 0.1 for r in ratios["0.01"])


# The book's MNIST comparison of initial scales, smaller: 784-[100]×4-10 ReLU, SGD lr 0.01, batch
# 128, 500 iterations, three seeds. Measured over seeds 0-4: the mean loss of the last 50 iterations
# was 2.302-2.303 for std 0.01 (ln 10 = 2.3026: it has not moved), 0.78-1.40 for Xavier and
# 0.32-0.40 for He. The bounds: std 0.01 within 0.01 of ln 10; He below Xavier below std 0.01.
INIT_SEEDS = (0, 1, 2)


@pytest.mark.claim("init.mnist-compare")
@pytest.mark.parametrize("seed", INIT_SEEDS)
def test_small_std_does_not_learn_and_he_learns_fastest(seed, evidence):
    res = compare_inits(iters=500, rng=seed)
    final = res["final_loss"]
    evidence(f"seed {seed}: mean loss of the last 50 of 500 iterations", {k: round(v, 3) for k, v in final.items()})
    assert abs(final["0.01"] - np.log(10)) < 0.01
    assert final["he"] < final["xavier"] < final["0.01"]


@pytest.mark.claim("init.zero-symmetry")
def test_symmetric_start_is_plain_sgd_from_equal_weights():
    """By default every weight starts at 0.1 and every bias at 0, and 100 SGD steps (rate 0.1) run on
    mini-batches of 100 drawn without replacement from ``rng=0``: the same losses, bit for bit, as that
    training written out by hand, one spread per step plus the start, and one distinct unit."""
    from nnspec.networks import MultiLayerNet
    from nnspec.optimizers import SGD

    data_rng = np.random.default_rng(3)
    x, t = data_rng.random((120, 6)), np.arange(120) % 3
    out = symmetric_start(((x, t), None))

    net = MultiLayerNet(6, [50], 3, rng=0)
    for k, v in net.params.items():
        v[...] = 0.1 if k.startswith("W") else 0.0
    gen, opt = np.random.default_rng(0), SGD(0.1)
    batches = [gen.choice(120, size=100, replace=False) for _ in range(100)]
    losses = [float(opt.step(net, x[idx], t[idx])) for idx in batches]
    assert np.array_equal(out["loss"], losses)
    assert out["spread"].shape == (101,) and out["distinct_units"] == 1


@pytest.mark.claim("init.xavier-spreads")
def test_the_histogram_experiment_has_the_books_sizes_and_names_its_arguments():
    """By default: the book's 1,000 samples through 5 layers of 100 units, 30 bins, seed 0; a bad
    activation or size is refused with a message that names it."""
    default = activation_histograms(("xavier",))
    run = default["xavier"]
    assert len(run["activations"]) == 5 and all(a.shape == (1000, 100) for a in run["activations"])
    assert all(len(counts) == 30 and len(edges) == 31 for counts, edges in run["hist"])
    seeded = activation_histograms(("xavier",), activation="sigmoid", n=1000, width=100, layers=5, bins=30, rng=0)
    for a, b in zip(run["activations"], seeded["xavier"]["activations"]):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"^activation must be one of \['relu', 'sigmoid'\], got 'tanh'$"):
        activation_histograms(activation="tanh")
    for arg in ("n", "width", "layers"):
        with pytest.raises(ValueError, match=rf"^{arg} must be a positive int, got 0$"):
            activation_histograms(**{arg: 0})


# What activation_histograms computes, written out with NumPy for tiny sizes: x, each layer's
# standard-normal weights and g drawn from the seed in that order; z_l = f(z_{l-1} W_l s) with the
# init's scale s; backward from L = Σ g·z_last. The library composes Affine and the activation
# layers, so it agrees to rounding (relative 1e-12), not bit for bit.
BY_HAND_RTOL = 1e-12
TINY = dict(n=7, width=4, layers=3, bins=6)


def _by_hand(activation, inits, *, n, width, layers, seed):
    gen = np.random.default_rng(seed)
    x = gen.standard_normal((n, width))
    draws = [gen.standard_normal((width, width)) for _ in range(layers)]
    g = gen.standard_normal((n, width))
    scales = {"xavier": np.sqrt(1 / width), "he": np.sqrt(2 / width)}
    out = {}
    for init in inits:
        s = scales.get(init, init)
        z, acts, inputs = x, [], []
        for w in draws:
            a = z @ (w * s)
            z = 1 / (1 + np.exp(-a)) if activation == "sigmoid" else np.maximum(a, 0.0)
            inputs.append(a)
            acts.append(z)
        d, grad = g, []
        for w, a, z in zip(draws[::-1], inputs[::-1], acts[::-1]):
            da = d * (z * (1 - z) if activation == "sigmoid" else (a > 0))
            grad.append(np.mean(np.abs(da)) / np.mean(np.abs(g)))
            d = da @ (w * s).T
        out[str(init)] = {"activations": acts, "grad": grad[::-1]}
    return out


def _check_against_by_hand(activation, inits, seed, saturated_of, hist_range_of):
    got = activation_histograms(inits, activation=activation, rng=seed, **TINY)
    want = _by_hand(activation, inits, n=TINY["n"], width=TINY["width"], layers=TINY["layers"], seed=seed)
    assert list(got) == list(want)
    for key, run in got.items():
        assert set(run) == {"activations", "hist", "std", "mean", "saturated", "grad", "unit_spread"}
        acts = run["activations"]
        assert len(acts) == TINY["layers"]
        for a, b in zip(acts, want[key]["activations"]):
            np.testing.assert_allclose(a, b, rtol=BY_HAND_RTOL, atol=0)
        np.testing.assert_allclose(run["grad"], want[key]["grad"], rtol=BY_HAND_RTOL, atol=0)
        lo, hi = hist_range_of(acts)
        for (counts, edges), a in zip(run["hist"], acts):
            np.testing.assert_array_equal(edges, np.linspace(lo, hi, TINY["bins"] + 1))
            np.testing.assert_array_equal(counts, np.histogram(a, TINY["bins"], range=(lo, hi))[0])
        assert run["std"] == [float(a.std()) for a in acts]
        assert run["mean"] == [float(a.mean()) for a in acts]
        assert run["unit_spread"] == [float(a.std(axis=1).mean()) for a in acts]
        assert run["saturated"] == [float(saturated_of(a)) for a in acts]
    return got


@pytest.mark.claim("init.sigmoid-std1-saturates")
def test_the_sigmoid_histograms_are_the_forward_and_backward_pass_written_out():
    """Sigmoid layers: every init scales the same draws; the outputs, the share of them below 0.01 or
    above 0.99, the per-layer statistics, the histograms over [0, 1], and the share of the top
    gradient reaching each layer's inputs (mean |∂L/∂a_l| over mean |g|) are the maths written out."""
    got = _check_against_by_hand(
        "sigmoid",
        (1.0, 0.01, "xavier", "he", 3.0),
        5,
        saturated_of=lambda a: np.mean((a < 0.01) | (a > 0.99)),
        hist_range_of=lambda acts: (0.0, 1.0),
    )
    assert max(got["3.0"]["saturated"]) > 0 and max(got["0.01"]["saturated"]) == 0  # both branches seen


@pytest.mark.claim("init.he-for-relu")
def test_the_relu_histograms_are_the_forward_and_backward_pass_written_out():
    """ReLU layers: the same, with the share of outputs equal to 0 as saturated and histograms over
    [0, the largest output of any layer]; when every output is 0 they all fall in the first bin."""
    got = _check_against_by_hand(
        "relu",
        (0.01, 1.0, "xavier", "he"),
        5,
        saturated_of=lambda a: np.mean(a == 0),
        hist_range_of=lambda acts: (0.0, max(float(a.max()) for a in acts)),
    )
    assert got["0.01"]["hist"][0][1][-1] < 0.5  # small outputs: the range is not [0, 1]
    dead = activation_histograms((0.0,), activation="relu", rng=5, **TINY)["0.0"]
    assert dead["saturated"] == [1.0] * TINY["layers"] and dead["grad"] == [0.0] * TINY["layers"]
    for counts, edges in dead["hist"]:
        assert counts[0] == TINY["n"] * TINY["width"] and edges[0] == 0.0 and edges[-1] > 0.0


@pytest.mark.claim("init.sigmoid-std1-saturates")
def test_an_output_of_exactly_099_is_not_saturated():
    """Saturated means strictly above 0.99 (or below 0.01): one sigmoid output of exactly 0.99 (one
    unit, one sample, one layer, the init chosen so that x·w·s lands on it) counts as not saturated."""
    from nnspec.layers import Sigmoid

    gen = np.random.default_rng(1)
    x, w = gen.standard_normal(), gen.standard_normal()  # the experiment's first two draws, x·w > 0
    a0 = np.log(99)
    candidates = a0 + np.arange(-100, 100) * np.spacing(a0)
    exact = set(candidates[Sigmoid().forward(candidates) == 0.99])
    scales = a0 / (x * w) + np.arange(-400, 400) * np.spacing(a0 / (x * w))
    init = float(next(s for s in scales if x * (w * s) in exact))
    run = activation_histograms((init,), n=1, width=1, layers=1, rng=1)[str(init)]
    assert run["activations"][0][0, 0] == 0.99
    assert run["saturated"] == [0.0]
