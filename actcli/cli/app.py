"""The Typer application: each command parses its options and hands over to a library call.

Each command is its own Typer app, built into a Click command only when it is invoked
(:class:`~.command_classes.LazyGroup`); ``app`` is the top level that holds them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Optional

import numpy as np
import typer

from .. import __version__
from ..activation import Activation
from ..definitions import DEFINITIONS, FAMILIES, all_names, resolve, resolve_to_describe
from ..drawing import DPI, POINTS, THEME, XMAX, XMIN
from ..spec import parse_assignment
from . import inputs, render
from .command_classes import LazyGroup, NumberFriendlyCommand
from .env import Environment
from .errors import UsageError

_SETTINGS: dict[str, Any] = {
    "rich_markup_mode": None,  # plain Click help: square brackets in help text stay as typed
    "pretty_exceptions_enable": False,
    "add_completion": False,
}
COMMANDS: dict[str, typer.Typer] = {}
MAX_COMPARED = 50  # functions in one compare: the whole catalogue fits; 1,200 took 35 s and 720 MB
# The examples each --help shows, by command ("" for actcli itself); a test runs them all.
EXAMPLES: dict[str, list[str]] = {}


def _epilog(name: str, examples: list[str]) -> str:
    EXAMPLES[name] = examples
    return "\b\nExamples:\n  " + "\n  ".join(examples)  # \b: Click keeps the lines as they are


def command(name: str, summary: str, examples: list[str]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare a command of actcli: its own Typer app, registered under its name."""
    COMMANDS[name] = sub = typer.Typer(**_SETTINGS)
    # short_help: the whole summary in `actcli --help` (Click cuts the help to 45 characters).
    return sub.command(name, cls=NumberFriendlyCommand, help=summary, short_help=summary,
                       epilog=_epilog(name, examples))


class Actcli(LazyGroup):
    apps = COMMANDS


app = typer.Typer(
    cls=Actcli,
    **{**_SETTINGS, "add_completion": True},  # --install-completion, --show-completion
    invoke_without_command=True,  # bare `actcli`: the help, on stdout (main below)
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Values, derivatives and pictures of neural-network activation functions.",
    epilog=_epilog("", ["actcli eval relu 1 -2 3", "actcli grad tanh 0 1", "actcli plot tanh --grad",
                        "actcli compare relu gelu silu", "actcli info gelu",
                        "seq -5 5 | actcli eval sigmoid | actcli eval logsigmoid -"]),
)


def _complete_spec(incomplete: str) -> list[str]:
    return [n for n in all_names() if n.startswith(incomplete)]


# Options shared by several commands, declared once.
SpecArg = Annotated[str, typer.Argument(metavar="SPEC", help="Function: a name, or name(k=v, ...).",
                                        autocompletion=_complete_spec, show_default=False)]
SpecsArg = Annotated[list[str], typer.Argument(metavar="SPEC", help="Functions, each a name or name(k=v, ...).",
                                               autocompletion=_complete_spec, show_default=False)]
ValuesArg = Annotated[Optional[list[str]], typer.Argument(
    metavar="X", show_default=False,
    help="Input numbers; '-' or none (with piped input) reads stdin. Negative numbers are fine.")]
def _format_option(formats: tuple[str, ...]) -> Any:
    """-f/--format with the formats a command writes, named in its --help."""
    return Annotated[Optional[str], typer.Option(
        "--format", "-f", metavar="FORMAT", show_default=False,
        help=f"{', '.join(formats)}; the default is table on a terminal, plain in pipes.")]


