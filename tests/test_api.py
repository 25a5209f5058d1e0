"""The Python API never leaks an internal error: bad arguments raise ActivationError naming
the culprit, and valid input of any shape or real dtype gives a documented result."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest

import actcli
from actcli.model import ActivationError

from .conftest import catalogue


@pytest.mark.parametrize("act", catalogue(vector=False, variants=False))
@pytest.mark.parametrize("x", [-40.0, -3.775799452924396e16, 1e300, -0.0, 7.5])
def test_a_scalar_in_any_form_is_a_scalar_result(act: actcli.Activation, x: float) -> None:
    """Python floats, NumPy scalars and 0-d arrays give a NumPy scalar, as NumPy's ufuncs
    do (json.dumps takes it), in the tails too (gelu(-40.0) once failed: its tail code
    assigned into a 0-d value)."""
    expected = act(np.array([x]))[0]
    for form in (x, np.float64(x), np.array(x)):
        for f, want in ((act, expected), (act.grad, act.grad(np.array([x]))[0])):
            got = f(form)
            assert isinstance(got, np.float64) and (got == want or (np.isnan(got) and np.isnan(want))), (act.spec, form)


@pytest.mark.parametrize("act", catalogue(variants=False))
def test_empty_input_gives_empty_output(act: actcli.Activation) -> None:
    for shape in ((0,), (3, 0), (0, 4)):
        x = np.zeros(shape)
        y, dy = act(x), act.grad(x)
        if act.definition.vector:
            n_out = 0 if shape[-1] == 0 else (2 if act.name == "glu" else 4)
            assert y.shape == shape[:-1] + (n_out,) and dy.shape == shape[:-1] + (n_out, shape[-1])
        else:
            assert y.shape == dy.shape == shape


@pytest.mark.parametrize("act", catalogue(vector=True, variants=False))
@pytest.mark.parametrize("dim", [1, -2, -514, 5])
def test_a_dim_outside_the_axes_is_named(act: actcli.Activation, dim: int) -> None:
    with pytest.raises(ActivationError, match=f"{act.name}: dim={dim} is out of range"):
        actcli.get(act.name, dim=dim)([1.0, 2.0])


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 2.5, "x", True])
def test_dim_must_be_a_whole_number(value: object) -> None:
    with pytest.raises(ActivationError, match="'dim' must be a whole number"):
        actcli.get("softmax", dim=value)


def test_dim_is_numpys_axis_in_the_api() -> None:
    """softmax(dim=0) normalises each column, and a NaN spoils only its own column."""
    x = np.array([[1.0, np.nan], [1.0, 3.0]])
    y = actcli.get("softmax", dim=0)(x)
    assert y[:, 0].tolist() == [0.5, 0.5] and np.isnan(y[:, 1]).all()
    with pytest.raises(ActivationError, match="last axis only"):
        actcli.get("softmax", dim=0).grad(x)


def test_numpy_scalars_are_numbers_for_parameters() -> None:
    assert actcli.get("leaky_relu", negative_slope=np.float32(0.5))([-2.0]).tolist() == [-1.0]
    assert actcli.get("softmax", dim=np.int64(-1))([0.0, 0.0]).tolist() == [0.5, 0.5]
    assert actcli.get("elu", alpha=np.float64(2.0)).params == {"alpha": 2.0}


@pytest.mark.parametrize(("x", "message"), [
    (np.array([1 + 2j]), "complex input"),
    (["1.5"], "not an array of real numbers"),
    ([[1.0, 2.0], [3.0]], "not an array of real numbers"),
    (np.array(["2026-01-01"], dtype="datetime64[D]"), "not an array of real numbers"),
    (10**400, "int too large"),  # (OverflowError leaked)
    (None, "holds None"),  # (was nan)
    ([1.0, None], "holds None"),
])
def test_input_that_is_not_real_numbers_is_refused(x: object, message: str) -> None:
    """Refused as NumPy's ufuncs refuse them, not cast (complex lost its imaginary part
    with a warning; strings were read as numbers)."""
    with pytest.raises(ActivationError, match=message):
        actcli.get("relu")(x)


def test_booleans_and_integers_are_numbers() -> None:
    assert actcli.get("relu")(np.array([True, False])).tolist() == [1.0, 0.0]
    assert actcli.get("relu")(np.arange(-1, 2)).tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("act", catalogue(vector=True, variants=False))
def test_vector_values_take_memory_linear_in_the_length(act: actcli.Activation) -> None:
    """Values of a 4,000-long vector in well under the 128 MB that one 4,000 x 4,000 array
    takes (softmax and sparsemax once built several)."""
    x = np.random.default_rng(0).standard_normal(4000)
    tracemalloc.start()
    try:
        act(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000, f"{act.spec}: {peak / 1e6:.1f} MB"


def test_a_huge_dim_is_out_of_range_not_a_crash() -> None:
    with pytest.raises(ActivationError, match=r"softmax: dim=1e\+300 is out of range"):
        actcli.get("softmax", dim=1e300)([1.0, 2.0])


def test_a_spec_that_is_not_text_is_named() -> None:
    with pytest.raises(ActivationError, match="a function spec is a string"):
        actcli.get(123)  # type: ignore[arg-type]


@pytest.mark.parametrize(("row", "limit"), [
    ([math.inf, 0.0], [1.0, 0.0]), ([math.inf, 0.0, 1.0], [1.0, 0.0, 0.0]),
    ([math.inf, math.inf, 0.0], [0.5, 0.5, 0.0]), ([-math.inf, 0.0, 1.0], [0.0, 0.0, 1.0]),
])
def test_sparsemax_takes_its_limits_at_infinity(row: list[float], limit: list[float]) -> None:
    """+inf entries share the whole mass, as softmax's do (sparsemax gave 0 0)."""
    assert actcli.get("sparsemax")(row).tolist() == limit
    assert np.all(np.isfinite(actcli.get("sparsemax").grad(row)))


