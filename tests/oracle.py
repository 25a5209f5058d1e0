"""High-precision oracle: each definition's textbook ``reference`` formula in mpmath.

Used by the accuracy tests and by ``benchmarks/accuracy.py`` (which writes the ulp table
into docs/accuracy.md). Derivatives are checked against mpmath's numerical
differentiation of the reference *value*, so no derivative formula is restated here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import mpmath as mp
import numpy as np

from actcli.exact import precision  # (the working precision the references need: one place)
from actcli.model import Definition


SPECIAL = [
    0.0, -0.0, 5e-324, -5e-324, 1e-320, -1e-320, 2.2250738585072014e-308, -2.2250738585072014e-308,
    1e-300, -1e-300, 1e-30, -1e-30, 1e-8, -1e-8, 1.7976931348623157e308, -1.7976931348623157e308,
]


def scalar_grid(d: Definition, params: dict, dense: int = 1601, seed: int = 0) -> np.ndarray:
    """Points across the whole real line: a dense linear part, every binade, kinks and their neighbours."""
    rng = np.random.default_rng(seed)
    parts = [
        np.linspace(-40.0, 40.0, dense),
        rng.uniform(-8.0, 8.0, dense // 4),
        np.geomspace(1e-320, 1e308, 240),
        -np.geomspace(1e-320, 1e308, 240),
        np.array(SPECIAL),
    ]
    for b in d.breaks(params):
        parts.append(np.array([b, np.nextafter(b, -np.inf), np.nextafter(b, np.inf), b - 1e-9, b + 1e-9]))
    return np.concatenate(parts)


def ulps(got: float, ref: mp.mpf) -> float:
    """|got - ref| in units of the spacing of doubles at ref (subnormal spacing below 2.2e-308)."""
    if mp.isnan(ref):
        return 0.0 if math.isnan(got) else math.inf
    ref_f = float(ref)
    if math.isinf(ref_f) or math.isinf(got):
        return 0.0 if got == ref_f else math.inf
    if math.isnan(got):
        return math.inf
    spacing = math.ulp(abs(ref_f)) if ref_f else 5e-324
    return float(abs(mp.mpf(got) - ref) / mp.mpf(spacing))


def reference_value(d: Definition, params: dict) -> Callable[[mp.mpf], mp.mpf]:
    return lambda x: d.reference(mp, x, **params)


def reference_slope(d: Definition, params: dict, x: float) -> mp.mpf:
    """f'(x) by high-precision differentiation of the reference value.

    A one-sided second-order difference, (-3 f(x) + 4 f(x+h) - f(x+2h)) / 2h, never
    steps across a kink left of x, sees one branch at a C1 seam (relu2 at 0) and is exact
    on quadratic pieces. h is 2**-160 relative to |x| below 1 (tiny x stay on their side
    of 0) and absolute above (snake is periodic: its samples must not be periods apart).
    """
    f = reference_value(d, params)
    ax = abs(x)
    with mp.workprec(precision(x) + 400):
        t = mp.mpf(x)
        h = mp.ldexp(1, -160) * (mp.mpf(ax) if 0 < ax < 1 else 1)
        return (-3 * f(t) + 4 * f(t + h) - f(t + 2 * h)) / (2 * h)


def worst(pairs: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """(largest ulp error, the x where it occurs)."""
    best = (0.0, math.nan)
    for x, e in pairs:
        if e > best[0] or (math.isnan(best[1]) and e == best[0]):
            best = (e, x)
    return best


def value_errors(d: Definition, params: dict, xs: np.ndarray, got: np.ndarray) -> Iterable[tuple[float, float]]:
    f = reference_value(d, params)
    for x, y in zip(xs.tolist(), got.tolist()):
        if math.isfinite(x):  # limits at ±inf have their own tests
            with mp.workprec(precision(x)):
                yield x, ulps(y, f(mp.mpf(x)))


def slope_errors(d: Definition, params: dict, xs: np.ndarray, got: np.ndarray) -> Iterable[tuple[float, float]]:
    breaks = set(d.breaks(params))
    for x, g in zip(xs.tolist(), got.tolist()):
        if x in breaks or not math.isfinite(x):
            continue  # conventions and limits have their own tests
        near = [b for b in breaks if abs(x - b) <= 2 * math.ulp(b)]
        if near:
            # Within rounding of a kink that is no double (clipped_gelu's, where gelu reaches a
            # bound), float64 decides the side: either one-sided slope is right.
            # (x itself, or a few ulps either way: the kink's side that float64 chose.)
            step = 4 * math.ulp(near[0])
            sides = [reference_slope(d, params, v) for v in (x, x - step, x + step)]
            yield x, min(ulps(g, ref) for ref in sides)
            continue
        ref = reference_slope(d, params, x)
        # The difference leaves O(h^2) = 2**-320 at 0 where f'(0) is exactly 0.
        if x == 0 and g == 0 and abs(ref) < mp.ldexp(1, -300):
            ref = mp.mpf(0)
        yield x, ulps(g, ref)


def vector_rows(seed: int = 0) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    rows: list[list[float]] = [[1000.0, 1000.0], [-1000.0, 1000.0], [0.0, 0.0], [1.0, 2.0, 3.0, 4.0],
                               [5.0, 4.0, -1.0, 0.0], [-745.0, 0.0], [700.0, -700.0, 0.0, 1.0], [1e-300, -1e-300]]
    for n in range(2, 7):
        for scale in (1e-3, 1.0, 10.0, 100.0, 700.0):
            for _ in range(6):
                rows.append((rng.standard_normal(n) * scale).tolist())
    return rows


def vector_errors(d: Definition, rows: list[list[float]], got: list[np.ndarray]) -> Iterable[tuple[float, float]]:
    with mp.workprec(2400):
        for row, y in zip(rows, got):
            ref = d.reference(mp, [mp.mpf(v) for v in row])
            for yi, ri in zip(y.tolist(), ref):
                yield row[0], ulps(yi, ri)


def jacobian_errors(d: Definition, rows: list[list[float]], got: list[np.ndarray]) -> Iterable[tuple[float, float]]:
    with mp.workprec(2400):
        for row, jac in zip(rows, got):
            base = [mp.mpf(v) for v in row]
            for i in range(jac.shape[0]):
                for j in range(jac.shape[1]):
                    def comp(t: mp.mpf, i: int = i, j: int = j, base: list = base) -> mp.mpf:
                        r = list(base)
                        r[j] = t
                        return d.reference(mp, r)[i]

                    h = mp.ldexp(1, -160) * max(abs(base[j]), 1)
                    ref = (comp(base[j] + h) - comp(base[j] - h)) / (2 * h)
                    yield row[0], ulps(float(jac[i, j]), ref)
