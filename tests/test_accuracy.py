"""Every function against its mpmath reference on a dense grid over the whole real line.

Values must be within 2 ulp and derivatives within 4 ulp (float64), including the tails
where PyTorch loses every digit (gelu for x < -8, sigmoid' for |x| > 37, ...), tiny and
subnormal inputs, huge inputs and the neighbourhoods of kinks.
"""

from __future__ import annotations

import numpy as np
import pytest

import actcli
from actcli.definitions import DEFINITIONS, resolve

from . import oracle

VALUE_ULP = 2.0
GRAD_ULP = 4.0

ELEMENTWISE = [d.name if d.name != "threshold" else "threshold(1, 0.5)" for d in DEFINITIONS if not d.vector]
VARIANTS = [
    "gelu(approximate=tanh)", "leaky_relu(0.2)", "prelu(-0.5)", "rrelu(0.1, 0.3)", "elu(alpha=2)",
    "celu(alpha=0.5)", "softplus(beta=2)", "hardtanh(-2, 3)", "softshrink(1)", "hardshrink(1.5)",
    "squareplus(b=1)", "step(at_zero=0.5)", "threshold(-1, 2)", "frelu(b=-0.5)", "clipped_gelu(-0.1, 2)",
]
SPECS = ELEMENTWISE + VARIANTS


def test_every_definition_has_a_reference() -> None:
    missing = [d.name for d in DEFINITIONS if d.reference is None and d.name != "sparsemax"]
    assert missing == []


@pytest.mark.parametrize("spec", SPECS)
def test_values_within_2_ulp(spec: str) -> None:
    d, params = resolve(spec)
    act = actcli.Activation(d, params)
    xs = oracle.scalar_grid(d, params)
    err, where = oracle.worst(oracle.value_errors(d, params, xs, act(xs)))
    assert err <= VALUE_ULP, f"{spec}: {err:.2f} ulp at x = {where!r}"


@pytest.mark.parametrize("spec", SPECS)
def test_derivatives_within_4_ulp(spec: str) -> None:
    d, params = resolve(spec)
    act = actcli.Activation(d, params)
    xs = oracle.scalar_grid(d, params, dense=401)
    err, where = oracle.worst(oracle.slope_errors(d, params, xs, act.grad(xs)))
    assert err <= GRAD_ULP, f"{spec}': {err:.2f} ulp at x = {where!r}"


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_softmax_family_values_and_jacobians(name: str) -> None:
    d, params = resolve(name)
    act = actcli.Activation(d, params)
    rows = oracle.vector_rows()
    err, where = oracle.worst(oracle.vector_errors(d, rows, [act(np.array(r)) for r in rows]))
    assert err <= VALUE_ULP + 1, f"{name}: {err:.2f} ulp (row starting {where!r})"
    small = rows[:40]
    err, where = oracle.worst(oracle.jacobian_errors(d, small, [act.grad(np.array(r)) for r in small]))
    assert err <= GRAD_ULP, f"{name} Jacobian: {err:.2f} ulp (row starting {where!r})"


def test_glu_values_and_jacobian() -> None:
    d, params = resolve("glu")
    act = actcli.Activation(d, params)
    rows = oracle.vector_rows(even=True)
    err, _ = oracle.worst(oracle.vector_errors(d, rows, [act(np.array(r)) for r in rows]))
    assert err <= VALUE_ULP
    err, _ = oracle.worst(oracle.jacobian_errors(d, rows[:30], [act.grad(np.array(r)) for r in rows[:30]]))
    assert err <= GRAD_ULP


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        ([0.0, 0.0], [0.5, 0.5]),
        ([1.0, 0.0, -1.0], [1.0, 0.0, 0.0]),  # tau = 0: only the largest survives
        ([1.0, 0.5, 0.0], [0.75, 0.25, 0.0]),
        ([3.0, 3.0, 3.0, -10.0], [1 / 3, 1 / 3, 1 / 3, 0.0]),
    ],
)
def test_sparsemax_exact_cases(z: list[float], expected: list[float]) -> None:
    """Sparsemax is piecewise linear; these projections onto the simplex are worked by hand."""
    np.testing.assert_allclose(actcli.get("sparsemax")(z), expected, rtol=0, atol=1e-16)


def test_sparsemax_jacobian_is_the_projection_onto_the_support() -> None:
    jac = actcli.get("sparsemax").grad([1.0, 0.5, 0.0])
    np.testing.assert_allclose(jac, [[0.5, -0.5, 0.0], [-0.5, 0.5, 0.0], [0.0, 0.0, 0.0]], atol=1e-16)
