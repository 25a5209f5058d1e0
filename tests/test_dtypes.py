"""Narrow formats: rounding once, correctly rounded results, parameters in the dtype,
exhaustive inputs, and --exact.

The ground truth for rounding is brute force with exact fractions: the nearest of all
values of a 16- or 8-bit format (ties to the even code), independent of the bit
arithmetic in actcli/dtypes.py.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest

import actcli
from actcli.activation import Activation
from actcli.dtypes import FORMATS, as_array, every_value, lookup, representable, round_exact, round_to, spacing
from actcli.model import ActivationError

from . import oracle
from .conftest import catalogue

NARROW = [f for f in FORMATS.values() if f.width <= 16]


def _brute_round(x: float, table: np.ndarray, codes_even: np.ndarray, fmt) -> float:  # noqa: ANN001
    """x rounded to the nearest value of ``table`` (sorted finite values), by exact fractions."""
    if math.isnan(x):
        return math.nan
    top = table[-1]
    half_step = (Fraction(top) - Fraction(table[-2])) / 2
    threshold = Fraction(top) + half_step  # halfway to the next binade's first value
    if math.isinf(x) or Fraction(abs(x)) > threshold or (Fraction(abs(x)) == threshold and not codes_even[-1]):
        # past max + ulp/2, or a tie there whose even side is beyond max
        return math.copysign(math.inf, x) if fmt.inf else math.nan
    i = int(np.searchsorted(table, x))
    best = []
    for j in (i - 1, i):
        if 0 <= j < len(table):
            best.append((abs(Fraction(x) - Fraction(table[j])), not codes_even[j], j))
    d, _, j = min(best)
    value = float(table[j])
    return math.copysign(0.0, x) if value == 0 else value


@pytest.mark.parametrize("fmt", NARROW, ids=lambda f: f.name)
def test_round_to_is_the_nearest_value_ties_to_even(fmt) -> None:  # noqa: ANN001
    codes = np.arange(2 ** fmt.width, dtype=np.uint16 if fmt.width == 16 else np.uint8)
    with np.errstate(invalid="ignore"):
        values = codes.view(fmt.numpy()).astype(np.float64)
    keep = np.isfinite(values) & ~((values == 0) & np.signbit(values))
    table, even = values[keep], (codes[keep] % 2 == 0)
    order = np.argsort(table, kind="stable")
    table, even = table[order], even[order]
    rng = np.random.default_rng(11)
    mids = (table[:-1] + table[1:]) / 2  # exact in float64: every midpoint, and its neighbours
    picks = rng.choice(len(mids), min(400, len(mids)), replace=False)
    x = np.concatenate([
        mids[picks], np.nextafter(mids[picks], np.inf), np.nextafter(mids[picks], -np.inf),
        rng.uniform(-1.2, 1.2, 300) * table[-1], rng.standard_normal(300),
        [table[-1] * (1 + 2.0 ** -(fmt.p + 1)), fmt.max + (table[-1] - table[-2]) / 2, 1e-45, -1e-300, 0.0, -0.0,
         np.inf, -np.inf, np.nan],
    ])
    got = round_to(x, fmt)
    want = np.array([_brute_round(v, table, even, fmt) for v in x.tolist()])
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got[got == 0]), np.signbit(want[want == 0]))


def test_float64_to_bfloat16_rounds_once() -> None:
    """Through float32 (PyTorch's cast) 1 + 2**-8 + 2**-30 first becomes the midpoint 1 + 2**-8, then 1."""
    x = np.array([1 + 2**-8 + 2**-30])
    assert round_to(x, FORMATS["bfloat16"]).tolist() == [1 + 2**-7]
    assert round_to(x.astype(np.float32).astype(np.float64), FORMATS["bfloat16"]).tolist() == [1.0]


def test_float8_overflow_as_each_format_defines() -> None:
    e4m3, e5m2 = FORMATS["float8_e4m3fn"], FORMATS["float8_e5m2"]
    assert round_to(np.array([464.0, 464.1, -1e9]), e4m3)[0] == 448 and np.isnan(round_to(np.array([464.1, -1e9]), e4m3)).all()
    assert round_to(np.array([61439.0, 61440.0, -1e9]), e5m2).tolist() == [57344.0, math.inf, -math.inf]


def test_exact_rounding_of_long_significands() -> None:
    # 1 + 2**-24 + 2**-100: above float32's midpoint, a double cannot hold it.
    assert round_exact((1 << 100) + (1 << 76) + 1, -100, FORMATS["float32"]) == 1 + 2**-23
    assert round_exact((1 << 100) + (1 << 76), -100, FORMATS["float32"]) == 1.0  # the tie itself: to even
    assert round_exact(-(3 << 2000), -3000, FORMATS["float64"]) == -3 * 2.0 ** -1000
    assert round_exact(1, 5000, FORMATS["float64"]) == math.inf


def test_spacing_is_the_binade_of_the_true_value() -> None:
    f32 = FORMATS["float32"]
    below_two = float(np.nextafter(np.float32(2), np.float32(0)))
    assert spacing(np.array([below_two, 2.0, 0.0, 1e-45]), f32).tolist() == [2.0**-23, 2.0**-22, 2.0**-149, 2.0**-149]


@pytest.mark.parametrize("fmt", NARROW, ids=lambda f: f.name)
def test_every_value_lists_each_value_once_in_order(fmt) -> None:  # noqa: ANN001
    v = every_value(fmt)
    finite = v[np.isfinite(v)]
    assert np.all(np.diff(finite) >= 0) and np.isnan(v[-1]) and np.isnan(v).sum() == 1
    zeros = finite[finite == 0]
    assert zeros.size == 2 and np.signbit(zeros[0]) and not np.signbit(zeros[1])
    assert np.isinf(v).sum() == (2 if fmt.inf else 0)
    assert representable(v, fmt).all()
    nan_codes = {"float16": 2046, "bfloat16": 254, "float8_e4m3fn": 2, "float8_e5m2": 6}[fmt.name]
    assert v.size == 2 ** fmt.width - nan_codes + 1


def test_dtype_names_and_refusals() -> None:
    assert lookup("bf16").name == "bfloat16" and lookup(" FP8_E4M3 ").name == "float8_e4m3fn"
    with pytest.raises(ActivationError, match="unknown dtype 'float8'.*bfloat16 \\(bf16\\)"):
        lookup("float8")
    with pytest.raises(ActivationError, match="--all lists every value of a 16-bit or 8-bit dtype"):
        every_value(FORMATS["float32"])


# ------------------------------------------------------------ correct rounding
def _close_to_midpoints(act: Activation, kind: str, x: np.ndarray, fmt, count: int) -> np.ndarray:  # noqa: ANN001
    """The inputs whose float64 results lie nearest to a midpoint of ``fmt``: where a
    second rounding of the float64 result goes wrong, if anywhere."""
    f = actcli.get(act.spec)
    y = f(x) if kind == "value" else f.grad(x)
    r = round_to(y, fmt)
    step = spacing(r, fmt)
    distance = np.abs(np.abs(y - r) - step / 2) / step
    distance[~np.isfinite(distance)] = np.inf
    return x[np.argsort(distance, kind="stable")[:count]]


@pytest.mark.parametrize("act", catalogue(vector=False))
@pytest.mark.parametrize("name", ["float32", "float16", "bfloat16"])
def test_narrow_results_are_correctly_rounded(act: actcli.Activation, name: str) -> None:
    """At the inputs nearest a midpoint (where rounding the float64 result once more goes
    wrong), the result equals the mpmath reference correctly rounded."""
    fmt = FORMATS[name]
    try:
        narrow = Activation(act.definition, act.params, name)
    except ActivationError:  # a parameter that the format cannot hold (e.g. beyond float16's range)
        pytest.skip("parameters not representable")
    rng = np.random.default_rng(12)
    x = round_to(np.concatenate([rng.normal(0, 3, 3000), rng.normal(0, 30, 1000)]), fmt)
    x = x[np.isfinite(x)]
    args = narrow._arguments(fmt)
    for kind in ("value", "grad"):
        pts = _close_to_midpoints(Activation(act.definition, args), kind, x, fmt, 12)
        got = narrow(pts) if kind == "value" else narrow.grad(pts)
        want = [_reference_rounded(act.definition, args, kind, v, fmt) for v in pts.tolist()]
        np.testing.assert_array_equal(got.astype(np.float64), np.array(want), err_msg=f"{act.spec} {kind} {name}")


def _reference_rounded(d, params, kind, x, fmt) -> float:  # noqa: ANN001
    """The test oracle's own value (or slope), rounded to fmt by fractions. 16,000 bits
    more than the oracle's usual: tanhshrink(-2442) in float16 is -2441 - 1e-2121, and
    -2441 is a midpoint."""
    if kind == "grad" and x in d.breaks(params):
        return float(round_to(np.array([float(actcli.Activation(d, params).grad(x))]), fmt)[0])
    with mp.workprec(oracle.precision(x) + 16000):
        v = d.reference(mp, mp.mpf(x), **params) if kind == "value" else oracle.reference_slope(d, params, x)
        sign, man, exp, _ = mp.mpf(v)._mpf_ if mp.isfinite(v) else (0, 0, 0, 0)
    if not mp.isfinite(v):
        return float(v)
    return round_exact(-man if sign else man, exp, fmt)


def test_double_rounding_goes_wrong_where_correct_rounding_does_not() -> None:
    """The tests here can fail: tanhshrink(-510) in bfloat16 is -509 - 2e-443, just past
    the midpoint -509 between -510 and -508. float64 holds exactly -509, which rounds to
    even: -508, the wrong side. (Found by the exhaustive test below.)"""
    fmt = FORMATS["bfloat16"]
    naive = round_to(np.array([float(actcli.get("tanhshrink")(-510.0))]), fmt)
    assert naive.tolist() == [-508.0]
    assert float(actcli.get("tanhshrink", dtype="bf16")(-510.0)) == -510.0
    assert _reference_rounded(actcli.get("tanhshrink").definition, {}, "value", -510.0, fmt) == -510.0


@pytest.mark.parametrize("act", catalogue(vector=False))
@pytest.mark.parametrize("name", ["bfloat16", "float16"])
@pytest.mark.slow  # every value of two 16-bit formats, for every function
def test_every_16_bit_input_where_the_float64_result_misleads(act: actcli.Activation, name: str) -> None:
    """At every value of the format, the result differs from the float64 result rounded
    once more only where the reference says the latter is wrong."""
    fmt = FORMATS[name]
    try:
        narrow = Activation(act.definition, act.params, name)
    except ActivationError:
        pytest.skip("parameters not representable")
    args = narrow._arguments(fmt)
    wide = Activation(act.definition, args)
    x = every_value(fmt)
    x = x[np.isfinite(x)]
    for kind in ("value", "grad"):
        ours = (narrow(x) if kind == "value" else narrow.grad(x)).astype(np.float64)
        naive = round_to(wide(x) if kind == "value" else wide.grad(x), fmt)
        differ = np.flatnonzero((ours != naive) & ~(np.isnan(ours) & np.isnan(naive)))
        for i in differ[:: max(1, differ.size // 8)].tolist():
            want = _reference_rounded(act.definition, args, kind, float(x[i]), fmt)
            assert ours[i] == want, f"{act.spec} {kind} at {x[i]!r}: {ours[i]!r}, want {want!r}"


def test_parameters_are_rounded_to_the_dtype_as_pytorch_does() -> None:
    """hardshrink(lambd=0.3) in float32 holds 0.3f: at x = 0.3f, |x| > lambd is false (PyTorch: 0)."""
    assert float(actcli.get("hardshrink(lambd=0.3)", dtype="float32")(0.3)) == 0.0
    x32 = float(np.float32(0.3))  # 0.30000001192092896 > 0.3: with lambd left in float64 it would pass
    assert float(actcli.get("hardshrink(lambd=0.3)")(x32)) == x32
    with pytest.raises(ActivationError, match="'beta' = 1e-10 becomes 0.0 in float16, which must be > 0"):
        actcli.get("softplus(beta=1e-10)", dtype="float16")


def test_exact_ties_round_to_even() -> None:
    """softshrink in float16: 2048 - 0.5 and 2046 - 0.5 lie exactly halfway; the reference
    sees the same midpoint at every precision and rounds it to even."""
    act = actcli.get("softshrink", dtype="fp16")
    assert act([2048.0, 2046.0, 1025.0]).astype(np.float64).tolist() == [2048.0, 2046.0, 1024.0]


def test_results_keep_the_dtype_and_numpy_conventions() -> None:
    import ml_dtypes

    y = actcli.get("gelu", dtype="bf16")([0.1, 1.0])
    assert y.dtype == ml_dtypes.bfloat16
    s = actcli.get("gelu", dtype="fp8_e5m2")(2.0)
    assert s.dtype == ml_dtypes.float8_e5m2 and np.ndim(s) == 0
    # A bfloat16 input gives a bfloat16 result, correctly rounded.
    x = np.array([0.5, -3.0], dtype=ml_dtypes.bfloat16)
    assert actcli.get("gelu")(x).dtype == ml_dtypes.bfloat16
    assert actcli.get("gelu")(x).tolist() == actcli.get("gelu", dtype="bf16")(x.astype(np.float64)).tolist()
    assert as_array(np.array([1.0]), FORMATS["float64"]).dtype == np.float64


# ---------------------------------------------------------------------- exact
@pytest.mark.parametrize("act", catalogue(vector=False)[::3])
def test_exact_float64_agrees_with_the_oracle(act: actcli.Activation) -> None:
    """--exact in float64: within 0.5 ulp of the oracle at random points (the oracle is
    the same reference, differentiated and evaluated its own way)."""
    d, params = act.definition, act.params
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.normal(0, 3, 6), [1e-300, -50.0]])
    ex = actcli.Activation(d, params, exact=True)
    err, where = oracle.worst(oracle.value_errors(d, params, x, ex(x)))
    assert err <= 0.5, f"{act.spec}: {err} ulp at {where}"
    err, where = oracle.worst(oracle.slope_errors(d, params, x, ex.grad(x)))
    assert err <= 0.5 + 1e-6, f"{act.spec}': {err} ulp at {where}"


@pytest.mark.parametrize("act", catalogue(vector=True))
def test_exact_vectors(act: actcli.Activation) -> None:
    if act.definition.reference is None:
        with pytest.raises(ActivationError, match="no high-precision reference"):
            actcli.Activation(act.definition, act.params, exact=True)([1.0, 2.0])
        return
    row = [[0.5, -1.25, 3.0, 2.0]]
    ex = actcli.Activation(act.definition, act.params, exact=True)
    err, _ = oracle.worst(oracle.vector_errors(act.definition, row, [ex(np.array(r)) for r in row]))
    assert err <= 0.5
    err, _ = oracle.worst(oracle.jacobian_errors(act.definition, row, [ex.grad(np.array(r)) for r in row]))
    assert err <= 0.5 + 1e-6


def test_values_closer_to_a_midpoint_than_any_precision_reaches() -> None:
    """tanhshrink(2**24 + 2) = 2**24 + 1 + 2e^(-2**25): float32's midpoint 2**24 + 1 plus
    an offset 48 million bits down. The definition's offset decides: up, to 2**24 + 2
    (ties-to-even would give 2**24). The same at 2**53 + 2 for --exact in float64."""
    x = 2.0**24 + 2
    assert actcli.get("tanhshrink", dtype="fp32")([x, -x]).astype(np.float64).tolist() == [x, -x]
    assert actcli.get("tanhshrink", exact=True)(2.0**53 + 2) == 2.0**53 + 2
