"""An implementation's outputs against the correctly rounded truth, in ulps of its dtype.

What a kernel author needs: given points x (values of dtype D) and what a kernel gave
there, y, the error of each y in units in the last place of D, where one ulp is the
spacing of D's numbers in the binade that holds the *true* value (2**(e - p + 1) for
2**e <= |truth| < 2**(e + 1); a zero truth, or one among the subnormals, uses the
subnormal spacing). A correctly rounded y is within 0.5 ulp; PyTorch's usual promise for
float32 elementwise functions is a few ulps.

NaN against NaN and an infinity against the same infinity agree (0 ulp); any other pair
where one side is not finite is a *non-finite mismatch*: it counts in the histogram's
last bucket and in ``nonfinite_mismatches``, and not in max and mean, which are over the
finite pairs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .activation import Activation
from .dtypes import FORMATS, as_array, representable, round_to, spacing

BUCKETS = (0.5, 1.0, 2.0, 4.0, 16.0)  # upper ends; the last bucket holds the rest
BUCKET_KEYS = ("0.5", "1", "2", "4", "16", "inf")


def ulp_errors(truth: np.ndarray, y: np.ndarray, act: Activation) -> np.ndarray:
    """|y - truth| in ulps of the dtype at the truth; 0 for matching NaN/inf, inf for a
    non-finite mismatch. (Which pairs were finite: :func:`finite_pairs`.)"""
    fmt = act.format or FORMATS["float64"]
    with np.errstate(all="ignore"):
        err = np.abs(y - truth) / spacing(truth, fmt)
    both = np.isfinite(truth) & np.isfinite(y)
    same = (np.isnan(truth) & np.isnan(y)) | (~np.isnan(truth) & (truth == y))
    return np.where(both, err, np.where(same, 0.0, np.inf))


def finite_pairs(truth: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The pairs whose error is a number of ulps: both finite."""
    return np.isfinite(truth) & np.isfinite(y)


def _digits(v: float) -> int:
    """Significant digits of v's shortest decimal (repr): 0.100098 has 6, 100.0 has 1."""
    mantissa = repr(v).split("e")[0].lstrip("-").replace(".", "").strip("0")
    return max(1, len(mantissa))


def not_values(x: np.ndarray, act: Activation) -> np.ndarray:
    """Indices of x that are no values of the dtype. A value may be written exactly, or
    rounded to k significant digits where k is enough to tell every value of the dtype
    apart (ml_dtypes' six digits: bfloat16's 0.100098; C's %.9g: -4.50335932), or in the
    short form NumPy prints (float32's 0.1; bfloat16 and float8 values as the float32 they
    are, which `actcli eval -x` writes). bfloat16's 0.1 is none of these: it is refused."""
    fmt = act.format or FORMATS["float64"]
    bad = np.flatnonzero(~representable(x, fmt))
    if not bad.size:
        return bad
    near = round_to(x[bad], fmt)
    enough = math.ceil(fmt.p * math.log10(2)) + 1  # digits that tell every value apart (float32: 9, as FLT_DECIMAL_DIG)
    ok = np.array([k >= enough and float(f"{v:.{k}g}") == t
                   for v, t in zip(near.tolist(), x[bad].tolist()) for k in [_digits(t)]], dtype=bool)
    if not ok.all():  # NumPy's shortest form is not always the value rounded to its digits (1.2379401e+27)
        held = as_array(near[~ok], fmt, light=True)
        ok[~ok] = np.array([float(str(v)) for v in held], dtype=np.float64) == x[bad][~ok]
    return bad[~ok]


def as_values(y: np.ndarray, act: Activation) -> np.ndarray:
    """y with each number written in the dtype's short printed form (bfloat16's 0.0541992)
    taken as the value it stands for; any other number as it is (its error is then a
    fraction of an ulp more or less)."""
    fmt = act.format or FORMATS["float64"]
    flat = y.ravel()
    printed = not_values(flat, act)
    if printed.size == flat.size or fmt.name == "float64":
        return y
    mask = np.ones(flat.size, dtype=bool)
    mask[printed] = False  # (these are no values, in any form)
    return np.where(mask, round_to(flat, fmt), flat).reshape(y.shape)


class Tally:
    """Counts kept while rows stream past: memory flat in the number of rows."""

    def __init__(self) -> None:
        self.count = 0
        self.finite = 0
        self.parts: list[float] = []
        self.max_ulp: float | None = None
        self.worst_x: Any = None
        self.histogram = dict.fromkeys(BUCKET_KEYS, 0)
        self.nonfinite = 0

    def add(self, err: np.ndarray, compared: np.ndarray, xs: list[Any]) -> None:
        """Errors of one block, which of them compare finite pairs, and the x (or vector)
        each came from. Max and mean are over finite pairs (NaN against NaN agrees, but is
        no measure); the worst x is a finite one where it can be."""
        self.count += err.size
        self.nonfinite += int(np.isinf(err).sum())
        self.finite += int(compared.sum())
        self.parts.append(math.fsum(err[compared].tolist()))
        where = np.searchsorted(np.array(BUCKETS), err, side="left")  # err <= bound: that bucket
        for key, n in zip(BUCKET_KEYS, np.bincount(where, minlength=len(BUCKET_KEYS)).tolist()):
            self.histogram[key] += n
        if compared.any():
            finite_x = np.array([np.all(np.isfinite(v)) for v in xs], dtype=bool)
            # The largest error; among equals, a finite x before -inf (np.lexsort: last key first).
            order = np.lexsort((~finite_x, -np.where(compared, err, -1.0)))
            i = int(order[0])
            if self.max_ulp is None or err[i] > self.max_ulp:
                self.max_ulp, self.worst_x = float(err[i]), xs[i]

    def report(self, act: Activation, kind: str) -> dict[str, Any]:
        fmt = act.format or FORMATS["float64"]
        return {
            "spec": act.spec,
            "params": dict(act.params),
            "dtype": fmt.name,
            "derivative": kind == "grad",
            "count": self.count,
            "max_ulp": self.max_ulp,
            "worst_x": self.worst_x,
            "mean_ulp": math.fsum(self.parts) / self.finite if self.finite else None,
            "histogram": dict(self.histogram),
            "nonfinite_mismatches": self.nonfinite,
        }
