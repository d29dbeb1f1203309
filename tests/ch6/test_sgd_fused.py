"""Chapter 6 · plain SGD on a network with a public ``sgd_step`` is that fused step."""

from __future__ import annotations

import numpy as np
import pytest

from nnspec.networks import MultiLayerNet, TwoLayerNet
from nnspec.optimizers import SGD


def _batch(seed: int):
    rng = np.random.default_rng(seed)
    return rng.random((8, 6)), rng.integers(0, 3, 8)


@pytest.mark.claim("training.any-optimizer")
@pytest.mark.parametrize(
    "make",
    [
        lambda: TwoLayerNet(6, 5, 3, rng=1),
        lambda: MultiLayerNet(6, [5, 4], 3, weight_init_std="he", use_batchnorm=True, rng=1),
    ],
    ids=["TwoLayerNet", "MultiLayerNet with batch norm"],
)
def test_sgd_step_is_the_networks_fused_step_bit_for_bit(make):
    """``SGD(lr).step(net, x, t)`` returns and does exactly what ``net.sgd_step(x, t, lr)`` does, bit
    for bit, over several steps: the fused update (η folded into backprop), not ``gradient`` then
    ``update``, which agrees with it only to rounding."""
    fused, stepped = make(), make()
    opt = SGD(lr=0.3)
    for seed in range(3):
        x, t = _batch(seed)
        expected = fused.sgd_step(x, t, 0.3)
        assert opt.step(stepped, x, t) == expected
        for key, value in fused.params.items():
            np.testing.assert_array_equal(stepped.params[key], value)
    unfused = make()
    for seed in range(3):
        x, t = _batch(seed)
        grads = unfused.gradient(x, t)
        for key in grads:
            unfused.params[key] -= 0.3 * grads[key]
    # the two routes differ in the last bits, so the bit-for-bit check above can tell them apart
    assert any(not np.array_equal(unfused.params[k], fused.params[k]) for k in fused.params)
