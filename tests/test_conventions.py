"""Derivatives at kinks follow PyTorch autograd (tools/autograd/derivatives.yaml and the
backward kernels it names: threshold_backward, leaky_relu_backward, elu_backward,
hardtanh_backward, hardsigmoid_backward, hardswish_backward, softshrink_backward, ...).
The expected numbers below were read off PyTorch 2.13 (float64 autograd), not derived
from our formulas."""

from __future__ import annotations

import numpy as np
import pytest

import actcli

from .conftest import catalogue

TORCH_AT_KINKS = [
    ("relu", 0.0, 0.0),
    ("relu6", 0.0, 0.0),
    ("relu6", 6.0, 0.0),
    ("leaky_relu", 0.0, 0.01),
    ("leaky_relu(negative_slope=0.2)", 0.0, 0.2),
    ("prelu", 0.0, 0.25),
    ("rrelu", 0.0, 0.22916666666666666),
    ("elu", 0.0, 1.0),
    ("elu(alpha=2)", 0.0, 2.0),
    ("celu(alpha=2)", 0.0, 1.0),
    ("selu", 0.0, 1.7580993408473766),
    ("threshold(1, 5)", 1.0, 0.0),
    ("hardtanh", -1.0, 0.0),
    ("hardtanh", 1.0, 0.0),
    ("hardtanh(-2, 3)", 3.0, 0.0),
    ("hardsigmoid", -3.0, 0.0),
    ("hardsigmoid", 3.0, 0.0),
    ("hardswish", -3.0, 0.0),
    ("hardswish", 3.0, 1.0),
    ("softshrink", -0.5, 0.0),
    ("softshrink", 0.5, 0.0),
    ("hardshrink", -0.5, 0.0),
    ("hardshrink", 0.5, 0.0),
    ("frelu", 0.0, 0.0),
    ("step", 0.0, 0.0),
    ("sparse_sigmoid", 1.0, 0.0),
    ("sparse_sigmoid", -1.0, 0.0),
]


@pytest.mark.parametrize(("spec", "x", "expected"), TORCH_AT_KINKS)
def test_derivative_at_kink_matches_pytorch(spec: str, x: float, expected: float) -> None:
    got = float(actcli.get(spec).grad(np.array([x]))[0])
    assert got == pytest.approx(expected, rel=1e-15, abs=0)


def _kinked(act: actcli.Activation) -> bool:
    return bool(act.definition.kinks(act.params) or act.definition.jumps(act.params))


@pytest.mark.parametrize("act", [c for c in catalogue(vector=False) if _kinked(c.values[0])])
def test_every_kink_has_a_documented_convention(act: actcli.Activation) -> None:
    assert act.definition.conventions, f"{act.spec} has kinks but no documented derivative convention"
    assert act.info["conventions"] == [c.line() for c in act.definition.conventions]


@pytest.mark.parametrize(("spec", "jax_text"), [("leaky_relu", "1"), ("hardtanh", "1")])
def test_info_shows_where_jax_differs(spec: str, jax_text: str) -> None:
    lines = actcli.get(spec).info["conventions"]
    assert any("JAX: " + jax_text in line for line in lines), lines
