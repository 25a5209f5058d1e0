"""Parse function specs such as ``leaky_relu(negative_slope=0.2)`` — safely, without eval.

Grammar::

    spec  := NAME [ "(" [ arg ("," arg)* [","] ] ")" ]
    arg   := [ NAME "=" ] value
    value := number | 'quoted' | "quoted" | true | false | bare-word

Numbers follow :mod:`actcli.literals`. Positional arguments fill parameters in PyTorch's
order. Bare words are strings, so ``gelu(tanh)`` and ``gelu(approximate='tanh')`` agree.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .literals import FINITE, NUMBER, shorten
from .model import ActivationError, Value

# inf and nan are read as words, then as numbers (see _value).
_TOKEN = re.compile(
    rf"""\s*+(?:
        (?P<str>'[^']*+'|"[^"]*+")
      | (?P<num>[+-]?+{FINITE}(?![A-Za-z0-9_.]))
      | (?P<word>[+-]?+[A-Za-z_][A-Za-z0-9_\-.]*+)
      | (?P<punct>[(),=])
    )""",
    re.VERBOSE | re.ASCII,
)


class Spec(NamedTuple):
    """A parsed spec: the name as typed, positional and keyword values."""

    name: str
    args: list[Value]
    kwargs: dict[str, Value]


# The longest spec read: anything longer is no function of the catalogue.
MAX_SPEC = 10_000
_TRAILING_SPACE = re.compile(r"\s*+\Z")


def _tokens(text: str) -> list[tuple[str, str]]:
    """The spec's tokens, in time linear in its length."""
    if len(text) > MAX_SPEC:
        raise ActivationError(f"malformed function spec {shorten(text)}: longer than {MAX_SPEC:,} characters")
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text) and _TRAILING_SPACE.match(text, pos) is None:
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            bad = text[pos:].strip()[:20]
            raise ActivationError(f"malformed function spec {shorten(text)}: unexpected {bad!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _value(kind: str, tok: str) -> Value:
    if kind == "str":
        return tok[1:-1]
    if kind == "num":
        return float(tok)
    low = tok.lower()
    if low in ("true", "false"):
        return low == "true"
    if NUMBER.fullmatch(tok):  # nan, inf, -inf
        return float(tok)
    return tok


def parse_value(text: str) -> Value:
    """One value as in a spec: a number, a quoted or bare string, or true/false."""
    toks = _tokens(text)
    if len(toks) != 1 or toks[0][0] == "punct":
        raise ActivationError(f"malformed value {shorten(text)}")
    return _value(*toks[0])


def parse_assignment(text: str) -> tuple[str, Value]:
    """``key=value``, as given to ``--param``."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key, re.ASCII):
        raise ActivationError(f"malformed parameter {shorten(text)}: expected name=value")
    return key, parse_value(raw)


def parse_spec(text: str) -> Spec:
    toks = _tokens(text)
    if not toks or toks[0][0] != "word" or toks[0][1][0] in "+-":
        raise ActivationError(f"malformed function spec {shorten(text)}: expected a function name")
    spec = Spec(toks[0][1], [], {})
    rest = toks[1:]
    if not rest:
        return spec
    if rest[0] != ("punct", "(") or rest[-1] != ("punct", ")"):
        raise ActivationError(f"malformed function spec {shorten(text)}: expected name(arg, key=value, ...)")
    body = rest[1:-1]
    i = 0
    while i < len(body):
        if i + 1 < len(body) and body[i + 1] == ("punct", "="):
            key_kind, key = body[i]
            if key_kind != "word" or i + 2 >= len(body) or body[i + 2][0] == "punct":
                raise ActivationError(f"malformed function spec {shorten(text)}: bad argument near {shorten(key)}")
            if key in spec.kwargs:
                raise ActivationError(f"{spec.name}: parameter '{key}' given twice")
            spec.kwargs[key] = _value(*body[i + 2])
            i += 3
        else:
            kind, tok = body[i]
            if kind == "punct":
                raise ActivationError(f"malformed function spec {shorten(text)}: unexpected {shorten(tok)}")
            if spec.kwargs:
                raise ActivationError(f"{spec.name}: positional argument {shorten(tok)} after keyword arguments")
            spec.args.append(_value(kind, tok))
            i += 1
        if i < len(body):
            if body[i] != ("punct", ","):
                raise ActivationError(f"malformed function spec {shorten(text)}: expected ',' before {body[i][1]!r}")
            i += 1
    return spec
