"""Chapter 6 · one layer protocol: a network is a loop over its layers, and no class reaches into another."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from nnspec.layers import Affine, BatchNormalization, Dropout, Layer, Relu, Sigmoid, SoftmaxWithLoss
from nnspec.networks import LayerNet
from tests.claims import ROOT


def protocol_layers(rng):
    return {
        "Affine": Affine(rng.normal(size=(4, 3)), rng.normal(size=3)),
        "Relu": Relu(),
        "Sigmoid": Sigmoid(),
        "BatchNormalization": BatchNormalization(rng.normal(size=4), rng.normal(size=4)),
        "Dropout": Dropout(0.3, rng=0),
    }


@pytest.mark.claim("layer.protocol")
@pytest.mark.parametrize("name", ["Affine", "Relu", "Sigmoid", "BatchNormalization", "Dropout"])
def test_every_layer_follows_one_protocol(name):
    """forward(x, train_flg), backward(dout), params/grads dicts with the same keys and shapes;
    check=False gives the same numbers as the checked call; input_grad=False fills grads, returns None."""
    rng = np.random.default_rng(0)
    layer = protocol_layers(rng)[name]
    twin = protocol_layers(np.random.default_rng(0))[name]
    assert isinstance(layer, Layer) and isinstance(layer.params, dict) and isinstance(layer.state, dict)
    x = rng.normal(size=(5, 4))
    for train_flg in (True, False):
        y = layer.forward(x, train_flg)
        y2 = twin.forward(x, train_flg, check=False)
        np.testing.assert_array_equal(y, y2)
        dout = rng.normal(size=y.shape)
        dx = layer.backward(dout)
        assert dx.shape == x.shape
        np.testing.assert_array_equal(twin.backward(dout, check=False), dx)
        assert set(layer.grads) == set(layer.params)
        for k, g in layer.grads.items():
            assert g.shape == layer.params[k].shape
        kept = {k: v.copy() for k, v in layer.grads.items()}
        assert twin.backward(dout, input_grad=False, check=False) is None
        for k, g in twin.grads.items():
            np.testing.assert_array_equal(g, kept[k])


@pytest.mark.claim("layer.protocol")
def test_a_network_is_a_loop_over_any_layers(evidence):
    """LayerNet runs whatever layers it is given: a hand-built Affine → Sigmoid → BatchNorm →
    Affine stack gets its parameter keys from the layers' names and a correct gradient."""
    rng = np.random.default_rng(3)
    net = LayerNet(
        {
            "Affine1": Affine(rng.normal(size=(4, 5)), np.zeros(5)),
            "Sigmoid1": Sigmoid(),
            "BatchNorm2": BatchNormalization(np.ones(5), np.zeros(5)),
            "Affine3": Affine(rng.normal(size=(5, 2)), np.zeros(2)),
        }
    )
    assert list(net.params) == ["W1", "b1", "gamma2", "beta2", "W3", "b3"]
    x, t = rng.normal(size=(6, 4)), rng.integers(0, 2, size=6)
    num, bp = net.numerical_gradient(x, t), net.gradient(x, t)
    err = max(float(np.max(np.abs(num[k] - bp[k])) / np.max(np.abs(num[k]))) for k in num)
    evidence("max relative error of the hand-built stack's gradient", err)
    assert err < 1e-6
    with pytest.raises(ValueError, match="must end in the layer's number"):
        LayerNet({"Affine": Affine(np.ones((2, 2)), np.zeros(2))})
    with pytest.raises(ValueError, match="two layers would both name a parameter 'W1'"):
        LayerNet({"Affine1": Affine(np.ones((2, 2)), np.zeros(2)), "x1": Affine(np.ones((2, 2)), np.zeros(2))})
    with pytest.raises(ValueError, match="layers must hold at least one layer"):
        LayerNet({})


