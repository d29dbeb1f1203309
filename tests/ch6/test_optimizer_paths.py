"""Chapter 6 · the optimizers' paths on the bowl: what ``optimizer_paths`` returns and refuses."""

from __future__ import annotations

import pytest

from nnspec.experiments import bowl, optimizer_paths


@pytest.mark.claim("optimizer.paths-book")
def test_each_path_ends_at_its_last_point_and_height():
    """For any number of steps, ``end`` is each path's last point and ``f_end`` the bowl's height there,
    f(x, y) = x²/20 + y²."""
    out = optimizer_paths(steps=5)
    for name, path in out["paths"].items():
        assert path.shape == (6, 2)
        assert out["end"][name] == tuple(path[-1])
        assert out["f_end"][name] == float(bowl(*path[-1]))
        assert out["f_end"][name] == path[-1][0] ** 2 / 20.0 + path[-1][1] ** 2


@pytest.mark.claim("optimizer.paths-book")
@pytest.mark.parametrize("steps, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError)])
def test_the_number_of_steps_is_a_positive_int(steps, error):
    """``steps`` must be a positive int; anything else is refused, naming ``steps``."""
    with pytest.raises(error, match=r"^steps must be a positive int"):
        optimizer_paths(steps=steps)
