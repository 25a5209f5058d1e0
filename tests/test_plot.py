"""Pictures: valid files of the requested size, same bytes for the same input, atomic
writes and clear errors; terminal plots at a given width; breaks drawn as breaks."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest

import actcli
from actcli.drawing import data

from .conftest import cli


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def test_default_name_and_printed_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = cli("plot", "tanh", "--grad")
    assert r.exit_code == 0 and r.stdout == "tanh_grad.png\n"
    assert png_size(tmp_path / "tanh_grad.png") == (1650, 630)  # 11 x 4.2 in at 150 dpi
    assert cli("plot", "leaky_relu(0.2)").stdout == "leaky_relu_negative_slope=0.2.png\n"


@pytest.mark.parametrize(("name", "magic"), [("f.png", b"\x89PNG"), ("f.svg", b"<?xml"), ("f.pdf", b"%PDF")])
def test_format_from_extension(tmp_path: Path, name: str, magic: bytes) -> None:
    out = tmp_path / name
    assert cli("plot", "gelu", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(magic)


def test_size_and_dpi(tmp_path: Path) -> None:
    out = tmp_path / "s.png"
    cli("plot", "relu", "-o", str(out), "--width", "4", "--height", "3", "--dpi", "50")
    assert png_size(out) == (200, 150)


@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_same_input_same_bytes(tmp_path: Path, ext: str) -> None:
    a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
    cli("plot", "mish", "--grad", "-o", str(a))
    cli("plot", "mish", "--grad", "-o", str(b))
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_unknown_extension_is_a_usage_error(tmp_path: Path) -> None:
    r = cli("plot", "relu", "-o", str(tmp_path / "x.jpeg"))
    assert r.exit_code == 2 and "use .png, .svg or .pdf" in r.stderr
    assert not (tmp_path / "x.jpeg").exists()


def test_missing_folders_are_created(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "c.png"
    assert cli("plot", "relu", "-o", str(out)).exit_code == 0 and out.exists()


def test_unwritable_path_is_exit_1(tmp_path: Path) -> None:
    blocker = tmp_path / "file"  # a file where a folder should be: fails even for root
    blocker.write_text("not a folder")
    r = cli("plot", "relu", "-o", str(blocker / "x.png"))
    assert r.exit_code == 1 and "cannot write" in r.stderr and r.stderr.count("\n") == 1
    assert "is a file, not a folder" in r.stderr


def test_failure_leaves_existing_file_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "keep.png"
    out.write_bytes(b"old")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    import matplotlib.figure

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken)
    r = cli("plot", "relu", "-o", str(out))
    assert r.exit_code == 1 and out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.png"]  # no temporary left behind


@pytest.mark.parametrize(("args", "message"), [
    (("--xmin", "3", "--xmax", "1"), "--xmin must be less than --xmax"),
    (("--xmin", "nan"), "must be finite"),
    (("--xmin", "abc"), "not a number"),
    (("--theme", "pink"), "unknown theme"),
])
def test_bad_plot_options(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    r = cli("plot", "relu", "-o", str(tmp_path / "x.png"), *args)
    assert r.exit_code == 2 and message in r.stderr


def test_all_overflow_range_is_a_clear_error(tmp_path: Path) -> None:
    r = cli("plot", "exponential", "--xmin", "800", "--xmax", "900", "-o", str(tmp_path / "x.png"))
    assert r.exit_code == 2 and "nothing to draw" in r.stderr


def test_partly_overflowing_and_constant_curves_still_draw(tmp_path: Path) -> None:
    assert cli("plot", "exponential", "--xmin", "0", "--xmax", "1000", "-o", str(tmp_path / "e.png")).exit_code == 0
    assert cli("plot", "relu", "--xmin", "-5", "--xmax", "-1", "--grad", "-o", str(tmp_path / "c.png")).exit_code == 0


def test_jumps_are_not_joined() -> None:
    """step's curve has a NaN between the two sides of 0 and a dot at step(0)."""
    curves = data.curves(actcli.get("step"), -1.0, 1.0, 101, grad=False)
    x, y = curves.value.x, curves.value.y
    gap = int(np.flatnonzero(np.isnan(x))[0])
    assert y[gap - 1] == 0.0 and y[gap + 1] == 1.0 and 0.0 not in x[np.isfinite(x)]
    assert [(m.x, m.at, m.left, m.right) for m in curves.value.marks] == [(0.0, 1.0, 0.0, 1.0)]


def test_derivative_jumps_at_kinks() -> None:
    curves = data.curves(actcli.get("relu"), -1.0, 1.0, 101, grad=True)
    assert curves.slope is not None
    assert [(m.x, m.at, m.left, m.right) for m in curves.slope.marks] == [(0.0, 0.0, 0.0, 1.0)]
    assert curves.bounds == [0.0]