VALUE_FORMATS = ("table", "plain", "csv", "tsv", "json", "ndjson")
TABLE_FORMATS = ("table", "plain", "csv", "tsv", "json")
TEXT_FORMATS = ("table", "plain", "json")
ValueFormatOpt = _format_option(VALUE_FORMATS)
FormatOpt = _format_option(TABLE_FORMATS)
TextFormatOpt = _format_option(TEXT_FORMATS)
DtypeOpt = Annotated[str, typer.Option(
    "--dtype", metavar="DTYPE",
    help="float64, float32, float16, bfloat16, float8_e4m3fn or float8_e5m2 (or fp64, fp32, fp16, bf16, fp8_e4m3, "
         "fp8_e5m2): inputs, parameters and results rounded to it; results correctly rounded.")]
ExactOpt = Annotated[bool, typer.Option(
    "--exact", help="Correctly rounded results in DTYPE, float64 included, from the mpmath reference "
                    "(about 0.1 to 1 ms a point).")]
OrderOpt = Annotated[Optional[str], typer.Option(
    "--order", metavar="N", show_default=False,
    help="grad: the N-th derivative (N >= 1; from 2 on by the mpmath reference, correctly rounded, 1-200 ms a point).")]
AllOpt = Annotated[bool, typer.Option(
    "--all", help="Every value of a 16- or 8-bit --dtype as input, in increasing order (an exhaustive table).")]
ParamOpt = Annotated[Optional[list[str]], typer.Option(
    "--param", "-p", metavar="K=V", show_default=False, help="Set a parameter (repeatable).")]
LinspaceOpt = Annotated[Optional[tuple[str, str, str]], typer.Option(
    "--linspace", metavar="START STOP NUM", show_default=False, help="Evaluate on NUM evenly spaced points.")]
ColumnOpt = Annotated[Optional[list[str]], typer.Option(
    "--column", "-c", metavar="NAME|N", show_default=False,
    help="Transform this column of CSV/TSV/whitespace rows from stdin (a header name, or a number from 1; "
         "repeatable, or a,b,c), passing the others through and adding the results as columns.")]
HeaderOpt = Annotated[Optional[bool], typer.Option(
    "--header/--no-header", show_default=False,
    help="With --column: the first line is (not) a header (default: it is when it is not all numbers).")]
NullOpt = Annotated[bool, typer.Option(
    "--null", help='json, ndjson: write nan and ±inf as null (default: the strings "nan", "inf", "-inf").')]
WithInputOpt = Annotated[bool, typer.Option("--with-input", "-x", help="Add x columns (plain, csv, tsv).")]
ColorOpt = Annotated[Optional[bool], typer.Option("--color/--no-color", show_default=False,
                                                  help="Force colour on or off (default: NO_COLOR, FORCE_COLOR, TTY).")]


# What a picture is made of: shared by plot and compare -o.
XminOpt = Annotated[Optional[str], typer.Option("--xmin", metavar="X", show_default=False, help=f"Left end of the x range (default {XMIN}).")]
XmaxOpt = Annotated[Optional[str], typer.Option("--xmax", metavar="X", show_default=False, help=f"Right end of the x range (default {XMAX}).")]
PointsOpt = Annotated[Optional[str], typer.Option("--points", "-n", metavar="N", show_default=False,
                                                  help=f"Samples per curve, 2 to 1,000,000 (default {POINTS}).")]
WidthOpt = Annotated[Optional[str], typer.Option("--width", metavar="INCHES", show_default=False,
                                                 help="Figure width, 1 to 100 inches.")]
HeightOpt = Annotated[Optional[str], typer.Option("--height", metavar="INCHES", show_default=False,
                                                  help="Figure height, 1 to 100 inches.")]
DpiOpt = Annotated[Optional[str], typer.Option("--dpi", metavar="DPI", show_default=False,
                                               help=f"Resolution of raster output, 10 to 2000 (default {DPI}).")]
