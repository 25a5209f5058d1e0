"""Number formats a model uses, and rounding to them exactly once.

Every format here is described by three numbers, as IEEE 754 does: the significand's
precision ``p`` in bits (the leading one included), the smallest normal exponent
``emin``, and the largest finite value. Rounding is to nearest, ties to even, from float64
(or from an exact value) *directly*: converting float64 -> float32 -> bfloat16 rounds twice
and is wrong near midpoints (PyTorch's cast of 1 + 2**-8 + 2**-30 to bfloat16 gives 1).

Overflow follows each format: float64/32/16, bfloat16 and float8_e5m2 round to ±inf past
``max + ulp/2``; float8_e4m3fn has no infinity ("fn": finite and NaN), so a value that
rounds past 448 is NaN, as ml_dtypes' and JAX's casts give (PyTorch's cast saturates to
±448 instead; a saturating kernel shows as a non-finite mismatch in ``actcli check``).

NumPy holds float64/32/16; bfloat16 and the float8 formats are ml_dtypes' NumPy dtypes
(the ones JAX uses), imported only when one of them is asked for.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from .model import ActivationError


class Format(NamedTuple):
    """A binary floating-point format: what rounding to it needs to know."""

    name: str  # NumPy's / ml_dtypes' name
    p: int  # significand bits, the implicit one included
    emin: int  # exponent of the smallest normal number
    max: float  # largest finite value
    inf: bool  # has ±inf (else overflow gives NaN)
    short: str  # the name PyTorch users type

    @property
    def width(self) -> int:
        """Storage bits: sign, exponent and stored significand."""
        exponent_bits = int(math.log2(1 - self.emin + 1)) + 1
        return 1 + exponent_bits + self.p - 1

    @property
    def tiny(self) -> float:
        """The smallest subnormal."""
        return math.ldexp(1.0, self.emin - self.p + 1)

    def numpy(self) -> Any:
        """The NumPy dtype that holds this format's values."""
        if self.name in _NUMPY:
            return _NUMPY[self.name]
        import ml_dtypes  # only for the formats NumPy lacks

        return np.dtype(getattr(ml_dtypes, self.name))


_NUMPY = {"float64": np.dtype(np.float64), "float32": np.dtype(np.float32), "float16": np.dtype(np.float16)}

FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("float64", 53, -1022, float.fromhex("0x1.fffffffffffffp+1023"), True, "fp64"),
    Format("float32", 24, -126, float.fromhex("0x1.fffffep+127"), True, "fp32"),
    Format("float16", 11, -14, 65504.0, True, "fp16"),
    Format("bfloat16", 8, -126, float.fromhex("0x1.fep+127"), True, "bf16"),
    Format("float8_e4m3fn", 4, -6, 448.0, False, "fp8_e4m3"),
    Format("float8_e5m2", 3, -14, 57344.0, True, "fp8_e5m2"),
)}
# Every spelling accepted for a format: its name, its short name, and a few common ones.
ALIASES: dict[str, str] = {
    **{f.name: f.name for f in FORMATS.values()},
    **{f.short: f.name for f in FORMATS.values()},
    "double": "float64", "float": "float32", "half": "float16", "bfloat": "bfloat16",
    "e4m3": "float8_e4m3fn", "e5m2": "float8_e5m2", "fp8_e4m3fn": "float8_e4m3fn",
}


def lookup(name: str) -> Format:
    """The format called ``name`` (``"bf16"``, ``"float8_e4m3fn"``, ...)."""
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in ALIASES:
        shown = ", ".join(f"{f.name} ({f.short})" for f in FORMATS.values())
        raise ActivationError(f"unknown dtype {name!r}; choose from {shown}")
    return FORMATS[ALIASES[key]]


def round_to(x: np.ndarray, fmt: Format) -> np.ndarray:
    """float64 values rounded once, to nearest with ties to even, to ``fmt`` (as float64).

    >>> round_to(np.array([1 + 2**-8 + 2**-30, 464.0, 470.0]), FORMATS["float8_e4m3fn"]).tolist()
    [1.0, 448.0, nan]
    """
    x = np.asarray(x, dtype=np.float64)
    if fmt.name == "float64":
        return x
    if fmt.name == "float32":  # the hardware's conversion: one correct rounding
        with np.errstate(over="ignore"):
            return x.astype(np.float32).astype(np.float64)
    with np.errstate(all="ignore"):
        _, e = np.frexp(x)  # |x| = m 2**e with 0.5 <= m < 1: the binade's exponent is e - 1
        q = np.maximum(e - 1, fmt.emin) - (fmt.p - 1)  # the exponent of one ulp there
        y = np.ldexp(np.rint(np.ldexp(x, -q)), q)  # (both scalings are exact)
        y = np.where(np.isfinite(x), y, x)
        over = np.abs(y) > fmt.max
        if over.any():
            y = np.where(over, np.copysign(np.inf, x) if fmt.inf else np.nan, y)
    return y


