"""Formulas: a user's own activation in x, parsed safely, evaluated and differentiated."""

from __future__ import annotations

import json

import mpmath as mp
import numpy as np
import pytest

import actcli
import actcli.definitions
from actcli.formula import parse
from actcli.model import ActivationError

from . import oracle
from .conftest import cli


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


@pytest.mark.parametrize(("text", "same"), [("x*sigmoid(1.702*x)", "quick_gelu"), ("x*tanh(softplus(x))", "mish"),
                                            ("gelu(x, approximate='tanh')", "gelu(tanh)"), ("max(x, 0)", "relu"),
                                            ("clip(x, -1, 1)", "hardtanh"), ("x - tanh(x)", "tanhshrink")])
def test_formulas_agree_with_the_catalogue(text: str, same: str) -> None:
    x = np.random.default_rng(1).normal(0, 3, 2000)
    x = x[np.abs(x) > 0.1]  # (x - tanh x cancels near 0, as written)
    f, g = actcli.get(text), actcli.get(same)
    assert _rel(f(x), g(x)) < 1e-13
    assert np.max(np.abs(f.grad(x) - g.grad(x))) < 1e-13


@pytest.mark.parametrize("text", ["x*sigmoid(b*x)", "where(x > 0, x, b*expm1(x))", "log1p(exp(b*x))/b",
                                  "atan(x)*erf(x/b)", "x/(1 + abs(x))**b", "sinh(x/b)/cosh(x/b)"])
def test_derivatives_against_mpmath(text: str) -> None:
    """Forward-mode differentiation of the formula against mpmath's differentiation of its reference."""
    rng = np.random.default_rng(2)
    b = float(rng.uniform(0.5, 3))
    act = actcli.get(text, b=b)
    x = rng.normal(0, 3, 60)
    ref = [oracle.reference_slope(act.definition, act.params, v) for v in x.tolist()]
    got = act.grad(x)
    for g, r, v in zip(got.tolist(), ref, x.tolist()):
        assert abs(g - float(r)) <= 1e-12 * max(abs(float(r)), 1e-3), (text, v, g, float(r))


def test_catalogue_functions_inside_keep_their_accuracy() -> None:
    """gelu(x) at -30 is -3e-197 and its derivative 1.4e-194: the chain rule goes through
    the catalogue's own derivative, not through a naive 0.5 x (1 + erf(x/sqrt 2))."""
    f, g = actcli.get("gelu(x) * 1"), actcli.get("gelu")
    assert f(-30.0) == g(-30.0) != 0 and f.grad(-30.0) == g.grad(-30.0) != 0
    assert actcli.get("2*gelu(3*x)").grad(-10.0) == 6 * g.grad(-30.0)


def test_kink_conventions_follow_pytorch() -> None:
    assert actcli.get("abs(x)").grad([0.0, -2.0]).tolist() == [0.0, -1.0]
    assert actcli.get("max(x, 0)").grad(0.0) == 0.5  # torch.maximum: a tie shares the gradient
    assert actcli.get("clip(x, -1, 1)").grad([1.0, -1.0, 2.0]).tolist() == [1.0, 1.0, 0.0]  # torch.clamp
    assert actcli.get("where(x >= 0, x, 0.1*x)").grad([0.0, -1.0]).tolist() == [1.0, 0.1]
    assert actcli.get("sign(x)*x").grad(3.0) == 1.0


def test_division_by_zero_is_ieee() -> None:
    assert actcli.get("1/x")([0.0, -0.0]).tolist() == [np.inf, -np.inf]
    assert np.isnan(actcli.get("x/x")(0.0))


def test_parameters() -> None:
    act = actcli.get("x*sigmoid(b*x)", b=1.702)
    assert act.spec == "x*sigmoid(b*x) [b=1.702]" and act(1.0) == actcli.get("quick_gelu")(1.0)
    with pytest.raises(ActivationError, match="missing required parameter 'b'"):
        actcli.get("x*sigmoid(b*x)")
    assert actcli.get("leaky_relu(x, a)", a=0.2)(-1.0) == -0.2
    assert parse("a*x + b*exp(c*x) - a", actcli.definitions).params == ("a", "b", "c")


@pytest.mark.parametrize(("text", "message"), [
    ("__import__('os').system('echo hi') + x", "is not a function of formulas"),
    ("__import__('os') + x", "unknown function '__import__'"),
    ("x.__class__", "is not allowed"),
    ("(lambda: x)()", "is not a function of formulas"),
    ("[x for x in y]", "is not allowed"),
    ("x[0]", "is not allowed"),
    ("x if x else 1", "is not allowed"),
    ("open('f') * x", "unknown function 'open'"),
    ("x + 1_000", "'1_000' is no number as actcli reads them"),
    ("x + 0x10", "no number as actcli reads them"),
    ("x + 1j", "is no number"),
    ("x + 'a'", "is no number"),
    ("x > 1", "a comparison"),
    ("exp(x, 2)", "exp takes 1 argument, got 2"),
    ("gelux(x)", "unknown function 'gelux'; did you mean gelu"),
    ("x +", "malformed"),
    ("softmax(x)", "vector function"),
    ("where(x, 1, 2)", "one comparison"),
    ("exp(1) + 2", "malformed function spec"),  # (no x: a spec, and a bad one)
    ("exp + x", "exp is a function: write exp"),
    ("(" * 300 + "x" + ")" * 300, "nested|malformed|too deeply"),
    ("x" + "+x" * 2000, "longer than|more than"),
])
def test_hostile_and_malformed_formulas(text: str, message: str) -> None:
    with pytest.raises(ActivationError, match=message):
        actcli.get(text)


