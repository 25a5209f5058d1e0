"""`actcli stats`: moments against closed forms and mpmath, the mean-field fixed point and
the edge of chaos, and the command's output and errors."""

from __future__ import annotations

import json
import math

import mpmath as mp
import numpy as np
import pytest

import actcli
from actcli import stats
from actcli.activation import Activation
from actcli.model import ActivationError

from .conftest import catalogue, cli

SQRT_2PI = math.sqrt(2.0 * math.pi)
DIGITS = 1e-12  # the promise: 12 correct significant digits (of E|g| where the value nears 0)


def close(value: float | None, truth: float, scale: float | None = None, rel: float = DIGITS) -> bool:
    return value is not None and abs(value - truth) <= rel * (scale if scale is not None else abs(truth))


# ------------------------------------------------------------------ closed forms
def _qs(rng: np.random.Generator, n: int = 6) -> list[float]:
    """Variances log-uniform over six decades, and 1."""
    return [1.0, *np.exp(rng.uniform(math.log(1e-3), math.log(1e3), n)).tolist()]


def test_relu_moments_in_closed_form(rng: np.random.Generator) -> None:
    for q in _qs(rng):
        m = stats.moments(actcli.get("relu"), q)
        assert close(m["mean"], math.sqrt(q) / SQRT_2PI) and close(m["second_moment"], q / 2), q
        assert close(m["variance"], q * (0.5 - 1 / (2 * math.pi))), q
        assert close(m["grad_mean"], 0.5) and close(m["grad_second_moment"], 0.5), q
        assert close(m["gain"], math.sqrt(2 / q)) and m["torch_gain"] == math.sqrt(2.0)


def test_gelu_second_moment_in_closed_form(rng: np.random.Generator) -> None:
    """E[gelu(z)^2] = q (1/4 + (1/pi) (q / ((q+1) sqrt(1+2q)) + atan2(q, sqrt(1+2q)) / 2))."""
    for q in _qs(rng):
        truth = q * (0.25 + (q / ((q + 1) * math.sqrt(1 + 2 * q)) + math.atan2(q, math.sqrt(1 + 2 * q)) / 2) / math.pi)
        assert close(stats.moments(actcli.get("gelu"), q)["second_moment"], truth), q


@pytest.mark.parametrize("slope", [0.01, 0.2, -0.5, 3.0])
def test_leaky_relu_moments_in_closed_form(slope: float, rng: np.random.Generator) -> None:
    for q in _qs(rng, 3):
        m = stats.moments(actcli.get("leaky_relu", negative_slope=slope), q)
        assert close(m["second_moment"], q * (1 + slope**2) / 2) and close(m["grad_mean"], (1 + slope) / 2)
        assert close(m["mean"], (1 - slope) * math.sqrt(q) / SQRT_2PI)
        assert close(m["torch_gain"], math.sqrt(2 / (1 + slope**2)), rel=1e-15)


def test_symmetry_and_normalisation(rng: np.random.Generator) -> None:
    """sigmoid's mean is 1/2 and tanh's 0 at any q; selu has mean 0 and variance 1 at q = 1
    (its defining property); exponential's moments are exp(q/2) and exp(2q)."""
    for q in _qs(rng):
        assert close(stats.moments(actcli.get("sigmoid"), q)["mean"], 0.5), q
        tanh = stats.moments(actcli.get("tanh"), q)
        assert abs(tanh["mean"]) <= DIGITS * tanh["second_moment"] ** 0.5, q
        if q <= 100:  # beyond, exp(2x) overflows where the weight counts (the next test)
            e = stats.moments(actcli.get("exponential"), q)
            assert close(e["mean"], math.exp(q / 2)) and close(e["second_moment"], math.exp(2 * q)), q
            assert close(e["grad_mean"], math.exp(q / 2)), q
    selu = stats.moments(actcli.get("selu"))
    assert abs(selu["mean"]) <= 1e-12 and abs(selu["variance"] - 1) <= 1e-12 and selu["torch_gain"] == 0.75