def test_the_result_has_the_inputs_float_type_as_in_numpy() -> None:
    """float32 in, float32 out (rounded once from the float64 result); ints give float64;
    an explicit dtype wins."""
    import json

    gelu = actcli.get("gelu")
    x32 = np.array([-1.5, 0.5, 3.0], dtype=np.float32)
    y = gelu(x32)
    assert y.dtype == np.float32 and np.array_equal(y, gelu(x32.astype(np.float64)).astype(np.float32))
    assert gelu(np.float16(1.0)).dtype == np.float16 and gelu(np.array([1, 2])).dtype == np.float64
    assert actcli.get("gelu", dtype="float16")(x32).dtype == np.float16
    assert json.loads(json.dumps({"y": gelu(1.0)})) == {"y": float(gelu(np.array([1.0]))[0])}


@pytest.mark.parametrize("d", actcli.catalogue(), ids=lambda d: d.name)
def test_every_entry_is_a_plain_function_in_nn(d: actcli.Definition) -> None:
    """actcli.nn.NAME(x, **params) and .grad: the Activation's values, a signature and a
    numpydoc docstring from the entry (help() explains the function)."""
    import inspect

    import actcli.nn

    f = getattr(actcli.nn, d.name)
    params = {p.name: p.example for p in d.params if p.default is None}
    x = np.array([[0.5, -1.5, 2.0, 3.0]]) if d.vector else np.array([-2.0, 0.5, 3.0])
    act = actcli.get(d.name, **params)
    assert np.array_equal(f(x, **params), act(x), equal_nan=True)
    assert np.array_equal(f.grad(x, **params), act.grad(x), equal_nan=True)
    assert list(inspect.signature(f).parameters) == ["x", *(p.name for p in d.params)]
    doc = f.__doc__
    assert "Parameters\n----------" in doc and "Returns\n-------" in doc and d.formula in doc
    assert all(f"{p.name} : " in doc for p in d.params)


def test_nn_lists_only_its_functions() -> None:
    import actcli.nn

    assert dir(actcli.nn) == sorted(d.name for d in actcli.catalogue())
    with pytest.raises(AttributeError):
        actcli.nn.nope  # noqa: B018


def test_plot_gives_a_figure_for_notebooks() -> None:
    fig = actcli.plot("tanh", actcli.get("gelu"), grad=True, xmin=-3, xmax=3)
    assert type(fig).__name__ == "Figure" and len(fig.axes) == 2
    for bad in ({"xmin": 3, "xmax": -3}, {"points": 1}, {"theme": "neon"}):
        with pytest.raises(ActivationError):
            actcli.plot("tanh", **bad)
