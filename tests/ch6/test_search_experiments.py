"""Chapter 6 · hyperparameters: validation data, log-uniform draws, random search, and any executor."""

from __future__ import annotations

import inspect
import io
import re
import sys
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings

from nnspec.experiments import (
    grid,
    load_data,
    log_uniform,
    process_pool,
    random_search,
    split_validation,
    thread_pool,
)
from tests.strategies import seeds


class RecordingExecutor(Executor):
    """An executor that records every task submitted to it and answers the ``i``-th with
    ``answer(i, *args, **kwargs)`` instead of running it (so a spec can see a full-size search's tasks)."""

    def __init__(self, answer):
        self.calls: list = []
        self.answer = answer

    def submit(self, fn, /, *args, **kwargs):
        self.calls.append((fn, args, kwargs))
        future: Future = Future()
        future.set_result(self.answer(len(self.calls) - 1, *args, **kwargs))
        return future


def echo(i, train, validation, lr, weight_decay, **kwargs):
    """A trial's result that tells the trials apart: training accuracy i/1000, validation accuracy 0.5."""
    return {"lr": lr, "weight_decay": weight_decay, "train_acc": i / 1000, "val_acc": 0.5}


@pytest.fixture(scope="module")
def first_500():
    (x, t), _ = load_data()
    return x[:500], t[:500]


@pytest.mark.claim("hyperparameter.validation-not-test")
def test_the_search_sees_training_data_only(first_500, evidence):
    """random_search takes training data and nothing else; it holds out a random 20 % of it as
    validation data, disjoint from the 80 % it trains on, and reports accuracy on that."""
    names = list(inspect.signature(random_search).parameters)
    evidence("random_search's parameters", names)
    assert names[0] == "train_data" and not any("test" in n for n in names)
    x, t = first_500
    tr, val, val_idx = split_validation(x, t, 0.2, rng=0)
    assert len(val[0]) == 100 and len(tr[0]) == 400
    rows = {r.tobytes() for r in x}
    assert len(rows) == 500  # every image distinct, so rows identify samples
    train_rows, val_rows = {r.tobytes() for r in tr[0]}, {r.tobytes() for r in val[0]}
    assert not train_rows & val_rows and train_rows | val_rows == rows
    np.testing.assert_array_equal(val[0], x[val_idx])
    r = random_search(first_500, trials=2, epochs=1, hidden=(10,), rng=0)
    assert sorted(r["validation_indices"].tolist()) == sorted(
        split_validation(x, t, 0.2, rng=np.random.default_rng(np.random.SeedSequence(0).spawn(3)[0]))[2].tolist()
    )


@pytest.mark.claim("hyperparameter.log-uniform")
@given(seed=seeds)
@settings(max_examples=30)
def test_every_decade_equally_often(seed):
    """10^U(−6, −2): each of the four decades gets a quarter of the draws, within five standard
    deviations of the binomial count (4,000 draws: 1,000 ± 27 per decade)."""
    v = log_uniform(-6, -2, size=4000, rng=seed)
    counts, _ = np.histogram(np.log10(v), bins=4, range=(-6, -2))
    sd = np.sqrt(4000 * 0.25 * 0.75)
    assert np.all(np.abs(counts - 1000) < 5 * sd)
    assert 1e-6 <= v.min() and v.max() <= 1e-2


@pytest.mark.claim("hyperparameter.log-uniform")
def test_uniform_draws_would_miss_the_small_decades(evidence):
    """Drawn uniformly in [1e-6, 1e-2] instead, 99.99 % of the learning rates would fall in the top decade."""
    u = np.random.default_rng(0).uniform(1e-6, 1e-2, size=4000)
    log = log_uniform(-6, -2, size=4000, rng=0)
    evidence(
        "share in the top decade [1e-3, 1e-2]: uniform, log-uniform",
        [float(np.mean(u >= 1e-3)), float(np.mean(log >= 1e-3))],
    )
    assert np.mean(u >= 1e-3) > 0.89 and abs(np.mean(log >= 1e-3) - 0.25) < 0.05