def test_a_jump_has_no_dirac_mass() -> None:
    """step's derivative is 0 wherever it exists (as the frameworks compute it)."""
    m = stats.moments(actcli.get("step"))
    assert (m["mean"], m["second_moment"], m["grad_mean"], m["grad_second_moment"]) == (0.5, 0.5, 0.0, 0.0)
    assert close(m["std_gain"], 2.0)


# ------------------------------------------------------------------ every function
def _mp_expectation(f, q: float, breaks: tuple[float, ...]) -> mp.mpf:  # noqa: ANN001
    s = mp.sqrt(q)
    # mpmath's tanh-sinh needs the bulk of the Gaussian cut up too, or it misses it when a
    # far kink (clipped_gelu's at x = 10, q = 0.04) is the only cut.
    cuts = [-mp.inf, *sorted({mp.mpf(b) / s for b in breaks} | {mp.mpf(c) for c in (-8, -4, -2, -1, 0, 1, 2, 4, 8)}),
            mp.inf]
    return mp.quad(lambda z: f(s * z) * mp.npdf(z), cuts)


def _check_against_mpmath(act: Activation, q: float) -> None:
    d, p = act.definition, act.params
    ref = lambda x: d.reference(mp, x, **p)  # noqa: E731
    grad = lambda x: mp.mpf(float(act.grad(float(x))))  # noqa: E731  float64 f': the integration is under test
    m = stats.moments(act, q)
    with mp.workdps(30):
        breaks = d.pieces(p)
        mean = _mp_expectation(ref, q, breaks)
        m2 = _mp_expectation(lambda x: ref(x) ** 2, q, breaks)
        l1 = _mp_expectation(lambda x: abs(ref(x)), q, breaks)
        g2 = _mp_expectation(lambda x: grad(x) ** 2, q, breaks)
        var = m2 - mean**2
        assert close(m["mean"], float(mean), float(l1)), (m["mean"], mean)
        assert close(m["second_moment"], float(m2)), (m["second_moment"], m2)
        assert close(m["variance"], float(var), float(m2)), (m["variance"], var)
        assert close(m["grad_second_moment"], float(g2), rel=1e-11), (m["grad_second_moment"], g2)
        if not d.jumps(p):  # Stein's lemma: E[f'(X)] = E[X f(X)] / q, for f without jumps
            stein = _mp_expectation(lambda x: x * ref(x), q, breaks) / q
            scale = _mp_expectation(lambda x: abs(x * ref(x)), q, breaks) / q
            assert close(m["grad_mean"], float(stein), float(scale), rel=1e-11), (m["grad_mean"], stein)


@pytest.mark.parametrize("act", catalogue(vector=False, variants=False))
def test_moments_of_every_function_against_mpmath(act: Activation) -> None:
    """Each elementwise function at its defaults, z ~ N(0, 1): 12 digits against mpmath's
    quadrature of the definition's reference formula."""
    _check_against_mpmath(act, 1.0)


@pytest.mark.slow
@pytest.mark.parametrize("act", catalogue(vector=False))
def test_moments_of_every_variant_at_random_variances(act: Activation, rng: np.random.Generator) -> None:
    for q in np.exp(rng.uniform(math.log(1e-2), math.log(1e2), 3)).tolist():
        _check_against_mpmath(act, q)


@pytest.mark.parametrize("act", catalogue(vector=False, variants=False))
def test_every_function_has_stats_or_says_why(act: Activation) -> None:
    m = stats.moments(act)
    assert set(m) <= {*stats.MOMENT_KEYS, "reasons"}
    assert all(m[k] is not None for k in stats.MOMENT_KEYS if k not in ("torch_gain", "gain", "std_gain"))


def test_vector_functions_are_refused() -> None:
    with pytest.raises(ActivationError, match="softmax is a vector function"):
        stats.moments(actcli.get("softmax"))


