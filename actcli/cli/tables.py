"""Rich tables for people at a terminal. Imported only when a table is drawn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..activation import Activation
from .env import Environment
from .formatting import alias_texts, column_name, readable


def console(env: Environment) -> Console:
    color = env.use_color
    return Console(
        file=env.stdout,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        width=env.width,
        highlight=False,
    )


def _vec(a: np.ndarray) -> Text:
    """A vector in a cell, its ends only past 20 numbers. (Text, not markup: "[1, 2]" must
    not be read as a style tag.)"""
    a = np.ravel(a)
    if a.size > 20:
        return Text("[" + ", ".join(readable(v) for v in a[:8]) + ", ..., " + ", ".join(readable(v) for v in a[-8:])
                    + f"] ({a.size:,} numbers)")
    return Text("[" + ", ".join(readable(v) for v in a) + "]")


class _Table(Table):
    """Cells fold instead of being cut with an ellipsis: a number must never lose digits."""

    def add_column(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)


def _table(title: str | None = None) -> Table:
    return _Table(box=box.SIMPLE_HEAVY, title=escape(title) if title else None, header_style="bold")


class Column(NamedTuple):
    header: str
    cells: list[str]
    style: str | None = None
    justify: str = "right"


def fitted(env: Environment, out: Console, lead: list[Column], columns: list[Column], title: str | None = None) -> None:
    """Tables of numbers that never fold a number: as many columns as fit the terminal
    share a table, the ``lead`` columns (x, a row's name) repeated in each. A header may
    wrap; a cell keeps its width."""
    def width(c: Column) -> int:
        return max([len(x) for x in c.cells] + [max((len(w) for w in c.header.split()), default=1), 1]) + 3

    room = env.width - 2 - sum(width(c) for c in lead)
    groups: list[list[Column]] = []
    for c in columns:  # a new table when the next column would not fit (each holds one at least)
        if not groups or sum(map(width, groups[-1])) + width(c) > room:
            groups.append([])
        groups[-1].append(c)
    for i, group in enumerate(groups or [[]]):
        t = _table(title if i == 0 else None)
        for c in [*lead, *group]:
            t.add_column(escape(c.header), justify=c.justify, style=c.style, min_width=max([len(x) for x in c.cells] + [1]))
        for row in zip(*(c.cells for c in [*lead, *group])):
            t.add_row(*row)
        out.print(t)


def results(env: Environment, act: Activation, kind: str, head: Sequence[tuple[np.ndarray, np.ndarray]],
            tail: Sequence[tuple[np.ndarray, np.ndarray]], skipped: int) -> None:
    """The rows of a result; past a hundred or so, the first and the last with the count
    of those between (a million rows took 10 minutes to lay out, and nobody reads them)."""
    out = console(env)
    vector = act.definition.vector
    name = column_name(act, kind)
    more = f"{skipped:,} more (-f plain, csv or tsv give them all)"
    if not vector or kind == "value":
        t = _table()
        t.add_column("x", justify="right" if not vector else "left")
        t.add_column(escape(name), justify="right" if not vector else "left", style="cyan")
        cell = readable if not vector else _vec
        for x, y in head:
            t.add_row(cell(x), cell(y))
        if skipped:
            t.add_row("...", Text(more, style="dim"))
        for x, y in tail:
            t.add_row(cell(x), cell(y))
        out.print(t)
        return
    for i, (x, jac) in enumerate([*head, *tail]):
        if skipped and i == len(head):
            out.print(Text(f"... {more.replace('more', 'more Jacobians', 1)}", style="dim"))
        fitted(env, out, [Column("", [f"y{r}" for r in range(jac.shape[0])], "dim", "left")],
               [Column(f"d/dx{j}", [readable(v) for v in jac[:, j]]) for j in range(jac.shape[1])],
               f"Jacobian of {act.spec} at x = {_vec(x).plain}")


def compare(env: Environment, doc: dict[str, Any]) -> None:
    out = console(env)
    columns = []
    for f in doc["functions"]:
        columns.append(Column(f["spec"], [_cell(v, 7) for v in f["y"]], "cyan"))
        if "dy" in f:
            columns.append(Column(f"d/dx {f['spec']}", [_cell(v, 7) for v in f["dy"]], "magenta"))
    fitted(env, out, [Column("x", [_cell(x) for x in doc["x"]])], columns)
    if doc["differences"]:
        lo, hi = doc["range"]
        s = _table(f"Largest differences on [{readable(lo)}, {readable(hi)}]")
        for col in ("a", "b", "of", "max |a - b|", "at x"):
            s.add_column(escape(col), justify="right" if col in ("max |a - b|", "at x") else "left")
        for d in doc["differences"]:
            s.add_row(escape(d["a"]), escape(d["b"]), d["of"], _cell(d["max_abs_diff"]), _cell(d["at"]))
        out.print(s)


def _cell(v: float | str | None, digits: int = 10) -> str:
    if v is None:
        return "-"
    return v if isinstance(v, str) else readable(v, digits)


def catalogue(env: Environment, rows: list[dict[str, Any]]) -> None:
    """Names, families, parameters and summaries; aliases too where the terminal has room
    (below 120 columns a note says where they are). Words wrap, never split."""
    out = console(env)
    wide = env.width >= 120
    t = _table()
    params = [[f"{p['name']}={'required' if p['default'] is None else p['default']}" for p in r["params"]] for r in rows]
    t.add_column("name", style="bold cyan", no_wrap=True)
    t.add_column("family", no_wrap=True)
    if wide:
        t.add_column("aliases", min_width=max([len(a) for r in rows for a in alias_texts(r, " ")] + [7]) // 2)
    t.add_column("parameters", min_width=max([len(p) + 1 for ps in params for p in ps] + [10]))
    t.add_column("summary", min_width=20)
    for r, ps in zip(rows, params):
        cells = [escape(r["name"]), r["family"]]
        if wide:
            cells.append(escape(", ".join(alias_texts(r, " "))))
        t.add_row(*cells, escape(", ".join(ps)), escape(r["summary"]))
    out.print(t)
    if not wide:
        out.print(Text("(aliases: a terminal of 120 columns or more, or actcli list -f csv)", style="dim"))


def info(env: Environment, doc: dict[str, Any], sections: list[tuple[str, list[str]]]) -> None:
    import textwrap

    out = console(env)
    out.print(Text(f"{doc['spec']} — {doc['summary']}", style="bold"))
    for heading, lines in sections:
        out.print()
        out.print(Text(heading, style="bold cyan"))
        for line in lines:
            # Wrapped here so that continuation lines keep the indent.
            out.print(Text(textwrap.fill(line, width=max(20, env.width - 1), initial_indent="  ",
                                         subsequent_indent="  ")))


def stats(env: Environment, records: list[dict[str, Any]], keys: list[str]) -> None:
    """A row per quantity, a column per function: the functions compare across a row, as
    many to a table as fit the terminal."""
    fitted(env, console(env), [Column("", keys, "bold", "left")],
           [Column(r["spec"], [_cell(r[k], 12) for k in keys], "cyan") for r in records])


def critical(env: Environment, sigma_b2: list[float], curves: list[tuple[str, list[float | None]]]) -> None:
    out = console(env)
    out.print(Text("Edge of chaos: the sigma_w2 with chi = 1, for each sigma_b2", style="bold"))
    fitted(env, out, [Column("sigma_b2", [_cell(b) for b in sigma_b2])],
           [Column(spec, [_cell(v, 12) for v in w], "cyan") for spec, w in curves])


def check(env: Environment, fields: list[tuple[str, str]], count: int) -> None:
    """The report of `actcli check`: a field per row; the histogram with each bucket's share."""
    out = console(env)
    t = _table()
    t.show_header = False
    t.add_column("", style="bold")
    t.add_column("", justify="right")
    t.add_column("", justify="right", style="dim")
    for key, value in fields:
        share = f"{100 * int(value) / count:.2f}%" if key.startswith(("<=", ">")) and count else ""
        t.add_row(escape(key), escape(value), share)
    out.print(t)
