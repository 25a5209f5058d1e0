"""Matplotlib drawing through the object API (no pyplot, no global figure state).

Imported only when a picture is drawn: matplotlib costs ~0.3 s to import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from . import GRAD_WIDTH, HEIGHT, WIDTH, layout
from .data import Curves, Panel

# Colour-blind-safe (Okabe-Ito) colours, paired with line styles that survive greyscale.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))
# On a dark background the light blue leads.
DARK_COLOURS = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#0072B2", "#F0E442", "#ffffff")
THEMES: dict[str, dict[str, Any]] = {
    "light": {"face": "white", "ink": "#222222", "grid": "#dddddd", "axis": "#555555", "bound": "#888888",
              "colours": COLOURS},
    "dark": {"face": "#1e1e1e", "ink": "#e6e6e6", "grid": "#3a3a3a", "axis": "#aaaaaa", "bound": "#999999",
             "colours": DARK_COLOURS},
}


def math_or_text(latex: str, text: str, renderer: Any, prop: FontProperties) -> str:
    """The LaTeX form if matplotlib's mathtext can typeset it, else the plain formula.

    The check measures it with the renderer and font that will draw it: the very parse
    the drawing then reuses (mathtext caches by text, dpi and font).
    """
    try:
        renderer.get_text_width_height_descent(f"${latex}$", prop, ismath=True)
        return f"${latex}$"
    except ValueError:
        return text


def symbol_note(d: Any, params: dict[str, Any], latex: str) -> str:
    """What the formula's letters stand for: ',  $\\alpha$ = 0.2' (a parameter's value) or
    ',  $\\mathrm{sp}$ = softplus(x)' (words), for each symbol the formula uses (a
    single letter as a letter of its own: not the a of \\varphi or of \\text{clip})."""
    from ..activation import format_value

    bare = re.sub(r"\\text\{[^}]*\}", "", latex)
    used = [(sym, format_value(params[v]) if v in params else v) for sym, v in d.symbols.items()
            if (sym in bare if len(sym) > 1 else re.search(rf"(?<![A-Za-z\\]){sym}(?![A-Za-z])", bare))]
    return "".join(f",  ${sym}$ = {value}" for sym, value in used)


def _fit(formula: str, note: str, plain: str, width: float, renderer: Any, prop: FontProperties) -> str:
    """Formula and note on one line; when they are wider than the axes (mathtext cannot
    break a line), the plain formula, which names parameters instead of using letters."""
    title = formula + note
    text_width, _, _ = renderer.get_text_width_height_descent(title, prop, ismath=True)
    if note and text_width / renderer.points_to_pixels(72) > 0.95 * width:
        return plain
    return title


def _finite_limits(panels: Sequence[Panel], extra: Sequence[float]) -> tuple[float, float] | None:
    ys = np.concatenate([p.y[np.isfinite(p.y)] for p in panels] or [np.array([])])
    if ys.size == 0:
        return None
    # Matplotlib's tick arithmetic overflows near the top of the float range.
    lo, hi = max(float(ys.min()), -1e300), min(float(ys.max()), 1e300)
    for b in extra:  # show range bounds that lie near the data (a far one would flatten the curve)
        if lo - 0.25 * (hi - lo) <= b <= hi + 0.25 * (hi - lo):
            lo, hi = min(lo, b), max(hi, b)
    if hi - lo < 1e-12 * max(1.0, abs(hi)):  # a constant curve: give it some room
        pad = max(abs(hi) * 0.1, 0.5)
        return lo - pad, hi + pad
    pad = (hi - lo) * 0.06
    return lo - pad, hi + pad


def _style_axes(ax: Any, theme: dict[str, str], xlabel: str, ylabel: str) -> None:
    ax.set_facecolor(theme["face"])
    ax.grid(True, color=theme["grid"], linewidth=0.6)
    ax.axhline(0.0, color=theme["axis"], linewidth=0.9, zorder=1)
    ax.axvline(0.0, color=theme["axis"], linewidth=0.9, zorder=1)
    ax.set_xlabel(xlabel, color=theme["ink"])
    ax.set_ylabel(ylabel, color=theme["ink"])
    ax.tick_params(colors=theme["ink"])
    for spine in ax.spines.values():
        spine.set_color(theme["grid"])


def _draw_panel(ax: Any, panels: Sequence[Panel], bounds: Sequence[float], theme: dict[str, Any],
                xlim: tuple[float, float], yscale: str = "linear",
                ylim: tuple[float | None, float | None] = (None, None)) -> None:
    colours = theme["colours"]
    # Past 1e300 matplotlib's transforms overflow (a singular matrix): such values are not drawn.
    panels = [replace(p, y=np.where(np.abs(p.y) <= 1e300, p.y, np.nan)) for p in panels]
    for i, p in enumerate(panels):
        colour, style = colours[i % len(colours)], STYLES[i % len(STYLES)]
        ax.plot(p.x, p.y, color=colour, linestyle=style, linewidth=2.0, label=p.label, zorder=3)
        for m in p.marks:  # filled: the value at the point; open: the one-sided limits
            for limit in {m.left, m.right} - {m.at}:
                ax.plot([m.x], [limit], marker="o", markersize=5, markerfacecolor=theme["face"],
                        markeredgecolor=colour, linestyle="none", zorder=4)
            ax.plot([m.x], [m.at], marker="o", markersize=5, color=colour, linestyle="none", zorder=5)
    for b in sorted(set(bounds)):
        ax.axhline(b, color=theme["bound"], linestyle=(0, (4, 3)), linewidth=1.0, zorder=2)
    if yscale == "log":  # log: the positive values only
        panels = [replace(p, y=np.where(p.y > 0, p.y, np.nan)) for p in panels]
    limits = _finite_limits(panels, bounds)
    if limits is None:
        raise ValueError("nothing to draw in this range: every value is nan, infinite or beyond ±1e300"
                         + (", or not positive (--yscale log)" if yscale == "log" else ""))
    if yscale == "linear":
        ax.set_ylim(*limits)
        # Tiny or huge ranges get a power of ten beside the axis, not long labels that overlap.
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4), useMathText=True)
    else:
        ys = np.concatenate([np.abs(p.y[np.isfinite(p.y) & (p.y != 0)]) for p in panels] or [np.ones(1)])
        if yscale == "symlog":  # linear below the smallest value there is, or six decades down
            linthresh = max(float(ys.min()), float(ys.max()) * 1e-6, 1e-300)
            ax.set_yscale("symlog", linthresh=linthresh, linscale=2.0)
            from matplotlib.ticker import FuncFormatter

            # The labels at +-linthresh crowd the 0 between them: 0 alone marks the linear part.
            decades = ax.yaxis.get_major_formatter()
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, pos: "" if 0 < abs(v) <= linthresh * 1.001
                                                       else decades(v, pos)))
        else:
            ax.set_yscale("log")
            ax.set_ylim(float(ys.min()) / 2, float(ys.max()) * 2)
        from matplotlib.ticker import NullFormatter

        ax.yaxis.set_minor_formatter(NullFormatter())  # (labels at 2 x 10^0 and 6 x 10^-1 as well crowd the axis)
    if ylim != (None, None):
        ax.set_ylim(*ylim)
    ax.set_xlim(*xlim)
    ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4), useMathText=True)


# A legend entry at 9 pt: about 0.07 inch a character, and 0.6 inch for the line sample and gap.
_CHAR_INCH, _ENTRY_INCH = 0.07, 0.6


def _legend(fig: Figure, ax: Any, theme: dict[str, Any], width: float) -> Any:
    """The legend below the axes, in as many columns (up to 3) as its labels fit across
    the figure; a label wider than the figure is wrapped after a comma or space."""
    import textwrap

    handles, labels = ax.get_legend_handles_labels()
    chars = max(10, int((width - _ENTRY_INCH) / _CHAR_INCH))
    labels = [textwrap.fill(label, chars, break_on_hyphens=False) for label in labels]
    longest = max(len(line) for label in labels for line in label.splitlines())
    ncols = max(1, min(3, len(labels), int(width // (longest * _CHAR_INCH + _ENTRY_INCH))))
    legend = fig.legend(handles, labels, loc="lower center", ncols=ncols, fontsize=9, borderaxespad=0, frameon=False)
    for text in legend.get_texts():
        text.set_color(theme["ink"])
    return legend


def draw(curves: Sequence[Curves], grad: bool, xlim: tuple[float, float], size: tuple[float | None, float | None],
         title: str | None, theme_name: str, dpi: float = 100.0, yscale: str = "linear",
         ylim: tuple[float | None, float | None] = (None, None)) -> Figure:
    """The figure, laid out at the dpi it will be saved at (text measured once is reused).
    ``yscale`` (linear, log, symlog) applies to both panels, ``ylim`` to the values'."""
    theme = THEMES[theme_name]
    width = size[0] or (GRAD_WIDTH if grad else WIDTH)
    height = size[1] or HEIGHT
    fig = Figure(figsize=(width, height), dpi=dpi, facecolor=theme["face"])
    renderer = FigureCanvasAgg(fig).get_renderer()
    axes = fig.subplots(1, 2) if grad else [fig.subplots(1, 1)]
    single = len(curves) == 1
    bounds = [b for c in curves for b in c.bounds] if single else []
    # (a formula is its own title: its axes say f(x), not 'x*tanh(x)(x)')
    name = curves[0].act.name if single and curves[0].act.definition.family != "formula" else "f"
    _style_axes(axes[0], theme, "x", f"{name}(x)" if single else "f(x)")
    _draw_panel(axes[0], [c.value for c in curves], bounds, theme, xlim, yscale, ylim)
    if grad:
        _style_axes(axes[1], theme, "x", f"{name}'(x)" if single else "f'(x)")
        _draw_panel(axes[1], [c.slope for c in curves if c.slope is not None], [], theme, xlim, yscale)
    if single:
        act = curves[0].act
        d = act.definition
        prop = FontProperties(size=11)
        width = (size[0] or (GRAD_WIDTH if grad else WIDTH)) / (2 if grad else 1)
        for ax, latex, text in [(axes[0], d.latex, d.formula), *([(axes[1], d.dlatex, d.dformula)] if grad else [])]:
            formula = math_or_text(latex, text, renderer, prop)
            # (the plain formula names its parameters: no letters to explain)
            note = symbol_note(d, act.params, latex) if formula.startswith("$") else ""
            ax.set_title(_fit(formula, note, text, width, renderer, prop), color=theme["ink"], fontproperties=prop)
    legend = None
    if len(curves) > 1 or curves[0].act.spec != curves[0].act.name:
        # One legend for both panels, below them: it never covers a curve or a kink.
        legend = _legend(fig, axes[0], theme, width)
    # Several curves are named by the legend: a heading listing them all only repeats it
    # (and, for long specs, runs off the picture).
    dtype = curves[0].act.dtype
    heading = title if title is not None else (curves[0].act.spec if single else "")
    if title is None and single and dtype not in (None, "float64"):
        heading += f" in {dtype}"
    section = curves[0].act.definition.section
    if title is None and single and section is not None:
        heading += f" ({section.text})"
    heading_text = fig.suptitle(heading, color=theme["ink"], fontsize=13, fontweight="bold") if heading else None
    layout.fit(fig, axes, heading_text, legend, renderer)
    return fig


