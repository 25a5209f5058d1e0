"""Several functions side by side, and how far apart they get (core; no CLI here)."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from .activation import Activation
from .numerics import linspace

DEFAULT_RANGE = (-5.0, 5.0)
FINE_POINTS = 4001


# Each value carries a few ulps of rounding error, and which few differs from one CPU to
# another (NumPy's exp, tanh, ... run different code on AVX-512, AVX2 and ARM). Gaps
# that close to the largest are ties: mathematically equal gaps (gelu(tanh) against
# quick_gelu at x = -1.435 and 1.435) must not be told apart by one machine's last bits.
# Never more than a billionth of the largest gap, though: where the values are huge
# (1e16) their ulps would otherwise swallow a real difference (0.5).
TIE_ULPS = 8
TIE_RELATIVE = 1e-9


def _largest_gap(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> tuple[float | None, float | None]:
    """The largest |a - b| and the x where it occurs; ties (gaps within TIE_ULPS ulps of
    a and b, and within TIE_RELATIVE, of the largest) go to the smallest |x|, then to the
    negative x."""
    with np.errstate(all="ignore"):
        gap = np.abs(a - b)
        error = TIE_ULPS * (np.spacing(np.abs(a)) + np.spacing(np.abs(b)))
    ok = np.isfinite(gap)
    if not ok.any():
        return None, None
    gap = np.where(ok, gap, -1.0)
    error = np.where(ok, error, 0.0)
    top = int(np.argmax(gap))
    window = np.minimum(error[top] + error, TIE_RELATIVE * gap[top])
    ties = np.flatnonzero(ok & (gap >= gap[top] - window))
    best = ties[np.lexsort((x[ties] > 0, np.abs(x[ties])))[0]]
    return float(gap[best]), float(x[best])


def compare(acts: list[Activation], x: np.ndarray, grad: bool = False,
            span: tuple[float, float] | None = None) -> dict[str, Any]:
    """Values (and derivatives) of each function at x, plus, for every pair, the largest
    difference over ``span`` (default: the range of the finite x, or DEFAULT_RANGE if
    there are none) on a fine grid and where it occurs (of near-equal largest
    differences, the one at the smallest |x|, then the negative x)."""
    finite = x[np.isfinite(x)]
    lo, hi = span or ((float(np.min(finite)), float(np.max(finite))) if finite.size else DEFAULT_RANGE)
    fine = np.union1d(linspace(lo, hi, FINE_POINTS), finite)
    doc: dict[str, Any] = {"x": x, "range": (lo, hi), "functions": [], "differences": []}
    curves = {}
    for act in acts:
        entry: dict[str, Any] = {"spec": act.spec, "function": act.name, "y": act.curve(x)}
        curves[act.spec, "value"] = act.curve(fine)
        if grad:
            entry["dy"] = act.curve_grad(x)
            curves[act.spec, "derivative"] = act.curve_grad(fine)
        doc["functions"].append(entry)
    for a, b in combinations(acts, 2):
        for of in ("value", "derivative") if grad else ("value",):
            gap, at = _largest_gap(curves[a.spec, of], curves[b.spec, of], fine)
            doc["differences"].append({"a": a.spec, "b": b.spec, "of": of, "max_abs_diff": gap, "at": at})
    return doc
