"""What `actcli plot` and `actcli compare -o` do: check the options, sample, draw, write,
report the path. The drawing itself is :mod:`actcli.drawing`'s."""

from __future__ import annotations

import os
import re
import signal
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ..activation import Activation
from ..drawing import (
    DPI,
    GRAD_WIDTH,
    HEIGHT,
    MAX_CURVES,
    WIDTH,
    data,
)
from ..literals import parse_number
from .env import Environment
from .errors import OutputError, UsageError
from .inputs import option_number


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


# Agg draws at most 2^16 - 1 pixels a side; past some 50 million pixels a picture takes
# gigabytes to draw.
MAX_SIDE, MAX_PIXELS = 65_535, 50_000_000


YSCALES = ("linear", "log", "symlog")


def plot(env: Environment, acts: list[Activation], *, grad: bool, output: str | None, xmin: str, xmax: str,
         points: str, size: tuple[str | None, str | None], dpi: str, title: str | None, theme: str,
         terminal: bool, yscale: str | None = None, ylim: tuple[str | None, str | None] = (None, None)) -> None:
    if theme not in ("light", "dark"):
        raise UsageError(f"unknown theme {theme!r}; choose light or dark")
    if yscale is not None and yscale not in YSCALES:
        raise UsageError(f"unknown --yscale {yscale!r}; choose {', '.join(YSCALES)}")
    if terminal and (yscale is not None or ylim != (None, None)):
        raise UsageError("--yscale, --ymin and --ymax shape pictures; the terminal plot scales itself")
    y_lo, y_hi = (option_number(v, f"--y{name}", -1e300, 1e300) if v is not None else None
                  for v, name in zip(ylim, ("min", "max")))
    if y_lo is not None and y_hi is not None and not y_lo < y_hi:
        raise UsageError(f"--ymin must be less than --ymax, got {y_lo:g} and {y_hi:g}")
    if yscale == "log" and y_lo is not None and y_lo <= 0:
        raise UsageError(f"--ymin must be > 0 with --yscale log, got {y_lo:g}")
    if len(acts) > MAX_CURVES:
        raise UsageError(f"{len(acts)} functions: a picture tells at most {MAX_CURVES} apart (by colour and line style)")
    if output is not None and not output.strip():
        raise UsageError("--output needs a file name")
    if terminal and output is not None:
        raise UsageError("--terminal draws in the terminal: give it or --output FILE, not both")
    lo, hi = _range(xmin, xmax)
    samples = int(option_number(points, "--points", 2, 1_000_000, whole=True))
    dots = int(option_number(dpi, "--dpi", 10, 2000, whole=True))
    inches = [option_number(v, f"--{name}", 1, 100) if v is not None else None
              for v, name in zip(size, ("width", "height"))]
    curves = [data.curves(a, lo, hi, samples, grad) for a in acts]
    if terminal:
        from ..drawing import terminal as term

        try:
            picture = term.render(curves, grad, (lo, hi), env.width, env.use_color)
        except ValueError as e:
            raise UsageError(str(e)) from None
        env.stdout.write(picture)  # (an encoding that cannot write braille is the error ladder's to report)
        return
    wide = (inches[0] or (GRAD_WIDTH if grad else WIDTH)) * dots
    high = (inches[1] or HEIGHT) * dots
    if max(wide, high) > MAX_SIDE or wide * high > MAX_PIXELS:
        raise UsageError(f"a picture of {wide:,.0f} x {high:,.0f} pixels is too large (at most {MAX_SIDE:,} a side "
                         f"and {MAX_PIXELS:,} in all): lower --dpi, --width or --height")

    def build(dots: int) -> Any:
        from ..drawing.figure import draw

        return draw(curves, grad, (lo, hi), (inches[0], inches[1]), title.strip() if title else title, theme, dots,
                    yscale or "linear", (y_lo, y_hi))

    save_figure(env, Path(output) if output else default_path(acts, grad), build, dots)


def save_figure(env: Environment, path: Path, build: Callable[[int], Any], dots: int = DPI) -> None:
    """Draw with ``build(dpi)`` and write the picture to ``path``, whole or not at all
    (the format from its extension); say the path on stdout."""
    from ..drawing import files

    to_stdout = str(path) == "-"
    if to_stdout and env.stdout_isatty:
        raise UsageError("-o - writes the picture's bytes to stdout: redirect it or pipe it (| display)")
    try:
        fmt = "png" if to_stdout else files.format_of(path)
    except files.UnknownFormat as e:
        raise UsageError(str(e)) from None
    try:
        import matplotlib.figure  # noqa: F401
    except ValueError:  # matplotlib refuses to import with a bad MPLBACKEND (Agg draws here anyway)
        if "MPLBACKEND" not in os.environ:
            raise
        raise UsageError(f"matplotlib does not know MPLBACKEND={os.environ['MPLBACKEND']!r}; unset it "
                         "(actcli draws with Agg whatever it says)") from None

    # Extreme but finite data (exp on [0, 700]) makes matplotlib's own arithmetic warn.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            fig = build(dots)
        except ValueError as e:
            raise UsageError(str(e)) from None
        if to_stdout:
            env.write_bytes(files.encode(fig, fmt, dots))
            return
        try:
            with _termination_as_exit():
                files.save(fig, path, dots)
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