def critical_figure(sigma_b2: np.ndarray, curves: Sequence[tuple[str, Sequence[float | None]]], q: float,
                    dpi: float = 100.0) -> Figure:
    """The edge of chaos: sigma_w2 against sigma_b2, one line per function (gaps where
    a function has none)."""
    theme = THEMES["light"]
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=dpi, facecolor=theme["face"])
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.subplots(1, 1)
    _style_axes(ax, theme, r"$\sigma_b^2$", r"$\sigma_w^2$")
    drawn = False
    for i, (label, w) in enumerate(curves):
        y = np.array([np.nan if v is None else v for v in w], dtype=np.float64)
        drawn = drawn or bool(np.isfinite(y).any())
        ax.plot(sigma_b2, y, color=theme["colours"][i % len(theme["colours"])], linestyle=STYLES[i % len(STYLES)],
                linewidth=2.0, marker="o" if sigma_b2.size < 30 else None, markersize=5, label=label, zorder=3)
    if not drawn:
        raise ValueError("no function here has an edge of chaos on these sigma_b2 values: nothing to draw")
    prop = FontProperties(size=11)
    ax.set_title(math_or_text(r"\chi = 1:\ \mathrm{ordered\ below,\ chaotic\ above}",
                              "chi = 1: ordered below, chaotic above", renderer, prop),
                 color=theme["ink"], fontproperties=prop)
    legend = _legend(fig, ax, theme, WIDTH)
    heading = fig.suptitle(f"Edge of chaos (fixed point reached from q = {q:g})", color=theme["ink"], fontsize=13,
                           fontweight="bold")
    layout.fit(fig, [ax], heading, legend, renderer)
    return fig
