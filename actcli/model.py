"""The shape of a catalogue entry: one :class:`Definition` per activation function.

A definition holds every fact about its function — names, parameters, maths, properties,
prose — so the CLI, the plots, the docs and the tests all read from the same place.

The records are NamedTuples rather than dataclasses: building a 30-field frozen dataclass
costs about 2.5 ms at import, a NamedTuple 0.5 ms, and every `actcli` call pays it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

Params = Mapping[str, Any]
Value = float | str | bool


class ActivationError(ValueError):
    """A user-facing problem with a function spec or its parameters."""


# ----------------------------------------------------------------- parameters
class Param(NamedTuple):
    """A parameter, with PyTorch's name and default.

    ``default=None`` marks a required parameter, and ``example`` gives a typical value for
    it, with which the docs describe and the tests check the function. ``check`` returns
    an error text for a bad value, or ``None``; ``choices`` limits a string parameter.
    """

    name: str
    default: Value | None
    doc: str
    kind: type = float
    choices: tuple[str, ...] = ()
    check: Callable[[Any], str | None] | None = None
    example: Value | None = None

    def coerce(self, value: Value, function: str) -> Value:
        where = f"{function}: parameter '{self.name}'"
        if isinstance(value, np.generic):  # np.float32(0.2), np.int64(-1): NumPy's scalars are numbers
            value = value.item()
        if self.kind is int:
            if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
                    or value != int(value)):
                raise ActivationError(f"{where} must be a whole number, got {value!r}")
            value = int(value)
        elif self.kind is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ActivationError(f"{where} must be a number, got {value!r}")
            value = float(value)
            if math.isnan(value):
                raise ActivationError(f"{where} must not be nan")
        elif self.kind is str:
            if not isinstance(value, str):
                raise ActivationError(f"{where} must be one of {', '.join(self.choices)}, got {value!r}")
            if self.choices and value not in self.choices:
                raise ActivationError(f"{where} must be one of {', '.join(self.choices)}, got {value!r}")
        elif self.kind is bool and not isinstance(value, bool):
            raise ActivationError(f"{where} must be true or false, got {value!r}")
        if self.check is not None and (problem := self.check(value)):
            raise ActivationError(f"{where} {problem}, got {value!r}")
        return value


def positive(v: float) -> str | None:
    return None if v > 0 else "must be > 0"


def non_negative(v: float) -> str | None:
    return None if v >= 0 else "must be >= 0"


def nonzero(v: float) -> str | None:
    return None if v != 0 else "must not be 0"


def finite(v: float) -> str | None:
    return None if math.isfinite(v) else "must be finite"


def finite_positive(v: float) -> str | None:
    return finite(v) or positive(v)


def finite_nonzero(v: float) -> str | None:
    return finite(v) or nonzero(v)


# ----------------------------------------------------------------- properties
class Interval(NamedTuple):
    """An output range; ``closed`` flags say whether each end is attained."""

    lo: float
    hi: float
    lo_closed: bool = False
    hi_closed: bool = False

    def __str__(self) -> str:
        def fmt(v: float) -> str:
            if math.isinf(v):
                return "inf" if v > 0 else "-inf"
            return f"{v:g}"

        left = "[" if self.lo_closed and math.isfinite(self.lo) else "("
        right = "]" if self.hi_closed and math.isfinite(self.hi) else ")"
        return f"{left}{fmt(self.lo)}, {fmt(self.hi)}{right}"

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.lo) and math.isfinite(self.hi)

    def contains(self, y: np.ndarray) -> np.ndarray:
        """Membership with closed ends: float64 rounding reaches open bounds (sigmoid(40) == 1)."""
        return (y >= self.lo) & (y <= self.hi)


REAL = Interval(-math.inf, math.inf)


class Convention(NamedTuple):
    """The derivative at one kink, by framework (``None``: that framework has no such op)."""

    where: str  # e.g. "x = 0", "x = ±lambd"
    torch: str
    jax: str | None = None  # filled only where JAX differs or we checked it agrees

    def line(self) -> str:
        text = f"at {self.where}: {self.torch} (PyTorch, ours)"
        return text + (f"; JAX: {self.jax}" if self.jax else "")


class Section(NamedTuple):
    """How a vector-valued function is drawn as a curve: f(base + x*direction)[0]."""

    base: tuple[float, ...]
    direction: tuple[float, ...]
    text: str


class Patch(NamedTuple):
    """An interval where a generated polynomial replaces the formula (see tools/make_patches.py).

    Near a root of f' the formula (e.g. silu' = s + x s (1 - s)) subtracts nearly equal
    terms and loses digits; a Taylor expansion about the root does not. Patches apply to
    one parameter set only: the defaults updated with ``params``.
    """

    kind: str  # "value" or "grad"
    lo: float
    hi: float
    params: Mapping[str, Any] = {}  # noqa: RUF012  (never mutated)


Forward = Callable[..., np.ndarray]
Dynamic = Callable[[Params], Any]


class Definition(NamedTuple):
    """Everything about one activation function. See :mod:`actcli.definitions`."""

    name: str
    family: str  # "rectifier" | "squashing" | "gate" | "vector"
    summary: str  # one line for `actcli list`
    forward: Forward  # forward(x, **params) on float64 arrays
    derivative: Forward  # elementwise derivative, or Jacobian (..., n_out, n_in) if vector
    formula: str
    latex: str
    dformula: str
    dlatex: str
    output_range: Interval | Dynamic = REAL
    monotonic: bool | Dynamic = True  # non-decreasing on the whole line
    kinks: Dynamic = lambda p: ()  # points where the derivative jumps; none: C1-smooth
    jumps: Dynamic = lambda p: ()  # points where the function itself jumps
    # Points where the formula changes but f' stays continuous (relu2 at 0): a higher
    # derivative jumps there, which quadrature must know (actcli stats) and plots need not.
    seams: Dynamic = lambda p: ()
    zero_centred: bool | Dynamic = False  # odd: f(-x) = -f(x), so symmetric inputs give mean-zero outputs
    params: tuple[Param, ...] = ()
    aliases: Mapping[str, Params] = {}  # noqa: RUF012  alias -> preset params (never mutated)
    validate: Callable[[Params], str | None] | None = None  # checks across parameters
    conventions: tuple[Convention, ...] = ()
    torch: str | None = None
    jax: str | None = None
    keras: str | None = None
    description: str = ""
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # where frameworks disagree, and what we chose
    patches: tuple[Patch, ...] = ()
    vector: bool = False
    section: Section | None = None
    # Textbook formula in mpmath, the oracle for the accuracy tests: reference(mp, x, **params)
    # for elementwise functions, reference(mp, row, **params) -> list for vector ones.
    reference: Callable[..., Any] | None = None
    # offset(mp, x, m, **params) = f(x) - m without cancellation, for an m near f(x): decides
    # the rounding of a value that lies closer to a midpoint m than any working precision
    # reaches (tanhshrink(x) = x - sign(x) + 2 sign(x)/(e^(2|x|) + 1): see actcli/exact.py).
    offset: Callable[..., Any] | None = None
    # Parameter sets besides the defaults that the tests check too (other common settings).
    variants: tuple[Params, ...] = ()
    # The promise, in ulps of float64, for values and for derivatives (or Jacobians): what
    # the accuracy tests hold the function to against its reference.
    ulps: tuple[float, float] = (2.0, 4.0)
    # torch.nn.init.calculate_gain's value for this function, where PyTorch's table has one.
    torch_gain: Dynamic | None = None
    # What the letters of latex/dlatex stand for: a parameter's name (its value is shown), or
    # words (a constant, a helper): plot titles say it, so no symbol is left undefined.
    symbols: Mapping[str, str] = {}  # noqa: RUF012  (never mutated)

    def range_for(self, params: Params) -> Interval:
        r = self.output_range
        return r if isinstance(r, Interval) else r(params)

    def is_monotonic(self, params: Params) -> bool:
        m = self.monotonic
        return m if isinstance(m, bool) else bool(m(params))

    def is_zero_centred(self, params: Params) -> bool:
        z = self.zero_centred
        return z if isinstance(z, bool) else bool(z(params))

    def breaks(self, params: Params) -> tuple[float, ...]:
        """Points where the function or its derivative jumps, sorted."""
        return tuple(sorted(set(self.kinks(params)) | set(self.jumps(params))))

    def pieces(self, params: Params) -> tuple[float, ...]:
        """Every point where the formula changes: the breaks and the seams, sorted."""
        return tuple(sorted(set(self.breaks(params)) | set(self.seams(params))))
