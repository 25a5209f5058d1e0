"""Numbers as text: the shortest round-trip tokens of pipelines, readable table cells,
JSON values, and the names of result columns. Shared by the text renderers
(:mod:`.render`) and the tables (:mod:`.tables`)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..activation import Activation
from ..dtypes import FORMATS

_NONFINITE = {"nan": b"nan", "inf": b"inf", "-inf": b"-inf"}


def tokens(values: np.ndarray) -> list[bytes]:
    """Each value as the shortest text that reads back to it exactly.

    float64 goes through orjson's shortest round-trip formatter (Ryu-style; ten times
    Python's repr): e.g. 0.1, 1e-7, 0.00001, 1e+16. nan, inf and -inf are written as such.
    A few values are written by Python's repr in the same layout instead, which spares
    the 2 ms of importing orjson. float32 and float16 use NumPy's shortest form.
    """
    v = np.asarray(values)
    if v.size == 0:
        return []
    if v.dtype != np.float64:
        return [str(x).encode() for x in v.ravel()]
    if v.size < _FEW:
        return repr_tokens(v)
    return orjson_tokens(v)


_FEW = 64


def repr_tokens(v: np.ndarray) -> list[bytes]:
    return [_repr_token(x) for x in v.ravel().tolist()]


def _repr_token(x: float) -> bytes:
    """repr(x) in orjson's layout: 0.00001234 rather than 1.234e-05, 1e-7 rather than 1e-07."""
    if not math.isfinite(x):
        return _NONFINITE[json_number(x)]  # type: ignore[index]
    text = repr(x)
    if "e-0" in text:
        mantissa, exponent = text.split("e-0")
        if exponent == "5":  # orjson writes 1e-5 <= |x| < 1e-4 without an exponent
            sign = "-" if x < 0 else ""
            text = f"{sign}0.0000{mantissa.lstrip('-').replace('.', '')}"
        else:
            text = f"{mantissa}e-{exponent}"
    return text.encode()


def orjson_tokens(v: np.ndarray) -> list[bytes]:
    import orjson

    v = np.ascontiguousarray(v.ravel())
    finite = np.isfinite(v)
    if finite.all():
        return orjson.dumps(v, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1].split(b",")
    out = orjson.dumps(np.where(finite, v, 0.0), option=orjson.OPT_SERIALIZE_NUMPY)[1:-1].split(b",")
    for i in np.flatnonzero(~finite).tolist():
        out[i] = _NONFINITE[json_number(float(v[i]))]  # type: ignore[index]
    return out


def orjson_lines(table: np.ndarray, sep: bytes = b" ") -> bytes | None:
    """A column (1-D) or the rows of a table (2-D), one per line without the last newline,
    from one orjson call: [a,b] has its commas turned into newlines; [[a,b],[c,d]] its
    "],[" into newlines and its commas into sep. None when orjson cannot say it all: not
    float64, not finite (strict JSON has no nan), or too few to be worth the import."""
    if table.dtype != np.float64 or table.size < _FEW or not np.isfinite(table).all():
        return None
    import orjson

    text = orjson.dumps(np.ascontiguousarray(table), option=orjson.OPT_SERIALIZE_NUMPY)
    if table.ndim == 1:
        return text[1:-1].replace(b",", b"\n")
    text = text[2:-2].replace(b"],[", b"\n")
    return text if sep == b"," else text.replace(b",", sep)


def column(values: np.ndarray) -> bytes:
    """Values one per line (with the final newline): the hot path of `eval f -`."""
    v = np.asarray(values)
    lines = orjson_lines(v.ravel())
    return lines + b"\n" if lines is not None else b"".join(t + b"\n" for t in tokens(v))


def exact(values: np.ndarray) -> list[str]:
    return [t.decode() for t in tokens(values)]


def readable(v: float, digits: int = 10) -> str:
    """A table cell: 10 significant digits, or for a float32/float16 value the type's own
    shortest form (its float64 digits would show what the type does not hold)."""
    if isinstance(v, np.generic) and v.dtype.name in FORMATS and v.dtype != np.float64:
        return str(v)  # (ml_dtypes' bfloat16 and float8 scalars are no np.floating)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.{digits}g}"


def json_number(v: float, null: bool = False) -> float | str | None:
    """Non-finite numbers as the strings the input accepts (strict JSON has no NaN), or
    as null with ``null`` (what `jq add` and most JSON tools can sum over)."""
    if math.isfinite(v):
        return v
    if null:
        return None
    return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")