TitleOpt = Annotated[Optional[str], typer.Option("--title", metavar="TEXT", show_default=False, help="Figure title.")]
ThemeOpt = Annotated[Optional[str], typer.Option("--theme", metavar="THEME", show_default=False, help=f"light or dark (default {THEME}).")]
YminOpt = Annotated[Optional[str], typer.Option("--ymin", metavar="Y", show_default=False, help="Bottom of the values' y range.")]
YmaxOpt = Annotated[Optional[str], typer.Option("--ymax", metavar="Y", show_default=False, help="Top of the values' y range.")]
YscaleOpt = Annotated[Optional[str], typer.Option(
    "--yscale", metavar="SCALE", show_default=False,
    help="linear (default), log (positive values) or symlog: for values and derivatives spanning decades.")]


def _x_range(linspace: tuple[str, str, str] | None, xmin: str | None, xmax: str | None,
             points: str | None) -> tuple[str, str, str]:
    """--linspace START STOP NUM, or --xmin/--xmax/--points: the same thing, said once."""
    if linspace is not None:
        if (xmin, xmax, points) != (None, None, None):
            raise UsageError("give --linspace START STOP NUM or --xmin/--xmax/--points, not both")
        return linspace
    return xmin or XMIN, xmax or XMAX, points or str(POINTS)


def env_of(ctx: typer.Context, color: bool | None = None) -> Environment:
    if not isinstance(ctx.obj, Environment):
        ctx.obj = Environment.from_system()
    if color is not None:
        ctx.obj.color = color
    return ctx.obj


def _assignments(params: list[str] | None) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for key, value in (parse_assignment(p) for p in params or []):
        if key in extra:  # (the last one silently won)
            raise UsageError(f"-p {key}= given twice")
        extra[key] = value
    return extra


def build(spec: str, params: list[str] | None, dtype: str = "float64", exact: bool = False) -> Activation:
    extra = _assignments(params)
    definition, bound = resolve(spec, extra)
    if definition.vector and bound.get("dim", -1) != -1:
        # Every vector the command line reads is 1-D (the arguments, or one line of stdin,
        # evaluated in blocks of rows): its one axis is dim 0 or dim -1, nothing else.
        if bound["dim"] != 0:
            raise UsageError(f"{definition.name}: dim={bound['dim']:.6g}: each vector here is one line of stdin "
                             "(or the arguments), whose only axis is dim 0 or -1")
        bound = {**bound, "dim": -1}
    return Activation(definition, bound, dtype, exact, light=True)  # (no ml_dtypes: see dtypes.as_array)


def _fmt(env: Environment, fmt: str | None, formats: tuple[str, ...] = TABLE_FORMATS) -> str:
    fmt = fmt.strip().lower() if fmt is not None else None
    if fmt is not None and fmt not in formats:
        raise UsageError(f"unknown format {fmt!r} for this command; choose from {', '.join(formats)}")
    return render.resolve_format(env, fmt)


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        env_of(ctx).stdout.write(f"actcli {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", help="Print the version and exit.",
                                          is_eager=True, callback=_version)] = False,
    color: ColorOpt = None,
) -> None:
    env = env_of(ctx, color)
    if ctx.invoked_subcommand is None:  # no command given: what there is to do, not an error
        env.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit()


def _columns(env: Environment, fmt: str | None, act: Activation, kind: str, column: list[str], header: bool | None,
             values: list[str] | None, linspace: tuple[str, str, str] | None, with_input: bool) -> None:
    from . import columns

    if values not in (None, [], ["-"]) or linspace is not None:
        raise UsageError("--column reads rows from stdin: leave out numbers and --linspace")
    if with_input:
        raise UsageError("--column passes every input column through already: leave out -x")
    out = _fmt(env, fmt or "plain", VALUE_FORMATS)
    if out not in ("plain", "csv", "tsv"):
        raise UsageError("--column writes rows: -f plain (the input's own delimiter), csv or tsv")
    if not values and env.stdin_isatty:
        raise UsageError("no input: --column reads rows from stdin")
    columns.transform(env, out, act, kind, column, header)