@pytest.mark.claim("hyperparameter.random-beats-grid")
def test_random_search_tries_more_values_of_what_matters(evidence):
    """With a budget of 25 trials a 5 × 5 grid tries 5 learning rates, random search 25. If only the
    learning rate matters (its best value c anywhere in 10^[−6, −2]), the best one random search
    tried is on average several times closer to c than the grid's (Bergstra and Bengio, 2012)."""
    lr_grid, decay_grid = grid(per_axis=5)
    rng = np.random.default_rng(0)
    lr_random = log_uniform(-6, -2, size=25, rng=rng)
    evidence(
        "distinct learning rates tried with 25 trials: grid, random",
        [len(np.unique(lr_grid)), len(np.unique(lr_random))],
    )
    assert len(np.unique(lr_grid)) == 5 and len(np.unique(decay_grid)) == 5
    assert len(np.unique(lr_random)) == 25
    # The objective depends on the learning rate only: the distance (in decades) from the best value.
    optima = rng.uniform(-6, -2, size=2000)
    miss_grid = np.mean([np.min(np.abs(np.log10(np.unique(lr_grid)) - c)) for c in optima])
    miss_random = np.mean([np.min(np.abs(np.log10(log_uniform(-6, -2, size=25, rng=rng)) - c)) for c in optima])
    evidence(
        "mean distance of the best tried lr from the optimum, decades: grid, random",
        [round(float(miss_grid), 3), round(float(miss_random), 3)],
    )
    assert miss_random < miss_grid / 2


@pytest.mark.claim("hyperparameter.any-executor")
def test_the_same_results_whichever_executor_runs_them(first_500, evidence):
    """Each trial's settings and seed come from the search's seed and its index: run serially, in a
    pool of threads or in a pool of processes, the search returns identical numbers."""
    kw = dict(trials=4, epochs=2, hidden=(20,), rng=7)
    serial = random_search(first_500, **kw)
    with ThreadPoolExecutor(2) as threads:
        threaded = random_search(first_500, executor=threads, **kw)
    with ProcessPoolExecutor(2) as processes:
        pooled = random_search(first_500, executor=processes, **kw)
    evidence("validation accuracy per trial (serial)", serial["val_acc"])
    for other in (threaded, pooled):
        for key in ("lr", "weight_decay", "train_acc", "val_acc", "order", "validation_indices"):
            np.testing.assert_array_equal(other[key], serial[key])
    again = random_search(first_500, **(kw | {"rng": 8}))
    assert not np.array_equal(again["lr"], serial["lr"])


@pytest.mark.claim("hyperparameter.any-executor")
def test_a_search_needs_an_int_seed(first_500):
    """The search's seed is an int >= 0 (not a generator, a bool or a negative number); ``trials`` is a
    positive int; each error names its argument."""
    for bad in (np.random.default_rng(0), True, -1):
        with pytest.raises(TypeError, match=r"^rng must be an int seed >= 0"):
            random_search(first_500, trials=1, rng=bad)
    with pytest.raises(ValueError, match=r"^trials must be a positive int"):
        random_search(first_500, trials=0)
    with pytest.raises(TypeError, match=r"^trials must be a positive int"):
        random_search(first_500, trials=2.0)


@pytest.mark.claim("hyperparameter.random-search")
def test_the_search_runs_the_books_settings_by_default(capsys):
    """By default the search is the book's: 100 trials, each training a [100]×6 network for 50 epochs in
    batches of 100 on 80 % of the data, from the search's seed 0, with no bar; every trial is handed to the
    executor as ``run_trial(train, validation, lr, weight_decay)`` with its own training seed."""
    from nnspec.experiments import run_trial

    rng = np.random.default_rng(0)
    data = rng.random((50, 3)), np.arange(50) % 5
    pool = RecordingExecutor(echo)
    out = random_search(data, executor=pool)
    assert len(pool.calls) == 100 and len(out["lr"]) == 100
    seeds = set()
    for fn, (train, validation, lr, decay), kwargs in pool.calls:
        assert fn is run_trial and len(train[0]) == 40 and len(validation[0]) == 10
        assert 1e-6 <= lr <= 1e-2 and 1e-8 <= decay <= 1e-4
        seed = kwargs.pop("seed")
        assert kwargs == {"hidden": (100,) * 6, "epochs": 50, "batch_size": 100}
        seeds.add((seed.entropy, seed.spawn_key))
    assert len(seeds) == 100  # a seed of its own for every trial
    assert capsys.readouterr().err == ""
    seeded_0 = random_search(data, rng=0, executor=RecordingExecutor(echo))
    seeded_1 = random_search(data, rng=1, executor=RecordingExecutor(echo))
    assert np.array_equal(out["lr"], seeded_0["lr"]) and not np.array_equal(out["lr"], seeded_1["lr"])


