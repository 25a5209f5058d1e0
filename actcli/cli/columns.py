"""`--column NAME|N`: transform some columns of CSV, TSV or whitespace-separated rows and
pass the others through, adding the result columns named after the spec (csvkit's and
sqlite-utils' way). A header line is the first line when --header says so or when it is
not all numbers; a UTF-8 byte-order mark is skipped. Rows are read, evaluated and written
a batch at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import chain, islice
from typing import IO

import numpy as np

from ..activation import Activation
from ..literals import NUMBER, parse_number, shorten
from .env import Environment
from .errors import UsageError
from .formatting import column_name, tokens
from .inputs import MAX_LINE_BYTES, once

BATCH = 8192  # rows evaluated at a time
DELIMITERS = {",": "csv", "\t": "tsv"}


class _Table:
    """How the input is laid out: its delimiter (None: runs of whitespace) and header."""

    def __init__(self, first: str, header: bool | None) -> None:
        self.delimiter = "," if "," in first else ("\t" if "\t" in first else None)
        fields = self.split(first)
        self.header = fields if (header or (header is None and not all(NUMBER.fullmatch(f.strip()) for f in fields))) \
            else None

    def split(self, line: str) -> list[str]:
        if self.delimiter is None:
            return line.split()
        return next(csv.reader([line], delimiter=self.delimiter))


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # -sig: a BOM is skipped
    try:
        for number, line in enumerate(text, 1):
            if len(line) > MAX_LINE_BYTES:
                raise UsageError(f"stdin line {number} is longer than {MAX_LINE_BYTES >> 20} MiB")
            line = line.rstrip("\r\n")
            if line.strip():
                yield number, line
    except UnicodeDecodeError:
        raise UsageError("stdin is not UTF-8 text") from None
    finally:
        text.detach()  # (closing the wrapper would close stdin)


def _pick(spec: str, header: list[str] | None, width: int) -> int:
    """The index of column ``spec``: a header name (exact, else in any case) or a number from 1."""
    if header is not None:
        if spec in header:
            return header.index(spec)
        folded = [h.strip().lower() for h in header]
        if spec.strip().lower() in folded:
            return folded.index(spec.strip().lower())
    if spec.strip().isdigit() and 1 <= int(spec) <= width:
        return int(spec) - 1
    known = f"columns: {', '.join(header)}" if header is not None else f"{width} columns, numbered from 1"
    raise UsageError(f"no column {shorten(spec)} ({known if len(known) <= 200 else known[:200] + '...'})")


def transform(env: Environment, fmt: str, act: Activation, kind: str, columns: list[str], header: bool | None) -> None:
    """Read stdin's rows, apply ``act`` (or its derivative) to the chosen columns, and
    write each row with its result columns appended."""
    if act.definition.vector and kind == "grad":
        raise UsageError("--column with the grad of a vector function: a Jacobian per row is no column; "
                         "give the vectors as lines instead")
    lines = _lines(env.stdin)
    first = next(lines, None)
    if first is None:
        return
    table = _Table(first[1], header)
    width = len(table.split(first[1]))
    wanted = [c for spec in columns for c in spec.split(",") if c.strip()]
    picks = [_pick(c, table.header, width) for c in wanted]
    names = [table.header[i] if table.header else str(i + 1) for i in picks]
    out_delim = {"csv": ",", "tsv": "\t"}.get(fmt, table.delimiter or " ")
    write = _writer(env, out_delim)
    rows = lines if table.header is not None else chain([first], lines)
    header_due = table.header is not None
    while batch := list(islice(rows, BATCH)):
        fields = [table.split(line) for _, line in batch]
        x = np.array([[_number(f, i, number, names[k]) for k, i in enumerate(picks)]
                      for (number, _), f in zip(batch, fields)], dtype=np.float64).reshape(len(batch), len(picks))
        if act.format is not None and act.format.name != "float64":  # (each decimal rounded once to the dtype)
            x = once(x.ravel(), [f[i] for f in fields for i in picks], act.format).reshape(x.shape)
        y = act(x) if kind == "value" else act.grad(x)
        y = y.reshape(len(batch), -1)
        cells = tokens(y)
        n = y.shape[1]
        if header_due:
            write([table.header + _result_names(act, kind, names, n)])  # type: ignore[operator]
            header_due = False
        write([f + [c.decode() for c in cells[r * n : (r + 1) * n]] for r, f in enumerate(fields)])


def _number(fields: list[str], index: int, line: int, name: str) -> float:
    if index >= len(fields):
        raise UsageError(f"stdin line {line} has {len(fields)} fields: no column {shorten(name)}")
    return parse_number(fields[index].strip(), f" (stdin line {line}, column {name})")


def _result_names(act: Activation, kind: str, names: list[str], outputs: int) -> list[str]:
    """relu(score) for each column; a vector function's outputs by column name where there
    is one per input (softmax[a], softmax[b]), else by number (glu[0])."""
    base = column_name(act, kind)
    if not act.definition.vector:
        return [f"{base}({n})" for n in names]
    labels = names if outputs == len(names) else [str(i) for i in range(outputs)]
    return [f"{base}[{label}]" for label in labels]


def _writer(env: Environment, delimiter: str):  # noqa: ANN202
    """Rows out: through the csv module for , and tab (quoting per RFC 4180), else joined."""
    def write(rows: list[list[str]]) -> None:
        if delimiter in DELIMITERS:
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
            text = buffer.getvalue()
        else:
            text = "".join(delimiter.join(r) + "\n" for r in rows)
        env.write_bytes(text.encode())

    return write