def _every_value(act: Activation, values: list[str] | None, linspace: Any, column: Any) -> Any:
    """--all: every value of the dtype, as one block of input."""
    from ..dtypes import every_value

    if values or linspace is not None or column:
        raise UsageError("--all is the input: leave out numbers, '-', --linspace and --column")
    if act.definition.vector:
        raise UsageError(f"--all gives single numbers; {act.name} takes vectors")
    if act.format is None or act.format.name == "float64":
        raise UsageError("--all lists every value of a 16-bit or 8-bit dtype: give --dtype bf16, fp16, fp8_e4m3 "
                         "or fp8_e5m2")
    return iter([every_value(act.format)])


class NthDerivative:
    """An activation whose ``grad`` is its n-th derivative (grad --order N), otherwise itself."""

    def __init__(self, act: Activation, order: int) -> None:
        self.act, self.order = act, order

    def __getattr__(self, name: str) -> Any:
        return getattr(self.act, name)

    def grad(self, x: Any) -> Any:
        return self.act.grad(x, order=self.order)


def _order(text: str | None, act: Activation) -> Any:
    if text is None:
        return act
    n = int(inputs.option_number(text, "--order", 1, 20, whole=True))
    if n > 1 and act.definition.vector:
        raise UsageError(f"--order {n}: {act.name} is a vector function; its Jacobian is order 1 only")
    return NthDerivative(act, n) if n > 1 else act


def _values_command(kind: str):  # noqa: ANN202
    """eval and grad share everything but what they compute."""

    def command(ctx: typer.Context, spec: SpecArg, values: ValuesArg = None, param: ParamOpt = None,
                linspace: LinspaceOpt = None, fmt: ValueFormatOpt = None, dtype: DtypeOpt = "float64",
                exact: ExactOpt = False, every: AllOpt = False,
                with_input: WithInputOpt = False, null: NullOpt = False, column: ColumnOpt = None,
                header: HeaderOpt = None, color: ColorOpt = None, order: OrderOpt = None) -> None:
        env = env_of(ctx, color)
        act = build(spec, param, dtype, exact)
        if order is not None:
            if kind != "grad":
                raise UsageError("--order is grad's: actcli grad SPEC --order N")
            act = _order(order, act)
        if every:
            chunks = _every_value(act, values, linspace, column)
        elif column:
            _columns(env, fmt, act, kind, column, header, values, linspace, with_input)
            return
        else:
            chunks = inputs.numbers(env, values, linspace, act.definition.vector, keep_lines=True, fmt=act.format)
        if header is not None:
            raise UsageError("--header/--no-header say how --column reads its rows: give --column too")
        render.write_results(env, _fmt(env, fmt, VALUE_FORMATS), act, kind, chunks, with_input, null)

    return command


command("eval", "Values of SPEC at each X.", [
    "actcli eval relu 1 -2 3", "actcli eval 'leaky_relu(0.2)' -1e-3 -.5 nan inf",
    "actcli eval gelu -p approximate=tanh --linspace -3 3 7", "actcli eval softmax 1000 1000",
    "seq -3 3 | actcli eval sigmoid --with-input -f csv",
    "printf 'name,score\\na,-1.5\\nb,2\\n' | actcli eval relu --column score",
    "actcli eval gelu 0.1 1 --dtype bf16", "actcli eval gelu 0.1 --exact",
    "actcli eval gelu --all --dtype bf16 -x -f csv > gelu_bf16.csv",
])(_values_command("value"))

command("grad", "Derivatives of SPEC at each X (the Jacobian for softmax-like functions).", [
    "actcli grad tanh 0 1", "actcli grad relu 0      # PyTorch's convention: 0",
    "actcli grad softmax 1 2 3 -f json", "printf '1 2\\n3 4\\n' | actcli grad log_softmax",
])(_values_command("grad"))