@pytest.mark.claim("layer.protocol")
def test_rebinding_a_parameter_reaches_the_layer():
    rng = np.random.default_rng(0)
    net = LayerNet({"Affine1": Affine(rng.normal(size=(3, 2)), np.zeros(2))})
    new = rng.normal(size=(3, 2))
    net.params["W1"] = new
    x = rng.normal(size=(4, 3))
    np.testing.assert_array_equal(net.predict(x), x @ new)
    assert net.layers["Affine1"].params["W"] is new
    net.params["W1"] = np.zeros((2, 2))
    with pytest.raises(ValueError, match=r"params\['W1'\] must be an array of shape \(3, 2\) and dtype float64"):
        net.predict(x)


def _absolute(module: str | None, level: int, package: list[str]) -> list[str]:
    """The dotted parts of ``from <level dots><module> import …`` written in ``package``."""
    base = package[: len(package) - (level - 1)] if level else []
    return base + (module.split(".") if module else [])


def private_reaches(root: Path) -> list[str]:
    """Every ``obj._name`` in nnspec's source where ``obj`` is not ``self``/``cls`` (nor a module
    such as ``np``), every import of an underscore name from another module, and every import of a
    private module from outside the package that holds it (``datasets._common`` serves
    ``nnspec.datasets`` only)."""
    allowed_owners = {"self", "cls", "np", "math", "sys", "os", "numbers", "statistics"}
    found = []
    for path in sorted((root / "nnspec").rglob("*.py")):
        rel = path.relative_to(root)
        package = list(rel.parent.parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in allowed_owners:
                    continue
                found.append(f"{rel}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom):
                parts = _absolute(node.module, node.level, package)
                for i, part in enumerate(parts):
                    if part.startswith("_") and not part.startswith("__") and package[:i] != parts[:i]:
                        found.append(f"{rel}:{node.lineno} from {'.'.join(parts)} import …")
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{rel}:{node.lineno} import {alias.name}")
    return found


@pytest.mark.claim("layer.protocol")
def test_no_class_reaches_into_another(evidence, tmp_path):
    """Scanning nnspec's source finds no access to another object's underscore members and no
    import of a private name or module; the scan itself finds a planted reach."""
    found = private_reaches(ROOT)
    evidence("private reaches found in nnspec/", len(found))
    assert not found, found
    (tmp_path / "nnspec" / "networks").mkdir(parents=True)
    (tmp_path / "nnspec" / "networks" / "bad.py").write_text(
        "from ..layers._fast import as_float\nfrom ..losses import _accuracy\nfrom ._own import ok\n"
        "def f(layer):\n    layer._single = True\n    return layer._forward(1)\n",
        encoding="utf-8",
    )
    assert [line.split(" ", 1)[1] for line in private_reaches(tmp_path)] == [
        "from nnspec.layers._fast import …",
        "import _accuracy",
        "._single",
        "._forward",
    ]  # and not `from ._own import ok`: a private module of the importer's own package


class Spy:
    """An identity layer of the protocol that records how the network calls it."""

    def __init__(self):
        self.params, self.grads, self.state = {}, {}, {}
        self.calls = []

    def forward(self, x, train_flg=True, *, check=True):
        self.calls.append(("forward", train_flg, check))
        return np.asarray(x, dtype=np.float64)

    def backward(self, dout, *, input_grad=True, check=True):
        self.calls.append(("backward", input_grad, check))
        return dout if input_grad else None


@pytest.mark.claim("layer.protocol")
def test_layernet_checks_only_at_the_first_layer():
    """LayerNet passes train_flg to every layer as given, calls the first layer checked and the
    rest with check=False, and asks the first layer for no input gradient."""
    first, middle = Spy(), Spy()
    net = LayerNet({"Spy1": first, "Affine2": Affine(np.eye(2), np.zeros(2)), "Spy3": middle})
    x, t = np.array([[1.0, 2.0]]), [0]
    net.predict(x)
    net.predict(x, train_flg=True)
    net.loss(x, t)
    net.gradient(x, t)
    assert first.calls == [
        ("forward", False, True),
        ("forward", True, True),
        ("forward", False, True),
        ("forward", True, True),
        ("backward", False, False),
    ]
    assert middle.calls == [
        ("forward", False, False),
        ("forward", True, False),
        ("forward", False, False),
        ("forward", True, False),
        ("backward", True, False),
    ]


@pytest.mark.claim("layer.protocol")
def test_accuracy_is_measured_in_inference_mode():
    """net.accuracy scores predict(x) at inference: dropout drops nothing, so the accuracy is deterministic and exact."""
    W = np.array([[1.0, 0.0], [0.0, 1.0]])
    net = LayerNet({"Dropout1": Dropout(0.99, rng=0), "Affine1": Affine(W, np.zeros(2))})
    x, t = np.array([[2.0, 1.0], [1.0, 3.0], [5.0, 4.0], [0.0, 1.0]]), [0, 1, 0, 1]
    assert [net.accuracy(x, t) for _ in range(3)] == [1.0, 1.0, 1.0]


@pytest.mark.claim("layer.protocol")
def test_a_given_last_layer_is_the_one_the_loss_uses():
    """LayerNet(layers, last_layer) computes its loss with that very layer (a SoftmaxWithLoss only when none is given)."""
    last = SoftmaxWithLoss()
    net = LayerNet({"Affine1": Affine(np.eye(2), np.zeros(2))}, last)
    assert net.last_layer is last
    loss = net.loss(np.array([[1.0, 0.0]]), [0])
    assert last.loss == loss
    default = LayerNet({"Affine1": Affine(np.eye(2), np.zeros(2))})
    assert type(default.last_layer) is SoftmaxWithLoss and default.last_layer is not last


@pytest.mark.claim("layer.protocol")
def test_loss_is_in_inference_mode_by_default():
    """net.loss(x, t) runs dropout as at inference (deterministic, equal to the loss of predict's
    scores); loss(x, t, train_flg=True) draws masks."""
    rng = np.random.default_rng(0)
    net = LayerNet({"Dropout1": Dropout(0.5, rng=1), "Affine1": Affine(rng.normal(size=(6, 3)), np.zeros(3))})
    x, t = rng.normal(size=(4, 6)), [0, 1, 2, 0]
    scores = net.predict(x)
    np.testing.assert_array_equal(scores, x @ net.params["W1"])
    shifted = scores - scores.max(axis=1, keepdims=True)
    want = -np.mean(shifted[np.arange(4), t] - np.log(np.exp(shifted).sum(axis=1)))
    assert net.loss(x, t) == pytest.approx(want, rel=1e-12)
    assert net.loss(x, t) == net.loss(x, t)
    assert net.loss(x, t, train_flg=True) != net.loss(x, t, train_flg=True)


@pytest.mark.claim("layer.protocol")
@pytest.mark.parametrize(
    "new, got",
    [
        ([[1.0, 2.0]], "list"),
        (np.zeros((2, 2)), "ndarray (2, 2) float64"),
        (np.zeros((3, 2), np.float32), "ndarray (3, 2) float32"),
    ],
)
def test_rebinding_to_a_wrong_array_is_refused_in_full(new, got):
    """The message names the key, the shape and dtype expected, and the type, shape and dtype given."""
    net = LayerNet({"Affine1": Affine(np.ones((3, 2)), np.zeros(2))})
    net.params["W1"] = new
    with pytest.raises(ValueError) as info:
        net.predict(np.ones((1, 3)))
    assert str(info.value) == f"params['W1'] must be an array of shape (3, 2) and dtype float64, got {got}"


@pytest.mark.claim("multilayer.gradient-check")
def test_numerical_gradient_allows_dropout_that_drops_nothing():
    """A Dropout with ratio 0 keeps the loss deterministic, so numerical_gradient runs; a ratio
    above 0 is refused, naming the layer."""
    rng = np.random.default_rng(0)
    x, t = rng.normal(size=(3, 4)), [0, 1, 0]

    def net(p):
        return LayerNet({"Affine1": Affine(rng.normal(size=(4, 2)), np.zeros(2)), "Dropout1": Dropout(p, rng=0)})

    quiet = net(0.0)
    num, bp = quiet.numerical_gradient(x, t), quiet.gradient(x, t)
    np.testing.assert_allclose(num["W1"], bp["W1"], rtol=1e-6, atol=1e-9)
    with pytest.raises(ValueError) as info:
        net(0.1).numerical_gradient(x, t)
    assert str(info.value) == (
        "numerical_gradient needs a deterministic loss, but layer 'Dropout1' drops units at random "
        "in training mode; check gradients on a net without dropout"
    )


@pytest.mark.claim("multilayer.weight-decay-gradient")
@pytest.mark.parametrize("lam", [0.0, 0.5, 1.0, 2.0])
def test_weight_decay_loss_is_half_lambda_times_the_squared_weights(lam):
    """weight_decay_loss() = λ/2 · Σ‖W‖² over the weights only (not biases), exactly 0 for λ = 0."""
    rng = np.random.default_rng(1)
    w1, w2 = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    net = LayerNet(
        {"Affine1": Affine(w1, np.ones(4)), "Relu1": Relu(), "Affine2": Affine(w2, np.ones(2))},
        weight_decay_lambda=lam,
    )
    want = 0.5 * lam * (np.sum(w1**2) + np.sum(w2**2))
    assert net.weight_decay_loss() == pytest.approx(want, rel=1e-12, abs=0)


@pytest.mark.claim("layer.protocol")
@pytest.mark.parametrize(
    "make, message",
    [
        (lambda a: LayerNet({}), "layers must hold at least one layer"),
        (lambda a: LayerNet({"Affine": a()}), "layer name 'Affine' must end in the layer's number (e.g. 'Affine1')"),
        (
            lambda a: LayerNet({"Affine1": a(), "x1": a()}),
            "two layers would both name a parameter 'W1': rename one of them",
        ),
        (
            lambda a: LayerNet({"Affine1": a()}, weight_decay_lambda=-1),
            "weight_decay_lambda must be a finite number >= 0, got -1.0",
        ),
        (
            lambda a: LayerNet({"Affine1": a()}).sgd_step(np.ones((1, 2)), [0], 0),
            "lr must be a finite number > 0, got 0.0",
        ),
    ],
)
def test_layernet_errors_in_full(make, message):
    """LayerNet's refusals name what is wrong: no layers, a layer name without its number, two
    layers claiming one key, a negative λ, a learning rate that is not positive."""
    with pytest.raises(ValueError) as info:
        make(lambda: Affine(np.ones((2, 2)), np.zeros(2)))
    assert str(info.value) == message


@pytest.mark.claim("layer.protocol")
def test_rebinding_any_key_reaches_its_layer():
    """Rebinding a later key (b2 while W1, b1, W2 are untouched) reaches its layer too, and the
    net's dtype is its parameters' (float64 for a net without parameters)."""
    rng = np.random.default_rng(0)
    net = LayerNet(
        {
            "Affine1": Affine(rng.normal(size=(3, 2)), np.zeros(2)),
            "Affine2": Affine(rng.normal(size=(2, 2)), np.zeros(2)),
        }
    )
    new = np.array([5.0, -5.0])
    net.params["b2"] = new
    x = rng.normal(size=(4, 3))
    np.testing.assert_array_equal(net.predict(x), (x @ net.params["W1"]) @ net.params["W2"] + new)
    assert net.layers["Affine2"].params["b"] is new
    assert net.dtype == np.float64 and LayerNet({"Relu1": Relu()}).dtype == np.float64
    small = LayerNet({"Affine1": Affine(np.ones((2, 2), np.float32), np.zeros(2, np.float32))})
    assert small.dtype == np.float32 and small.last_loss is None
