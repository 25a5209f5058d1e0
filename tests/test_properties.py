"""Declared properties hold numerically; IEEE special values behave; the API validates."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actcli
from actcli.definitions import DEFINITIONS, all_names, lookup, resolve
from actcli.model import ActivationError

from .conftest import catalogue

INF = math.inf
GRID = np.concatenate([np.linspace(-60, 60, 24001), np.geomspace(1e-300, 1e300, 600), -np.geomspace(1e-300, 1e300, 600)])


def _curve_grid() -> np.ndarray:
    return np.sort(GRID)


# NumPy's exp, tanh, arctan... are not correctly rounded, and differ in the last bit from
# one CPU to another (AVX-512, AVX2, ARM and C-library code): a curve computed with them
# may step back by an ulp where the true function rises, or end an ulp beyond a bound.
# Properties are checked to this many ulps of the values involved.
SLACK_ULPS = 4


def _slack(y: np.ndarray | np.float64) -> np.ndarray:
    """SLACK_ULPS ulps of each y (0 for an infinite bound)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(y), SLACK_ULPS * np.spacing(np.abs(y)), 0.0)


@pytest.mark.parametrize("act", catalogue())
def test_declared_range_holds(act: actcli.Activation) -> None:
    y = act.curve(_curve_grid())
    y = y[np.isfinite(y)]
    r = act.definition.range_for(act.params)
    lo, hi = np.float64(r.lo), np.float64(r.hi)
    inside = (y >= lo - _slack(lo)) & (y <= hi + _slack(hi))
    assert inside.all(), f"{act.spec} leaves {r}: {y[~inside][:3]}"


@pytest.mark.parametrize("act", catalogue())
def test_declared_monotonicity_holds(act: actcli.Activation) -> None:
    """Non-decreasing where declared so (up to SLACK_ULPS); otherwise it visibly falls."""
    x = _curve_grid()
    y = act.curve(x)
    finite = np.isfinite(y)
    y = y[finite]
    steps = np.diff(y)
    rising = bool(np.all(steps >= -_slack(y[1:])))
    assert rising == act.definition.is_monotonic(act.params), act.spec
    if rising:
        assert np.all(act.curve_grad(x) >= 0), act.spec


@pytest.mark.parametrize("act", catalogue())
def test_zero_centred_means_odd(act: actcli.Activation) -> None:
    """Declared zero-centred exactly where f(-x) = -f(x): symmetric inputs, mean-zero outputs."""
    x = np.linspace(1e-3, 20.0, 4001)
    right, left = act.curve(x), act.curve(-x)
    odd = bool(np.all(np.abs(right + left) <= _slack(right) + _slack(left)))
    assert odd == act.definition.is_zero_centred(act.params) == act.info["properties"]["zero_centred"], act.spec


@pytest.mark.parametrize("act", catalogue())
def test_nan_in_nan_out(act: actcli.Activation) -> None:
    """NaN in, NaN out: elementwise per element; for vector-valued functions, at least the
    outputs that depend on the NaN entry (all of softmax's; glu's first)."""
    x = np.array([np.nan, 1.0, -2.0, 0.5]) if act.definition.vector else np.array([np.nan, 1.0])
    y, dy = act(x), act.grad(x)
    if act.definition.vector:
        assert np.isnan(y[0]) and np.isnan(dy[0, 0])
    else:
        assert np.isnan(y[0]) and np.isnan(dy[0]) and np.isfinite(y[1]) and np.isfinite(dy[1])


LIMITS = [  # the mathematical limit at ±inf, where PyTorch and JAX often give nan
    ("gelu", -INF, 0.0, 0.0), ("gelu", INF, INF, 1.0),
    ("gelu(approximate=tanh)", -INF, 0.0, 0.0), ("gelu(approximate=tanh)", INF, INF, 1.0),
    ("silu", -INF, 0.0, 0.0), ("silu", INF, INF, 1.0),
    ("mish", -INF, 0.0, 0.0), ("mish", INF, INF, 1.0),
    ("quick_gelu", -INF, 0.0, 0.0), ("hardswish", -INF, 0.0, 0.0), ("hardswish", INF, INF, 1.0),
    ("softsign", INF, 1.0, 0.0), ("softsign", -INF, -1.0, 0.0),
    ("sigmoid", -INF, 0.0, 0.0), ("sigmoid", INF, 1.0, 0.0), ("tanh", INF, 1.0, 0.0),
    ("softplus", -INF, 0.0, 0.0), ("softplus", INF, INF, 1.0), ("logsigmoid", -INF, -INF, 1.0),
    ("elu", -INF, -1.0, 0.0), ("squareplus", -INF, 0.0, 0.0), ("squareplus", INF, INF, 1.0),
    ("gaussian", INF, 0.0, 0.0), ("bent_identity", INF, INF, 1.5), ("tanhshrink", INF, INF, 1.0),
    ("arctan", INF, math.pi / 2, 0.0), ("snake", INF, INF, None),
]


