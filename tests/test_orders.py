"""Derivatives of order 2 to 4: from the reference, for every elementwise function and for formulas."""

from __future__ import annotations

import json
import math

import mpmath as mp
import numpy as np
import pytest

import actcli
from actcli.model import ActivationError

from . import oracle
from .conftest import catalogue, cli


def _truth(act: actcli.Activation, x: float, n: int) -> mp.mpf:
    """Central differences of the reference at 1,500 bits beyond the oracle's (an independent path:
    actcli steps one-sided). Points near a kink are skipped by the caller."""
    d = act.definition
    with mp.workprec(oracle.precision(x) + 1500):
        return mp.diff(lambda t: d.reference(mp, t, **act.params), mp.mpf(x), n)


def _points(act: actcli.Activation, seed: int, count: int) -> list[float]:
    rng = np.random.default_rng(seed)
    pieces = act.definition.pieces(act.params)
    xs = [float(v) for v in np.concatenate([rng.normal(0, 3, count), rng.normal(0, 30, count // 2)])]
    return [v for v in xs if all(abs(v - p) > 1e-3 * max(1.0, abs(p)) for p in pieces)]


@pytest.mark.parametrize("act", catalogue(vector=False))
@pytest.mark.slow  # ~2 s a function: mpmath at thousands of bits
def test_orders_two_to_four_against_central_differences(act: actcli.Activation) -> None:
    xs = _points(act, 3, 4)
    for n in (2, 3, 4):
        got = act.grad(np.array(xs), order=n)
        for x, g in zip(xs, got.tolist()):
            t = _truth(act, x, n)
            if t == 0:
                assert g == 0
                continue
            scale = abs(float(t))
            assert math.isfinite(g) and (g != 0 or scale < 1e-300), (act.spec, n, x, g, float(t))
            assert abs(g - float(t)) <= 1e-12 * scale, (act.spec, n, x, g, float(t))


@pytest.mark.parametrize(("spec", "x", "n"), [("gelu", -30.0, 2), ("sigmoid", 40.0, 3), ("tanh", 20.0, 4),
                                             ("silu", -50.0, 2), ("softplus", -700.0, 3), ("mish", -40.0, 2)])
def test_tails_where_double_backward_fails(spec: str, x: float, n: int) -> None:
    """Tiny but non-zero higher derivatives in the tails: never 0, NaN or inf."""
    act = actcli.get(spec)
    g = float(act.grad(x, order=n))
    t = float(_truth(act, x, n))
    assert t != 0 and g != 0 and math.isfinite(g) and abs(g - t) <= 1e-12 * abs(t)


def test_kinks_follow_the_first_derivatives_convention() -> None:
    assert actcli.get("relu").grad([0.0, 1.0], order=2).tolist() == [0.0, 0.0]
    assert float(actcli.get("elu(alpha=0.5)").grad(0.0, order=2)) == 0.5  # the left branch, as elu'(0) = alpha
    assert float(actcli.get("relu2").grad(0.0, order=2)) == 0.0  # relu2'' jumps 0 -> 2: PyTorch's left side
    assert float(actcli.get("gelu").grad(0.0, order=2)) == float(mp.sqrt(2 / mp.pi))


def test_formulas_have_every_order() -> None:
    act = actcli.get("x*sigmoid(b*x)", b=1.702)
    want = float(actcli.get("quick_gelu").grad(0.5, order=3))  # (its 1.702 is the decimal, the formula's a double)
    assert abs(float(act.grad(0.5, order=3)) - want) <= 1e-15 * abs(want)


def test_order_on_the_command_line() -> None:
    doc = json.loads(cli("grad", "tanh", "0.3", "--order", "3", "-f", "json").stdout)
    assert doc["order"] == 3 and doc["dy"] == [float(actcli.get("tanh").grad(0.3, order=3))]
    assert json.loads(cli("grad", "tanh", "0.3", "-f", "json").stdout)["order"] == 1
    assert cli("grad", "tanh", "0.3", "--order", "2", "-x", "-f", "csv").stdout.splitlines()[0] == "x,d2/dx2 tanh"
    for args, message in [(["grad", "softmax", "1", "2", "--order", "2"], "its Jacobian is order 1 only"),
                          (["eval", "tanh", "1", "--order", "2"], "--order is grad's"),
                          (["grad", "tanh", "1", "--order", "1.5"], "--order must be a whole number")]:
        r = cli(*args)
        assert r.exit_code == 2 and message in r.stderr
    with pytest.raises(ActivationError, match="whole number >= 1"):
        actcli.get("tanh").grad(1.0, order=0)
