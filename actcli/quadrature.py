"""Expectations under a Gaussian, E[g(X)] for X ~ N(0, q), by adaptive Gauss-Legendre
quadrature that splits at the points where g is not smooth.

A fixed Gauss-Hermite rule assumes g is a polynomial-like smooth function and loses digits
at every kink (relu's E[f^2] to 3 digits with 40 nodes); here the real line, in units
z = x / sqrt(q), is cut at the declared kinks and jumps, and each piece is halved until a
16-node rule and its two halves agree to 1e-15 of E|g|. Every round evaluates all pending
pieces in one vectorised call, so a whole expectation costs a few calls of g.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import cache
from typing import NamedTuple

import numpy as np

# The Gaussian weight exp(-z^2/2) is below 1e-305 past |z| = 37.5: nothing further out counts
# (unless g grows like exp(z^2/2), which the tail check below reports).
Z = 37.5
NODES = 16
MAX_ROUNDS = 60
MAX_PIECES = 20_000
REL = 1e-15  # accept a piece when the rule and its halves agree to this fraction of E|g|
_COARSE = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0)  # a start that already sees the bulk
_FEATURES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


class QuadratureError(ArithmeticError):
    """An expectation that does not exist or cannot be computed in float64; says why."""


class Estimate(NamedTuple):
    value: float  # E[g(X)]
    l1: float  # the sum of |integral| over the pieces (<= E|g(X)|): the scale of the errors


@cache
def _rule() -> tuple[np.ndarray, np.ndarray]:
    nodes, weights = np.polynomial.legendre.leggauss(NODES)
    return (nodes + 1.0) / 2.0, weights / 2.0  # on [0, 1]


def _edges(q: float, breaks: Iterable[float], left: float = Z, right: float = Z) -> np.ndarray:
    s = math.sqrt(q)
    # Cuts in z where the Gaussian has its bulk, and in x where an activation has its
    # features (|x| ~ 1): at q = 1e9 gaussian's bump is 3e-5 wide in z, and no rule on
    # [0, 0.5] would see it.
    points = [*breaks, *(sign * c for c in _FEATURES for sign in (-1.0, 1.0))]
    inner = {b / s for b in points if math.isfinite(b) and -left < b / s < right}
    coarse = {sign * c for c in _COARSE for sign in (-1.0, 1.0) if -left < sign * c < right}
    return np.array(sorted(inner | coarse | {-left, right}))


def _reach(g: Callable[[np.ndarray], np.ndarray], step: float) -> float:
    """How far out (in z, at most Z) g(step * z) stays finite: exp(2x) overflows past
    x = 354.9, which for q = 400 lies inside the window, though far in the Gaussian's tail."""
    with np.errstate(all="ignore"):
        finite = lambda z: bool(np.isfinite(np.asarray(g(np.array([step * z])), dtype=np.float64)[0]))  # noqa: E731
        if finite(Z):
            return Z
        lo, hi = 0.0, Z
        if not finite(lo):
            return 0.0
        for _ in range(60):
            mid = (lo + hi) / 2.0
            lo, hi = (mid, hi) if finite(mid) else (lo, mid)
        return lo


def _integrate(h: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The 16-node rule on each piece [lo[i], hi[i]], in one call of h."""
    t, w = _rule()
    width = (hi - lo)[:, None]
    values = h((lo[:, None] + width * t).ravel()).reshape(lo.size, NODES)
    return (values * w).sum(axis=1) * width[:, 0]


def normal_expectation(g: Callable[[np.ndarray], np.ndarray], q: float, breaks: Iterable[float] = (),
                       what: str = "E[g]") -> Estimate:
    """E[g(X)] for X ~ N(0, q), q > 0, where g is smooth between ``breaks``.

    Raises :class:`QuadratureError` when g overflows where the Gaussian weight counts, or
    when g grows so fast that the expectation does not exist (the integrand has not
    vanished at |z| = 37.5). A value within the rounding error of zero (below 1e-15 of
    E|g|) is returned as 0.

    >>> e = normal_expectation(lambda x: np.maximum(x, 0.0) ** 2, 1.0, breaks=[0.0])
    >>> round(e.value, 15)
    0.5
    """
    s = math.sqrt(q)
    norm = 1.0 / math.sqrt(2.0 * math.pi)

    def h(z: np.ndarray, check: bool = True) -> np.ndarray:
        with np.errstate(all="ignore"):
            y = np.asarray(g(s * z), dtype=np.float64) * (norm * np.exp(-0.5 * z * z))
        if check and not np.all(np.isfinite(y)):
            at = float(s * z[~np.isfinite(y)][0])
            raise QuadratureError(f"{what} cannot be computed in float64: the integrand is not finite at x = {at:.6g}")
        return y

    # The window is |z| <= 37.5, or less on a side where g overflows: then the integrand must
    # already be falling there (past its peak), or what lies beyond cannot be neglected.
    zl, zr = _reach(g, -s), _reach(g, s)
    ends = np.array([-zl, zr])
    with np.errstate(all="ignore"):
        tail = np.abs(h(ends, check=False))
        short = ends != np.array([-Z, Z])
        overflow = QuadratureError(f"{what} cannot be computed in float64: the integrand overflows at "
                                   f"x = {s * ends[short][0] if short.any() else 0.0:.6g}, where the Gaussian weight "
                                   "still counts")
        if zl == 0 or zr == 0 or not np.all(tail[short] < np.abs(h(0.99 * ends[short], check=False))):
            raise overflow
    heavy = QuadratureError(f"{what} does not exist: the integrand does not vanish in the Gaussian's tail "
                            f"(at x = ±{s * Z:.6g})")
    edges = _edges(q, breaks, zl, zr)
    lo, hi = edges[:-1], edges[1:]
    whole = _integrate(h, lo, hi)
    parts: list[float] = []
    for _ in range(MAX_ROUNDS):
        mid = (lo + hi) / 2.0
        left, right = _integrate(h, lo, mid), _integrate(h, mid, hi)
        halves = left + right
        scale = math.fsum(np.abs(parts)) + float(np.abs(halves).sum())
        done = np.abs(halves - whole) <= REL * scale + 1e-300
        parts.extend(halves[done].tolist())
        if done.all():
            break
        keep = ~done
        lo, hi = np.concatenate([lo[keep], mid[keep]]), np.concatenate([mid[keep], hi[keep]])
        whole = np.concatenate([left[keep], right[keep]])
        if lo.size > MAX_PIECES:
            break
    else:
        done = np.zeros(1, dtype=bool)
    if not done.all():
        raise QuadratureError(f"{what} did not converge: the integrand is too rough or too large")
    value, l1 = math.fsum(parts), math.fsum(np.abs(parts))
    if tail.max() > 1e-12 * l1:
        raise overflow if short[np.argmax(tail)] else heavy
    if abs(value) <= REL * l1:
        value = 0.0
    return Estimate(value, l1)