@pytest.mark.claim("hyperparameter.validation-not-test")
def test_the_search_hands_its_settings_to_every_trial():
    """Every trial gets the search's epochs, batch size and hidden sizes, the training part of the split at
    ``validation_rate`` and the held-out part; the search returns each trial's settings and accuracies in
    trial order."""
    rng = np.random.default_rng(0)
    x, t = rng.random((50, 3)), np.arange(50) % 5
    pool = RecordingExecutor(echo)
    kw = dict(trials=3, epochs=2, hidden=[4, 3], batch_size=7, validation_rate=0.5, lr_range=(-1, -1), rng=5)
    out = random_search((x, t), executor=pool, **kw)
    val_idx = out["validation_indices"]
    assert len(val_idx) == 25
    for _, (train, validation, lr, decay), kwargs in pool.calls:
        assert lr == 0.1 and 1e-8 <= decay <= 1e-4
        np.testing.assert_array_equal(validation[0], x[val_idx])
        np.testing.assert_array_equal(validation[1], t[val_idx])
        assert sorted(map(bytes, train[0])) == sorted(map(bytes, np.delete(x, val_idx, axis=0)))
        assert {k: kwargs[k] for k in ("hidden", "epochs", "batch_size")} == {
            "hidden": (4, 3),
            "epochs": 2,
            "batch_size": 7,
        }
    np.testing.assert_array_equal(out["lr"], [0.1] * 3)
    np.testing.assert_array_equal(out["weight_decay"], [call[1][3] for call in pool.calls])
    np.testing.assert_array_equal(out["train_acc"], [0.0, 0.001, 0.002])
    np.testing.assert_array_equal(out["val_acc"], [0.5] * 3)


@pytest.mark.claim("hyperparameter.random-search")
def test_the_order_ranks_by_validation_accuracy_failed_trials_last():
    """``order`` lists the trials by decreasing validation accuracy, failed ones (NaN) last; equal
    accuracies rank the later trial first (a stable sort, reversed), the same on every machine."""
    accuracies = [0.1, 0.3, float("nan"), 0.3, 0.2] * 8  # 40 trials, many ties

    def answer(i, train, validation, lr, weight_decay, **kwargs):
        return {"lr": lr, "weight_decay": weight_decay, "train_acc": 0.5, "val_acc": accuracies[i]}

    rng = np.random.default_rng(0)
    out = random_search((rng.random((20, 3)), np.arange(20) % 2), trials=40, executor=RecordingExecutor(answer))
    score = [-np.inf if np.isnan(a) else a for a in accuracies]
    expected = sorted(range(40), key=lambda i: (score[i], i), reverse=True)
    assert out["order"].tolist() == expected
    assert np.isnan(out["val_acc"][out["order"][-8:]]).all()


@pytest.mark.claim("hyperparameter.any-executor")
def test_the_search_draws_one_bar_over_its_trials():
    """``progress`` (here a stream) draws one bar labelled ``trials`` of ``trials`` steps, advanced as each
    trial's result comes back, from the executor or from this process."""
    rng = np.random.default_rng(0)
    data = rng.random((20, 3)), np.arange(20) % 2
    pool = RecordingExecutor(echo)
    for executor in (pool, None):
        stream = io.StringIO()
        random_search(data, trials=3, epochs=1, hidden=(4,), executor=executor, progress=stream)
        assert re.search(r"(^|\r)trials: 100%\|.*\| 3/3 ", stream.getvalue())
        assert not re.search(r"[4-9]/3 ", stream.getvalue())  # one step per trial, never more
    assert len(pool.calls) == 3


