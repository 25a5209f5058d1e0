"""Correctly rounded values and derivatives, from each definition's mpmath reference.

The float64 formulas are fast and within a few ulps; rounding such a result to a narrower
format is right unless the true value lies near a midpoint of that format, and the exact
result for float64 itself needs more than float64. Both come here: the definition's
``reference`` (its textbook formula in mpmath) is evaluated at rising working precision
until two successive precisions agree so closely that every value between them rounds
to the same number of the target format - Ziv's strategy, as correctly rounded maths
libraries use it. A value exactly halfway between two numbers of the format (softshrink's
2048 - 0.5 in float16) gives the same midpoint at every precision. Where the reference
used only arithmetic and square roots at that point, two precisions that agree exactly
prove the tie (such a value cannot differ from a dyadic midpoint by less than ~2**-250
without being it), and it is rounded to even at once. Transcendental values can come
within 2**-10000 of a midpoint (tanhshrink(-2442) in float16 is -2441 - 1e-2121): they
climb to LEVELS before a still-straddling value is taken as a tie.

Derivatives come from the reference value by a one-sided second-order difference, stepping
away from the nearest kink: (-3 f(x) + 4 f(x+h) - f(x+2h)) / 2h, with h = 2**-L and the
working precision raised with L, so that each level is ~2L bits more accurate than the last.
At a kink itself the derivative is the convention (PyTorch's), a constant the float64 code
already returns exactly.

mpmath is imported here only: for the few near-midpoint points of a narrow format, for
``--exact`` and for ``actcli check``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .dtypes import Format, is_midpoint_exact, round_exact, round_to
from .model import ActivationError, Definition

START = 160  # bits of the first difference step (and of headroom in the first value)
LEVELS = 8  # START * 2**7 = 20,480 bits more: a value that still straddles is taken as an exact midpoint


def precision(x: float) -> int:
    """Bits of working precision for a reference at x.

    Textbook formulas cancel badly: 1 + erf(x/sqrt 2) loses ~0.72 x^2 bits, x - tanh(x)
    at x = 1e-320 about 2 * 1063, x + sqrt(x^2 + 4) at -1e308 about 2 * 1023. mp.autoprec
    cannot find this out by itself: it stops when two precisions both cancel to exactly 0.
    """
    e = abs(math.frexp(x)[1]) if x else 0
    return 320 + 2 * e + int(min(x * x, 1600.0))


def _mp() -> Any:
    try:
        import mpmath
    except ImportError:  # (a dependency: only a broken install lacks it)
        raise ActivationError("exact results need mpmath: pip install mpmath") from None
    return mpmath.mp


def _reference(d: Definition) -> Any:
    if d.reference is None:
        raise ActivationError(f"{d.name}: no high-precision reference, so no exact result")
    return d.reference


# What a reference may call and still be algebraic (arithmetic, comparisons and sqrt).
_ALGEBRAIC = frozenset({"mpf", "sqrt", "ldexp", "isnan", "isinf", "isfinite", "fabs", "sign", "prec", "dps"})


class _Watch:
    """mpmath as the reference sees it, noting whether it called anything transcendental."""

    def __init__(self, mp: Any) -> None:
        self._mp = mp
        self.transcendental = False

    def __getattr__(self, name: str) -> Any:
        if name not in _ALGEBRAIC:
            self.transcendental = True
        return getattr(self._mp, name)


def algebraic(d: Definition, params: Mapping[str, Any], point: Any) -> bool:
    """Whether the reference at ``point`` (a float, or a row for vector functions) uses
    only arithmetic and square roots."""
    mp = _mp()
    watch = _Watch(mp)
    with mp.workprec(64):
        if isinstance(point, list):
            _reference(d)(watch, [mp.mpf(v) for v in point])
        else:
            _reference(d)(watch, mp.mpf(point), **params)
    return not watch.transcendental


def _value(d: Definition, params: Mapping[str, Any], x: float, level: int) -> Any:
    mp = _mp()
    with mp.workprec(precision(x) + START * 2 ** level):
        return _reference(d)(mp, mp.mpf(x), **params)


def _slope(d: Definition, params: Mapping[str, Any], x: float, level: int, side: int) -> Any:
    mp = _mp()
    f = _reference(d)
    bits = START * 2 ** level
    with mp.workprec(precision(x) + 3 * bits):
        t = mp.mpf(x)
        ax = abs(x)
        # Relative below 1, so that tiny x stay on their side of 0; absolute above (snake is
        # periodic: its samples must not be periods apart).
        h = side * mp.ldexp(1, -bits) * (mp.mpf(ax) if 0 < ax < 1 else 1)
        return (-3 * f(mp, t, **params) + 4 * f(mp, t + h, **params) - f(mp, t + 2 * h, **params)) / (2 * h)


def _side(d: Definition, params: Mapping[str, Any], x: float) -> int:
    """-1 to difference leftwards: when the nearest point where the formula changes is right of x."""
    pieces = d.pieces(params)
    if not pieces:
        return 1
    nearest = min(pieces, key=lambda b: abs(b - x))
    return -1 if nearest > x else 1


def _round(v: Any, fmt: Format) -> float:
    mp = _mp()
    if mp.isnan(v):
        return math.nan
    if mp.isinf(v):
        return math.copysign(math.inf, float(v)) if fmt.inf else math.nan
    if not hasattr(v, "_mpf_"):  # (a reference may return a plain number)
        v = mp.mpf(v)
    return round_exact(*_exactly(v), fmt)


def _exactly(v: Any) -> tuple[int, int]:
    """A finite mpf as (signed mantissa, exponent), exactly: mp.mpf(v) would round it to the
    current precision."""
    sign, man, exp, _ = v._mpf_
    return (-int(man) if sign else int(man)), int(exp)


def _as(v: float, fmt: Format) -> float:
    return float(round_to(np.array([v]), fmt)[0])


def _decided(prev: Any, cur: Any, fmt: Format) -> float | None:
    """The rounding of ``cur`` if every value within twice its distance from ``prev``
    (the error of ``prev``, and so more than the error of ``cur``) rounds the same way."""
    mp = _mp()
    if not (mp.isfinite(prev) and mp.isfinite(cur)):
        return _round(cur, fmt) if prev == cur or (mp.isnan(prev) and mp.isnan(cur)) else None
    with mp.workprec(mp.prec + 64):
        margin = 2 * abs(cur - prev) + abs(cur) * mp.ldexp(1, -(mp.prec - 128))
        lo, hi = _round(cur - margin, fmt), _round(cur + margin, fmt)
    return lo if lo == hi else None


def _ziv(compute: Any, fmt: Format, guess: float, exact_ties: bool = False) -> float:
    mp = _mp()
    prev = compute(0)
    for level in range(1, LEVELS):
        cur = compute(level)
        if exact_ties and cur == prev and mp.isfinite(cur):
            return _round(cur, fmt) if cur != 0 or math.isnan(guess) else math.copysign(0.0, guess)
        with mp.workprec(precision(guess if math.isfinite(guess) else 0.0) + START * 2 ** level):
            got = _decided(prev, cur, fmt)
            # Two precisions that both cancel to exactly 0 prove nothing: go on while float64 disagrees.
            if got is not None and not (cur == 0 and guess != 0):
                return math.copysign(got, guess) if got == 0 and not math.isnan(guess) else got
        prev = cur
    return _round(cur, fmt)  # the same midpoint at every precision: an exact tie, rounded to even


def value(d: Definition, params: Mapping[str, Any], x: float, fmt: Format, guess: float) -> float:
    """f(x) correctly rounded to ``fmt``; ``guess`` is the float64 result (for the sign of a
    zero, and for ±inf and NaN inputs, whose limits the float64 code already gives)."""
    if not math.isfinite(x):
        return _as(guess, fmt)
    if d.offset is not None and (settled := _by_offset(d, params, x, fmt)) is not None:
        return settled
    return _ziv(lambda level: _value(d, params, x, level), fmt, guess, algebraic(d, params, x))


def _by_offset(d: Definition, params: Mapping[str, Any], x: float, fmt: Format) -> float | None:
    """Where the reference lands exactly on a midpoint m of ``fmt``, the side of m that
    f(x) is on, from the definition's ``offset`` (f(x) - m computed without cancellation)."""
    mp = _mp()
    v = _value(d, params, x, 0)
    if not mp.isfinite(v) or v == 0:
        return None
    if not is_midpoint_exact(*_exactly(v), fmt):
        return None
    with mp.workprec(precision(x) + START):
        r = d.offset(mp, mp.mpf(x), v, **params)
        if r == 0:
            return _round(v, fmt)  # a true tie: to even
        with mp.workprec(mp.prec + 64):
            return _round(v + mp.sign(r) * abs(v) * mp.ldexp(1, -(mp.prec - 32)), fmt)


