"""Plain functions, one per catalogue entry, as ``torch.nn.functional`` and ``jax.nn``
offer them::

    import actcli.nn as F
    F.gelu(x)                        # x * Phi(x)
    F.gelu(x, approximate="tanh")    # parameters as keywords, with their defaults
    F.leaky_relu.grad(x, 0.2)        # the derivative, the same parameters
    help(F.softplus)                 # formula, parameters, derivative, conventions

Each follows NumPy's conventions (a scalar in gives a scalar out; float32 in gives
float32 out) and raises :class:`~actcli.model.ActivationError` on bad input. They are
made from the catalogue on first use, with a numpydoc docstring built from the entry.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .activation import Activation, format_value
from .definitions import DEFINITIONS, bind
from .model import Definition

__all__ = [d.name for d in DEFINITIONS]


def _signature(d: Definition) -> inspect.Signature:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    params = [inspect.Parameter("x", kind)]
    params += [inspect.Parameter(p.name, kind, default=inspect.Parameter.empty if p.default is None else p.default)
               for p in d.params]
    return inspect.Signature(params)


def _docstring(d: Definition, derivative: bool = False) -> str:
    kind = "The derivative of " if derivative else ""
    lines = [f"{kind}{d.summary}" if not derivative else f"The derivative of {d.name}: {d.dformula}.", ""]
    if d.description and not derivative:
        lines += [d.description, ""]
    lines += ["Parameters", "----------", "x : array_like",
              "    Input: " + ("vectors along the axis ``dim``." if d.vector else "any shape.")]
    for p in d.params:
        shown = repr(p.default) if isinstance(p.default, str) else format_value(p.default) if p.default is not None else ""
        default = "required" if p.default is None else f"default {shown}"
        choices = f": one of {', '.join(repr(c) for c in p.choices)}" if p.choices else ""
        lines += [f"{p.name} : {p.kind.__name__}, {default}", f"    {p.doc[:1].upper()}{p.doc[1:]}{choices}."]
    what = ("the Jacobian, shape (..., n_out, n_in)" if d.vector else "f'(x), the shape of x") if derivative \
        else ("f(x), along the last axis" if d.vector else "f(x), the shape of x")
    lines += ["", "Returns", "-------", "ndarray or NumPy scalar",
              f"    {what}, with x's float type (float64 for integers).", "", "Notes", "-----",
              f"Formula: ``{d.formula}``", "", f".. math:: {d.latex}", "", f"Derivative: ``{d.dformula}``"]
    if d.conventions:
        lines += ["", "At kinks (PyTorch's conventions): " + "; ".join(c.line() for c in d.conventions) + "."]
    equivalents = [v for v in (d.torch, d.jax, d.keras) if v]
    if equivalents:
        lines += ["", "Equivalents: " + "; ".join(equivalents) + "."]
    if not derivative:
        lines += ["", "See Also", "--------", f"{d.name}.grad : the derivative, with the same parameters."]
    return "\n".join(lines) + "\n"


def _make(d: Definition) -> Callable[..., Any]:
    signature = _signature(d)
    cache: dict[tuple, Activation] = {}

    def activation(args: tuple, kwargs: dict) -> tuple[Activation, Any]:
        bound = signature.bind(*args, **kwargs)
        x = bound.arguments.pop("x")
        key = tuple(sorted(bound.arguments.items()))
        if key not in cache:
            cache[key] = Activation(d, bind(d, (), bound.arguments))
        return cache[key], x

    def function(*args: Any, **kwargs: Any) -> Any:
        act, x = activation(args, kwargs)
        return act(x)

    def grad(*args: Any, **kwargs: Any) -> Any:
        act, x = activation(args, kwargs)
        return act.grad(x)

    for f, name, doc in ((function, d.name, _docstring(d)), (grad, f"{d.name}.grad", _docstring(d, True))):
        f.__name__, f.__qualname__, f.__doc__, f.__module__ = d.name, name, doc, __name__
        f.__signature__ = signature  # type: ignore[attr-defined]
    function.grad = grad  # type: ignore[attr-defined]
    return function


def __getattr__(name: str) -> Callable[..., Any]:
    for d in DEFINITIONS:
        if d.name == name:
            f = globals()[name] = _make(d)
            return f
    raise AttributeError(f"module 'actcli.nn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