def test_errors_name_the_position() -> None:
    with pytest.raises(ActivationError, match=r"unknown function 'sigmoidd'; did you mean sigmoid.* at position 3"):
        actcli.get("x*sigmoidd(x)")


def test_formulas_on_the_command_line() -> None:
    r = cli("eval", "x*sigmoid(1.702*x)", "1", "-2")
    assert r.exit_code == 0 and r.stdout.split() == [repr(float(v)) for v in actcli.get("quick_gelu")([1.0, -2.0])]
    r = cli("grad", "x*sigmoid(b*x)", "-p", "b=1.702", "0.5", "-f", "json")
    doc = json.loads(r.stdout)
    assert doc["spec"] == "x*sigmoid(b*x) [b=1.702]" and doc["dy"] == [float(actcli.get("quick_gelu").grad(0.5))]
    r = cli("compare", "gelu", "x*sigmoid(1.702*x)", "gelu(x, approximate='tanh')", "-f", "json")
    assert [f["spec"] for f in json.loads(r.stdout)["functions"]] == ["gelu", "x*sigmoid(1.702*x)", "gelu(x, approximate='tanh')"]
    assert "LaTeX: x \\cdot \\operatorname{sigmoid}" in cli("info", "x*sigmoid(1.702*x)").stdout
    assert cli("eval", "-exp(x)", "0").stdout == "-1.0\n"  # (a formula, not an option)
    r = cli("eval", "x*sigmoid(b*x)", "1")
    assert r.exit_code == 2 and r.stderr == "actcli: error: x*sigmoid(b*x): missing required parameter 'b'\n"


def test_exact_and_dtypes_take_formulas() -> None:
    act = actcli.get("x*sigmoid(1.702*x)", exact=True)
    with mp.workprec(300):
        want = float(mp.mpf(0.75) / (1 + mp.exp(-mp.mpf("1.702") * mp.mpf(0.75))))
    assert float(act(0.75)) == want
    assert actcli.get("x*sigmoid(1.702*x)", dtype="bf16")(1.0) == actcli.get("quick_gelu", dtype="bf16")(1.0)


@pytest.mark.parametrize("text", ["x**3 - 2*x", "log1p(exp(x))/2", "-exp(-x)", "x*tanh(x)/(1 + x**2)",
                                  "where(x > 0, x, 2*expm1(x))", "sqrt(x*x + 4)*atan(x)", "erf(x)*sin(3*x)"])
def test_the_derivative_that_info_shows_is_the_derivative(text: str) -> None:
    """info's derivative, read back as a formula, gives what grad computes."""
    act = actcli.get(text)
    shown = act.info["derivative"]
    x = np.random.default_rng(4).normal(0, 2, 200)
    again = actcli.get(shown if "x" in shown else f"{shown} + 0*x")
    np.testing.assert_allclose(again(x), act.grad(x), rtol=1e-12, atol=1e-300)
    assert act.info["derivative_latex"].count("{") == act.info["derivative_latex"].count("}")


def test_register_a_formula_and_callables() -> None:
    from actcli.definitions import USER

    try:
        actcli.register("swish_test", "x*sigmoid(b*x)", params={"b": 1.702})
        assert actcli.get("swish_test")(1.0) == actcli.get("quick_gelu")(1.0)
        assert actcli.get("swish_test(b=1)")(1.0) == actcli.get("silu")(1.0)
        actcli.register("cube_test", value=lambda x: x**3, derivative=lambda x: 3 * x**2)
        assert actcli.get("cube_test").grad(2.0) == 12.0
        for args, kwargs, message in [(("relu", "x"), {}, "is a catalogue name"),
                                      (("bad name", "x"), {}, "a registered name is a word"),
                                      (("q_test", "x*a"), {"params": {"b": 1}}, "has no parameter"),
                                      (("q_test",), {"value": abs}, "both value= and derivative=")]:
            with pytest.raises(ActivationError, match=message):
                actcli.register(*args, **kwargs)
    finally:
        USER.clear()


def test_the_config_file_names_formulas_for_every_command(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from actcli.definitions import _CONFIG_READ, USER

    config = tmp_path / "activations.toml"
    config.write_text('[swish_b]\nformula = "x*sigmoid(b*x)"\nparams = { b = 1.702 }\nsummary = "swish, sloped"\n')
    monkeypatch.setenv("ACTCLI_CONFIG", str(config))
    try:
        r = cli("eval", "swish_b", "1")
        assert r.exit_code == 0 and float(r.stdout) == float(actcli.get("quick_gelu")(1.0))
        assert "swish_b — swish, sloped" in cli("info", "swish_b").stdout
        bad = tmp_path / "bad.toml"
        bad.write_text("[x\n")
        monkeypatch.setenv("ACTCLI_CONFIG", str(bad))
        r = cli("eval", "nothing_here", "1")
        assert r.exit_code == 2 and "bad.toml: not a readable TOML file" in r.stderr
    finally:
        USER.clear()
        _CONFIG_READ.clear()