@command("check", "An implementation's outputs (rows of x and y on stdin) against the correctly rounded truth, in ulps.", [
    "actcli eval gelu --all --dtype bf16 -x | actcli check gelu --dtype bf16",
    "printf '1 0.841345\\n2 1.9545\\n' | actcli check gelu --dtype fp32 -f json",
    "printf '0.5 0.8675\\n' | actcli check gelu --grad --dtype bf16 --rows",
    "printf '1 2 0.2689 0.7311\\n' | actcli check softmax --dtype bf16 --max-ulp 1",
])
def check_cmd(
    ctx: typer.Context,
    spec: SpecArg,
    grad: Annotated[bool, typer.Option("--grad", "-g", help="The rows hold derivatives (Jacobians, row-major, for vector functions).")] = False,
    dtype: DtypeOpt = "float64",
    max_ulp: Annotated[Optional[str], typer.Option(
        "--max-ulp", metavar="K", show_default=False,
        help="Exit 1 when an error exceeds K ulps (default: no limit; a non-finite mismatch always fails).")] = None,
    rows: Annotated[bool, typer.Option("--rows", help="Write x, y, truth and ulp for every point instead of the report.")] = False,
    param: ParamOpt = None,
    fmt: FormatOpt = None,
    color: ColorOpt = None,
) -> None:
    from . import check

    env = env_of(ctx, color)
    act = build(spec, param, dtype, exact=dtype.strip().lower() in ("float64", "fp64", "double"))
    limit = inputs.option_number(max_ulp, "--max-ulp", 0.0, float("inf")) if max_ulp is not None else None
    if rows and fmt is not None and fmt.strip().lower() == "table":
        raise UsageError("--rows writes a row per point: -f plain, csv, tsv or json (the report is the table)")
    out = _fmt(env, fmt)
    if rows and out == "table":  # (the default at a terminal)
        out = "plain"
    if env.stdin_isatty:
        raise UsageError("no input: check reads rows of x and y from stdin")
    status = check.run(env, act, "grad" if grad else "value", out, rows, limit)
    if status:
        raise typer.Exit(status)


@command("compare", "Several functions side by side, with the largest difference between each pair.", [
    "actcli compare relu gelu silu", "actcli compare gelu 'gelu(tanh)' --grad",
    "actcli compare relu leaky_relu elu --at -1 --at 0 --at 1", "actcli compare relu gelu silu -o rect.png",
    "actcli compare gelu silu mish --grad --linspace -6 2 801 --theme dark -o dark.png",
])
def compare_cmd(
    ctx: typer.Context,
    specs: SpecsArg,
    at: Annotated[Optional[list[str]], typer.Option("--at", metavar="X", show_default=False,
                                                    help="Points to compare at: --at -1,0,1 or --at -1 --at 0 ...")] = None,
    linspace: LinspaceOpt = None,
    grad: Annotated[bool, typer.Option("--grad", "-g", help="Add derivatives.")] = False,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                  help="Write one overlay plot instead of a table (- for PNG bytes on stdout).")] = None,
    xmin: XminOpt = None,
    xmax: XmaxOpt = None,
    points: PointsOpt = None,
    width: WidthOpt = None,
    height: HeightOpt = None,
    dpi: DpiOpt = None,
    title: TitleOpt = None,
    theme: ThemeOpt = None,
    ymin: YminOpt = None,
    ymax: YmaxOpt = None,
    yscale: YscaleOpt = None,
    fmt: FormatOpt = None,
    dtype: DtypeOpt = "float64",
    color: ColorOpt = None,
) -> None:
    from ..compare import compare

    env = env_of(ctx, color)
    if len(specs) > MAX_COMPARED:
        raise UsageError(f"{len(specs)} functions: compare takes at most {MAX_COMPARED} "
                         f"({MAX_COMPARED * (MAX_COMPARED - 1) // 2:,} pairs)")
    acts = [build(s, None, dtype) for s in specs]
    picture = {"--xmin": xmin, "--xmax": xmax, "--points": points, "--width": width, "--height": height,
               "--dpi": dpi, "--title": title, "--theme": theme, "--ymin": ymin, "--ymax": ymax, "--yscale": yscale}
    if output is not None:
        from . import plot

        if at:
            raise UsageError("--at picks points for the table; a picture takes --linspace or --xmin/--xmax")
        if fmt is not None:
            raise UsageError("-o draws the picture, -f writes the table: give one")
        lo, hi, num = _x_range(linspace, xmin, xmax, points)
        plot.plot(env, acts, grad=grad, output=output, xmin=lo, xmax=hi, points=num, size=(width, height),
                  dpi=dpi or str(DPI), title=title, theme=theme or THEME, terminal=False, yscale=yscale,
                  ylim=(ymin, ymax))
        return
    if given := [name for name, value in picture.items() if value is not None]:
        raise UsageError(f"{given[0]} sets the picture: give -o FILE too")
    if not at and linspace is None:
        x = np.linspace(-5.0, 5.0, 11)
    else:
        points = [v for a in at or [] for v in (a.split(",") if a.strip() != "-" else [a])]  # --at -1,0,1 too
        x = np.concatenate([np.empty(0), *inputs.numbers(env, points or None, linspace, False, "--at")])
        if not x.size:
            raise UsageError("no points to compare at: --at - read an empty stdin")
    doc = compare(acts, x, grad)
    render.write_compare(env, _fmt(env, fmt), doc)