@pytest.mark.parametrize(("spec", "x", "value", "slope"), LIMITS)
def test_limits_at_infinity(spec: str, x: float, value: float, slope: float | None) -> None:
    act = actcli.get(spec)
    assert act([x])[0] == value
    if slope is not None:
        assert act.grad([x])[0] == slope


@pytest.mark.parametrize(("spec", "x", "expected"), [
    ("hardswish", 1e308, 1e308),  # PyTorch: inf (x * (x + 3) overflows)
    ("squareplus", 1e308, 1e308),
    ("bent_identity", 1e308, 1.5e308),
    ("softsign", 1e308, 1.0),
])
def test_no_overflow_in_between(spec: str, x: float, expected: float) -> None:
    assert actcli.get(spec)([x])[0] == expected


@pytest.mark.parametrize(("spec", "neg_zero", "tiny"), [
    ("relu", -0.0, 5e-324), ("leaky_relu", -0.0, 5e-324), ("elu", -0.0, 5e-324), ("tanh", -0.0, 5e-324),
    ("identity", -0.0, 5e-324), ("hardtanh", -0.0, 5e-324), ("softsign", -0.0, 5e-324),
    ("gelu", -0.0, 0.0), ("silu", -0.0, 0.0),  # 5e-324 / 2 rounds (to even) to 0
    ("mish", -0.0, 5e-324), ("selu", -0.0, 5e-324), ("arctan", -0.0, 5e-324),
])
def test_negative_zero_and_subnormals_are_kept(spec: str, neg_zero: float, tiny: float) -> None:
    """IEEE semantics, as in PyTorch: -0.0 keeps its sign, subnormals are not flushed."""
    y = actcli.get(spec)([-0.0, 5e-324])
    assert math.copysign(1.0, y[0]) == math.copysign(1.0, neg_zero) and y[0] == 0.0
    assert y[1] == tiny


def test_softmax_is_stable_and_handles_infinities() -> None:
    sm = actcli.get("softmax")
    assert sm([1000.0, 1000.0]).tolist() == [0.5, 0.5]
    assert sm([-np.inf, 0.0]).tolist() == [0.0, 1.0]
    assert sm([np.inf, 1.0]).tolist() == [1.0, 0.0]
    assert sm([np.inf, np.inf, 0.0]).tolist() == [0.5, 0.5, 0.0]
    assert np.isnan(sm([-np.inf, -np.inf])).all()
    assert np.isnan(sm([np.nan, 1.0])).all()
    np.testing.assert_allclose(actcli.get("log_softmax")([1000.0, 1000.0]), [-math.log(2)] * 2, rtol=2**-51, atol=0)
    assert actcli.get("log_softmax")([0.0, -np.inf]).tolist() == [0.0, -np.inf]


def test_seed_softmax_example() -> None:
    """The seed article's [5, 4, -1] -> [0.730, 0.268, 0.002]."""
    np.testing.assert_allclose(actcli.get("softmax")([5.0, 4.0, -1.0]), [0.7297, 0.2685, 0.0018], atol=1e-4)


def test_tanh_is_not_sigmoid() -> None:
    """One seed prints sigmoid's outputs under tanh; tanh(1) is 0.7616, not 0.7311."""
    assert actcli.get("tanh")([1.0, -2.0, 3.0, -5.0]).round(4).tolist() == [0.7616, -0.964, 0.9951, -0.9999]


def test_dtype_rounds_inputs_and_outputs() -> None:
    act = actcli.get("sigmoid", dtype="float16")
    y = act([20.0, 1e-5])
    assert y.dtype == np.float16 and y[0] == 1.0  # saturates in half precision
    assert actcli.get("exponential", dtype="float32")([100.0])[0] == np.inf
    with pytest.raises(ActivationError, match="unknown dtype"):
        actcli.get("relu", dtype="float8")


def test_vector_function_needs_a_vector() -> None:
    with pytest.raises(ActivationError, match="needs a vector"):
        actcli.get("softmax")(1.0)


def test_jacobian_shape() -> None:
    assert actcli.get("softmax").grad(np.ones((4, 3))).shape == (4, 3, 3)
    assert actcli.get("glu").grad([1.0, 2.0, 3.0, 4.0]).shape == (2, 4)


# ---------------------------------------------------------------------- names
@pytest.mark.parametrize(("name", "canonical"), [
    ("LeakyReLU", "leaky_relu"), ("leaky-relu", "leaky_relu"), ("SiLU", "silu"), ("swish", "silu"),
    ("hard_silu", "hardswish"), ("hard_swish", "hardswish"), ("hard-sigmoid", "hardsigmoid"),
    ("log_sigmoid", "logsigmoid"), ("soft_sign", "softsign"), ("hard_tanh", "hardtanh"),
    ("linear", "identity"), ("gelu_new", "gelu"), ("gelu_pytorch_tanh", "gelu"), ("gelu_10", "clipped_gelu"),
    ("relu2", "relu2"), ("squared_relu", "relu2"), ("quick_gelu", "quick_gelu"), ("TanhShrink", "tanhshrink"),
])
def test_aliases_and_spellings(name: str, canonical: str) -> None:
    assert lookup(name)[0].name == canonical


