"""What a plot shows, computed with NumPy only: sampled curves broken at jumps, the values
at kinks, range bounds. The drawing modules turn this into pixels or braille."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..activation import Activation
from ..numerics import linspace


@dataclass
class Mark:
    """A point where the curve jumps: its value there and the one-sided limits."""

    x: float
    at: float
    left: float
    right: float


@dataclass
class Panel:
    """One curve on one axes: a NaN in x/y separates pieces that must not be joined."""

    label: str
    x: np.ndarray
    y: np.ndarray
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Curves:
    act: Activation
    value: Panel
    slope: Panel | None
    bounds: list[float]  # finite ends of the output range: dashed lines


def _sample(f, xs: np.ndarray, breaks: list[float], label: str) -> Panel:  # noqa: ANN001
    """f on xs plus each break's two one-sided neighbours; across a break where f jumps
    the line is cut (a NaN), and the value at the break itself becomes a dot."""
    extra = []
    marks = []
    for b in breaks:
        left, right = np.nextafter(b, -math.inf), np.nextafter(b, math.inf)
        fl, fb, fr = (float(v) for v in f(np.array([left, b, right])))
        extra += [left, right]
        if not (fl == fb == fr):
            marks.append(Mark(b, fb, fl, fr))
    x = np.unique(np.concatenate([xs, np.array(extra)]))
    x = x[~np.isin(x, [m.x for m in marks])]
    y = np.asarray(f(x), dtype=np.float64)
    cut = np.searchsorted(x, [m.x for m in marks])
    return Panel(label, np.insert(x, cut, np.nan), np.insert(y, cut, np.nan), marks)


def curves(act: Activation, lo: float, hi: float, points: int, grad: bool) -> Curves:
    d = act.definition
    xs = linspace(lo, hi, points)
    jumps = [b for b in d.jumps(act.params) if lo < b < hi]
    breaks = [b for b in d.breaks(act.params) if lo < b < hi]
    value = _sample(act.curve, xs, jumps, act.spec)
    slope = _sample(act.curve_grad, xs, breaks, f"d/dx {act.spec}") if grad else None
    r = d.range_for(act.params)
    bounds = [v for v in (r.lo, r.hi) if math.isfinite(v)]
    return Curves(act, value, slope, bounds)
