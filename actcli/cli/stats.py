"""What `actcli stats` does: read its numbers, ask :mod:`actcli.stats`, hand the results
to the renderers (or draw the edge of chaos)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .. import stats
from ..activation import Activation
from ..drawing import MAX_CURVES
from .env import Environment
from .errors import UsageError
from .inputs import linspace as grid
from .inputs import option_number

DEFAULT_GRID = ("0", "1", "11")
MAX_GRID = 1_000  # sigma_b2 values of one --critical: each is a root search over sigma_w2


class Critical(NamedTuple):
    q: float
    sigma_b2: np.ndarray
    curves: list[tuple[Activation, list[float | None]]]


def _q(text: str) -> float:
    return option_number(text, "--q", *stats.Q_RANGE)


def _sigma(text: str, option: str) -> float:
    return option_number(text, option, 0.0, 1e300)


def table(acts: list[Activation], q_text: str, w_text: str | None, b_text: str | None) -> list[dict[str, Any]]:
    """One record per function: spec, params, q, the moments and gains, and with both
    sigmas the fixed point (``reasons`` lists why a value is None)."""
    q = _q(q_text)
    if (w_text is None) != (b_text is None):
        raise UsageError("--sigma-w2 and --sigma-b2 go together: give both")
    for act in acts:
        stats.check_elementwise(act)
    records = []
    for act in acts:
        record: dict[str, Any] = {"spec": act.spec, "params": dict(act.params), "q": q, **stats.moments(act, q)}
        if w_text is not None and b_text is not None:
            field = stats.mean_field(act, _sigma(w_text, "--sigma-w2"), _sigma(b_text, "--sigma-b2"), q)
            reasons = record.pop("reasons", []) + field.pop("reasons", [])
            record.update(field)
            if reasons:
                record["reasons"] = reasons
        records.append(record)
    return records


def critical_curves(acts: list[Activation], q_text: str, w_text: str | None, b_text: str | None,
                    linspace: tuple[str, str, str] | None) -> Critical:
    if w_text is not None:
        raise UsageError("--critical finds sigma_w2 itself: leave out --sigma-w2")
    if b_text is not None and linspace is not None:
        raise UsageError("--sigma-b2 and --linspace both set the sigma_b2 values: give one")
    q = _q(q_text)
    if b_text is not None:
        b = np.array([_sigma(b_text, "--sigma-b2")])
    else:
        start, stop, num = linspace or DEFAULT_GRID
        count = option_number(num, "--linspace NUM", 1, MAX_GRID, whole=True)
        b = np.concatenate(list(grid(start, stop, str(int(count)))))
        if not (np.all(np.isfinite(b)) and b.min() >= 0):
            raise UsageError("--linspace: sigma_b2 values must be finite and >= 0")
    for act in acts:
        stats.check_elementwise(act)
    return Critical(q, b, [(act, stats.critical(act, b.tolist(), q)) for act in acts])


def check_picture(output: str, count: int) -> None:
    """Refuse a picture that cannot be written before the curves are computed."""
    from ..drawing import files

    if not output.strip():
        raise UsageError("--output needs a file name")
    if count > MAX_CURVES:
        raise UsageError(f"{count} functions: a picture tells at most {MAX_CURVES} apart (by colour and line style)")
    try:
        files.format_of(Path(output))
    except files.UnknownFormat as e:
        raise UsageError(str(e)) from None


def plot_critical(env: Environment, data: Critical, output: str) -> None:
    from . import plot

    def build(dpi: int) -> Any:
        from ..drawing.figure import critical_figure

        return critical_figure(data.sigma_b2, [(a.spec, w) for a, w in data.curves], data.q, dpi)

    plot.save_figure(env, Path(output), build)
    if any(v is None for _, w in data.curves for v in w):
        from .render import missing_edge

        env.stderr.write(f"actcli: note: {missing_edge(data.q)}\n")