def test_a_moment_that_does_not_exist_is_none_with_a_reason() -> None:
    """exp(x^2/4) has no second moment under N(0, 1): E[exp(x^2/2) exp(-x^2/2)] diverges."""
    from actcli.quadrature import QuadratureError, normal_expectation

    with pytest.raises(QuadratureError, match="does not exist"):
        normal_expectation(lambda x: np.exp(x * x / 2), 1.0)
    m = stats.moments(actcli.get("exponential"), 400.0)  # E[exp(2x)] = exp(800): beyond float64
    assert m["second_moment"] is None and m["gain"] is None and "float64" in m["reasons"][0]
    assert close(m["mean"], math.exp(200))
    with pytest.raises(QuadratureError, match="does not exist"):
        normal_expectation(lambda x: np.exp(x * x / 4), 2.0)  # E[exp(X^2/4)], X ~ N(0, 2): infinite


# ------------------------------------------------------------------ the variance map
def test_relu_fixed_points_in_closed_form() -> None:
    relu = actcli.get("relu")
    for w, b in [(1.0, 1.0), (1.5, 0.2), (1.999, 0.1), (0.5, 3.0)]:
        f = stats.mean_field(relu, w, b)
        assert close(f["q_star"], b / (1 - w / 2), rel=1e-11) and close(f["chi"], w / 2)
        assert close(f["depth_scale"], -1 / math.log(w / 2))
    assert stats.mean_field(relu, 1.5, 0.0)["q_star"] == 0.0  # the variance dies out
    for w, b in [(2.0, 0.1), (2.5, 0.0), (3.0, 1.0)]:
        f = stats.mean_field(relu, w, b)
        assert f["q_star"] is None and "grow" in f["reasons"][0]
    critical = stats.mean_field(relu, 2.0, 0.0)  # every q is fixed: the one we start from
    assert critical["q_star"] == 1.0 and critical["chi"] == 1.0 and critical["depth_scale"] is None


def test_tanh_fixed_point_satisfies_its_equation() -> None:
    tanh = actcli.get("tanh")
    for w, b in [(1.76, 0.05), (3.0, 0.5), (0.5, 0.01)]:
        q = stats.mean_field(tanh, w, b)["q_star"]
        assert close(w * stats.second_moment(tanh, q) + b, q, rel=1e-12), (w, b, q)


def test_the_edge_of_chaos() -> None:
    """relu: sigma_w2 = 2 at sigma_b2 = 0, none beyond; tanh: 1 at 0 (chi = sigma_w2 f'(0)^2)
    and Schoenholz et al.'s (1.76, 0.05), where chi = 1 to 12 digits."""
    assert stats.critical(actcli.get("relu"), [0.0, 0.05, 1.0]) == [2.0, None, None]
    tanh = actcli.get("tanh")
    w0, w = stats.critical(tanh, [0.0, 0.05])
    assert w0 == 1.0 and w is not None and abs(w - 1.76) < 1e-3
    assert abs(stats.mean_field(tanh, w, 0.05)["chi"] - 1) <= 1e-12


# ------------------------------------------------------------------ the command
def test_json_has_exactly_the_documented_keys() -> None:
    doc = json.loads(cli("stats", "relu", "-f", "json").stdout)
    assert list(doc) == ["spec", "params", "q", *stats.MOMENT_KEYS]
    docs = json.loads(cli("stats", "relu", "tanh", "--sigma-w2", "2.5", "--sigma-b2", "0.05", "-f", "json").stdout)
    assert [list(d) for d in docs] == [["spec", "params", "q", *stats.MOMENT_KEYS, *stats.FIXED_POINT_KEYS]] * 2
    assert docs[0]["q_star"] is None and docs[1]["spec"] == "tanh" and docs[1]["torch_gain"] == 5 / 3


