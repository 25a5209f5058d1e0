"""`actcli check`: rows of x and an implementation's y from stdin, against the truth."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..activation import Activation
from ..check import Tally, as_values, finite_pairs, not_values, ulp_errors
from .env import Environment
from .errors import UsageError
from .formatting import exact, json_number
from .inputs import Header, Rows, stream_scalars

SEPARATORS = {"plain": " ", "csv": ",", "tsv": "\t"}


def _split(act: Activation, kind: str, width: int, cache: dict[int, int | None]) -> int | None:
    """How many of a row's ``width`` numbers are x: 1 for elementwise functions; for a
    vector function the n with n + (outputs of n inputs) = width (n*n more for --grad)."""
    if not act.definition.vector:
        return 1 if width == 2 else None
    if width not in cache:
        cache[width] = None
        for n in range(1, width):
            try:
                out = act(np.zeros(n)).size
            except Exception:  # noqa: BLE001  (glu refuses odd n: not this n)
                continue
            if n + (out * n if kind == "grad" else out) == width:
                cache[width] = n
                break
    return cache[width]


def _rows(env: Environment, act: Activation, kind: str) -> Iterator[tuple[np.ndarray, np.ndarray, int, list[int]]]:
    """Blocks of (x, y, n, line numbers): x of shape (rows, n), y (rows, outputs)."""
    line = 1
    cache: dict[int, int | None] = {}
    for chunk in stream_scalars(env.stdin, keep_lines=True):
        if isinstance(chunk, Header):
            line += 1
            continue
        if not isinstance(chunk, Rows):  # one number per line
            raise UsageError(f"line {line}: a row needs x and then y (found one number)")
        offsets = np.concatenate([[0], np.cumsum(chunk.widths)])
        by_width: dict[int, list[int]] = {}
        for i, w in enumerate(chunk.widths.tolist()):
            if w:
                by_width.setdefault(w, []).append(i)
        for w, lines in by_width.items():
            n = _split(act, kind, w, cache)
            if n is None:
                what = "x and y" if not act.definition.vector else "a vector's x values, then its y values"
                raise UsageError(f"line {line + lines[0]}: {w} number{'s' * (w != 1)}; a row holds {what}")
            starts = offsets[lines]
            table = chunk.values[starts[:, None] + np.arange(w)]
            yield table[:, :n], table[:, n:], n, [line + i for i in lines]
        line += len(chunk.widths)


def run(env: Environment, act: Activation, kind: str, fmt: str, rows: bool, max_ulp: float | None) -> int:
    """Compare, write the report (or every row), and say whether the check passed."""
    tally = Tally()
    sep = SEPARATORS.get(fmt)
    first = True
    for x, y, n, lines in _rows(env, act, kind):
        bad = not_values(x.ravel(), act)
        if bad.size:
            i = int(bad[0]) // n
            raise UsageError(f"line {lines[i]}: x = {exact(x.ravel()[bad[:1]])[0]} is not a {act.dtype} value "
                             f"(the input the implementation saw: give it as that type holds it)")
        truth_of = act if kind == "value" else act.grad
        truth = np.asarray(truth_of(x if act.definition.vector else x[:, 0]), dtype=np.float64).reshape(len(x), -1)
        y = as_values(y, act)
        err = ulp_errors(truth, y, act)
        xs = x.tolist() if act.definition.vector else x[:, 0].tolist()
        tally.add(err.ravel(), finite_pairs(truth, y).ravel(), [xi for xi in xs for _ in range(err.shape[1])])
        if rows:
            first = _write_rows(env, fmt, sep, act, x, y, truth, err, first)
    if tally.count == 0:  # (a kernel that crashed and wrote nothing must not pass)
        raise UsageError("no rows on stdin: check reads x and y, one row per point")
    if rows and fmt == "json":
        env.stdout.write("]\n")
    report = tally.report(act, kind)
    if not rows:
        _write_report(env, fmt, report)
    failed = report["nonfinite_mismatches"] > 0 or (
        max_ulp is not None and report["max_ulp"] is not None and report["max_ulp"] > max_ulp)
    return 1 if failed else 0


def _write_rows(env: Environment, fmt: str, sep: str | None, act: Activation, x: np.ndarray, y: np.ndarray,
                truth: np.ndarray, err: np.ndarray, first: bool) -> bool:
    if fmt == "json":
        import orjson

        docs = [{"x": _num(xr), "y": _num(yr), "truth": _num(tr), "ulp": _num(er)}
                for xr, yr, tr, er in zip(x, y, truth, err)]
        text = b",".join(orjson.dumps(d) for d in docs).decode()
        env.stdout.write(("[" if first else ",") + text)
        return False
    assert sep is not None
    if first and fmt != "plain":
        heads = ["x"] if x.shape[1] == 1 else [f"x{i}" for i in range(x.shape[1])]
        outs = ([""] if y.shape[1] == 1 else [str(i) for i in range(y.shape[1])])
        env.stdout.write(sep.join([*heads, *(f"{k}{o}" for k in ("y", "truth", "ulp") for o in outs)]) + "\n")
    columns = [exact(x.ravel()), exact(y.ravel()), exact(truth.ravel()), exact(err.ravel())]
    nx, ny = x.shape[1], y.shape[1]
    lines = []
    for r in range(len(x)):
        cells = columns[0][r * nx:(r + 1) * nx]
        for c in columns[1:]:
            cells += c[r * ny:(r + 1) * ny]
        lines.append(sep.join(cells))
    env.stdout.write("\n".join(lines) + "\n")
    return False


def _num(row: np.ndarray) -> Any:
    values = [json_number(float(v)) for v in row]
    return values[0] if len(values) == 1 else values


def _write_report(env: Environment, fmt: str, report: dict[str, Any]) -> None:
    from .render import dump_json

    if fmt == "json":
        doc = {k: (json_number(v) if isinstance(v, float) else v) for k, v in report.items()}
        dump_json(env, doc)
        return
    hist = report["histogram"]
    labels = {"0.5": "<= 0.5 ulp", "1": "<= 1 ulp", "2": "<= 2 ulp", "4": "<= 4 ulp", "16": "<= 16 ulp",
              "inf": "> 16 ulp"}
    fields: list[tuple[str, str]] = [
        ("spec", report["spec"]), ("dtype", report["dtype"]),
        ("derivative", "true" if report["derivative"] else "false"), ("count", str(report["count"])),
        ("max_ulp", _text(report["max_ulp"])), ("worst_x", _text(report["worst_x"])),
        ("mean_ulp", _text(report["mean_ulp"])),
        *((labels[k], str(v)) for k, v in hist.items()),
        ("nonfinite_mismatches", str(report["nonfinite_mismatches"])),
    ]
    if fmt in ("csv", "tsv"):
        sep = SEPARATORS[fmt]
        env.stdout.write(sep.join(k for k, _ in fields) + "\n" + sep.join(_quote(v, sep) for _, v in fields) + "\n")
    elif fmt == "plain":  # a line per field: awk '$1 == "max_ulp" {print $2}'
        env.stdout.write("".join(f"{k.replace(' ', '')} {v}\n" for k, v in fields))
    else:
        from . import tables

        tables.check(env, fields, report["count"])


def _text(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, list):
        return " ".join(exact(np.array(v, dtype=np.float64)))
    return exact(np.array([v], dtype=np.float64))[0]


def _quote(text: str, sep: str) -> str:
    return f'"{text}"' if sep in text or '"' in text else text
