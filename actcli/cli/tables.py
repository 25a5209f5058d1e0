"""Rich tables for people at a terminal. Imported only when a table is drawn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
    # Text, not markup: "[1, 2]" must not be read as a style tag.
    return Text("[" + ", ".join(readable(v) for v in a) + "]")


class _Table(Table):
    """Cells fold instead of being cut with an ellipsis: a number must never lose digits."""

    def add_column(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)


def _table(title: str | None = None) -> Table:
    return _Table(box=box.SIMPLE_HEAVY, title=escape(title) if title else None, header_style="bold")


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
        t = _table(f"Jacobian of {act.spec} at x = {_vec(x).plain}")
        t.add_column("", style="dim")
        for j in range(jac.shape[1]):
            t.add_column(f"d/dx{j}", justify="right")
        for r, row in enumerate(jac):
            t.add_row(f"y{r}", *(readable(v) for v in row))
        out.print(t)


def compare(env: Environment, doc: dict[str, Any]) -> None:
    out = console(env)
    t = _table()
    t.add_column("x", justify="right")
    for f in doc["functions"]:
        t.add_column(escape(f["spec"]), justify="right", style="cyan")
        if "dy" in f:
            t.add_column(escape(f"d/dx {f['spec']}"), justify="right", style="magenta")
    for i, x in enumerate(doc["x"]):
        cells = [_cell(x)]
        for f in doc["functions"]:
            cells.append(_cell(f["y"][i], 7))
            if "dy" in f:
                cells.append(_cell(f["dy"][i], 7))
        t.add_row(*cells)
    out.print(t)
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
    out = console(env)
    t = _table()
    t.add_column("name", style="bold cyan", no_wrap=True)
    t.add_column("family")
    t.add_column("aliases")
    t.add_column("parameters")
    t.add_column("summary")
    for r in rows:
        params = ", ".join(f"{p['name']}={p['default']}" for p in r["params"])
        t.add_row(escape(r["name"]), r["family"], escape(", ".join(alias_texts(r, " "))), escape(params),
                  escape(r["summary"]))
    out.print(t)


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
    """A row per quantity, a column per function: the functions compare across a row. As
    many functions as fit the terminal share a table (a number is never folded)."""
    out = console(env)
    cells = [[_cell(r[k], 12) for k in keys] for r in records]
    label = max(len(k) for k in keys) + 3
    widths = [max(len(r["spec"]), *(len(c) for c in col)) + 3 for r, col in zip(records, cells)]
    start = 0
    while start < len(records):
        end, used = start + 1, label + widths[start]
        while end < len(records) and used + widths[end] <= env.width:
            used += widths[end]
            end += 1
        t = _table()
        t.add_column("", style="bold")
        for r, col in zip(records[start:end], cells[start:end]):
            t.add_column(escape(r["spec"]), justify="right", style="cyan",
                         min_width=max(len(c) for c in col))
        for i, k in enumerate(keys):
            t.add_row(k, *(col[i] for col in cells[start:end]))
        out.print(t)
        start = end


def critical(env: Environment, sigma_b2: list[float], curves: list[tuple[str, list[float | None]]]) -> None:
    out = console(env)
    out.print(Text("Edge of chaos: the sigma_w2 with chi = 1, for each sigma_b2", style="bold"))
    t = _table()
    t.add_column("sigma_b2", justify="right")
    for spec, _ in curves:
        t.add_column(escape(spec), justify="right", style="cyan")
    for i, b in enumerate(sigma_b2):
        t.add_row(_cell(b), *(_cell(w[i], 12) for _, w in curves))
    out.print(t)