def json_array(a: np.ndarray, null: bool = False) -> Any:
    if a.ndim == 0:
        return json_number(float(a), null)
    if a.ndim > 1:
        return [json_array(r, null) for r in a]
    return [json_number(v, null) for v in a.astype(np.float64).tolist()]


def column_name(act: Activation, kind: str) -> str:
    """The heading of a result column: the spec, or ``d/dx spec`` for derivatives."""
    if kind == "value":
        return act.spec
    n = getattr(act, "order", 1)
    return f"d/dx {act.spec}" if n == 1 else f"d{n}/dx{n} {act.spec}"


JSON_PIECE = 1 << 14  # numbers encoded per orjson call: a huge document never needs one huge buffer


def json_pieces(value: Any, pretty: bool, level: int = 0, null: bool = False) -> Iterator[bytes]:
    """``value`` as JSON, in pieces of bounded size: what ``orjson.dumps`` gives (with
    ``OPT_INDENT_2`` when ``pretty``), but a NumPy array goes in slices of JSON_PIECE
    numbers (non-finite ones as "nan", "inf", "-inf", or null with ``null``). orjson dies rather than raising
    when an allocation fails, so no call of it may get a whole 2,000,000-number result.
    """
    import orjson

    option = orjson.OPT_INDENT_2 if pretty else 0
    pad = (b"\n" + b"  " * (level + 1)) if pretty else b""
    end = (b"\n" + b"  " * level) if pretty else b""
    if isinstance(value, np.ndarray) and value.ndim != 1:
        value = list(value) if value.ndim else json_number(float(value), null)
    if isinstance(value, np.ndarray):
        if value.size == 0:
            yield b"[]"
            return
        yield b"["
        for start in range(0, value.size, JSON_PIECE):
            piece = value[start : start + JSON_PIECE]
            if piece.dtype != np.float64:  # float32/float16: the type's shortest form
                yield (b"," if start else b"") + pad + (b"," + pad).join(ndjson_tokens(piece, null))
                continue
            text = orjson.dumps(json_array(piece, null), option=option)
            inner = text[2:-2].replace(b"\n  ", pad) if pretty else text[1:-1]
            yield (b"," if start else b"") + pad + (inner[2:] if pretty else inner)
        yield end + b"]"
    elif isinstance(value, dict) and value:
        yield b"{"
        for i, (key, item) in enumerate(value.items()):
            yield (b"," if i else b"") + pad + orjson.dumps(key) + (b": " if pretty else b":")
            yield from json_pieces(item, pretty, level + 1, null)
        yield end + b"}"
    elif isinstance(value, list) and value and any(isinstance(v, (np.ndarray, dict, list)) for v in value):
        yield b"["
        for i, item in enumerate(value):
            yield (b"," if i else b"") + pad
            yield from json_pieces(item, pretty, level + 1, null)
        yield end + b"]"
    else:
        text = orjson.dumps(value, option=option)
        yield text.replace(b"\n", b"\n" + b"  " * level) if pretty and level else text


def ndjson_tokens(values: np.ndarray, null: bool = False) -> list[bytes]:
    """Each value as a JSON token: the shortest round-trip number, or for nan and ±inf
    the strings "nan", "inf", "-inf" (null with ``null``)."""
    out = tokens(values)
    for i in np.flatnonzero(~np.isfinite(np.asarray(values, dtype=np.float64).ravel())).tolist():
        out[i] = b"null" if null else b'"' + out[i] + b'"'
    return out


def json_list(a: np.ndarray, null: bool = False) -> bytes:
    """A 1-D array as a JSON list, a 2-D one as a list of lists, in each number's shortest form."""
    if a.ndim > 1:
        return b"[" + b",".join(json_list(r, null) for r in a) + b"]"
    return b"[" + b",".join(ndjson_tokens(a, null)) + b"]"


def alias_texts(row: dict[str, Any], space: str = "") -> list[str]:
    """'gelu_new(approximate=tanh)' for an alias that sets parameters, the bare name
    otherwise (``space`` before the parenthesis lets a table wrap there)."""
    from ..activation import format_value

    sets = row["alias_params"]
    return [a + (f"{space}({', '.join(f'{k}={format_value(v)}' for k, v in sets[a].items())})" if a in sets else "")
            for a in row["aliases"]]