def test_compare_overlay_plot(tmp_path: Path) -> None:
    out = tmp_path / "cmp.png"
    r = cli("compare", "relu", "gelu", "silu", "--grad", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == f"{out}\n" and png_size(out) == (1650, 630)


def test_terminal_plot_fits_the_width() -> None:
    r = cli("plot", "tanh", "--grad", "--terminal", width=60)
    lines = r.stdout.splitlines()
    assert r.exit_code == 0 and max(len(line) for line in lines) <= 60
    assert any("⠀" < ch <= "⣿" for ch in r.stdout)  # braille
    assert "\x1b[" not in r.stdout  # not a terminal: no colour codes


def test_terminal_plot_colour_when_asked() -> None:
    assert "\x1b[" in cli("plot", "relu", "--terminal", "--color").stdout


def test_plot_titles_typeset() -> None:
    """Every title is mathtext that matplotlib accepts, or the plain formula exactly where
    the LaTeX needs what mathtext lacks (a cases environment, \\tfrac)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from actcli.drawing.figure import math_or_text

    renderer, prop = FigureCanvasAgg(Figure()).get_renderer(), FontProperties(size=11)
    for d in actcli.catalogue():
        for latex, text in ((d.latex, d.formula), (d.dlatex, d.dformula)):
            shown = math_or_text(latex, text, renderer, prop)
            unsupported = any(t in latex for t in ("\\begin{cases}", "\\tfrac"))
            assert shown == (text if unsupported else f"${latex}$"), d.name


@pytest.mark.parametrize(("specs", "grad", "xlim"), [
    (["tanh"], True, (-5.0, 5.0)),
    (["softmax"], True, (-5.0, 5.0)),  # a tall title with a descender
    (["exponential"], True, (0.0, 700.0)),  # offset text '1e300' above the y axis
    (["leaky_relu(0.2)"], True, (-1e6, 1e6)),  # '1e6' below the x axis, and a legend
    (["gelu", "gelu(approximate=tanh)", "silu", "mish", "softplus", "quick_gelu"], True, (-5.0, 5.0)),
    (["sigmoid"], False, (0.0, 10.0)),  # a tick label at the right end hangs over
    (["leaky_relu(negative_slope=0.2)", "gelu(approximate=tanh)", "clipped_gelu(min_val=-0.5, max_val=2)",
      "softplus(beta=2)", "celu(alpha=0.5)", "hardtanh(min_val=-2, max_val=3)", "elu(alpha=2)", "squareplus(b=1)"],
     True, (-5.0, 5.0)),  # eight long names: their heading ran off both sides
])
def test_layout_fits_everything_without_overlap(specs: list[str], grad: bool, xlim: tuple[float, float]) -> None:
    """What matplotlib actually draws (its own tight boxes, after a real render) stays in
    the figure, and panels, heading and legend keep clear of each other."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from actcli.drawing.figure import draw

    curves = [data.curves(actcli.get(s), *xlim, 401, grad) for s in specs]
    fig = draw(curves, grad, xlim, (None, None), None, "light")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    page = fig.bbox
    panels = [ax.get_tightbbox(renderer) for ax in fig.axes]
    others = [t.get_window_extent(renderer) for t in [fig._suptitle, *fig.legends] if t is not None]
    for box in panels + others:
        assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1 and page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1
    boxes = panels + others
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), f"{a} overlaps {b}"