# A random search smaller than the book's (100 trials of [100]×6 for 50 epochs): 30 trials of
# 784-[50]×3-10 for 20 epochs, on the first 500 sample images. Measured with seeds 0-3: the best
# three trials' learning rates were 10^(−2.26…−2.22), 10^(−2.57…−2.16), 10^(−2.46…−2.24) and
# 10^(−3.28…−2.19): at most 1.1 decades apart, all above 10^−3.3, out of the 4 decades searched.
SEARCH_SEEDS = (0, 1, 2)


@pytest.mark.claim("hyperparameter.random-search")
@pytest.mark.parametrize("seed", SEARCH_SEEDS)
def test_the_best_learning_rates_lie_in_a_narrow_band(first_500, seed, evidence):
    r = random_search(first_500, trials=30, epochs=20, hidden=(50,) * 3, rng=seed)
    best = np.log10(r["lr"][r["order"][:3]])
    evidence(f"seed {seed}: log10 lr of the best 3 trials", best.round(2))
    evidence(f"seed {seed}: their validation accuracy", r["val_acc"][r["order"][:3]].round(3))
    assert np.log10(r["lr"]).min() < -5 and np.log10(r["lr"]).max() > -2.5  # the range was searched
    assert best.max() - best.min() <= 1.5
    assert best.min() > -3.5


@pytest.mark.claim("hyperparameter.any-executor")
def test_every_multi_run_experiment_takes_an_executor(evidence):
    """The comparisons run their trainings on a process pool (and the search on nnspec's thread pool)
    with the same results as in this process with one BLAS thread, as each worker has: a multithreaded
    matrix product may add in another order, and training amplifies a last-bit difference."""
    from threadpoolctl import threadpool_limits

    from nnspec.experiments import batchnorm_comparison, compare_optimizers, overfitting

    small = dict(hidden=(10,))
    with process_pool(2) as pool, threadpool_limits(1):
        runs = [
            (compare_optimizers(iters=5, executor=pool, **small), compare_optimizers(iters=5, **small)),
            (
                batchnorm_comparison(scales=[1.0, 0.01], epochs=1, executor=pool, **small),
                batchnorm_comparison(scales=[1.0, 0.01], epochs=1, **small),
            ),
            (
                overfitting(
                    runs={"plain": ({}, 2), "decay": ({"weight_decay_lambda": 0.1}, 2)}, executor=pool, **small
                ),
                overfitting(runs={"plain": ({}, 2), "decay": ({"weight_decay_lambda": 0.1}, 2)}, **small),
            ),
        ]
    (opt_pool, opt_serial), (bn_pool, bn_serial), (of_pool, of_serial) = runs
    for k in opt_serial["loss"]:
        np.testing.assert_array_equal(opt_pool["loss"][k], opt_serial["loss"][k])
    for k in bn_serial["train_acc"]:
        np.testing.assert_array_equal(bn_pool["train_acc"][k], bn_serial["train_acc"][k])
    for k in of_serial["gap"]:
        np.testing.assert_array_equal(of_pool[k]["test_acc"], of_serial[k]["test_acc"])
    evidence("optimizer comparison, 5 iterations: final losses (pool = in process)", opt_pool["final_loss"])
    (x, t), _ = load_data()
    with thread_pool(2) as pool:
        threaded = random_search((x[:100], t[:100]), trials=3, epochs=1, hidden=(10,), rng=3, executor=pool)
    with threadpool_limits(1):
        serial = random_search((x[:100], t[:100]), trials=3, epochs=1, hidden=(10,), rng=3)
    np.testing.assert_array_equal(threaded["val_acc"], serial["val_acc"])