def test_alias_presets_parameters_but_yields_to_explicit_ones() -> None:
    assert actcli.get("gelu_new").params == {"approximate": "tanh"}
    assert actcli.get("gelu_new(approximate=none)").params == {"approximate": "none"}


def test_names_are_unique_after_normalisation() -> None:
    keys = [n.lower().replace("_", "").replace("-", "") for n in all_names()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("spec", "message"), [
    ("gelu_neww", "did you mean gelu_new"),
    ("relu(1)", "takes 0 parameter"),
    ("leaky_relu(slope=1)", "unknown parameter 'slope'"),
    ("celu(alpha=0)", "'alpha' must not be 0"),
    ("softplus(beta=-1)", "'beta' must be > 0"),
    ("gelu(approximate=fast)", "must be one of none, tanh"),
    ("hardtanh(2, 1)", "min_val must be <= max_val"),
    ("rrelu(0.5, 0.1)", "lower must be <= upper"),
    ("threshold(1)", "missing required parameter 'value'"),
    ("leaky_relu(0.1", "malformed"),
    ("leaky_relu(negative_slope=)", "malformed"),
    ("leaky_relu(negative_slope=nan)", "must not be nan"),
    ("elu(alpha='x')", "must be a number"),
    ("elu(1, alpha=2)", "given twice"),
    ("1relu", "malformed"),
    ("relu; import os", "malformed"),
    ("__import__('os')", "unknown function"),
])
def test_bad_specs_name_the_culprit(spec: str, message: str) -> None:
    with pytest.raises(ActivationError, match=message.replace("(", r"\(")):
        actcli.get(spec)


@pytest.mark.parametrize(("spec", "params"), [
    ("leaky_relu(0.2)", {"negative_slope": 0.2}),
    ("leaky_relu(negative_slope=-1e-3)", {"negative_slope": -0.001}),
    ("gelu('tanh')", {"approximate": "tanh"}),
    ('gelu("tanh")', {"approximate": "tanh"}),
    ("gelu(tanh)", {"approximate": "tanh"}),
    ("hardtanh(-2, max_val=3)", {"min_val": -2.0, "max_val": 3.0}),
    ("threshold(1, 0)", {"threshold": 1.0, "value": 0.0}),
    ("softplus(beta=2, threshold=30)", {"beta": 2.0, "threshold": 30.0}),
    ("step(at_zero=+.5)", {"at_zero": 0.5}),
])
def test_spec_parsing(spec: str, params: dict) -> None:
    assert actcli.get(spec).params == params


def test_keyword_params_add_to_spec() -> None:
    assert actcli.get("leaky_relu", negative_slope=0.3).params == {"negative_slope": 0.3}


def test_resolve_returns_validated_params() -> None:
    d, p = resolve("elu(2)")
    assert d.name == "elu" and p == {"alpha": 2.0}


def test_patches_match_their_declarations() -> None:
    from actcli.activation import Activation
    from actcli.definitions import bind
    from actcli.definitions.patch_data import PATCHES

    declared = {}
    for d in DEFINITIONS:
        for patch in d.patches:
            key = f"{Activation(d, bind(d, (), dict(patch.params))).spec}:{patch.kind}"
            declared[key] = (patch.lo, patch.hi)
    assert set(declared) == set(PATCHES)
    for key, (lo, hi) in declared.items():
        pieces = PATCHES[key]
        assert pieces[0][0] == lo and pieces[-1][1] == hi
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:])), f"{key}: gaps between pieces"


@pytest.mark.parametrize("act", catalogue(vector=False, variants=False))
def test_shape_in_is_shape_out_and_layout_does_not_matter(act: actcli.Activation, rng: np.random.Generator) -> None:
    """Scalars stay scalars (0-d), arrays keep their shape, and a strided, transposed or
    blocked (long) input gives the values of the same numbers laid out flat."""
    x = rng.standard_normal(40_000) * 6.0
    for f in (act, act.grad):
        flat = f(x)
        assert np.shape(f(-1.5)) == () and np.shape(f(np.array(0.3))) == ()
        assert np.array_equal(f(x.reshape(200, 200)), flat.reshape(200, 200), equal_nan=True)
        assert np.array_equal(f(x.reshape(200, 200).T), flat.reshape(200, 200).T, equal_nan=True)
        assert np.array_equal(f(x[::3]), flat[::3], equal_nan=True)
        assert f(x[7:8]).tolist() == [flat[7]] or np.isnan(flat[7])