def representable(x: np.ndarray, fmt: Format) -> np.ndarray:
    """Which float64 values are exactly values of ``fmt`` (NaN and ±inf where it has them)."""
    y = round_to(x, fmt)
    same = (y == x) | (np.isnan(x) & np.isnan(y))
    if not fmt.inf:
        same &= ~np.isinf(x)
    return same


def spacing(truth: np.ndarray, fmt: Format) -> np.ndarray:
    """One ulp of ``fmt`` in the binade that holds each (true) value: 2**(e - p + 1) for
    2**e <= |v| < 2**(e+1), the subnormal spacing below the normals, and for 0 too."""
    t = np.abs(np.asarray(truth, dtype=np.float64))
    with np.errstate(all="ignore"):
        _, e = np.frexp(t)
        e = np.where(t == 0, fmt.emin, e - 1)  # (frexp(0) gives exponent 0: 0 is in no binade)
        return np.ldexp(1.0, np.maximum(e, fmt.emin) - (fmt.p - 1))


def as_array(y: np.ndarray, fmt: Format, light: bool = False) -> np.ndarray:
    """float64 values already rounded to ``fmt`` in ``fmt``'s NumPy dtype (an exact cast).
    ``light`` holds bfloat16 and float8 values in float32 instead, which holds each of them
    exactly: the command line does, since importing ml_dtypes 0.7 takes 0.44 s."""
    if fmt.name == "float64":
        return y
    with np.errstate(all="ignore"):
        if light and fmt.name not in _NUMPY:
            return np.asarray(y).astype(np.float32)
        return np.asarray(y).astype(fmt.numpy())


def every_value(fmt: Format) -> np.ndarray:
    """Every value of a format of at most 16 bits, increasing, as float64: -inf (where the
    format has it), the finite values with -0 and +0 once each, +inf, then one NaN."""
    if fmt.width > 16:
        raise ActivationError(f"--all lists every value of a 16-bit or 8-bit dtype; {fmt.name} has "
                              f"{2 ** fmt.width:,} (give numbers, --linspace or stdin instead)")
    v = decode(np.arange(2 ** fmt.width), fmt)
    v = v[~np.isnan(v)]
    negative = np.signbit(v)
    ordered = np.concatenate([np.sort(v[negative]), np.sort(v[~negative])])  # -0 sorts with the negatives
    return np.concatenate([ordered, [np.nan]])


def decode(codes: np.ndarray, fmt: Format) -> np.ndarray:
    """The values of a format's bit patterns (as integers), as float64: sign, exponent
    field and fraction, with the top exponent for inf and NaN (float8_e4m3fn: only its
    all-ones pattern is NaN, and it has no inf)."""
    codes = np.asarray(codes, dtype=np.int64)
    fraction_bits = fmt.p - 1
    exponent_bits = fmt.width - 1 - fraction_bits
    top = (1 << exponent_bits) - 1
    sign = np.where((codes >> (fmt.width - 1)) & 1, -1.0, 1.0)
    field = (codes >> fraction_bits) & top
    fraction = (codes & ((1 << fraction_bits) - 1)).astype(np.float64)
    bias = 1 - fmt.emin
    magnitude = np.where(field == 0, np.ldexp(fraction, fmt.emin - fraction_bits),
                         np.ldexp(1.0 + np.ldexp(fraction, -fraction_bits), field - bias))
    if fmt.inf:
        special = field == top
        magnitude = np.where(special, np.where(fraction == 0, np.inf, np.nan), magnitude)
    else:
        magnitude = np.where((field == top) & (fraction == (1 << fraction_bits) - 1), np.nan, magnitude)
    return sign * magnitude


# ------------------------------------------------------------ exact values
def round_exact(mantissa: int, exponent: int, fmt: Format) -> float:
    """The exact value mantissa * 2**exponent rounded once to ``fmt`` (ties to even)."""
    if mantissa == 0:
        return 0.0
    sign = -1.0 if mantissa < 0 else 1.0
    m = abs(mantissa)
    top = m.bit_length() - 1 + exponent  # |v| is in [2**top, 2**(top+1))
    q = max(top, fmt.emin) - (fmt.p - 1)  # exponent of one ulp of the result
    shift = q - exponent
    if shift > 0:
        kept, rest = m >> shift, m & ((1 << shift) - 1)
        half = 1 << (shift - 1)
        if rest > half or (rest == half and kept & 1):
            kept += 1
        m, exponent = kept, q
    try:
        value = math.ldexp(float(m), exponent)  # (m has at most p + 1 <= 54 bits: exact)
    except OverflowError:
        value = math.inf
    if value > fmt.max:
        return sign * math.inf if fmt.inf else math.nan
    return sign * value


def is_midpoint_exact(mantissa: int, exponent: int, fmt: Format) -> bool:
    """Whether mantissa * 2**exponent lies exactly halfway between two values of ``fmt``."""
    if mantissa == 0:
        return False
    m = abs(mantissa)
    top = m.bit_length() - 1 + exponent
    q = max(top, fmt.emin) - (fmt.p - 1)
    shift = q - exponent
    return shift > 0 and (m & ((1 << shift) - 1)) == 1 << (shift - 1)