@pytest.mark.claim("hyperparameter.random-beats-grid")
def test_the_grid_is_even_in_the_exponents():
    """grid(per_axis=3) gives 3 × 3 powers of ten, exponents evenly spaced over each range, in grid
    order (the learning rate varies fastest), 10 × 10 over 1e-6…1e-2 and 1e-8…1e-4 by default; per_axis
    must be a positive integer, named in the error."""
    lr, decay = grid((-6, -2), (-8, -4), per_axis=3)
    assert np.allclose(np.log10(lr), [-6, -4, -2] * 3, rtol=0, atol=1e-12)
    assert np.allclose(np.log10(decay), np.repeat([-8, -6, -4], 3), rtol=0, atol=1e-12)
    assert len(grid()[0]) == 100 and grid()[0].min() == 1e-6 and grid()[1].max() == 1e-4  # 10 × 10 by default
    with pytest.raises(ValueError, match=r"^per_axis must be a positive int"):
        grid(per_axis=0)


@pytest.mark.claim("hyperparameter.any-executor")
@pytest.mark.parametrize("make", [thread_pool, process_pool], ids=["thread_pool", "process_pool"])
def test_a_pool_has_the_workers_asked_for(make, monkeypatch):
    """A pool of ``workers`` workers (default: every core, 1 when the count is unknown); a
    ``workers`` that is not a positive integer is refused, naming ``workers``."""
    for workers, cores, expected in [(3, 8, 3), (None, 5, 5), (None, None, 1)]:
        monkeypatch.setattr("os.cpu_count", lambda cores=cores: cores)
        pool = make(workers)
        try:
            assert pool._max_workers == expected
        finally:
            pool.shutdown()
    with pytest.raises(ValueError, match=r"^workers must be a positive int"):
        make(0)