def slope(d: Definition, params: Mapping[str, Any], x: float, fmt: Format, guess: float) -> float:
    """f'(x) correctly rounded to ``fmt``; at a kink, the convention (``guess``)."""
    if not math.isfinite(x) or x in d.breaks(params):
        return _as(guess, fmt)
    side = _side(d, params, x)
    # (a difference quotient is exact on quadratic pieces only; elsewhere levels never agree exactly)
    return _ziv(lambda level: _slope(d, params, x, level, side), fmt, guess, algebraic(d, params, x))


def elementwise(d: Definition, params: Mapping[str, Any], kind: str, x: np.ndarray, guess: np.ndarray,
                fmt: Format) -> np.ndarray:
    """Correctly rounded values (``kind="value"``) or derivatives at each x (1-D arrays)."""
    one = value if kind == "value" else slope
    return np.array([one(d, params, xi, fmt, gi) for xi, gi in zip(x.tolist(), guess.tolist())], dtype=np.float64)


# ------------------------------------------------------- higher derivatives
def _nth(d: Definition, params: Mapping[str, Any], x: float, n: int, level: int, side: int) -> Any:
    """f^(n)(x) by mpmath's one-sided differences (step 2**-P at working precision (P + 20)(n + 1))."""
    mp = _mp()
    f = _reference(d)
    with mp.workprec(precision(x) + START * 2 ** level):
        return mp.diff(lambda t: f(mp, t, **params), mp.mpf(x), n, direction=side)


