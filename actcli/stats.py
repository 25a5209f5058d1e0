"""What an activation does to a Gaussian signal: moments, gains, and the mean-field
variance map of deep networks (Poole et al. 2016; Schoenholz et al. 2017).

For z ~ N(0, q), :func:`moments` gives E[f(z)], E[f(z)^2], the variance, E[f'(z)],
E[f'(z)^2] and the gains derived from them; :func:`fixed_point` follows the variance map
q <- sigma_w2 * E[f(sqrt(q) z)^2] + sigma_b2 of a wide network to its fixed point q*, with
chi = sigma_w2 * E[f'(sqrt(q*) z)^2] and the depth scale -1/ln(chi); :func:`critical`
finds the edge of chaos, the sigma_w2 with chi = 1 for each sigma_b2.

Every expectation is an adaptive quadrature split at the kinks, jumps and seams the
definition declares (:mod:`actcli.quadrature`): within 3e-15 of mpmath where measured
(docs/stats.md), and 12 digits or None (with a reason) wherever it returns.
f' is the derivative the frameworks compute: at a jump it has no Dirac mass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import numpy as np

from .activation import Activation
from .model import ActivationError
from .quadrature import QuadratureError, normal_expectation

MOMENT_KEYS = ("mean", "second_moment", "variance", "grad_mean", "grad_second_moment", "gain", "std_gain",
               "torch_gain")
FIXED_POINT_KEYS = ("q_star", "chi", "depth_scale")
Q_RANGE = (1e-300, 1e300)  # the variances whose moments float64 can carry
Q_TINY = 1e-300  # q* = 0 exactly: chi is taken in the limit q -> 0+
HUGE = 1.7976931348623157e308  # the largest variance float64 holds
CANCELS = 1e-3  # a value this small against its parts keeps fewer than 12 digits
SPREAD = 1e-8  # a variance this small against E[f^2]: f's rounding errors decide it
NOISE = 1e-14  # of q + sigma_w2 E[f^2]: a smaller gap in the variance map may be rounding


def check_elementwise(act: Activation) -> None:
    if act.definition.vector:
        raise ActivationError(f"{act.spec} is a vector function; stats takes elementwise functions")


def check_q(q: float, what: str = "q") -> float:
    if not (isinstance(q, (int, float)) and Q_RANGE[0] <= q <= Q_RANGE[1]):
        raise ActivationError(f"{what} must be a variance from {Q_RANGE[0]:g} to {Q_RANGE[1]:g}, got {q!r}")
    return float(q)


def _expect(act: Activation, g: Callable[[np.ndarray], np.ndarray], q: float, what: str) -> float:
    """The expectation, to 12 digits or not at all: a value of 0.001 of its parts' size or
    less (gelu's mean at q = 1e-12, a sum of +-4e-7 making 4e-13) has lost digits to
    their cancellation, and is refused unless it is 0 within rounding."""
    pieces = act.definition.pieces(act.params)
    e = normal_expectation(g, q, pieces, what=f"{act.spec}: {what}")
    if e.value != 0 and abs(e.value) < CANCELS * e.l1:
        raise QuadratureError(f"{act.spec}: {what} cancels: it is {abs(e.value) / e.l1:.1e} of its parts, beyond "
                              "float64's 12 digits at this q")
    return e.value


def second_moment(act: Activation, q: float) -> float:
    """E[f(z)^2] for z ~ N(0, q); f(0)^2 at q = 0."""
    if q == 0:
        return float(act(0.0)) ** 2
    return _expect(act, lambda x: act(x) ** 2, q, "E[f(z)^2]")


def grad_second_moment(act: Activation, q: float) -> float:
    """E[f'(z)^2] for z ~ N(0, q); its limit as q -> 0+ at q = 0 (at a kink at 0, the mean of both sides)."""
    return _expect(act, lambda x: act.grad(x) ** 2, max(q, Q_TINY), "E[f'(z)^2]")


def moments(act: Activation, q: float = 1.0) -> dict[str, Any]:
    """The moments of f(z) and f'(z) for z ~ N(0, q), and the gains they imply.

    ``gain`` is 1/sqrt(E[f^2]) (He/Kaiming's: sqrt(2) for relu at q = 1), ``std_gain``
    1/std(f(z)), and ``torch_gain`` what ``torch.nn.init.calculate_gain`` says (None where
    PyTorch has no entry). A moment that does not exist (or overflows float64) is None,
    and so is a gain whose moment is 0 or None; ``reasons`` (present only then) says why.

    >>> import actcli
    >>> m = moments(actcli.get("relu"))
    >>> round(m["second_moment"], 15), round(m["gain"] ** 2, 14)
    (0.5, 2.0)
    """
    check_elementwise(act)
    q = check_q(q)
    reasons: list[str] = []

    def expect(g: Callable[[np.ndarray], np.ndarray], what: str) -> float | None:
        try:
            return _expect(act, g, q, what)
        except QuadratureError as e:
            reasons.append(str(e))
            return None

    mean = expect(act, "E[f(z)]")
    m2 = expect(lambda x: act(x) ** 2, "E[f(z)^2]")
    variance = expect(lambda x: (act(x) - mean) ** 2, "Var[f(z)]") if mean is not None else None
    if variance and m2 and variance < SPREAD * m2:
        reasons.append(f"{act.spec}: Var[f(z)] is {variance / m2:.1e} of E[f(z)^2]: f hardly varies at this q, and "
                       "float64 values of f cannot give its variance to 12 digits")
        variance = None
    if m2 == 0:
        reasons.append(f"{act.spec}: E[f(z)^2] = 0: no gain")
    if variance == 0:
        reasons.append(f"{act.spec}: f(z) is constant: Var[f(z)] = 0, no std_gain")
    out: dict[str, Any] = {
        "mean": mean,
        "second_moment": m2,
        "variance": variance,
        "grad_mean": expect(act.grad, "E[f'(z)]"),
        "grad_second_moment": expect(lambda x: act.grad(x) ** 2, "E[f'(z)^2]"),
        "gain": math.sqrt(1.0 / m2) if m2 else None,  # (sqrt(1/0.5) is sqrt(2) exactly; 1/sqrt(0.5) is not)
        "std_gain": math.sqrt(1.0 / variance) if variance else None,
        "torch_gain": torch_gain(act),
    }
    if reasons:
        out["reasons"] = reasons
    return out


def torch_gain(act: Activation) -> float | None:
    """torch.nn.init.calculate_gain's value, computed as PyTorch does (None where its
    table has no entry, or where its formula overflows: leaky_relu(1e155))."""
    gain = act.definition.torch_gain
    try:
        return gain(act.params) if gain is not None else None
    except OverflowError:
        return None


# ------------------------------------------------------------ the variance map
class NoFixedPoint(ArithmeticError):
    """The variance map has no fixed point the iteration reaches; says why."""


def _root(g: Callable[[float], float], a: float, ga: float, b: float, gb: float) -> float | None:
    """A root of g in [a, b], where g(a) and g(b) differ in sign (Illinois regula falsi);
    None where g jumps across 0 instead (the bracket shrinks while g stays away from 0)."""
    side = 0
    for _ in range(200):
        c = (a * gb - b * ga) / (gb - ga)
        if not min(a, b) < c < max(a, b):
            c = (a + b) / 2.0
        width = abs(b - a)
        if width <= 1e-8 * max(abs(a), abs(b)) and min(abs(ga), abs(gb)) > 1e-6 * max(1.0, abs(a), abs(b)):
            return None
        gc = g(c)
        if gc == 0 or width <= 4e-16 * max(abs(a), abs(b)):
            return c
        if (gc > 0) == (gb > 0):
            b, gb = c, gc
            if side == -1:
                ga /= 2.0
            side = -1
        else:
            a, ga = c, gc
            if side == 1:
                gb /= 2.0
            side = 1
    return (a + b) / 2.0


def fixed_point(act: Activation, sigma_w2: float, sigma_b2: float, q0: float = 1.0,
                moment: Callable[[float], float] | None = None) -> float:
    """q*, the fixed point of q <- sigma_w2 * E[f(sqrt(q) z)^2] + sigma_b2 (z ~ N(0, 1))
    that the iteration from q0 reaches: the nearest one above q0 when the map raises q0,
    below it when the map lowers it. Raises :class:`NoFixedPoint` when q grows without bound.
    ``moment(q)``, if given, stands for E[f(sqrt(q) z)^2] (a cache shared between calls).

    >>> import actcli
    >>> round(fixed_point(actcli.get("relu"), 1.0, 1.0), 12)  # q = q/2 + 1
    2.0
    """
    check_elementwise(act)
    if sigma_w2 < 0 or sigma_b2 < 0 or not (math.isfinite(sigma_w2) and math.isfinite(sigma_b2)):
        raise ActivationError(f"sigma_w2 and sigma_b2 must be finite and >= 0, got {sigma_w2!r} and {sigma_b2!r}")
    q0 = check_q(q0, "the starting q")

    m2 = moment or (lambda q: second_moment(act, q))

    def gap(q: float) -> float:
        return sigma_w2 * m2(q) + sigma_b2 - q

    def noise(q: float) -> float:  # what rounding leaves in gap(q): quadrature is good to ~1e-15
        return NOISE * (q + sigma_w2 * m2(q))

    g0 = gap(q0)
    if abs(g0) <= noise(q0):  # the map leaves q0 where it is, as far as float64 can tell
        if 0 < sigma_b2 <= noise(q0):
            raise NoFixedPoint(f"sigma_b2 = {sigma_b2:g} is below what float64 resolves of the variance map at "
                               f"q = {q0:g}: start from a smaller --q")
        return q0
    if g0 > 0:  # the map raises q: the fixed point lies above
        a, ga = q0, g0
        steady = 0  # steps over which the map has raised q by no smaller a fraction
        while True:
            if steady >= 4 and a > 1e6 * max(1.0, q0, sigma_b2):  # growing geometrically: relu past 2
                raise NoFixedPoint(f"the variance grows without bound (sigma_w2 = {sigma_w2:g}, sigma_b2 = "
                                   f"{sigma_b2:g}): each layer multiplies it by {1 + ga / a:.6g} or more")
            if a >= HUGE:
                raise NoFixedPoint(f"the variance grows past {HUGE:g} (sigma_w2 = {sigma_w2:g}, "
                                   f"sigma_b2 = {sigma_b2:g}): no fixed point that float64 can hold")
            b = min(4.0 * a, HUGE)
            try:
                gb = gap(b)
            except QuadratureError:
                raise NoFixedPoint(f"the variance grows without bound (sigma_w2 = {sigma_w2:g}, sigma_b2 = "
                                   f"{sigma_b2:g}): E[f(z)^2] leaves float64 before a fixed point, past q = {a:g}") from None
            if gb < -noise(b):  # a clear change of sign (relu at sigma_w2 = 2 stays within the noise)
                return _solved(_root(gap, a, ga, b, gb))
            if abs(gb) <= noise(b):
                if sigma_b2 > noise(b):  # a fixed point, within rounding
                    return b
                # relu at sigma_w2 = 2: q + sigma_b2, no longer told from q
                raise NoFixedPoint(f"the variance keeps growing by less than float64 resolves (sigma_b2 = "
                                   f"{sigma_b2:g} against q = {b:g}): no fixed point found")
            steady = steady + 1 if gb / b >= ga / a * (1 - 1e-9) and gb > noise(b) else 0
            a, ga = b, gb
    b, gb = q0, g0  # the map lowers q: the fixed point lies below (q = 0 at the latest)
    zero = gap(0.0)
    while True:
        a = b / 16.0
        if a < 1e-12 * q0 and zero == 0:
            return 0.0
        if a < Q_TINY:
            a = 0.0
        ga = gap(a) if a > 0 else zero
        if a > 0 and abs(ga) <= noise(a):
            return a
        if ga >= 0:
            return a if ga == 0 else _solved(_root(gap, a, ga, b, gb))
        b, gb = a, ga


def _solved(q: float | None) -> float:
    if q is None:  # the variance map is continuous in q: only a quadrature failure could do this
        raise NoFixedPoint("the variance map jumps across its fixed point")
    return q


def chi(act: Activation, sigma_w2: float, q_star: float) -> float:
    """sigma_w2 * E[f'(sqrt(q*) z)^2]: the growth of a small perturbation per layer."""
    return sigma_w2 * grad_second_moment(act, q_star)


def depth_scale(c: float) -> float | None:
    """-1/ln(chi), the depth over which correlations decay; None where chi >= 1."""
    return -1.0 / math.log(c) if 0 < c < 1 else (0.0 if c == 0 else None)


def mean_field(act: Activation, sigma_w2: float, sigma_b2: float, q0: float = 1.0) -> dict[str, Any]:
    """q_star, chi and depth_scale for one network; ``reasons`` says why any is None."""
    sigma_w2, sigma_b2 = sigma_w2 + 0.0, sigma_b2 + 0.0  # (-0 is 0)
    try:
        q = fixed_point(act, sigma_w2, sigma_b2, q0)
    except (NoFixedPoint, QuadratureError) as e:
        return {"q_star": None, "chi": None, "depth_scale": None, "reasons": [f"{act.spec}: {e}"]}
    try:
        c = chi(act, sigma_w2, q)
    except QuadratureError as e:
        return {"q_star": q, "chi": None, "depth_scale": None, "reasons": [str(e)]}
    out: dict[str, Any] = {"q_star": q, "chi": c, "depth_scale": depth_scale(c)}
    if out["depth_scale"] is None:
        why = f"{act.spec}: chi = {c:.6g} >= 1: correlations do not decay (critical or chaotic), no depth scale"
        out["reasons"] = [why]
    return out


def critical(act: Activation, sigma_b2: Iterable[float], q0: float = 1.0) -> list[float | None]:
    """The edge of chaos: for each sigma_b2, the sigma_w2 at which chi = 1 (None where
    chi does not cross 1 with a fixed point on both sides, as for relu with sigma_b2 > 0).

    >>> import actcli
    >>> critical(actcli.get("relu"), [0.0, 0.5])
    [2.0, None]
    """
    check_elementwise(act)
    moment = cache(lambda q: second_moment(act, q))  # the scans meet the same q (q0 * 4^k) again and again
    slope = cache(lambda q: grad_second_moment(act, q))

    def excess(s: float, b: float) -> float | None:
        try:
            return s * slope(fixed_point(act, s, b, q0, moment)) - 1.0
        except (NoFixedPoint, QuadratureError):
            return None

    def settles(s: float, b: float) -> bool:  # q* stays moderate near s (relu with sigma_b2 > 0: it runs off)
        try:
            return fixed_point(act, s, b, q0, moment) <= 1e6 * max(1.0, q0, b)
        except (NoFixedPoint, QuadratureError):
            return False

    out: list[float | None] = []
    for b in sigma_b2:
        if not (math.isfinite(b) and b >= 0):
            raise ActivationError(f"sigma_b2 must be finite and >= 0, got {b!r}")
        out.append(_crossing(lambda s, b=b: excess(s, b), lambda s, b=b: settles(s, b)))
    return out


def _number(e: float | None) -> float:
    return math.inf if e is None else e  # no fixed point: on the chaotic side


def _crossing(excess: Callable[[float], float | None], settles: Callable[[float], bool]) -> float | None:
    """The sigma_w2 in [2^-10, 2^20] where excess goes from < 0 to >= 0: scan by factors of
    2 from 1 towards the sign change, then refine. Going up, the fixed point can vanish
    (relu past 2) before chi reaches 1: the edge of that region is searched too, and is
    the edge of chaos where chi reaches 1 there with q* moderate (``settles``)."""
    s, e = 1.0, excess(1.0)
    if e == 0:
        return s
    step = 2.0 if e is not None and e < 0 else 0.5
    while 2.0 ** -10 <= s <= 2.0 ** 20:
        t = s * step
        f = excess(t)
        if f == 0:
            return t
        lo, hi, elo, ehi = (s, t, e, f) if step > 1 else (t, s, f, e)
        if elo is not None and elo < 0 and ehi is None:  # chi < 1 at lo, no fixed point at hi
            while hi - lo > 4e-16 * hi:  # bisect towards the end of the fixed points, or a crossing
                mid = (lo + hi) / 2.0
                em = excess(mid)
                if em is not None and em >= 0:
                    hi, ehi = mid, em
                    break
                lo, hi, elo = (mid, hi, em) if em is not None else (lo, mid, elo)
                if elo < -0.01 and hi - lo < 1e-6 * hi:  # chi stays away from 1 up to the end: no edge
                    return None
            else:
                # chi reaches 1 as the fixed point ceases to be (leaky_relu at 2 / (1 + a^2),
                # sigma_b2 = 0: He initialisation): that end is the edge.
                return lo if abs(elo) <= 1e-12 and settles(lo) else None
        if elo is not None and ehi is not None and elo < 0 <= ehi:
            # A jump of chi over 1 (the fixed point reached from q0 changes branch) is no edge.
            return hi if ehi == 0 else _root(lambda v: _number(excess(v)), lo, elo, hi, ehi)
        s, e = t, f
    return None