def test_overwriting_keeps_the_files_permissions(tmp_path: Path) -> None:
    out = tmp_path / "private.png"
    out.write_bytes(b"old")
    out.chmod(0o600)
    assert cli("plot", "relu", "-o", str(out)).exit_code == 0
    assert out.read_bytes()[:4] == b"\x89PNG" and (out.stat().st_mode & 0o777) == 0o600


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "real.png"
    target.write_bytes(b"old")
    link = tmp_path / "link.png"
    link.symlink_to(target)
    assert cli("plot", "relu", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and target.read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.png", "real.png"]


@pytest.mark.parametrize(("args", "message"), [
    (("--width", "nan"), "--width must be a number from 1 to 100, got 'nan'"),
    (("--width", "1_0"), "not a number: '1_0' (--width)"),  # Typer read this as 10
    (("--dpi", "1_00"), "not a number: '1_00' (--dpi)"),
    (("--dpi", "75.5"), "--dpi must be a whole number from 10 to 2000"),
    (("--points", "-5"), "--points must be a whole number from 2 to 1e+06, got '-5'"),
    (("--width", "100", "--height", "100", "--dpi", "2000"), "200,000 x 200,000 pixels is too large"),  # said "stdin"
    (("-o", ""), "--output needs a file name"),  # wrote relu.png
    (("-t", "-o", "x.png"), "give it or --output FILE, not both"),  # wrote nothing and said nothing
])
def test_plot_options_are_read_and_checked_by_actclis_rules(args: tuple[str, ...], message: str) -> None:
    r = cli("plot", "relu", *args)
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_at_most_as_many_curves_as_colours_and_styles(tmp_path: Path) -> None:
    from actcli.drawing import MAX_CURVES
    from actcli.drawing.figure import COLOURS, DARK_COLOURS, STYLES
    from actcli.drawing.terminal import ANSI

    assert min(len(COLOURS), len(DARK_COLOURS), len(STYLES), len(ANSI)) >= MAX_CURVES
    specs = [d.name for d in actcli.catalogue() if not d.vector and all(p.default is not None for p in d.params)]
    specs = specs[: MAX_CURVES + 1]
    assert cli("plot", *specs[:MAX_CURVES], "-o", str(tmp_path / "ok.png")).exit_code == 0
    r = cli("compare", *specs, "-o", str(tmp_path / "no.png"))
    assert r.exit_code == 2 and f"at most {MAX_CURVES}" in r.stderr and not (tmp_path / "no.png").exists()


def test_values_past_1e300_are_not_drawn_and_said_so(tmp_path: Path) -> None:
    """matplotlib's transforms overflow there ("Singular matrix", exit 2, naming nothing)."""
    r = cli("plot", "exponential", "--xmin", "700", "--xmax", "800", "-o", str(tmp_path / "e.png"))
    assert r.exit_code == 2 and "beyond ±1e300" in r.stderr and not list(tmp_path.iterdir())
    assert cli("plot", "exponential", "--xmin", "690", "--xmax", "700", "--grad", "-o", str(tmp_path / "f.png")).exit_code == 0


def test_long_legends_fit_the_picture() -> None:
    """Eight long specs: the legend takes fewer columns and wraps, inside the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from actcli.drawing.data import curves
    from actcli.drawing.figure import draw

    specs = ["hardtanh(min_val=-1.2345678901234567, max_val=1.2345678901234567)", "leaky_relu(0.123456789012345)",
             "softplus(beta=1.2345678901234567, threshold=12.345678901234567)", "celu(alpha=0.12345678901234567)",
             "elu(alpha=0.9876543210987654)", "rrelu(lower=0.1234567890123, upper=0.3456789012345)",
             "snake(alpha=1.2345678901234567)", "squareplus(b=1.2345678901234567)"]
    for grad in (False, True):
        fig = draw([curves(actcli.get(s), -5, 5, 101, grad) for s in specs], grad, (-5, 5), (None, None), None, "light")
        renderer = FigureCanvasAgg(fig).get_renderer()
        box, legend = fig.bbox, fig.legends[0].get_window_extent(renderer)
        assert box.x0 <= legend.x0 and legend.x1 <= box.x1 and box.y0 <= legend.y0, (grad, legend, box)


# ------------------------------------------------------------------ scales, ranges, titles
def test_a_log_scale_shows_a_derivative_of_1e_13() -> None:
    """sigmoid' over [30, 40] (1e-13 to 4e-18) was a flat 0 on a linear axis."""
    fig = actcli.plot("sigmoid", grad=True, xmin=30, xmax=40, yscale="log")
    low, high = fig.axes[1].get_ylim()
    assert fig.axes[1].get_yscale() == "log" and high / low > 1e4


def test_range_lines_do_not_flatten_the_curve() -> None:
    """sigmoid on [30, 40] is 1 - 1e-13: its range's 0 would squash it to a line at the top."""
    low, _ = actcli.plot("sigmoid", xmin=30, xmax=40).axes[0].get_ylim()
    assert low > 0.4


def test_ymin_and_ymax_set_the_values_range() -> None:
    assert actcli.plot("relu", ylim=(-0.5, 2.0)).axes[0].get_ylim() == (-0.5, 2.0)
    r = cli("plot", "relu", "--ymin", "2", "--ymax", "1", "-o", "x.png")
    assert r.exit_code == 2 and "--ymin must be less than --ymax" in r.stderr


def test_tiny_ranges_get_short_tick_labels() -> None:
    """-1e-3..1e-3 had labels like -0.00075 overlapping into a strip: now a x10^-3 offset."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = actcli.plot("tanh", xmin=-1e-3, xmax=1e-3)
    FigureCanvasAgg(fig).draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert labels and max(len(t) for t in labels) <= 24 and fig.axes[0].xaxis.get_offset_text().get_text()


@pytest.mark.parametrize("d", [d for d in actcli.catalogue() if d.symbols], ids=lambda d: d.name)
def test_titles_say_what_their_letters_stand_for(d) -> None:  # noqa: ANN001
    """clipped_gelu's a and b, threshold's t and v, mish's sp were undefined in titles."""
    from actcli.definitions import examples

    params = examples(d)[0]
    fig = actcli.plot(actcli.get(d.name, **{k: v for k, v in params.items() if v is not None}), grad=True)
    for ax, latex, plain in zip(fig.axes, (d.latex, d.dlatex), (d.formula, d.dformula)):
        title = ax.get_title()
        assert title == plain or all(f"${s}$ = " in title for s in d.symbols if s in latex and len(s) > 1) or \
            "$ = " in title or not any(s in latex for s in d.symbols), (d.name, title)


def test_no_title_is_a_bare_number() -> None:
    """step's derivative title was a bare 0."""
    fig = actcli.plot("step", grad=True)
    assert fig.axes[1].get_title().strip("$") != "0"