def _convention_side(d: Definition, params: Mapping[str, Any], x: float, first: float) -> int:
    """At a kink or seam, the side whose first derivative is the convention there (PyTorch's
    relu'(0) = 0: the left), so that every higher derivative follows the same branch. Where
    both sides have that first derivative (a seam: elu at 0), the left one, as PyTorch's
    `x > 0` conditions put 0 on the left (elu''(0) = alpha)."""
    left, right = (float(_nth(d, params, x, 1, 0, s)) for s in (-1, 1))
    return -1 if abs(left - first) <= abs(right - first) else 1


def nth_derivative(d: Definition, params: Mapping[str, Any], x: np.ndarray, n: int, first: np.ndarray,
                   fmt: Format) -> np.ndarray:
    """f^(n) at each x (1-D), correctly rounded to ``fmt``, for n >= 2; ``first`` holds f'(x)
    (for the conventions at kinks). ±inf and NaN give NaN (the limits are not computed)."""
    breaks = set(d.pieces(params))
    out = []
    for xi, gi in zip(x.tolist(), first.tolist()):
        if not math.isfinite(xi):
            out.append(math.nan)
            continue
        side = _convention_side(d, params, xi, gi) if xi in breaks else _side(d, params, xi)
        # (guess 0: no float64 value to compare with; two levels giving exactly 0 are a flat piece)
        out.append(_ziv(lambda level, xi=xi, side=side: _nth(d, params, xi, n, level, side), fmt, 0.0,
                        algebraic(d, params, xi)))
    return np.array(out, dtype=np.float64)


# ------------------------------------------------------------------ vectors
def _row_values(d: Definition, row: list[float], level: int) -> list[Any]:
    mp = _mp()
    with mp.workprec(START * 2 ** (level + 1) + 2 * max((precision(v) for v in row), default=0)):
        return list(_reference(d)(mp, [mp.mpf(v) for v in row]))


def _row_jacobian(d: Definition, row: list[float], level: int) -> list[Any]:
    mp = _mp()
    f = _reference(d)
    bits = START * 2 ** level
    with mp.workprec(3 * bits + 2 * max((precision(v) for v in row), default=0)):
        base = [mp.mpf(v) for v in row]
        columns = []
        for j, v in enumerate(base):
            h = mp.ldexp(1, -bits) * max(abs(v), 1)
            moved = [[*base[:j], v + k * h, *base[j + 1:]] for k in (1, 2)]
            f0, f1, f2 = f(mp, base), f(mp, moved[0]), f(mp, moved[1])
            columns.append([(-3 * a + 4 * b - c) / (2 * h) for a, b, c in zip(f0, f1, f2)])
        return [columns[j][i] for i in range(len(columns[0]) if columns else 0) for j in range(len(base))]


def vector_row(d: Definition, kind: str, row: np.ndarray, guess: np.ndarray, fmt: Format) -> np.ndarray:
    """One vector's values, or its Jacobian (row-major), correctly rounded to ``fmt``.
    Rows with a NaN or ±inf entry keep the float64 result (their limits)."""
    if not np.all(np.isfinite(row)):
        return round_to(guess, fmt)
    compute = _row_values if kind == "value" else _row_jacobian
    values = row.tolist()
    flat = guess.ravel().tolist()
    cache: dict[int, list[Any]] = {}

    def entry(i: int) -> Any:
        def at(level: int) -> Any:
            if level not in cache:
                cache[level] = compute(d, values, level)
            return cache[level][i]
        return at

    ties = algebraic(d, {}, values)
    return np.array([_ziv(entry(i), fmt, g, ties) for i, g in enumerate(flat)], dtype=np.float64).reshape(guess.shape)