@pytest.mark.claim("hyperparameter.any-executor")
def test_pools_limit_blas_to_one_thread_each():
    """Inside ``with thread_pool(n)`` every BLAS library runs one thread, restored when the block ends;
    a process pool's workers start with the same limit."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from nnspec.experiments.parallel import _one_blas_thread

    def blas_threads():
        return [lib["num_threads"] for lib in threadpoolctl.threadpool_info()]

    guard = threadpoolctl.threadpool_limits(limits=2)  # two threads before, whatever the machine
    try:
        before = blas_threads()
        with thread_pool(2):
            inside = blas_threads()
        assert blas_threads() == before and set(inside) <= {1} and set(before) != {1}
        _one_blas_thread()
        assert set(blas_threads()) <= {1}
    finally:
        guard.restore_original_limits()
    pool = process_pool(1)
    try:
        assert pool._initializer is _one_blas_thread
    finally:
        pool.shutdown()


@pytest.mark.claim("hyperparameter.any-executor")
def test_closing_a_thread_pool_again_changes_nothing():
    """Like the standard library's executors, a thread pool lets an error in its block go on, and may be closed
    again after its block: that lifts no BLAS limit a second time, so limits set since stay as they are."""
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas_threads():
        return {lib["num_threads"] for lib in threadpoolctl.threadpool_info()}

    guard = threadpoolctl.threadpool_limits(limits=2)
    try:
        with pytest.raises(ZeroDivisionError), thread_pool(2) as pool:
            raise ZeroDivisionError("in the block")
        assert blas_threads() == {2}
        later = threadpoolctl.threadpool_limits(limits=3)
        try:
            pool.__exit__(None, None, None)
            assert blas_threads() == {3}
        finally:
            later.restore_original_limits()
    finally:
        guard.restore_original_limits()


@pytest.mark.claim("hyperparameter.any-executor")
def test_a_thread_pool_works_without_threadpoolctl(monkeypatch):
    """Without threadpoolctl a thread pool runs its tasks all the same (no BLAS limit is set)."""
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)
    with thread_pool(2) as pool:
        assert list(pool.map(abs, [-1, -2])) == [1, 2]


@pytest.mark.claim("hyperparameter.validation-not-test")
def test_split_validation_holds_out_a_shuffled_share():
    """The first ⌊n·rate⌋ rows (at least 1) of a permutation drawn from ``rng`` (default seed 0) are the
    validation data, the rest the training data; a rate outside (0, 1) is refused, naming it."""
    x, t = np.arange(20.0).reshape(10, 2), np.arange(10)
    (xt, tt), (xv, tv), val_idx = split_validation(x, t)
    order = np.random.default_rng(0).permutation(10)
    assert np.array_equal(val_idx, order[:2]) and np.array_equal(tv, order[:2]) and np.array_equal(tt, order[2:])
    assert np.array_equal(xv, x[order[:2]]) and np.array_equal(xt, x[order[2:]])
    assert len(split_validation(x, t, validation_rate=0.05, rng=1)[2]) == 1
    for rate in (0.0, 1.0):
        with pytest.raises(ValueError, match=r"^validation_rate must be a finite number in \(0, 1\)"):
            split_validation(x, t, validation_rate=rate)


@pytest.mark.claim("hyperparameter.random-search")
def test_a_trial_is_one_seeded_training(monkeypatch):
    """A trial trains ``MultiLayerNet`` (weight decay λ, classes of both parts) from the two children of
    its seed, ``epochs`` × ⌊n / batch⌋ iterations, and reports the last accuracies, with no progress bar
    of its own even on a terminal; a diverging rate gives NaN accuracies, not an error."""
    from nnspec.experiments import run_trial
    from nnspec.networks import MultiLayerNet
    from nnspec.training import train

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setattr("nnspec.training.progress.AUTO_PROGRESS_DELAY", 0.0)
    rng = np.random.default_rng(0)
    x, t = rng.random((30, 4)), np.arange(30) % 3
    val = (rng.random((6, 4)), np.array([0, 1, 2, 3, 0, 1]))
    got = run_trial((x, t), val, 0.5, 0.3, hidden=(5,), epochs=3, batch_size=20, seed=4)
    init, batches = (np.random.default_rng(s) for s in np.random.SeedSequence(4).spawn(2))
    net = MultiLayerNet(4, [5], 4, weight_decay_lambda=0.3, rng=init)
    r = train(net, (x, t), val, iters=3, batch_size=20, lr=0.5, rng=batches, eval_every=3, progress=False)
    assert got == {
        "lr": 0.5,
        "weight_decay": 0.3,
        "train_acc": float(r.train_acc[-1]),
        "val_acc": float(r.test_acc[-1]),
    }
    no_decay = run_trial((x, t), val, 0.5, 0.0, hidden=(5,), epochs=3, batch_size=20, seed=4)
    assert (no_decay["train_acc"], no_decay["val_acc"]) != (got["train_acc"], got["val_acc"])  # λ was used
    wild = run_trial((x * 1e150, t), val, 1e300, 0.5, hidden=(5,), epochs=3, batch_size=20, seed=4)
    assert list(wild) == ["lr", "weight_decay", "train_acc", "val_acc"]
    assert wild["lr"] == 1e300 and wild["weight_decay"] == 0.5
    assert np.isnan(wild["train_acc"]) and np.isnan(wild["val_acc"])
    assert sys.stderr.getvalue() == ""


@pytest.mark.claim("hyperparameter.random-search")
def test_a_trial_runs_the_books_settings_by_default():
    """By default a trial trains for 50 epochs in batches of 100 from seed 0, the book's settings: the
    same run as asking for them, and a run an int seed repeats exactly."""
    from nnspec.experiments import run_trial

    rng = np.random.default_rng(0)
    data = rng.random((200, 4)), (rng.random(200) * 3).astype(int)
    val = rng.random((50, 4)), (rng.random(50) * 3).astype(int)

    def accuracies(**kw):
        r = run_trial(data, val, 0.5, 0.0, hidden=(5,), **kw)
        return r["train_acc"], r["val_acc"]

    default = accuracies()
    assert default == accuracies(epochs=50, batch_size=100, seed=0) == accuracies(seed=0)
    # The data tells these settings apart: one more epoch, batches of 101 (one per epoch), another seed.
    for other in ({"epochs": 51}, {"batch_size": 101}, {"seed": 1}):
        assert accuracies(**other) != default, other
