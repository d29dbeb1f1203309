"""Chapter 1: randomness comes from a seed or a Generator, never from NumPy's global state."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given

import nnspec
from nnspec.rng import as_generator
from tests.ch1.randomscan import find_global_random, scan_tree
from tests.strategies import seeds

# The source the scan reads: nnspec as imported, or, in a mutation run (make mutation), the
# repository's own nnspec/ (NNSPEC_SCAN_SOURCE): the mutated copy under mutants/ holds every
# mutant side by side, some of them deliberately unseeded, and it is the real code that must pass.
NNSPEC_DIR = Path(os.environ.get("NNSPEC_SCAN_SOURCE") or Path(nnspec.__file__).resolve().parent)


def draws(gen: np.random.Generator) -> bytes:
    """A few draws of several kinds, as raw bytes: equal bytes means identical bits."""
    parts = [
        gen.random(16),
        gen.standard_normal((3, 4)),
        gen.integers(0, 2**62, size=8),
        gen.permutation(10),
        gen.choice(100, size=5, replace=False),
    ]
    return b"".join(p.tobytes() for p in parts)


@pytest.mark.claim("numpy.seeded-reproducible")
@given(seed=seeds)
@example(seed=0)
@example(seed=2**32 - 1)
def test_same_seed_same_bits(seed):
    """as_generator(seed) twice gives generators whose draws agree bit for bit; so does a
    SeedSequence of that seed, and np.random.default_rng(seed)."""
    a = draws(as_generator(seed))
    assert a == draws(as_generator(seed))
    assert a == draws(as_generator(np.random.SeedSequence(seed)))
    assert a == draws(np.random.default_rng(seed))
    assert a == draws(as_generator(np.int64(seed)))  # NumPy integers are seeds too


@pytest.mark.claim("numpy.seeded-reproducible")
@given(seed=seeds)
def test_different_seeds_different_bits(seed):
    """No part of the seed is ignored: seeds that differ in their lowest bit, in bit 1, 16, 31
    or beyond 32 bits all give different streams."""
    others = [seed ^ 1, seed ^ 2, seed ^ 2**16, seed ^ 2**31, seed + 2**32, seed + 2**64]
    streams = {draws(as_generator(s)) for s in [seed, *others]}
    assert len(streams) == 1 + len(others)


@pytest.mark.claim("numpy.seeded-reproducible")
def test_a_generator_is_used_as_is():
    """Passing a Generator hands over that very stream: draws continue it, nothing is copied."""
    gen = np.random.default_rng(5)
    assert as_generator(gen) is gen
    first = as_generator(gen).random()
    second = as_generator(gen).random()
    ref = np.random.default_rng(5)
    assert (first, second) == (ref.random(), ref.random())


@pytest.mark.claim("numpy.seeded-reproducible")
def test_none_gives_a_fresh_generator():
    """None is the one unreproducible choice: a new generator seeded from the operating system."""
    a, b = as_generator(None), as_generator()
    assert isinstance(a, np.random.Generator) and isinstance(b, np.random.Generator)
    assert a is not b


@pytest.mark.claim("numpy.seeded-reproducible")
@pytest.mark.parametrize(
    "rng, error, words",
    [
        (1.5, TypeError, ["rng", "float"]),
        (True, TypeError, ["rng", "bool"]),
        ("42", TypeError, ["rng", "str"]),
        (np.random.RandomState(0), TypeError, ["rng", "RandomState"]),
        (-1, ValueError, ["rng", ">= 0", "-1"]),
    ],
    ids=["float", "bool", "str", "RandomState", "negative"],
)
def test_bad_rng_is_named(rng, error, words):
    with pytest.raises(error) as info:
        as_generator(rng)
    for word in words:
        assert word in str(info.value)


@pytest.mark.claim("numpy.seeded-reproducible")
def test_nnspec_never_uses_global_random_state(evidence):
    """A static scan of every source file of nnspec finds no use of NumPy's (or Python's)
    global random state and no default_rng() that a caller cannot seed."""
    n_files, problems = scan_tree(NNSPEC_DIR)
    evidence("files scanned", n_files)
    evidence("uses of a global random state", len(problems))
    assert n_files > 5
    assert not problems, "\n".join(problems)


# The scan must be able to fail: each snippet below uses global random state in a different way.
BAD = {
    "np.random.rand": "import numpy as np\nx = np.random.rand(3)\n",
    "np.random.randn": "import numpy as np\nx = np.random.randn(3, 2)\n",
    "np.random.seed": "import numpy as np\nnp.random.seed(0)\n",
    "np.random.random": "import numpy as np\nx = np.random.random()\n",
    "np.random.choice": "import numpy as np\ni = np.random.choice(10, 3)\n",
    "np.random.permutation": "import numpy as np\np = np.random.permutation(10)\n",
    "np.random.shuffle": "import numpy as np\nxs = [1, 2]\nnp.random.shuffle(xs)\n",
    "np.random.normal in a function": "import numpy as np\ndef f():\n    return np.random.normal(size=3)\n",
    "numpy without alias": "import numpy\nx = numpy.random.uniform()\n",
    "other alias": "import numpy as xp\nx = xp.random.randint(5)\n",
    "import numpy.random": "import numpy.random\nx = numpy.random.rand()\n",
    "import numpy.random as npr": "import numpy.random as npr\nx = npr.rand()\n",
    "from numpy import random": "from numpy import random\nx = random.rand()\n",
    "from numpy import random as r": "from numpy import random as r\nr.seed(1)\n",
    "from numpy.random import rand": "from numpy.random import rand\nx = rand()\n",
    "RandomState": "import numpy as np\nrs = np.random.RandomState(0)\n",
    "module as a value": "import numpy as np\nr = np.random\nx = r.rand()\n",
    "getattr": "import numpy as np\nf = getattr(np.random, 'rand')\n",
    "unseeded default_rng": "import numpy as np\ng = np.random.default_rng()\n",
    "default_rng(None)": "import numpy as np\ng = np.random.default_rng(None)\n",
    "from-imported default_rng()": "from numpy.random import default_rng as mk\ng = mk()\n",
    "stdlib random": "import random\nx = random.random()\n",
    "from random import": "from random import shuffle\n",
}

GOOD = {
    "seeded default_rng": "import numpy as np\ng = np.random.default_rng(0)\n",
    "seed from a parameter": "import numpy as np\ndef f(seed):\n    return np.random.default_rng(seed)\n",
    "as_generator": "from nnspec.rng import as_generator\ndef f(rng=None):\n    return as_generator(rng).random()\n",
    "generator methods": "def f(gen):\n    return gen.random(), gen.permutation(3), gen.choice(5)\n",
    "Generator class": "import numpy as np\ndef f(g):\n    return isinstance(g, np.random.Generator)\n",
    "from numpy.random import Generator": "from numpy.random import Generator, SeedSequence\n",
    "an unrelated .random": "class A:\n    random = 1\nx = A().random\n",
    "np.random in a docstring": '"""np.random.rand(3) is banned"""\n',
}


@pytest.mark.claim("numpy.seeded-reproducible")
@pytest.mark.parametrize("name", BAD)
def test_the_scan_finds_global_random_state(name):
    assert find_global_random(BAD[name]), f"the scan missed: {name}"


@pytest.mark.claim("numpy.seeded-reproducible")
@pytest.mark.parametrize("name", GOOD)
def test_the_scan_allows_seeded_randomness(name):
    assert find_global_random(GOOD[name]) == []


@pytest.mark.claim("numpy.seeded-reproducible")
def test_the_scan_fails_on_a_file_tree(tmp_path):
    """Planted in a copy of a package, one bad line makes the tree scan report it, with its place."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "ok.py").write_text(GOOD["seeded default_rng"], encoding="utf-8")
    (tmp_path / "pkg" / "bad.py").write_text(BAD["np.random.randn"], encoding="utf-8")
    n, problems = scan_tree(tmp_path)
    assert n == 2
    assert len(problems) == 1 and "bad.py:2" in problems[0] and "randn" in problems[0]
