"""The catalogue: every activation function, defined once, found by any of its names.

Adding a function means adding one :class:`~actcli.model.Definition` to one of the
family modules and listing it in :data:`DEFINITIONS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..literals import shorten
from ..model import ActivationError, Definition, Value
from .gates import GATES
from .rectifiers import RECTIFIERS
from .squashing import SQUASHING
from .vectors import VECTORS

DEFINITIONS: tuple[Definition, ...] = (*RECTIFIERS, *SQUASHING, *GATES, *VECTORS)
FAMILIES: tuple[str, ...] = ("rectifier", "squashing", "gate", "vector")


def normalise(name: str) -> str:
    """Case-, dash- and underscore-insensitive key: 'Leaky-ReLU' -> 'leakyrelu'."""
    return name.lower().replace("_", "").replace("-", "")


def _index() -> dict[str, tuple[Definition, Mapping[str, Value]]]:
    index: dict[str, tuple[Definition, Mapping[str, Value]]] = {}
    for d in DEFINITIONS:
        for alias, preset in ((d.name, {}), *d.aliases.items()):
            key = normalise(alias)
            if key in index:  # a clash would make lookup silently ambiguous
                raise RuntimeError(f"catalogue: name {alias!r} is used twice")
            index[key] = (d, preset)
    return index


INDEX = _index()


def all_names() -> list[str]:
    """Canonical names and aliases, as typed (for completion and suggestions)."""
    return [n for d in DEFINITIONS for n in (d.name, *d.aliases)]


def suggest(name: str, limit: int = 3) -> list[str]:
    import difflib  # only on the error path

    names = all_names()
    by_key = {normalise(n): n for n in names}
    close = difflib.get_close_matches(normalise(name), list(by_key), n=limit, cutoff=0.6)
    hits = [by_key[k] for k in close]
    hits += [n for n in names if normalise(name) and normalise(name) in normalise(n) and n not in hits]
    return hits[:limit]


def _named(alias: str) -> str:
    """An alias with the function it stands for: 'none (identity)', never a bare 'none'."""
    d, _ = INDEX[normalise(alias)]
    return alias if normalise(alias) == normalise(d.name) else f"{alias} (an alias of {d.name})"


def lookup(name: str) -> tuple[Definition, Mapping[str, Value]]:
    """The definition a name or alias stands for, and the parameters the alias presets."""
    try:
        return INDEX[normalise(name)]
    except KeyError:
        hint = [_named(h) for h in suggest(name)]
        more = f"; did you mean {', '.join(hint)}?" if hint else "; see `actcli list`"
        raise ActivationError(f"unknown function {shorten(name)}{more}") from None


def bind(d: Definition, args: Iterable[Value], kwargs: Mapping[str, Value]) -> dict[str, Value]:
    """Check and complete a parameter set: positional in PyTorch's order, then keywords."""
    args = list(args)
    names = [p.name for p in d.params]
    if len(args) > len(names):
        raise ActivationError(f"{d.name}: takes {len(names)} parameter(s) ({', '.join(names) or 'none'}), got {len(args)}")
    given: dict[str, Value] = dict(zip(names, args))
    for key, value in kwargs.items():
        if key not in names:
            known = ", ".join(names) if names else "none"
            raise ActivationError(f"{d.name}: unknown parameter '{key}' (parameters: {known})")
        if key in given:
            raise ActivationError(f"{d.name}: parameter '{key}' given twice")
        given[key] = value
    params: dict[str, Value] = {}
    for p in d.params:
        if p.name not in given:
            if p.default is None:
                raise ActivationError(f"{d.name}: missing required parameter '{p.name}'")
            params[p.name] = p.default
        else:
            params[p.name] = p.coerce(given[p.name], d.name)
    if d.validate is not None and (problem := d.validate(params)):
        raise ActivationError(f"{d.name}: {problem}")
    return params


def examples(d: Definition) -> list[dict[str, Value]]:
    """The parameter sets the docs and tests use for ``d``: its defaults (required
    parameters at their ``example`` values), then its ``variants``."""
    required = {p.name: p.example for p in d.params if p.default is None}
    return [bind(d, (), {**required, **variant}) for variant in ({}, *d.variants)]


def resolve(text: str, extra: Mapping[str, Value] | None = None) -> tuple[Definition, dict[str, Value]]:
    """Spec text (plus ``--param`` values) -> (definition, validated parameters)."""
    d, args, kwargs = _parts(text, extra)
    return d, bind(d, args, kwargs)


def resolve_to_describe(text: str, extra: Mapping[str, Value] | None = None) \
        -> tuple[Definition, dict[str, Value], tuple[str, ...]]:
    """As :func:`resolve`, but a required parameter left out takes its ``example`` value,
    so that any function can be described; the names of those parameters come third."""
    d, args, kwargs = _parts(text, extra)
    given = {p.name for p in d.params[: len(args)]} | set(kwargs)
    unset = tuple(p.name for p in d.params if p.default is None and p.name not in given)
    return d, bind(d, args, {**kwargs, **{p.name: p.example for p in d.params if p.name in unset}}), unset


def _parts(text: str, extra: Mapping[str, Value] | None) -> tuple[Definition, list[Value], dict[str, Value]]:
    from ..spec import parse_spec

    if not isinstance(text, str):
        raise ActivationError(f"a function spec is a string such as 'gelu' or 'leaky_relu(0.2)', got {text!r:.60}")
    from ..formula import definition, mentions_x  # (a light module: ast and NumPy)

    if mentions_x(text):  # a formula in x: 'x*sigmoid(1.702*x)'
        import sys

        return definition(text, sys.modules[__name__]), [], dict(extra or {})
    spec = parse_spec(text)
    d, preset = lookup(spec.name)
    kwargs = dict(spec.kwargs)
    for key, value in (extra or {}).items():
        if key in kwargs:
            raise ActivationError(f"{d.name}: parameter '{key}' given twice")
        kwargs[key] = value
    # An alias's preset yields to anything the user set explicitly.
    positional = {p.name for p in d.params[: len(spec.args)]}
    merged = {k: v for k, v in preset.items() if k not in kwargs and k not in positional}
    return d, list(spec.args), {**merged, **kwargs}
