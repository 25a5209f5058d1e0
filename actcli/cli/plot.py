"""What `actcli plot` and `actcli compare -o` do: check the options, sample, draw, write,
report the path. The drawing itself is :mod:`actcli.plot`'s."""

from __future__ import annotations

import os
import re
import signal
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..activation import Activation
from ..literals import parse_number
from ..plot import DPI, POINTS, THEME, XMAX, XMIN, data
from .env import Environment
from .errors import OutputError, UsageError


def _range(xmin: str, xmax: str) -> tuple[float, float]:
    lo = parse_number(xmin.strip(), " (--xmin)")
    hi = parse_number(xmax.strip(), " (--xmax)")
    if not (lo == lo and hi == hi and abs(lo) != float("inf") and abs(hi) != float("inf")):
        raise UsageError("--xmin and --xmax must be finite")
    if not lo < hi:
        raise UsageError(f"--xmin must be less than --xmax, got {lo:g} and {hi:g}")
    if max(abs(lo), abs(hi)) > XLIMIT:
        raise UsageError(f"--xmin and --xmax must lie within ±{XLIMIT:g}, got {lo:g} and {hi:g}")
    return lo, hi


# Beyond, the arithmetic of axes and ticks (matplotlib's, and the terminal plot's) overflows.
XLIMIT = 1e300


def default_path(acts: list[Activation], grad: bool) -> Path:
    stem = "_".join(re.sub(r"[^A-Za-z0-9_.=-]+", "_", a.spec).strip("_") for a in acts)
    return Path(f"{stem}{'_grad' if grad else ''}.png")


def plot(env: Environment, acts: list[Activation], *, grad: bool, output: str | None, xmin: str, xmax: str,
         points: int, size: tuple[float | None, float | None], dpi: int, title: str | None, theme: str,
         terminal: bool) -> None:
    if theme not in ("light", "dark"):
        raise UsageError(f"unknown theme {theme!r}; choose light or dark")
    lo, hi = _range(xmin, xmax)
    curves = [data.curves(a, lo, hi, points, grad) for a in acts]
    if terminal:
        from ..plot import terminal as term

        try:
            env.stdout.write(term.render(curves, grad, (lo, hi), env.width, env.use_color))
        except ValueError as e:
            raise UsageError(str(e)) from None
        return
    path = Path(output) if output else default_path(acts, grad)
    from ..plot import files

    try:
        files.format_of(path)
    except files.UnknownFormat as e:
        raise UsageError(str(e)) from None
    try:
        from ..plot.figure import draw
    except ValueError:  # matplotlib refuses to import with a bad MPLBACKEND (Agg draws here anyway)
        if "MPLBACKEND" not in os.environ:
            raise
        raise UsageError(f"matplotlib does not know MPLBACKEND={os.environ['MPLBACKEND']!r}; unset it "
                         "(actcli draws with Agg whatever it says)") from None

    # Extreme but finite data (exp on [0, 700]) makes matplotlib's own arithmetic warn.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            fig = draw(curves, grad, (lo, hi), size, title.strip() if title else title, theme, dpi)
        except ValueError as e:
            raise UsageError(str(e)) from None
        try:
            with _termination_as_exit():
                files.save(fig, path, dpi)
        except OSError as e:
            raise OutputError(f"cannot write {str(path)!r}: {e.strerror or e}") from None
    env.stdout.write(f"{path}\n")


@contextmanager
def _termination_as_exit() -> Iterator[None]:
    """While the file is written, SIGTERM (kill's default) exits through Python, so that
    the temporary file is removed on the way out (exit 143, as the signal's own)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def compare_plot(env: Environment, acts: list[Activation], output: str, grad: bool) -> None:
    plot(env, acts, grad=grad, output=output, xmin=XMIN, xmax=XMAX, points=POINTS, size=(None, None),
         dpi=DPI, title=None, theme=THEME, terminal=False)
