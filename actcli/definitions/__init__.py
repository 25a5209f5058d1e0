"""The catalogue: every activation function, defined once, found by any of its names.

Adding a function means adding one :class:`~actcli.model.Definition` to one of the
family modules and listing it in :data:`DEFINITIONS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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


# Activations the user named (actcli.register, or the config file): consulted after the catalogue.
USER: dict[str, tuple[Definition, Mapping[str, Value]]] = {}
_CONFIG_READ: list[str] = []


def config_path() -> Any:
    """$ACTCLI_CONFIG, else $XDG_CONFIG_HOME/actcli/activations.toml (~/.config/...)."""
    import os
    from pathlib import Path

    if os.environ.get("ACTCLI_CONFIG"):
        return Path(os.environ["ACTCLI_CONFIG"])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "actcli" / "activations.toml"


def _read_config() -> None:
    """The user's named formulas, once per process: a table per name,
    ``[swish_b]  formula = "x*sigmoid(b*x)"  params = { b = 1.0 }  summary = "..."``."""
    path = config_path()
    if str(path) in _CONFIG_READ:
        return
    _CONFIG_READ.append(str(path))
    if not path.is_file():
        return
    import tomllib

    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ActivationError(f"{path}: not a readable TOML file ({e})") from None
    for name, table in doc.items():
        if not isinstance(table, dict) or not isinstance(table.get("formula"), str):
            raise ActivationError(f"{path}: [{name}] needs formula = \"...\" (an expression in x)")
        unknown = set(table) - {"formula", "params", "summary"}
        if unknown:
            raise ActivationError(f"{path}: [{name}] has unknown key(s) {', '.join(sorted(unknown))}; "
                                  "keys: formula, params, summary")
        try:
            register(name, table["formula"], params=table.get("params"), summary=table.get("summary"))
        except ActivationError as e:
            raise ActivationError(f"{path}: [{name}]: {e}") from None


def register(name: str, formula: str | None = None, *, value: Any = None, derivative: Any = None,
             params: Mapping[str, float] | None = None, summary: str | None = None) -> Definition:
    """Name an activation so that every command and :func:`actcli.get` take it by name:
    a formula in x (``register("swish_b", "x*sigmoid(b*x)", params={"b": 1.0})``), or Python
    callables on float64 arrays (``value=f, derivative=df``; then no ``--exact``). Names of
    the catalogue cannot be taken."""
    import re
    import sys

    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name == "x":
        raise ActivationError(f"a registered name is a word such as 'swish_b', got {name!r:.60}")
    if normalise(name) in INDEX:
        raise ActivationError(f"{name!r} is a catalogue name ({INDEX[normalise(name)][0].name}); choose another")
    params = dict(params or {})
    if formula is not None:
        if value is not None or derivative is not None:
            raise ActivationError(f"{name}: give a formula or value/derivative callables, not both")
        from ..formula import definition

        d = definition(formula, sys.modules[__name__])
        missing = [p.name for p in d.params if p.name not in params]
        extra = set(params) - {p.name for p in d.params}
        if extra:
            raise ActivationError(f"{name}: the formula has no parameter(s) {', '.join(sorted(extra))}")
        d = d._replace(name=name, summary=summary or f"{formula} (registered)", formula=formula,
                       params=tuple(p._replace(default=float(params[p.name])) if p.name not in missing else p
                                    for p in d.params))
    else:
        if not (callable(value) and callable(derivative)):
            raise ActivationError(f"{name}: give formula=..., or both value= and derivative= callables")
        if params:
            raise ActivationError(f"{name}: parameters go with formulas only")
        d = Definition(name=name, family="user", summary=summary or "a Python function (registered)",
                       forward=lambda x: value(x), derivative=lambda x: derivative(x),
                       formula="(a Python function)", latex=r"\mathrm{" + name.replace("_", r"\_") + "}(x)",
                       dformula="(a Python function)", dlatex=r"\mathrm{" + name.replace("_", r"\_") + "}'(x)",
                       monotonic=False, description="Registered from Python callables: evaluated as they are.")
    USER[normalise(name)] = (d, {})
    return d


def lookup(name: str) -> tuple[Definition, Mapping[str, Value]]:
    """The definition a name or alias stands for, and the parameters the alias presets."""
    try:
        return INDEX[normalise(name)]
    except KeyError:
        pass
    _read_config()
    try:
        return USER[normalise(name)]
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
