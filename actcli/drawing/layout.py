"""Panel placement from measured text, in place of matplotlib's constrained layout.

Constrained layout finds the margins by building and measuring every tick of every axis,
twice, before the real draw: about 35 ms of a 0.6 s plot. The margins only need the
widest tick label, and that is the formatter's text for the locator's ticks, which can be
measured without making Tick objects. Titles, axis labels, the heading and the legend are
measured as themselves. Everything is in pixels of the renderer measured with (the
figure's own Agg renderer, at the dpi it will be saved at).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
from matplotlib import cbook
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

PAD = 4.0  # points around the edge and between neighbours


def _points(fig: Figure, pt: float) -> float:
    return pt * fig.dpi / 72.0


def _line_height(renderer: Any, prop: FontProperties) -> float:
    """Matplotlib gives every line of text at least the height of 'lp' (ascent and descent)."""
    return renderer.get_text_width_height_descent("lp", prop, ismath=False)[1]


def _tick_labels(axis: Any, renderer: Any, which: str) -> tuple[float, float, float, float]:
    """Of the labels the axis will draw (from locator and formatter): the widest, the
    line height, and how far the first and last reach past the ends of the axis."""
    lo, hi = sorted(axis.get_view_interval())
    slack = 1e-10 * max(abs(lo), abs(hi), 1e-300)
    locs = [v for v in axis.get_major_locator()() if lo - slack <= v <= hi + slack]
    prop = FontProperties(size=mpl.rcParams[f"{which}tick.labelsize"])
    # (log scales and scientific labels are mathtext: $\\mathdefault{10^{-13}}$, measured as such)
    widths = [renderer.get_text_width_height_descent(text, prop, ismath=cbook.is_math_text(text))[0]
              for text in axis.get_major_formatter().format_ticks(locs)]
    if not widths:
        return 0.0, 0.0, 0.0, 0.0
    at_end = 1e-6 * (hi - lo)  # a label centred on an end hangs over by half its width
    first = widths[0] / 2 if abs(locs[0] - lo) <= at_end else 0.0
    last = widths[-1] / 2 if abs(locs[-1] - hi) <= at_end else 0.0
    return max(widths), _line_height(renderer, prop), first, last


def _offset_height(axis: Any, renderer: Any) -> float:
    """The '1e300', '+1' or mathtext 'x10^6' the formatter may put at the axis's end."""
    text = axis.get_major_formatter().get_offset()
    if not text:
        return 0.0
    prop = FontProperties(size=mpl.rcParams["ytick.labelsize"])
    height = renderer.get_text_width_height_descent(text, prop, ismath=cbook.is_math_text(text))[1]
    return max(height, _line_height(renderer, prop))


def _sides(fig: Figure, ax: Any, renderer: Any) -> tuple[float, float, float, float]:
    """Room the panel's decorations take beyond its frame: left, right, top, bottom."""
    tick = _points(fig, mpl.rcParams["ytick.major.size"] + mpl.rcParams["ytick.major.pad"])
    label_pad = _points(fig, mpl.rcParams["axes.labelpad"])
    y_width, y_height, _, y_top = _tick_labels(ax.yaxis, renderer, "y")
    _, x_height, x_first, x_last = _tick_labels(ax.xaxis, renderer, "x")
    left = y_width + tick + label_pad + ax.yaxis.label.get_window_extent(renderer).width
    # Below the tick labels: the axis label, and at the right end perhaps an offset ('1e6').
    bottom = x_height + tick + max(label_pad + ax.xaxis.label.get_window_extent(renderer).height,
                                   _points(fig, 3.0) + _offset_height(ax.xaxis, renderer))
    title = ax.title.get_window_extent(renderer).height if ax.get_title() else 0.0
    # A tick label at the top end reaches half its height above the frame.
    # (matplotlib lifts a title above the y axis's offset text: 'x10^6' and title stack)
    offset = _offset_height(ax.yaxis, renderer)
    top = max(title + _points(fig, mpl.rcParams["axes.titlepad"]) + offset if title else offset,
              y_height / 2 if y_top else 0.0)
    return max(left, x_first), x_last, top, bottom


def _lift_titles(fig: Figure, axes: Sequence[Any], renderer: Any) -> None:
    """Matplotlib sets a title on its baseline, titlepad above the frame, so a descender
    (the j under a sum) reaches down to the frame: lift each title by its own descent."""
    for ax in axes:
        title = ax.title
        text = title.get_text()
        if text:
            descent = renderer.get_text_width_height_descent(text, title.get_fontproperties(),
                                                             ismath=cbook.is_math_text(text))[2]
            ax.set_title(text, pad=mpl.rcParams["axes.titlepad"] + descent * 72.0 / fig.dpi,
                         color=title.get_color(), fontproperties=title.get_fontproperties().copy())


def fit(fig: Figure, axes: Sequence[Any], heading: Any, legend: Any, renderer: Any) -> None:
    """Place the panels side by side so that everything just fits, heading above,
    legend below. Measured twice: the first placement can change the ticks a little."""
    _lift_titles(fig, axes, renderer)
    w, h = fig.bbox.width, fig.bbox.height
    pad = _points(fig, PAD)
    above = pad + (heading.get_window_extent(renderer).height + pad if heading is not None else 0.0)
    below = pad + (legend.get_window_extent(renderer).height + pad if legend is not None else 0.0)
    for _ in range(2):
        sides = [_sides(fig, ax, renderer) for ax in axes]
        top = above + max(s[2] for s in sides)
        bottom = below + max(s[3] for s in sides)
        gaps = [sides[i][1] + 3 * pad + sides[i + 1][0] for i in range(len(axes) - 1)]
        width = (w - pad - sides[0][0] - sum(gaps) - sides[-1][1] - pad) / len(axes)
        x = pad + sides[0][0]
        for ax, gap in zip(axes, [*gaps, 0.0]):
            ax.set_position([x / w, bottom / h, width / w, (h - top - bottom) / h])
            x += width + gap
    if heading is not None:
        heading.set_y(1.0 - pad / h)
    if legend is not None:
        legend.set_bbox_to_anchor((0.5, pad / h), transform=fig.transFigure)