@command("stats", "What SPEC does to a Gaussian signal: moments, gains, the mean-field fixed point, the edge of chaos.", [
    "actcli stats relu tanh selu", "actcli stats gelu --q 2 -f json",
    "actcli stats tanh --sigma-w2 1.76 --sigma-b2 0.05", "actcli stats tanh elu --critical", "actcli stats tanh --critical --linspace 0 0.5 6 -o tanh_critical.png",
])
def stats_cmd(
    ctx: typer.Context,
    specs: SpecsArg,
    q: Annotated[str, typer.Option("--q", metavar="Q", help="Variance of the input z ~ N(0, Q).")] = "1",
    sigma_w2: Annotated[Optional[str], typer.Option(
        "--sigma-w2", metavar="S", show_default=False,
        help="Weight variance of a wide network (with --sigma-b2): adds q_star, chi and depth_scale.")] = None,
    sigma_b2: Annotated[Optional[str], typer.Option(
        "--sigma-b2", metavar="B", show_default=False, help="Bias variance (with --sigma-w2, or one point of --critical).")] = None,
    critical: Annotated[bool, typer.Option(
        "--critical", help="The edge of chaos: for each sigma_b2 (--linspace, default 0 1 11), the sigma_w2 with chi = 1.")] = False,
    linspace: Annotated[Optional[tuple[str, str, str]], typer.Option(
        "--linspace", metavar="START STOP NUM", show_default=False, help="The sigma_b2 values of --critical.")] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                  help="With --critical: draw the curves to a .png, .svg or .pdf.")] = None,
    fmt: FormatOpt = None,
    color: ColorOpt = None,
) -> None:
    from . import stats

    env = env_of(ctx, color)
    acts = [build(s, None) for s in specs]
    if critical:
        if output is not None:
            if fmt is not None:
                raise UsageError("-o draws the curves, -f writes them as text: give one")
            stats.check_picture(output, len(acts))
        curves = stats.critical_curves(acts, q, sigma_w2, sigma_b2, linspace)
        if output is not None:
            stats.plot_critical(env, curves, output)
        else:
            render.write_critical(env, _fmt(env, fmt), curves)
        return
    if output is not None:
        raise UsageError("--output draws the curves of --critical: give --critical too")
    if linspace is not None:
        raise UsageError("--linspace sets the sigma_b2 values of --critical: give --critical too")
    render.write_stats(env, _fmt(env, fmt), stats.table(acts, q, sigma_w2, sigma_b2))


