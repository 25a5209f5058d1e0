"""Several functions side by side, and how far apart they get (core; no CLI here)."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from .activation import Activation

DEFAULT_RANGE = (-5.0, 5.0)
FINE_POINTS = 4001


def _largest_gap(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> tuple[float | None, float | None]:
    with np.errstate(all="ignore"):
        gap = np.abs(a - b)
    ok = np.isfinite(gap)
    if not ok.any():
        return None, None
    i = int(np.argmax(np.where(ok, gap, -1.0)))
    return float(gap[i]), float(x[i])


def compare(acts: list[Activation], x: np.ndarray, grad: bool = False,
            span: tuple[float, float] | None = None) -> dict[str, Any]:
    """Values (and derivatives) of each function at x, plus, for every pair, the largest
    difference over ``span`` (default: the range of x) on a fine grid and where it occurs."""
    lo, hi = span or ((float(np.min(x)), float(np.max(x))) if x.size else DEFAULT_RANGE)
    fine = np.union1d(np.linspace(lo, hi, FINE_POINTS), x[np.isfinite(x)])
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
