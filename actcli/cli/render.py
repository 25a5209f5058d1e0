"""Text renderers: plain, csv, tsv and JSON. Rich tables live in :mod:`.tables` (imported lazily).

Plain, csv and tsv stream chunk by chunk; JSON and tables need the whole result, so
they collect it first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from ..activation import Activation
from ..dtypes import as_array, round_to
from .env import Environment
from .errors import UsageError
from .formatting import (
    alias_texts,
    column,
    column_name,
    exact,
    json_array,
    json_list,
    json_number,
    json_pieces,
    ndjson_tokens,
    orjson_lines,
    tokens,
)
from .inputs import Header, Rows

FORMATS = ("table", "plain", "csv", "tsv", "json", "ndjson")
SEPARATORS = {"plain": " ", "csv": ",", "tsv": "\t"}


def dump_json(env: Environment, doc: Any, null: bool = False) -> None:
    """One JSON document (indented at a terminal), written a megabyte or so at a time."""
    batch: list[bytes] = []
    size = 0
    for piece in json_pieces(doc, env.stdout_isatty, null=null):
        batch.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            env.write_bytes(b"".join(batch))
            batch, size = [], 0
    env.write_bytes(b"".join(batch) + b"\n")


def resolve_format(env: Environment, fmt: str | None) -> str:
    return fmt or ("table" if env.stdout_isatty else "plain")


# --------------------------------------------------------------- eval and grad
# Resource limits of eval and grad (README: Input): the longest vector whose Jacobian grad
# writes (n^2 numbers: 128 MiB), the Jacobian entries computed at once for a block of
# stdin rows, and how many input numbers -f json holds (it needs the whole
# result; plain, csv and tsv stream any number).
MAX_JACOBIAN = 4096
JACOBIAN_BLOCK = 1 << 22
MAX_WHOLE = 2_000_000


def evaluate(act: Activation, kind: str, x: np.ndarray) -> np.ndarray:
    return act(x) if kind == "value" else act.grad(x)


def results(act: Activation, kind: str, chunks: Iterable[np.ndarray | Rows]) -> Iterator[tuple[Any, np.ndarray]]:
    """(x, f(x)) chunk by chunk; Jacobians of blocks of rows in pieces of bounded size.
    Lines of an elementwise function's input (:class:`Rows`) keep their shape in x.
    With --dtype, x is shown as the function saw it, rounded to that type (70000 in
    float16 is inf), and every format writes the type's shortest form (0.1, not the
    float64 digits of float16's 0.0999755859375)."""
    for x, y in _results(act, kind, chunks):
        yield _as_seen(act, x), y


def _as_seen(act: Activation, x: Any) -> Any:
    if act.dtype in (None, "float64") or isinstance(x, Header):
        return x
    fmt = act.format
    if isinstance(x, Rows):
        return x._replace(values=as_array(round_to(x.values, fmt), fmt, light=True))
    return as_array(round_to(x, fmt), fmt, light=True)