@command("list", "The catalogue: names, aliases, parameters and what each function is.", [
    "actcli list", "actcli list --family gate", "actcli list gelu", "actcli list -f plain | wc -l",
])
def list_cmd(
    ctx: typer.Context,
    contains: Annotated[Optional[str], typer.Argument(metavar="[TEXT]", show_default=False,
                                                      help="Only names, aliases or summaries containing TEXT.")] = None,
    family: Annotated[Optional[str], typer.Option("--family", metavar="FAMILY", help=f"One of: {', '.join(FAMILIES)}.",
                                                  show_default=False)] = None,
    fmt: FormatOpt = None,
    color: ColorOpt = None,
) -> None:
    if family is not None and family not in FAMILIES:
        raise UsageError(f"unknown family {family!r}; choose from {', '.join(FAMILIES)}")
    env = env_of(ctx, color)
    render.write_catalogue(env, _fmt(env, fmt), DEFINITIONS, contains, family)


@command("info", "Formula, derivative, range and properties, framework equivalents, pros and cons.", [
    "actcli info gelu", "actcli info 'leaky_relu(0.2)' -f json",
])
def info_cmd(ctx: typer.Context, spec: SpecArg, param: ParamOpt = None, fmt: TextFormatOpt = None,
             color: ColorOpt = None) -> None:
    env = env_of(ctx, color)
    definition, bound, unset = resolve_to_describe(spec, _assignments(param))
    render.write_info(env, _fmt(env, fmt, TEXT_FORMATS), Activation(definition, bound), unset)


@command("plot", "Plot functions (and derivatives) to a PNG, SVG or PDF file, or in the terminal.", [
    "actcli plot tanh --grad", "actcli plot gelu 'gelu(tanh)' -o gelu.svg",
    "actcli plot 'leaky_relu(0.2)' --grad --xmin -3 --xmax 3 --theme dark", "actcli plot mish --grad --terminal",
    "actcli plot sigmoid --grad --xmin 30 --xmax 40 --yscale log -o tail.png",
])
def plot_cmd(
    ctx: typer.Context,
    specs: SpecsArg,
    grad: Annotated[bool, typer.Option("--grad", "-g", help="Add the derivative in a second panel.")] = False,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                  help="File to write (.png, .svg, .pdf; - for PNG bytes on stdout); default NAME.png.")] = None,
    xmin: XminOpt = None,
    xmax: XmaxOpt = None,
    points: PointsOpt = None,
    linspace: Annotated[Optional[tuple[str, str, str]], typer.Option(
        "--linspace", metavar="START STOP NUM", show_default=False,
        help="The x range and samples at once (as --xmin, --xmax, --points).")] = None,
    width: WidthOpt = None,
    height: HeightOpt = None,
    dpi: DpiOpt = None,
    title: TitleOpt = None,
    theme: ThemeOpt = None,
    ymin: YminOpt = None,
    ymax: YmaxOpt = None,
    yscale: YscaleOpt = None,
    param: ParamOpt = None,
    dtype: DtypeOpt = "float64",
    terminal: Annotated[bool, typer.Option("--terminal", "-t", help="Draw in the terminal instead.")] = False,
    color: ColorOpt = None,
) -> None:
    from . import plot

    env = env_of(ctx, color)
    acts = [build(s, param, dtype) for s in specs]  # (-p sets a parameter of every function)
    lo, hi, num = _x_range(linspace, xmin, xmax, points)
    if terminal and (given := [o for o, v in (("--title", title), ("--theme", theme), ("--dpi", dpi),
                                              ("--width", width), ("--height", height)) if v is not None]):
        raise UsageError(f"{given[0]} shapes a picture file; the terminal plot has none")
    plot.plot(env, acts, grad=grad, output=output, xmin=lo, xmax=hi, points=num, size=(width, height),
              dpi=dpi or str(DPI), title=title, theme=theme or THEME, terminal=terminal, yscale=yscale,
              ylim=(ymin, ymax))
