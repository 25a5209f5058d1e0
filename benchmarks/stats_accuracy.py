"""How many digits `actcli stats` gets: each moment of each elementwise catalogue function
(defaults and variants) at seeded random variances, against mpmath's quadrature of the
definition's reference formula at 30 digits.

    python benchmarks/stats_accuracy.py     # prints a Markdown table for docs/stats.md

The error of a moment is |ours - truth| / |truth|; for a mean near zero (tanh, selu) it is
taken against E|f| instead, the scale its rounding errors have.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import mpmath as mp
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actcli import stats  # noqa: E402
from actcli.activation import Activation  # noqa: E402
from actcli.definitions import DEFINITIONS, examples  # noqa: E402

CUTS = (-8, -4, -2, -1, 0, 1, 2, 4, 8)


def expectation(f, q: float, pieces: tuple[float, ...]) -> mp.mpf:  # noqa: ANN001
    s = mp.sqrt(q)
    cuts = sorted({mp.mpf(b) / s for b in pieces} | {mp.mpf(c) for c in CUTS})
    return mp.quad(lambda z: f(s * z) * mp.npdf(z), [-mp.inf, *cuts, mp.inf])


def errors(act: Activation, q: float) -> dict[str, float]:
    d, p = act.definition, act.params
    ref = lambda x: d.reference(mp, x, **p)  # noqa: E731
    ours = stats.moments(act, q)
    pieces = d.pieces(p)
    mean = expectation(ref, q, pieces)
    l1 = expectation(lambda x: abs(ref(x)), q, pieces)
    m2 = expectation(lambda x: ref(x) ** 2, q, pieces)
    return {
        "mean": float(abs(ours["mean"] - mean) / max(abs(mean), l1)),
        "second_moment": float(abs(ours["second_moment"] - m2) / m2) if m2 else 0.0,
        "variance": float(abs(ours["variance"] - (m2 - mean**2)) / m2) if m2 else 0.0,
    }


def main() -> int:
    rng = np.random.default_rng(2026)
    qs = [1.0, *np.exp(rng.uniform(math.log(1e-2), math.log(1e2), 4)).tolist()]
    print(f"variances: {', '.join(f'{q:.4g}' for q in qs)}\n")
    print("| function | points | worst mean | worst second moment | worst variance |")
    print("| --- | ---: | ---: | ---: | ---: |")
    worst_all = 0.0
    with mp.workdps(30):
        for d in DEFINITIONS:
            if d.vector:
                continue
            for params in examples(d):
                act = Activation(d, params)
                found = [errors(act, q) for q in qs]
                worst = {k: max(e[k] for e in found) for k in found[0]}
                worst_all = max(worst_all, *worst.values())
                print(f"| `{act.spec}` | {len(qs)} | {worst['mean']:.1e} | {worst['second_moment']:.1e} | "
                      f"{worst['variance']:.1e} |")
    print(f"\nworst relative error overall: {worst_all:.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