def _results(act: Activation, kind: str, chunks: Iterable[np.ndarray | Rows]) -> Iterator[tuple[Any, np.ndarray]]:
    for x in chunks:
        if isinstance(x, Header):  # only csv and tsv write it (stream_results)
            yield x, np.empty(0)
            continue
        if isinstance(x, Rows):
            yield x, evaluate(act, kind, x.values)
            continue
        if kind == "grad" and act.definition.vector:
            n = x.shape[-1]
            if n > MAX_JACOBIAN:
                raise UsageError(f"grad of a vector of {n} numbers would be a {n} x {n} Jacobian: "
                                 f"at most {MAX_JACOBIAN} numbers per vector")
            rows = max(1, JACOBIAN_BLOCK // max(1, n * n))
            for i in range(0, len(x) if x.ndim == 2 else 1, rows):
                piece = x[i : i + rows] if x.ndim == 2 else x
                yield piece, evaluate(act, kind, piece)
            continue
        yield x, evaluate(act, kind, x)


def stream_results(env: Environment, fmt: str, act: Activation, kind: str,
                   chunks: Iterable[np.ndarray], with_input: bool) -> None:
    """plain/csv/tsv: one line per input (a row per line for vector outputs), as they come.
    csv and tsv rows all fit the header: vectors of another length are refused."""
    sep = SEPARATORS[fmt].encode()
    vector = act.definition.vector
    header_done = fmt == "plain"
    width = None  # of the first vector or line: a csv/tsv header fits that length only
    names: list[str] | None = None  # of a CSV/TSV header on stdin
    for x, y in results(act, kind, chunks):
        if isinstance(x, Header):
            names = x.names
            continue
        here = _widths(x, vector)
        here = here[here > 0]  # (a blank line stays blank, whatever the header)
        if width is None and here.size:
            width = int(here[0])
        if fmt != "plain" and np.any(here != width):
            bad = int(here[here != width][0])
            what = "vector" if vector else "line"
            raise UsageError(f"a {what} of {bad} number{'s' * (bad != 1)} after {what}s of {width}: {fmt} rows must "
                             f"fit one header (-f plain takes {what}s of any length)")
        if not header_done and width is not None:
            head = _header(act, kind, x.values[:width] if isinstance(x, Rows) else x, y, with_input, width)
            if names is not None and len(names) == width and not vector:  # the input's own names carry over
                name = column_name(act, kind)
                head = (names if with_input else []) + [f"{name}({n})" for n in names]
            env.write_bytes(sep.join(_quote(h, fmt).encode() for h in head) + b"\n")
            header_done = True
        if isinstance(x, Rows):
            env.write_bytes(_row_lines(x, y, None if fmt == "plain" else sep, with_input))
            continue
        if not vector and not with_input:
            env.write_bytes(column(y))
            continue
        if not vector:
            lines = [a + sep + b for a, b in zip(tokens(x), tokens(y))]
        else:  # x is one vector, or a block of rows of one length
            lines = _vector_lines(x.reshape(-1, x.shape[-1]), y.reshape(-1, *y.shape[x.ndim - 1 :]), kind,
                                  sep, with_input, blank=fmt == "plain")
        if lines:
            env.write_bytes(b"\n".join(lines) + b"\n")


def _vector_lines(xs: np.ndarray, ys: np.ndarray, kind: str, sep: bytes, with_input: bool,
                  blank: bool) -> list[bytes]:
    """Per input row: its values on one line, or its Jacobian one line per row (then a
    blank line in plain text). Each block is formatted in one call, then cut into rows."""
    if kind == "value":
        rows = orjson_lines(np.concatenate([xs, ys], axis=1) if with_input else ys, sep)
        if rows is not None:
            return [rows]
    k, n = xs.shape[1], ys[0].size if len(ys) else 0
    xt, yt = tokens(xs) if with_input else [], tokens(ys)
    lines: list[bytes] = []
    for i in range(len(xs)):
        lead = xt[i * k : (i + 1) * k]
        if kind == "value":
            lines.append(sep.join(lead + yt[i * n : (i + 1) * n]))
            continue
        width = ys.shape[-1]
        head = sep.join(lead) + sep if with_input else b""
        for r in range(ys.shape[1]):
            at = i * n + r * width
            lines.append(head + (str(r).encode() + sep if with_input else b"") + sep.join(yt[at : at + width]))
        if blank:
            lines.append(b"")
    return lines


def stream_ndjson(env: Environment, act: Activation, kind: str, chunks: Iterable[np.ndarray | Rows],
                  null: bool) -> None:
    """One JSON object per input (a number, a stdin line, a vector), as they come:
    {"x": 1.0, "y": 0.73}, with lists for lines and vectors, "dy" for derivatives and
    "jacobian" for a vector function's."""
    key = b'"y":' if kind == "value" else (b'"jacobian":' if act.definition.vector else b'"dy":')
    for x, y in results(act, kind, chunks):
        if isinstance(x, Header):
            continue
        if isinstance(x, Rows) or act.definition.vector:
            lines = _ndjson_rows(x, y, key, null)
        else:
            lines = [b'{"x":' + a + b"," + key + b + b"}" for a, b in zip(ndjson_tokens(x, null), ndjson_tokens(y, null))]
        if lines:
            env.write_bytes(b"\n".join(lines) + b"\n")


def _ndjson_rows(x: np.ndarray | Rows, y: np.ndarray, key: bytes, null: bool) -> list[bytes]:
    """A stdin line of one number gives numbers, as a plain block does; other lines and
    vectors give lists."""

    if isinstance(x, Rows):
        xt, yt, at, out = ndjson_tokens(x.values, null), ndjson_tokens(y, null), 0, []
        for w in x.widths.tolist():
            if w == 1:
                out.append(b'{"x":' + xt[at] + b"," + key + yt[at] + b"}")
            else:
                out.append(b'{"x":[' + b",".join(xt[at : at + w]) + b"]," + key + b"[" + b",".join(yt[at : at + w])
                           + b"]}")
            at += w
        return out
    xs, ys = x.reshape(-1, x.shape[-1]), y.reshape(-1, *y.shape[x.ndim - 1 :])
    return [b'{"x":' + json_list(a, null) + b"," + key + json_list(b, null) + b"}" for a, b in zip(xs, ys)]


def _widths(x: np.ndarray | Rows, vector: bool) -> np.ndarray:
    """Numbers per output line: a vector's length, a stdin line's count, or 1."""
    if isinstance(x, Rows):
        return x.widths
    return np.array([x.shape[-1] if vector else 1])


def _row_lines(x: Rows, y: np.ndarray, sep: bytes | None, with_input: bool) -> bytes:
    """Each input line's results on a line of its own, as many as it had numbers (its x
    values first with -x), joined by ``sep`` or, if None, the separator the line used; a
    blank line stays blank. Lines of one length and one separator (a CSV file) are
    formatted in one orjson call."""
    one = sep if sep is not None else (x.seps if isinstance(x.seps, bytes) else None)
    w = int(x.widths[0]) if x.widths.size else 0
    if one is not None and w and np.all(x.widths == w):
        ys = y.reshape(-1, w)
        lines = orjson_lines(np.concatenate([x.values.reshape(-1, w), ys], axis=1) if with_input else ys, one)
        if lines is not None:
            return lines + b"\n"
    joiners = [one] * len(x.widths) if one is not None else x.seps
    xt, yt = tokens(x.values) if with_input else [], tokens(y)
    out: list[bytes] = []
    at = 0
    for w, joiner in zip(x.widths.tolist(), joiners):
        out.append(joiner.join(xt[at : at + w] + yt[at : at + w]) if with_input else joiner.join(yt[at : at + w]))
        at += w
    return b"\n".join(out) + b"\n"


def _header(act: Activation, kind: str, x: np.ndarray, y: np.ndarray, with_input: bool, width: int = 1) -> list[str]:
    if not act.definition.vector:
        if width == 1:
            return (["x"] if with_input else []) + [column_name(act, kind)]
        name = column_name(act, kind)
        return ([f"x{i}" for i in range(width)] if with_input else []) + [f"{name}[{i}]" for i in range(width)]
    xs = [f"x{i}" for i in range(x.shape[-1])] if with_input else []
    if kind == "value":
        return xs + [f"y{i}" for i in range(y.shape[-1])]
    return xs + (["row"] if with_input else []) + [f"d/dx{j}" for j in range(y.shape[-1])]


def collect(act: Activation, kind: str, chunks: Iterable[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    count = 0
    for x, y in results(act, kind, chunks):
        if isinstance(x, Header):
            continue
        if isinstance(x, Rows):  # json lists the numbers, not the lines
            x = x.values
        count += x.size
        if count > MAX_WHOLE:
            raise UsageError(f"-f json holds the whole result: at most {MAX_WHOLE:,} input numbers "
                             "(-f plain, csv, tsv and ndjson stream any number)")
        if act.definition.vector and x.ndim == 2:  # a block of rows from stdin
            xs.extend(x)
            ys.extend(y)
        else:
            xs.append(x)
            ys.append(y)
    return xs, ys


def result_json(act: Activation, kind: str, xs: Sequence[np.ndarray], ys: Sequence[np.ndarray]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "function": act.name,
        "spec": act.spec,
        "params": {k: json_number(v) if isinstance(v, float) else v for k, v in act.params.items()},
        "dtype": act.dtype,
    }
    # Arrays stay arrays: dump_json encodes them a slice at a time.
    if act.definition.vector:
        doc["x"] = list(xs)
        doc["y" if kind == "value" else "jacobian"] = list(ys)
    else:
        doc["x"] = np.concatenate(xs) if xs else np.array([])
        doc["y" if kind == "value" else "dy"] = np.concatenate(ys) if ys else np.array([])
    if kind == "grad":
        doc["order"] = getattr(act, "order", 1)
    return doc


def write_results(env: Environment, fmt: str, act: Activation, kind: str,
                  chunks: Iterator[np.ndarray], with_input: bool, null: bool = False) -> None:
    if fmt in SEPARATORS:
        stream_results(env, fmt, act, kind, chunks, with_input)
        return
    if fmt == "ndjson":
        stream_ndjson(env, act, kind, chunks, null)
        return
    if fmt == "table":
        from . import tables

        head, tail, skipped = sample_rows(act, kind, chunks)
        tables.results(env, act, kind, head, tail, skipped)
        return
    xs, ys = collect(act, kind, chunks)
    dump_json(env, result_json(act, kind, xs, ys), null)


# A table shows the first and the last of a long result, and how many it leaves out:
# rows of numbers, vectors, or Jacobians (a table each).
TABLE_ENDS = {"number": 100, "vector": 50, "jacobian": 5}
TABLE_JACOBIAN = 32  # columns of a Jacobian table


def sample_rows(act: Activation, kind: str, chunks: Iterable[np.ndarray | Rows]) \
        -> tuple[list[tuple[np.ndarray, np.ndarray]], list[tuple[np.ndarray, np.ndarray]], int]:
    """The first and last TABLE_ENDS rows of the result as (x, y) pairs, and the count
    between them, in one pass that keeps no more than those (linear time, flat memory)."""
    from collections import deque

    unit = "number" if not act.definition.vector else ("vector" if kind == "value" else "jacobian")
    keep = TABLE_ENDS[unit]
    head: list[tuple[np.ndarray, np.ndarray]] = []
    tail: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=keep)
    seen = 0
    for x, y in results(act, kind, chunks):
        if isinstance(x, Header):
            continue
        if isinstance(x, Rows):
            x = x.values
        if unit == "jacobian" and x.shape[-1] > TABLE_JACOBIAN:
            raise UsageError(f"a Jacobian of {x.shape[-1]} x {x.shape[-1]} is too wide for a table (at most "
                             f"{TABLE_JACOBIAN} numbers per vector): use -f plain, csv, tsv, json or ndjson")
        pairs = zip(x, y) if unit == "number" or x.ndim == 2 else [(x, y)]
        if unit == "number" and len(head) >= keep and x.size > 2 * keep:  # skip the middle of a long block
            seen += x.size - keep
            pairs = zip(x[-keep:], y[-keep:])
        for pair in pairs:
            seen += 1
            if len(head) < keep:
                head.append(pair)
            else:
                tail.append(pair)
    shown = len(head) + len(tail)
    return head, list(tail), seen - shown


# --------------------------------------------------------------------- compare
def write_compare(env: Environment, fmt: str, doc: dict[str, Any]) -> None:
    x = doc["x"]
    columns: list[tuple[str, np.ndarray]] = [("x", x)]
    for f in doc["functions"]:
        columns.append((f["spec"], f["y"]))
        if "dy" in f:
            columns.append((f"d/dx {f['spec']}", f["dy"]))
    if fmt == "json":
        dump_json(env, {
            "x": json_array(x),
            "range": [json_number(v) for v in doc["range"]],
            "functions": doc["functions"],  # (arrays: dump_json writes each in its type's shortest form)
            "differences": [{k: (json_number(v) if isinstance(v, float) else v) for k, v in d.items()}
                            for d in doc["differences"]],
        })
    elif fmt in SEPARATORS:
        sep = SEPARATORS[fmt]
        if fmt != "plain":
            env.stdout.write(sep.join(_quote(name, fmt) for name, _ in columns) + "\n")
        cells = [exact(values) for _, values in columns]
        env.stdout.write("".join(sep.join(row) + "\n" for row in zip(*cells)))
    else:
        from . import tables

        tables.compare(env, {**doc, "x": list(x), "functions": [{k: (list(v) if isinstance(v, np.ndarray) else v)
                                                                  for k, v in f.items()} for f in doc["functions"]]})


def _quote(text: str, fmt: str) -> str:
    """CSV quoting for specs such as leaky_relu(negative_slope=0.2, ...)."""
    if fmt == "csv" and any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text.replace("\t", " ")


# ------------------------------------------------------------------ list, info
def catalogue_rows(definitions: Sequence[Any], contains: str | None, family: str | None) -> list[dict[str, Any]]:
    from ..definitions import normalise

    needle = (contains or "").lower()
    rows = []
    for d in definitions:
        hay = " ".join([d.name, *d.aliases, d.summary]).lower()
        # A name matches as `get` finds it, whatever its case, dashes or underscores (LeakyReLU).
        named = any(normalise(needle) in normalise(n) for n in (d.name, *d.aliases)) if normalise(needle) else False
        if (family and d.family != family) or (needle and needle not in hay and not named):
            continue
        rows.append({
            "name": d.name,
            "family": d.family,
            "aliases": list(d.aliases),
            # What an alias sets: gelu_new is gelu(approximate='tanh'), not the exact gelu.
            "alias_params": {a: dict(p) for a, p in d.aliases.items() if p},
            "params": [{"name": p.name, "default": p.default} for p in d.params],
            "summary": d.summary,
        })
    return rows


def write_catalogue(env: Environment, fmt: str, definitions: Sequence[Any], contains: str | None,
                    family: str | None) -> None:
    rows = catalogue_rows(definitions, contains, family)
    if fmt == "json":
        dump_json(env, rows)
    elif fmt == "plain":
        env.stdout.write("".join(r["name"] + "\n" for r in rows))
    elif fmt in SEPARATORS:
        sep = SEPARATORS[fmt]
        env.stdout.write(sep.join(["name", "family", "aliases", "parameters", "summary"]) + "\n")
        for r in rows:
            params = " ".join(f"{p['name']}={p['default']}" for p in r["params"])
            cells = [r["name"], r["family"], " ".join(alias_texts(r)), params, r["summary"]]
            env.stdout.write(sep.join(_quote(c, fmt) for c in cells) + "\n")
    else:
        from . import tables

        tables.catalogue(env, rows)


def _parameter_line(p: dict[str, Any]) -> str:
    if p["value"] is None and "example" in p:
        return f"{p['name']}: required, no default: {p['doc']} (e.g. {p['example']})"
    default = "required" if p["default"] is None else f"default {p['default']}"
    return f"{p['name']} = {p['value']}  ({default}): {p['doc']}"


def info_sections(doc: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The text of `actcli info`, shared by the plain and table renderers."""
    props = doc["properties"]

    def yes(v: Any) -> str:  # (a property that depends on parameters left out says so)
        return v if isinstance(v, str) else ("yes" if v else "no")

    def points(v: Any, none: str) -> str:
        return v if isinstance(v, str) else (", ".join(f"x = {k:g}" for k in v) or none)

    kinks = points(props["kinks"], "none (continuously differentiable)")
    eq = doc["equivalents"]
    sections = [
        ("Description", [doc["description"]]),
        ("Formula", [doc["formula"], f"LaTeX: {doc['latex']}"]),
        ("Derivative", [doc["derivative"], f"LaTeX: {doc['derivative_latex']}"]),
        ("Parameters", [_parameter_line(p) for p in doc["params"]] or ["none"]),
        ("Properties", [
            f"range: {props['range']}" + ("" if not doc["vector"] else f"  (plots show the {doc['section']})"),
            f"bounded: {yes(props['bounded'])}",
            f"monotonic (non-decreasing): {yes(props['monotonic'])}",
            f"kinks: {kinks}",
            "discontinuities: " + points(props["discontinuities"], "none"),
            f"zero-centred: {yes(props['zero_centred'])}",
        ]),
        ("Derivative at kinks", doc["conventions"] or ["no kinks"]),
        ("Equivalents", [f"{k}: {v}" for k, v in eq.items() if v] or ["none in PyTorch, JAX or Keras"]),
    ]
    for heading, key in (("Pros", "pros"), ("Cons", "cons"), ("Typical uses", "uses"), ("Notes", "notes")):
        if doc[key]:
            sections.append((heading, [f"- {line}" for line in doc[key]]))
    if doc["aliases"]:
        sections.insert(1, ("Aliases", [", ".join(doc["aliases"])]))
    return sections


def _mark_dependent(act: Activation, unset: Sequence[str], props: dict[str, Any]) -> None:
    """Properties that change with the parameters left out read 'depends on threshold,
    value' instead of what holds for one example (threshold's range, monotonicity, kinks)."""
    from ..definitions import bind
    from ..model import ActivationError

    others = []
    for name, shift in ((n, d) for n in unset for d in (1.5, -2.25, 3.0)):  # one parameter at a time
        values = {k: (v + shift if k == name and isinstance(v, float) else v) for k, v in act.params.items()}
        try:
            others.append(Activation(act.definition, bind(act.definition, (), values)).info["properties"])
        except ActivationError:
            continue
    for key, value in props.items():
        if any(o[key] != value for o in others):
            props[key] = f"depends on {', '.join(unset)}"


def write_info(env: Environment, fmt: str, act: Activation, unset: Sequence[str] = ()) -> None:
    """``unset``: required parameters the user left out, shown at their example values."""
    doc = act.info
    if unset:
        doc["spec"] = act.name
        for p in doc["params"]:
            if p["name"] in unset:
                p["example"], p["value"] = p["value"], None
        _mark_dependent(act, unset, doc["properties"])
    if fmt == "json":
        dump_json(env, doc)
    elif fmt == "plain":
        lines = [f"{doc['spec']} — {doc['summary']}"]
        for heading, body in info_sections(doc):
            lines += ["", f"{heading}:", *(f"  {b}" for b in body)]
        env.stdout.write("\n".join(lines) + "\n")
    elif fmt == "table":
        from . import tables

        tables.info(env, doc, info_sections(doc))
    else:
        raise UsageError(f"info prints table, plain or json, not {fmt}")


# ----------------------------------------------------------------------- stats
def _cells(values: Sequence[float | None], fmt: str) -> list[str]:
    """Exact numbers; a value that does not exist is empty in csv/tsv and null in plain."""
    missing = "null" if fmt == "plain" else ""
    return [missing if v is None else exact(np.array([v]))[0] for v in values]


def _notes(env: Environment, reasons: Iterable[str], fmt: str) -> None:
    """Why values are missing: under a table, or on stderr beside machine-readable output."""
    unique = list(dict.fromkeys(reasons))
    if fmt == "table":
        import textwrap

        env.stdout.write("".join(textwrap.fill(f"- {r}", width=env.width, subsequent_indent="  ") + "\n"
                                 for r in unique))
    else:
        env.stderr.write("".join(f"actcli: note: {r}\n" for r in unique))


def write_stats(env: Environment, fmt: str, records: list[dict[str, Any]]) -> None:
    keys = [k for k in records[0] if k not in ("spec", "params", "q", "reasons")]
    reasons = [r for rec in records for r in rec.get("reasons", [])]
    if fmt == "json":
        docs = [{k: (json_number(v) if isinstance(v, float) else v) for k, v in rec.items() if k != "reasons"}
                for rec in records]
        dump_json(env, docs[0] if len(docs) == 1 else docs)
    elif fmt == "plain":  # a line per quantity, a column per function: awk '$1 == "gain"'
        env.stdout.write("".join(f"{k} {' '.join(_cells([r[k] for r in records], fmt))}\n" for k in ["q", *keys]))
    elif fmt in SEPARATORS:
        sep = SEPARATORS[fmt]
        env.stdout.write(sep.join(["spec", "q", *keys]) + "\n")
        env.stdout.write("".join(sep.join([_quote(r["spec"], fmt), *_cells([r[k] for k in ["q", *keys]], fmt)]) + "\n"
                                 for r in records))
    else:
        from . import tables

        tables.stats(env, records, ["q", *keys])
    if reasons:
        _notes(env, reasons, fmt)


def write_critical(env: Environment, fmt: str, data: Any) -> None:
    """The edge of chaos: sigma_b2 and, per function, the sigma_w2 where chi = 1."""
    specs = [a.spec for a, _ in data.curves]
    missing = any(v is None for _, w in data.curves for v in w)
    if fmt == "json":
        docs = [{"spec": a.spec, "params": dict(a.params), "q": data.q, "sigma_b2": data.sigma_b2.tolist(),
                 "sigma_w2": list(w)} for a, w in data.curves]
        dump_json(env, docs[0] if len(docs) == 1 else docs)
    elif fmt in SEPARATORS:
        sep = SEPARATORS[fmt]
        if fmt != "plain":
            env.stdout.write(sep.join(["sigma_b2", *(_quote(s, fmt) for s in specs)]) + "\n")
        columns = [exact(data.sigma_b2), *(_cells(w, fmt) for _, w in data.curves)]
        env.stdout.write("".join(sep.join(row) + "\n" for row in zip(*columns)))
    else:
        from . import tables

        tables.critical(env, data.sigma_b2.tolist(), [(a.spec, w) for a, w in data.curves])
    if missing:
        _notes(env, [missing_edge(data.q)], fmt)


def missing_edge(q: float) -> str:
    return (f"a missing sigma_w2 (null, '-' in a table) means chi never reaches 1 at a fixed point reached from "
            f"q = {q:g}: the variance explodes first, or chi stays below 1")
