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
    non-finite mismatch."""
    fmt = act.format or FORMATS["float64"]
    with np.errstate(all="ignore"):
        err = np.abs(y - truth) / spacing(truth, fmt)
    both = np.isfinite(truth) & np.isfinite(y)
    same = (np.isnan(truth) & np.isnan(y)) | (~np.isnan(truth) & (truth == y))
    return np.where(both, err, np.where(same, 0.0, np.inf))


def not_values(x: np.ndarray, act: Activation) -> np.ndarray:
    """Indices of x that are no values of the dtype. A value may be written exactly, or in
    the short form NumPy prints it in (float32's 0.1; bfloat16 and float8 values as the
    float32 they are, which is what ``actcli eval --dtype D -x`` writes), or as ml_dtypes
    prints it (bfloat16's 0.100098: six digits)."""
    fmt = act.format or FORMATS["float64"]
    bad = np.flatnonzero(~representable(x, fmt))
    if not bad.size:
        return bad
    near = round_to(x[bad], fmt)
    held = as_array(near, fmt, light=True)
    printed = np.array([float(str(v)) for v in held], dtype=np.float64)  # (NumPy's scalars print short)
    six = np.array([float(f"{v:.6g}") for v in near.tolist()], dtype=np.float64)
    return bad[(printed != x[bad]) & (six != x[bad])]


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

    def add(self, err: np.ndarray, xs: list[Any]) -> None:
        """Errors of one block, and the x (or vector) each came from."""
        self.count += err.size
        finite = np.isfinite(err)
        self.nonfinite += int(err.size - finite.sum())
        self.finite += int(finite.sum())
        self.parts.append(math.fsum(err[finite].tolist()))
        where = np.searchsorted(np.array(BUCKETS), err, side="left")  # err <= bound: that bucket
        for key, n in zip(BUCKET_KEYS, np.bincount(where, minlength=len(BUCKET_KEYS)).tolist()):
            self.histogram[key] += n
        if finite.any():
            i = int(np.argmax(np.where(finite, err, -1.0)))
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
