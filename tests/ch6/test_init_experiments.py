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
