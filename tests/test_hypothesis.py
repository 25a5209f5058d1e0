"""Property-based tests (Hypothesis): random specs, parameters and arrays through the API,
random argv through the command line, random texts on stdin.

Each property runs in two profiles: "fast" (a few dozen examples, the quick loop) and
"thorough" (many more, marked slow, run by CI). Both are derandomised, so a run is
reproducible: a failure prints the example that falsified the property.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import actcli
from actcli.cli import inputs
from actcli.definitions import DEFINITIONS
from actcli.literals import NUMBER, NumberError
from actcli.model import ActivationError

from .conftest import cli
from .oracle import precision, reference_value

PROFILES = [pytest.param(40, id="fast"), pytest.param(1500, id="thorough", marks=pytest.mark.slow)]
SLACK_ULPS = 4  # as in test_properties: NumPy's exp, tanh, ... differ by an ulp between CPUs


def run(examples: int, strategy: st.SearchStrategy, check: Callable[..., None]) -> None:
    """check(example) for ``examples`` examples of ``strategy``, derandomised."""
    settings(max_examples=examples, deadline=None, derandomize=True, database=None,
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                    HealthCheck.data_too_large])(given(strategy)(check))()


# ------------------------------------------------------------------------- data
reals = st.floats(allow_nan=True, allow_infinity=True, width=64)
moderate = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


def _parameter(value_kind: type) -> st.SearchStrategy:
    """A parameter's value over its whole range: moderate numbers mostly, the extremes and
    invalid values too (those must be refused with ActivationError, nothing else)."""
    if value_kind is int:
        return st.one_of(st.integers(-3, 3), st.floats(allow_nan=True, allow_infinity=True))
    if value_kind is str:
        return st.text(max_size=8)
    if value_kind is bool:
        return st.booleans()
    return st.one_of(moderate, st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5))


@st.composite
def activations(draw: st.DrawFn, vector: bool | None = None) -> tuple[actcli.Activation | None, dict]:
    """A catalogue function with parameters drawn at random: an Activation, or None with
    the parameters if they were (rightly) refused."""
    definition = draw(st.sampled_from([d for d in DEFINITIONS if vector is None or d.vector == vector]))
    params = {}
    for p in definition.params:
        if p.choices:
            params[p.name] = draw(st.sampled_from(p.choices))
        elif p.name == "dim":
            params[p.name] = draw(st.sampled_from([-1, 0]))
        elif draw(st.booleans()) or p.default is None:
            params[p.name] = draw(_parameter(p.kind))
    try:
        return actcli.get(definition.name, **params), params
    except ActivationError:
        return None, params


def _slack(y: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(y), SLACK_ULPS * np.spacing(np.abs(y)), 0.0)


# --------------------------------------------------------------------------- API
@pytest.mark.parametrize("examples", PROFILES)
def test_the_api_gives_results_or_activation_error_and_never_warns(examples: int) -> None:
    arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5), elements=reals)

    def check(case: tuple) -> None:
        (act, _), x = case
        if act is None:
            return
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for f in (act, act.grad):
                try:
                    y = f(x)
                except ActivationError:  # a single number, glu's odd length, a Jacobian along dim=0
                    assert act.definition.vector, act.spec
                    continue
                # NumPy's convention: a 0-d input gives a NumPy scalar, as np.exp(np.array(0.0)) does.
                assert isinstance(y, np.float64 if x.ndim == 0 else np.ndarray) and y.dtype == np.float64
                if not act.definition.vector:
                    assert np.shape(y) == x.shape

    run(examples, st.tuples(activations(), arrays), check)


@pytest.mark.parametrize("examples", PROFILES)
def test_a_value_is_the_same_alone_in_an_array_and_in_a_long_one(examples: int) -> None:
    """Scalar = array = chunked: f(x)[i] is f(x[i]), whether x is short or long (blocked)."""
    def check(case: tuple) -> None:
        (act, _), values, at = case
        if act is None:
            return
        x = np.resize(np.array(values), 40_000)  # past two blocks: evaluated in pieces
        i = at % x.size
        for f in (act, act.grad):
            alone, inside = f(x[i]), f(x)[i]
            assert alone == inside or (np.isnan(alone) and np.isnan(inside)), (act.spec, x[i])

    run(examples, st.tuples(activations(vector=False), st.lists(reals, min_size=1, max_size=20),
                            st.integers(0, 10**6)), check)


@pytest.mark.parametrize("examples", PROFILES)
def test_declared_properties_hold_for_any_parameters(examples: int) -> None:
    """Range, monotonicity and oddness as declared for the drawn parameters (to 4 ulps)."""
    def check(case: tuple) -> None:
        (act, _), values = case
        if act is None:
            return
        x = np.sort(np.array(values))
        y = act.curve(x)
        finite = np.isfinite(y)
        r = act.definition.range_for(act.params)
        lo, hi = np.float64(r.lo), np.float64(r.hi)
        assert np.all((y[finite] >= lo - _slack(lo)) & (y[finite] <= hi + _slack(hi))), (act.spec, r)
        if act.definition.is_monotonic(act.params):
            ys = y[finite]
            assert np.all(np.diff(ys) >= -_slack(ys[1:])), act.spec
        if act.definition.is_zero_centred(act.params):
            assert np.all(np.abs(act.curve(-x) + y) <= _slack(y) + _slack(act.curve(-x))), act.spec

    run(examples, st.tuples(activations(), st.lists(moderate, min_size=2, max_size=50)), check)


def _converged_slope(act: actcli.Activation, x: float) -> float:
    """The reference formula's slope at x by mpmath, at steps of 2^-160 and 2^-240
    (relative below 1): they must agree, or the function turns faster than the step
    (snake with alpha = 1e45) and the case tells nothing."""
    import mpmath as mp

    f = reference_value(act.definition, dict(act.params))
    with mp.workprec(precision(x) + 800):
        t = mp.mpf(x)
        slopes = []
        for bits in (160, 240):
            h = mp.ldexp(1, -bits) * (mp.mpf(abs(x)) if 0 < abs(x) < 1 else 1)
            slopes.append((-3 * f(t) + 4 * f(t + h) - f(t + 2 * h)) / (2 * h))
        assume(abs(slopes[0] - slopes[1]) <= mp.mpf(1e-12) * abs(slopes[1]) + mp.mpf(1e-80))
        return float(slopes[1])


@pytest.mark.parametrize("examples", PROFILES)
def test_the_derivative_is_the_slope(examples: int) -> None:
    """f' against the slope of f away from kinks and jumps: for elementwise functions
    mpmath's difference quotient of the reference formula at tiny steps (a step any
    float64 can afford misses snake(alpha=3e6), which oscillates faster), for vector
    functions' sections a central difference quotient that has converged (quotients at
    steps h and h/10 agree)."""
    def quotient(f: Callable, x: float, h: float) -> tuple[float, float]:
        ends = (f(x + h), f(x), f(x - h))
        assume(all(np.isfinite(v) for v in ends))
        # Its own error: truncation (from the curvature) and rounding (f's ulps over h).
        error = abs(ends[0] - 2 * ends[1] + ends[2]) / h + 4 * np.spacing(max(abs(v) for v in ends)) / h
        return (ends[0] - ends[2]) / (2 * h), 10 * error + 1e-6

    def check(case: tuple) -> None:
        (act, _), x = case
        if act is None:
            return
        h = 1e-4 * max(1.0, abs(x))
        assume(all(abs(x - b) > 4 * h for b in act.definition.breaks(act.params)))
        slope = float(act.curve_grad(x))
        if not act.definition.vector:
            truth = _converged_slope(act, x)
            if math.isinf(truth):  # (celu with a tiny negative alpha: exp(x / alpha) overflows)
                assert slope == truth, (act.spec, x, slope, truth)
                return
            assert abs(slope - truth) <= 1e-6 * abs(truth) + 1e-80, (act.spec, x, slope, truth)  # (ulps: test_accuracy; the step leaves 2^-320)
            return
        coarse, _ = quotient(act.curve, x, h)
        fine, error = quotient(act.curve, x, h / 10)
        assume(abs(coarse - fine) <= 1e-3 * max(1.0, abs(fine)))
        assert abs(slope - fine) <= 1e-5 * max(1.0, abs(slope)) + error, (act.spec, x, slope, fine)

    bounded = st.floats(min_value=-30.0, max_value=30.0, allow_nan=False)
    run(examples, st.tuples(activations(), bounded), check)


# --------------------------------------------------------------------------- CLI
_WORDS = ["eval", "grad", "compare", "list", "info", "plot", "relu", "gelu", "softmax", "glu", "threshold",
          "leaky_relu(0.2)", "gelu(tanh)", "softmax(dim=1)", "nope", "relu(", "-f", "json", "csv", "table",
          "plain", "xml", "-x", "-p", "alpha=2", "--linspace", "--at", "--dtype", "float16", "float8", "--grad",
          "-t", "--xmin", "--xmax", "--points", "--dpi", "-1", "0", "1e308", "-inf", "nan", "1_0", "--", "-",
          "--formt", "--version", "-h", "--family", "gate", "--width"]


@pytest.mark.parametrize("examples", PROFILES)
def test_any_command_line_exits_0_1_or_2_with_one_line(examples: int) -> None:
    def check(case: tuple) -> None:
        argv, stdin = case
        if "plot" in argv and "-t" not in argv:
            return  # (writes files: test_plot.py)
        r = cli(*argv, stdin=stdin)
        assert r.exit_code in (0, 1, 2), (argv, r.exit_code, r.stderr)
        assert "Traceback" not in r.stderr + r.stdout and "internal error" not in r.stderr, (argv, r.stderr)
        if r.exit_code:
            assert r.stderr.count("\n") <= 1, (argv, r.stderr)
        else:
            assert "Warning" not in r.stderr, (argv, r.stderr)

    run(examples, st.tuples(st.lists(st.sampled_from(_WORDS), max_size=7), st.sampled_from(["", "1 2\n3 4\n", "x\n"])),
        check)


# ------------------------------------------------------------------------- stdin
_PIECES = ["1", "-2.5", "1e-3", ".5", "5.", "+3", "-0", "nan", "inf", "-Infinity", "1e400", "0x10", "1_0", "x",
           "١", " ", "  ", "\t", ",", ", ", "\r", "\n", "\n\n", "1e", "--1", "-"]


@pytest.mark.parametrize("examples", PROFILES)
def test_stdin_gives_floats_or_one_error_naming_the_line(examples: int) -> None:
    """Any text: the numbers float() reads from its fields, or a NumberError/UsageError
    naming the line of the first bad field."""
    def check(pieces: list[str]) -> None:
        text = "".join(pieces)
        expected: list[float] = []
        bad_line = None
        for number, line in enumerate(text.split("\n"), 1):
            fields = [] if not line.strip(" \t\r") else re.split(r"[ \t\r]*,[ \t\r]*|[ \t\r]+", line.strip(" \t\r"))
            if any(NUMBER.fullmatch(f) is None for f in fields):
                bad_line = number
                break
            expected += [float(f) for f in fields]
        try:
            got = np.concatenate([np.empty(0), *inputs.stream_scalars(_Trickle(text.encode(), 3))])
        except (NumberError, ActivationError, Exception) as e:  # noqa: BLE001 - checked just below
            assert bad_line is not None and f"line {bad_line}" in str(e), (text, e)
            return
        assert bad_line is None, text
        assert got.tolist() == expected or np.array_equal(got, expected, equal_nan=True), text
        assert [math.copysign(1, v) for v in got] == [math.copysign(1, v) for v in expected], text

    run(examples, st.lists(st.sampled_from(_PIECES), max_size=30), check)


class _Trickle:
    """A pipe delivering a few bytes per read: blocks end anywhere."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step = data, step

    def read(self, n: int = -1) -> bytes:
        piece, self.data = self.data[: self.step], self.data[self.step :]
        return piece


# ------------------------------------------------------------------ JSON in pieces
_leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=5),
                  st.floats(allow_nan=False, allow_infinity=False))
_arrays = st.lists(st.floats(allow_subnormal=True), max_size=12).map(lambda v: np.array(v, dtype=np.float64))
_docs = st.recursive(st.one_of(_leaf, _arrays), lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4)), max_leaves=20)


def _plain(v: object) -> object:
    from actcli.cli.formatting import json_array

    if isinstance(v, np.ndarray):
        return json_array(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return [_plain(x) for x in v] if isinstance(v, list) else v


@given(_docs, st.booleans())
def test_json_in_pieces_is_orjsons_document(doc: object, pretty: bool) -> None:
    """dump_json's encoder, in slices of 3 numbers here, writes byte for byte what one
    orjson call writes (compact, or indented as at a terminal)."""
    import orjson

    from actcli.cli import formatting

    with pytest.MonkeyPatch.context() as m:
        m.setattr(formatting, "JSON_PIECE", 3)
        ours = b"".join(formatting.json_pieces(doc, pretty))
    assert ours == orjson.dumps(_plain(doc), option=orjson.OPT_INDENT_2 if pretty else 0)
