"""Braille plots for a terminal: each character cell holds 2 x 4 dots.

No dependency: a small canvas, Bresenham lines between samples (a NaN breaks the line,
so jumps stay jumps), axes through zero, labels in the margins, ANSI colours optional.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .data import Curves, Panel

_BRAILLE = 0x2800
YLIMIT = 1e300
_DOT = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col] within a cell
ANSI = ("34", "31", "32", "35", "33", "36", "37", "93")  # blue, red, green, magenta, ...
AXIS = "90"


class Canvas:
    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.bits = np.zeros((rows, cols), dtype=np.int32)
        self.colour: list[list[str | None]] = [[None] * cols for _ in range(rows)]

    def dot(self, px: int, py: int, colour: str) -> None:
        """Set dot (px, py), py counted from the top."""
        if 0 <= px < 2 * self.cols and 0 <= py < 4 * self.rows:
            r, c = py // 4, px // 2
            self.bits[r, c] |= _DOT[py % 4][px % 2]
            self.colour[r][c] = colour

    def line(self, x0: int, y0: int, x1: int, y1: int, colour: str) -> None:
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        for _ in range(4 * (self.cols + self.rows) * 4):
            self.dot(x0, y0, colour)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy

    def render(self, colour: bool) -> list[str]:
        lines = []
        for r in range(self.rows):
            cells = []
            for c in range(self.cols):
                ch = chr(_BRAILLE + int(self.bits[r, c])) if self.bits[r, c] else " "
                code = self.colour[r][c]
                cells.append(f"\x1b[{code}m{ch}\x1b[0m" if colour and code and ch != " " else ch)
            lines.append("".join(cells))
        return lines


def _label(v: float) -> str:
    return f"{v:.4g}"


def panel(panels: Sequence[Panel], xlim: tuple[float, float], width: int, height: int,
          colour: bool, heading: str) -> list[str]:
    ys = np.concatenate([p.y[np.isfinite(p.y)] for p in panels] or [np.array([])])
    if ys.size == 0:
        raise ValueError("nothing to draw in this range: every value is nan or infinite")
    # The extremes to 12 digits: a dot on the half-way row between them (0 for an odd
    # function) must not move with the last bits of one CPU's tanh. Within ±1e300, so
    # that hi - lo cannot overflow.
    lo, hi = (float(f"{min(max(v, -YLIMIT), YLIMIT):.12g}") for v in (ys.min(), ys.max()))
    if hi - lo < 1e-12 * max(1.0, abs(hi)):  # a constant: give it some room
        pad = max(abs(hi) * 0.1, 0.5)
        lo, hi = lo - pad, hi + pad
    margin = max(len(_label(lo)), len(_label(hi))) + 1
    canvas = Canvas(max(10, width - margin), height)
    w, h = 2 * canvas.cols - 1, 4 * canvas.rows - 1
    x0, x1 = xlim

    def px(x: float) -> int:
        return round((x - x0) / (x1 - x0) * w)

    def py(y: float) -> int:
        return round((hi - min(max(y, lo), hi)) / (hi - lo) * h)

    if lo <= 0 <= hi:  # the x axis
        for i in range(0, w + 1, 2):
            canvas.dot(i, py(0.0), AXIS)
    if x0 <= 0 <= x1:  # the y axis
        for j in range(0, h + 1, 2):
            canvas.dot(px(0.0), j, AXIS)
    for k, p in enumerate(panels):
        code = ANSI[k % len(ANSI)]
        prev: tuple[int, int] | None = None
        for x, y in zip(p.x.tolist(), p.y.tolist()):
            if not (math.isfinite(x) and math.isfinite(y)):
                prev = None
                continue
            cur = (px(x), py(y))
            if prev is not None:
                canvas.line(*prev, *cur, code)
            else:
                canvas.dot(*cur, code)
            prev = cur
    body = canvas.render(colour)
    out = [heading]
    for r, line in enumerate(body):
        tag = _label(hi) if r == 0 else (_label(lo) if r == len(body) - 1 else "")
        out.append(tag.rjust(margin - 1) + " " + line)
    axis = _label(x0) + _label(x1).rjust(canvas.cols - len(_label(x0)))
    out.append(" " * margin + axis)
    return out


def render(curves: Sequence[Curves], grad: bool, xlim: tuple[float, float], width: int,
           colour: bool, height: int = 16) -> str:
    def legend(labels: list[str]) -> str:
        parts = []
        for k, text in enumerate(labels):
            mark = f"\x1b[{ANSI[k % len(ANSI)]}m━━\x1b[0m" if colour else "──" if len(labels) == 1 else f"[{k + 1}]"
            parts.append(f"{mark} {text}")
        return "   ".join(parts)

    lines = panel([c.value for c in curves], xlim, width, height, colour, legend([c.value.label for c in curves]))
    if grad:
        slopes = [c.slope for c in curves if c.slope is not None]
        lines += [""] + panel(slopes, xlim, width, height, colour, legend([s.label for s in slopes]))
    return "\n".join(lines) + "\n"