def test_missing_values_are_null_with_a_note() -> None:
    r = cli("stats", "relu", "--sigma-w2", "3", "--sigma-b2", "0", "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["q_star"] is None
    assert r.stderr.startswith("actcli: note: relu: the variance grows") and r.stderr.count("\n") == 1
    r = cli("stats", "relu", "--sigma-w2", "3", "--sigma-b2", "0", "-f", "csv")
    assert r.stdout.splitlines()[1].endswith(",,,") and "note" in r.stderr
    table = cli("stats", "relu", "--sigma-w2", "3", "--sigma-b2", "0", tty=True, width=120)
    assert "- relu: the variance grows" in table.stdout and table.stderr == ""


def test_plain_is_a_line_per_quantity_and_csv_a_row_per_function() -> None:
    plain = cli("stats", "relu", "tanh").stdout.splitlines()
    assert [line.split()[0] for line in plain] == ["q", *stats.MOMENT_KEYS]
    assert plain[1].split()[1:] == ["0.3989422804014327", "0.0"] or float(plain[1].split()[1]) == pytest.approx(
        1 / SQRT_2PI, rel=1e-15)
    csv = cli("stats", "relu", "hardtanh(-2, 2)", "-f", "csv").stdout.splitlines()
    assert csv[0] == "spec,q," + ",".join(stats.MOMENT_KEYS) and csv[2].startswith('"hardtanh(min_val=-2')


def test_the_table_fits_the_terminal() -> None:
    r = cli("stats", "relu", "tanh", "selu", "gelu", tty=True, width=80, environ={"NO_COLOR": "1"})
    assert r.exit_code == 0 and max(len(line) for line in r.stdout.splitlines()) <= 80
    assert "0.398942280401" in r.stdout  # 12 digits


def test_critical_outputs() -> None:
    r = cli("stats", "tanh", "relu", "--critical", "--linspace", "0", "0.1", "2", "-f", "csv")
    assert r.stdout.splitlines() == ["sigma_b2,tanh,relu", "0.0,1.0,2.0", f"0.1,{r.stdout.split()[2].split(',')[1]},"]
    assert "a missing sigma_w2 (null, '-' in a table) means chi never reaches 1" in r.stderr
    doc = json.loads(cli("stats", "relu", "--critical", "--sigma-b2", "0", "-f", "json").stdout)
    assert doc == {"spec": "relu", "params": {}, "q": 1.0, "sigma_b2": [0.0], "sigma_w2": [2.0]}


def test_critical_picture(tmp_path) -> None:  # noqa: ANN001
    out = tmp_path / "edge.svg"
    r = cli("stats", "tanh", "elu", "--critical", "--linspace", "0", "0.5", "3", "-o", str(out))
    assert (r.exit_code, r.stdout, r.stderr) == (0, f"{out}\n", "") and out.read_text().startswith("<?xml")
    r = cli("stats", "tanh", "relu", "--critical", "--linspace", "0", "0.2", "2", "-o", str(tmp_path / "gap.png"))
    assert r.exit_code == 0 and "note: a missing sigma_w2" in r.stderr  # (the picture said nothing of it)
    r = cli("stats", "tanh", "--critical", "-o", str(tmp_path / "x.png"), "-f", "json")
    assert r.exit_code == 2 and "give one" in r.stderr
    r = cli("stats", "exponential", "--critical", "--sigma-b2", "0", "-o", str(tmp_path / "none.png"))
    assert r.exit_code == 2 and "nothing to draw" in r.stderr and not list(tmp_path.glob("none*")) and \
        not list(tmp_path.glob("x*"))


@pytest.mark.parametrize(("args", "message"), [
    (["--q", "0"], "--q must be a number from 1e-300"), (["--q", "nan"], "--q must be"), (["--q", "x"], "not a number"),
    (["--sigma-w2", "1"], "go together"), (["--sigma-w2", "-1", "--sigma-b2", "0"], "--sigma-w2 must be"),
    (["--critical", "--sigma-w2", "1"], "leave out --sigma-w2"), (["-o", "x.png"], "give --critical too"),
    (["--linspace", "0", "1", "3"], "give --critical too"), (["--critical", "-o", "x.gif"], "cannot tell the format"),
    (["--critical", "-o", " "], "needs a file name"), (["--critical", "--linspace", "-1", "1", "3"], ">= 0"),
    (["--critical", "--linspace", "0", "1", "5000"], "from 1 to 1000"),
    (["--critical", "--sigma-b2", "1", "--linspace", "0", "1", "3"], "give one"),
])
def test_bad_options_are_one_line(args: list[str], message: str) -> None:
    r = cli("stats", "tanh", *args)
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_bad_functions_are_one_line() -> None:
    for spec, message in [("softmax", "vector function"), ("nope", "unknown function")]:
        r = cli("stats", spec)
        assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1
    r = cli("stats", *["relu"] * 9, "--critical", "-o", "x.png")
    assert r.exit_code == 2 and "at most 8" in r.stderr


def test_the_edge_where_the_fixed_point_ends() -> None:
    """leaky_relu and prelu at sigma_b2 = 0: chi reaches 1 as the fixed point q* = 0 gives
    way, at He's sigma_w2 = 2 / (1 + a^2); relu with sigma_b2 > 0 reaches chi = 1 only as
    q* runs off to infinity: no edge."""
    for spec, slope in [("leaky_relu(0.2)", 0.2), ("leaky_relu", 0.01), ("prelu", 0.25)]:
        (w,) = stats.critical(actcli.get(spec), [0.0])
        assert close(w, 2 / (1 + slope**2), rel=1e-14), spec
    assert stats.critical(actcli.get("relu"), [0.5]) == [None]


@pytest.mark.parametrize(("spec", "q", "key"), [
    ("gelu", 1e-12, "mean"),  # +-4e-7 summing to 4e-13: cancellation, not 12 digits
    ("softplus(beta=1e-16)", 1.0, "variance"),  # 6.9e15 + x/2: f's rounding decides the variance
    ("sigmoid", 1e-30, "variance"),
])
def test_what_float64_cannot_resolve_is_null_with_a_reason(spec: str, q: float, key: str) -> None:
    m = stats.moments(actcli.get(spec), q)
    assert m[key] is None and m["reasons"], m


def test_a_narrow_integrand_at_a_large_variance_is_seen() -> None:
    """At q = 1e9 gaussian's bump is 3e-5 wide in z: it gave 0."""
    assert close(stats.moments(actcli.get("gaussian"), 1e9)["mean"], 1 / math.sqrt(1 + 2e9))
    assert close(stats.moments(actcli.get("tanh"), 1e12)["grad_mean"], 7.978845608025373e-07, rel=1e-9)


@pytest.mark.parametrize(("w", "b", "q0", "reason"), [
    (2.0, 0.5, 1e14, "below what float64 resolves"), (2.0, 0.5, 1.0, "less than float64 resolves"),
    (2.5, 0.0, 1.0, "grows without bound"),
])
def test_an_unresolvable_or_diverging_map_says_so(w: float, b: float, q0: float, reason: str) -> None:
    f = stats.mean_field(actcli.get("relu"), w, b, q0)
    assert f["q_star"] is None and reason in f["reasons"][0], f


def test_large_fixed_points_are_found() -> None:
    assert close(stats.mean_field(actcli.get("relu"), 1.0, 1e31)["q_star"], 2e31, rel=1e-12)  # (a 1e30 cap said none)
    assert close(stats.mean_field(actcli.get("tanh"), 1.0, 1e300)["q_star"], 1e300, rel=1e-12)


def test_mean_field_failures_are_null_not_errors() -> None:
    """The fixed point's own quadrature failing (exp(2x) overflowing) was an internal error."""
    f = stats.mean_field(actcli.get("exponential"), 1.0, 0.0, 400.0)
    assert f["q_star"] is None and "float64" in f["reasons"][0]
    assert stats.moments(actcli.get("leaky_relu(1e155)"))["torch_gain"] is None  # (OverflowError)
