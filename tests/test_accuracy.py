"""Every function against its mpmath reference on a dense grid over the whole real line.

Values and derivatives must be within the ulps each definition promises (2 and 4 for
most: ``Definition.ulps``), including the tails where PyTorch loses every digit (gelu for
x < -8, sigmoid' for |x| > 37, ...), tiny and subnormal inputs, huge inputs and the
neighbourhoods of kinks; every function at its defaults and at its variants.
"""

from __future__ import annotations

import numpy as np
import pytest

import actcli
from actcli.definitions import DEFINITIONS
from actcli.model import ActivationError

from . import oracle
from .conftest import catalogue


def test_every_definition_has_a_reference() -> None:
    missing = [d.name for d in DEFINITIONS if d.reference is None and d.name != "sparsemax"]
    assert missing == []


@pytest.mark.parametrize("act", catalogue(vector=False))
@pytest.mark.slow  # mpmath at hundreds of bits: most of the suite's time
def test_values_within_their_ulps(act: actcli.Activation) -> None:
    d, params = act.definition, act.params
    xs = oracle.scalar_grid(d, params)
    err, where = oracle.worst(oracle.value_errors(d, params, xs, act(xs)))
    assert err <= d.ulps[0], f"{act.spec}: {err:.2f} ulp at x = {where!r}"


@pytest.mark.parametrize("act", catalogue(vector=False))
@pytest.mark.slow  # mpmath at hundreds of bits: most of the suite's time
def test_derivatives_within_their_ulps(act: actcli.Activation) -> None:
    d, params = act.definition, act.params
    xs = oracle.scalar_grid(d, params, dense=401)
    err, where = oracle.worst(oracle.slope_errors(d, params, xs, act.grad(xs)))
    assert err <= d.ulps[1], f"{act.spec}': {err:.2f} ulp at x = {where!r}"


def _accepts(act: actcli.Activation, row: list[float]) -> bool:
    try:
        act(np.array(row))
    except ActivationError:  # glu: an odd length
        return False
    return True


@pytest.mark.parametrize("act", [c for c in catalogue(vector=True) if c.values[0].definition.reference is not None])
@pytest.mark.slow  # mpmath at hundreds of bits: most of the suite's time
def test_vector_values_and_jacobians(act: actcli.Activation) -> None:
    d = act.definition
    rows = [r for r in oracle.vector_rows() if _accepts(act, r)]
    assert len(rows) >= 90  # glu takes the even-length ones
    err, where = oracle.worst(oracle.vector_errors(d, rows, [act(np.array(r)) for r in rows]))
    assert err <= d.ulps[0], f"{act.spec}: {err:.2f} ulp (row starting {where!r})"
    small = rows[:40]
    err, where = oracle.worst(oracle.jacobian_errors(d, small, [act.grad(np.array(r)) for r in small]))
    assert err <= d.ulps[1], f"{act.spec} Jacobian: {err:.2f} ulp (row starting {where!r})"


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
