"""The command line, in process (Typer's CliRunner with a faked environment)."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

import actcli
from actcli.cli import inputs
from actcli.definitions import DEFINITIONS, FAMILIES

from .conftest import cli


# ------------------------------------------------------------------ eval, grad
def test_mission_example() -> None:
    r = cli("eval", "relu", "1", "-2", "3")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "1.0\n0.0\n3.0\n", "")


@pytest.mark.parametrize(("token", "value"), [
    ("-1e-3", "-0.001"), ("-.5", "-0.5"), ("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"),
    ("1e-300", "1e-300"), ("-Infinity", "-inf"), ("+3", "3.0"), ("5.", "5.0"), ("1e400", "inf"), ("1e-400", "0.0"),
])
def test_negative_and_special_numbers_are_arguments(token: str, value: str) -> None:
    r = cli("eval", "identity", token)
    assert r.exit_code == 0 and r.stdout == value + "\n", r.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("eval", "relu", "-1e"), "not a number: '-1e' (argument 1)"),  # not "No such option: -1"
    (("eval", "relu", "-.5.5", "2"), "not a number: '-.5.5' (argument 1)"),
    (("eval", "relu", "--linspace", "0", "1", "-3"), "got '-3'"),  # no stray space from the shielding
    (("eval", "relu", "1", "-f", "-1"), "unknown format '-1'"),
])
def test_bad_negative_numbers_are_named_as_numbers(args: tuple[str, ...], message: str) -> None:
    r = cli(*args)
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_option_typos_are_still_caught() -> None:
    r = cli("eval", "relu", "1", "--formt", "json")
    assert r.exit_code == 2 and "No such option: --formt" in r.stderr and r.stderr.count("\n") == 1


def test_options_after_negative_numbers() -> None:
    r = cli("eval", "leaky_relu", "-2", "-f", "json", "-p", "negative_slope=0.5")
    assert json.loads(r.stdout)["y"] == [-1.0]


@pytest.mark.parametrize("token", ["1_000", "١٢", "0x10", "1e", "--1", "abc", "1.2.3"])
def test_strict_number_grammar(token: str) -> None:
    r = cli("eval", "relu", "--", "1", token)
    assert r.exit_code == 2 and repr(token) in r.stderr and "argument 2" in r.stderr


def test_grad_and_convention() -> None:
    assert cli("grad", "relu", "0", "1").stdout == "0.0\n1.0\n"
    assert cli("grad", "tanh", "0").stdout == "1.0\n"


def test_grad_of_vector_function_is_a_jacobian() -> None:
    doc = json.loads(cli("grad", "softmax", "0", "0", "-f", "json").stdout)
    assert doc["jacobian"] == [[[0.25, -0.25], [-0.25, 0.25]]]
    plain = cli("grad", "softmax", "0", "0").stdout
    assert plain == "0.25 -0.25\n-0.25 0.25\n\n"


def test_param_option_and_spec_agree() -> None:
    a = cli("eval", "leaky_relu(0.2)", "-1").stdout
    b = cli("eval", "leaky_relu", "-p", "negative_slope=0.2", "-1").stdout
    assert a == b == "-0.2\n"


def test_linspace() -> None:
    r = cli("eval", "identity", "--linspace", "-1", "1", "5")
    assert r.stdout == "-1.0\n-0.5\n0.0\n0.5\n1.0\n"
    assert cli("eval", "relu", "1", "--linspace", "0", "1", "2").exit_code == 2
    assert cli("eval", "relu", "--linspace", "0", "1", "x").exit_code == 2


# ------------------------------------------------------------------------ stdin
def test_stdin_when_no_arguments_and_not_a_terminal() -> None:
    """Each line keeps its shape: its count of numbers, its separator, a blank line."""
    r = cli("eval", "relu", stdin="1\n-2, 3\n\n4 5\n")
    assert r.stdout == "1.0\n0.0,3.0\n\n4.0 5.0\n"


def test_dash_reads_stdin() -> None:
    assert cli("eval", "relu", "-", stdin="-1 2").stdout == "0.0 2.0\n"


def test_no_values_on_a_terminal_is_a_usage_error_not_a_hang() -> None:
    r = cli("eval", "relu", stdin_tty=True)
    assert r.exit_code == 2 and "no input" in r.stderr


def test_empty_input_gives_empty_output() -> None:
    r = cli("eval", "relu", stdin="")
    assert (r.exit_code, r.stdout) == (0, "")


@pytest.mark.parametrize(("text", "where"), [
    ("1\n2\nx\n", "line 3, field 1"), ("1 2,zz\n", "line 1, field 3"), ("1,,2\n", "empty field (stdin line 1, field 2)"),
])
def test_bad_stdin_token_names_line_and_field(text: str, where: str) -> None:
    r = cli("eval", "relu", stdin=text)
    assert r.exit_code == 2 and where in r.stderr and r.stderr.count("\n") == 1


def test_vector_function_reads_a_vector_per_line() -> None:
    r = cli("eval", "softmax", stdin="0 0\n1000 1000 1000 1000\n")
    assert r.stdout == "0.5 0.5\n0.25 0.25 0.25 0.25\n"


def test_odd_glu_input_is_an_error() -> None:
    r = cli("eval", "glu", "1", "2", "3")
    assert r.exit_code == 2 and "even" in r.stderr


def test_round_trip_composes_without_loss() -> None:
    first = cli("eval", "sigmoid", stdin="0.1\n-7.25\n1e-300\n").stdout
    second = cli("eval", "identity", "-", stdin=first).stdout
    assert first == second


# ------------------------------------------------------------------------ formats
def test_json_is_strict_and_complete() -> None:
    r = cli("eval", "gelu(tanh)", "nan", "-inf", "1", "-f", "json")
    doc = json.loads(r.stdout, parse_constant=lambda c: pytest.fail(f"bare {c} in JSON"))
    y1 = doc["y"].pop()  # within 2 ulp of mpmath's 0.84119199060827670...; the last bits vary by CPU
    assert y1 == pytest.approx(0.8411919906082767, rel=0, abs=2 * math.ulp(0.8411919906082767))
    assert doc == {"function": "gelu", "spec": "gelu(approximate=tanh)", "params": {"approximate": "tanh"},
                   "dtype": "float64", "x": ["nan", "-inf", 1.0], "y": ["nan", -0.0]}


def test_json_for_grad_uses_dy() -> None:
    assert json.loads(cli("grad", "relu", "1", "-f", "json").stdout)["dy"] == [1.0]


def test_csv_and_tsv_with_input() -> None:
    rows = list(csv.reader(io.StringIO(cli("eval", "leaky_relu(0.2)", "-1", "2", "-f", "csv", "-x").stdout)))
    assert rows == [["x", "leaky_relu(negative_slope=0.2)"], ["-1.0", "-0.2"], ["2.0", "2.0"]]
    assert cli("eval", "relu", "1", "-f", "tsv", "-x").stdout == "x\trelu\n1.0\t1.0\n"


def test_plain_with_input() -> None:
    assert cli("eval", "relu", "-1", "-x").stdout == "-1.0 0.0\n"


def test_dtype_option() -> None:
    assert cli("eval", "sigmoid", "20", "--dtype", "float16").stdout == "1.0\n"
    assert cli("eval", "identity", "0.1", "--dtype", "float32").stdout == "0.1\n"


def test_table_on_a_terminal_without_colour_codes_when_no_color() -> None:
    r = cli("eval", "relu", "1", "-2", tty=True, environ={"NO_COLOR": "1"})
    assert "relu" in r.stdout and "\x1b[" not in r.stdout and "-2" in r.stdout


def test_table_has_colour_when_forced() -> None:
    assert "\x1b[" in cli("eval", "relu", "1", tty=True, environ={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in cli("--no-color", "eval", "relu", "1", tty=True, environ={"FORCE_COLOR": "1"}).stdout


def test_square_brackets_survive_in_tables() -> None:
    r = cli("eval", "softmax", "0", "0", tty=True, environ={"NO_COLOR": "1"})
    assert "[0, 0]" in r.stdout and "[0.5, 0.5]" in r.stdout


def test_unknown_format_and_dtype() -> None:
    assert "unknown format 'xml'" in cli("eval", "relu", "1", "-f", "xml").stderr
    assert "unknown dtype 'float8'" in cli("eval", "relu", "1", "--dtype", "float8").stderr


# ----------------------------------------------------------------------- errors
@pytest.mark.parametrize(("args", "message"), [
    (("eval", "gelu_neww", "1"), "did you mean gelu_new"),
    (("eval", "leaky_relu(slope=1)", "1"), "unknown parameter 'slope'"),
    (("eval", "celu", "-p", "alpha=0", "1"), "must not be 0"),
    (("eval", "relu(", "1"), "malformed"),
    (("eval", "relu", "-p", "oops", "1"), "malformed parameter"),
    (("eval",), "Missing argument 'SPEC'"),
    (("frobnicate",), "No such command"),
])
def test_user_errors_are_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    r = cli(*args)
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr + r.stdout


# ------------------------------------------------------------------- compare
def test_compare_table_and_summary() -> None:
    r = cli("compare", "gelu", "gelu(tanh)", tty=True, environ={"NO_COLOR": "1"}, width=140)
    assert r.exit_code == 0 and "Largest differences on [-5, 5]" in r.stdout


def test_compare_json_reports_the_largest_gap_and_where() -> None:
    doc = json.loads(cli("compare", "gelu", "gelu(tanh)", "--grad", "-f", "json").stdout)
    gap = doc["differences"][0]
    assert gap["of"] == "value" and 4.7e-4 < gap["max_abs_diff"] < 4.8e-4 and -2.8 < gap["at"] < -2.6
    assert [f["spec"] for f in doc["functions"]] == ["gelu", "gelu(approximate=tanh)"]
    assert len(doc["x"]) == 11 and "dy" in doc["functions"][0]


def test_compare_at_points_csv() -> None:
    out = cli("compare", "relu", "leaky_relu", "--at", "-1", "--at", "2", "-f", "csv").stdout
    assert out == "x,relu,leaky_relu\n-1.0,0.0,-0.01\n2.0,2.0,2.0\n"


# ------------------------------------------------------------------ list, info
def test_list_plain_is_names() -> None:
    names = cli("list", "-f", "plain").stdout.split()
    assert names[0] == "relu" and "softmax" in names and len(names) == len(set(names)) >= 40


def test_list_filters() -> None:
    for family in FAMILIES:
        names = [d.name for d in DEFINITIONS if d.family == family]
        assert cli("list", "--family", family, "-f", "plain").stdout.split() == names
    assert "gelu" in cli("list", "gelu", "-f", "plain").stdout.split()
    assert cli("list", "--family", "nope").exit_code == 2


def test_list_json() -> None:
    rows = json.loads(cli("list", "-f", "json").stdout)
    leaky = next(r for r in rows if r["name"] == "leaky_relu")
    assert leaky["params"] == [{"name": "negative_slope", "default": 0.01}]


def test_info_plain_and_json() -> None:
    text = cli("info", "leaky_relu").stdout
    assert "Derivative at kinks:" in text and "JAX: 1" in text and "negative_slope" in text
    doc = json.loads(cli("info", "gelu", "-f", "json").stdout)
    assert doc["properties"]["monotonic"] is False and doc["equivalents"]["torch"].startswith("torch")
    assert cli("info", "gelu", "-f", "csv").exit_code == 2


def test_info_table_keeps_brackets() -> None:
    r = cli("info", "relu6", tty=True, environ={"NO_COLOR": "1"}, width=200)
    assert "range: [0, 6]" in r.stdout


# --------------------------------------------------------------- conventions
def test_version_and_help() -> None:
    assert cli("--version").stdout.startswith("actcli ")
    for command in ("eval", "grad", "compare", "list", "info", "plot"):
        r = cli(command, "--help")
        assert r.exit_code == 0 and "Examples:" in r.stdout, command


def test_compare_names_a_bad_at_value() -> None:
    r = cli("compare", "relu", "gelu", "--at", "x")
    assert r.exit_code == 2 and "not a number: 'x' (--at 1)" in r.stderr


def test_dim_is_a_whole_number() -> None:
    assert "must be a whole number" in cli("eval", "softmax(dim=0.5)", "1", "2").stderr
    assert json.loads(cli("eval", "softmax", "1", "2", "-f", "json").stdout)["params"] == {"dim": -1}



def test_compare_at_points_from_stdin_in_several_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    from actcli.cli import inputs

    monkeypatch.setattr(inputs, "CHUNK_BYTES", 4)  # one number per chunk
    out = cli("compare", "relu", "identity", "--at", "-", "-f", "csv", stdin="-1\n2\n3\n").stdout
    assert out == "x,relu,identity\n-1.0,0.0,-1.0\n2.0,2.0,2.0\n3.0,3.0,3.0\n"
    r = cli("compare", "relu", "gelu", "--at", "-", stdin="")
    assert r.exit_code == 2 and "no points to compare at" in r.stderr


@pytest.mark.parametrize("kind", ["eval", "grad"])
@pytest.mark.parametrize("chunk", [4, 1 << 20])
def test_dim_means_the_one_axis_of_each_line(kind: str, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each stdin line is one 1-D vector, evaluated alone whatever the chunking: dim 0 and
    -1 name its axis (once, dim=0 normalised down the rows stacked into a block)."""
    from actcli.cli import inputs

    monkeypatch.setattr(inputs, "CHUNK_BYTES", chunk)
    rows = ["1 2", "3 4", "-1 5", "0 0"]
    alone = "".join(cli(kind, "softmax", *r.split()).stdout for r in rows)
    for spec in ("softmax", "softmax(dim=0)", "softmax(dim=-1)"):
        assert cli(kind, spec, "-", stdin="\n".join(rows) + "\n").stdout == alone, spec
    assert cli(kind, "softmax(dim=0)", "1", "2").stdout == cli(kind, "softmax", "1", "2").stdout
    r = cli(kind, "softmax(dim=1)", "-", stdin="1 2\n")
    assert r.exit_code == 2 and "dim=1" in r.stderr and r.stderr.count("\n") == 1
    r = cli(kind, "softmax(dim=1e300)", "1", "2")  # named briefly, not as 301 digits
    assert r.exit_code == 2 and "dim=1e+300:" in r.stderr and len(r.stderr) < 200


# ------------------------------------------------------- limits and edges (reliability)
def test_a_grid_across_the_whole_float_range() -> None:
    """-1e308 to 1e308 overflowed the step into nan and inf."""
    r = cli("eval", "identity", "--linspace", "-1e308", "1e308", "3", "-x")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "-1e+308 -1e+308\n0.0 0.0\n1e+308 1e+308\n", "")


@pytest.mark.parametrize("num", ["1", "7", "2500000"])
def test_a_grid_streams_in_pieces_with_numpys_numbers(num: str) -> None:
    import numpy as np

    from actcli.cli import inputs

    pieces = list(inputs.linspace("-3", "5", num))
    assert all(p.size <= inputs.GRID_PIECE for p in pieces)
    assert np.array_equal(np.concatenate(pieces), np.linspace(-3.0, 5.0, int(num)))


def test_compare_at_infinity_is_the_limit_of_a_vector_function() -> None:
    """softmax's section is softmax([x, 0]): at x = inf the 0 stayed 0 (0 * inf was nan)."""
    r = cli("compare", "softmax", "relu", "--at", "inf", "--at", "-inf", "-f", "csv")
    assert (r.exit_code, r.stderr) == (0, "") and r.stdout == "x,softmax,relu\ninf,1.0,inf\n-inf,0.0,0.0\n"


def test_csv_headers_are_quoted_and_fit_their_rows() -> None:
    r = cli("eval", "hardtanh(-2,2)", "1", "3", "-f", "csv", "-x")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows == [["x", "hardtanh(min_val=-2, max_val=2)"], ["1.0", "1.0"], ["3.0", "2.0"]]
    r = cli("eval", "softmax", "-f", "csv", stdin="1,2\n3,4,5\n")
    assert r.exit_code == 2 and "a vector of 3 numbers after vectors of 2" in r.stderr
    assert cli("eval", "softmax", stdin="1,2\n3,4,5\n").stdout.count("\n") == 2  # plain takes any length


def test_the_largest_jacobian_and_whole_results() -> None:
    from actcli.cli import render

    long = " ".join(["1"] * (render.MAX_JACOBIAN + 1))
    r = cli("grad", "softmax", "-", stdin=long + "\n")
    assert r.exit_code == 2 and f"at most {render.MAX_JACOBIAN} numbers per vector" in r.stderr and r.stdout == ""
    r = cli("eval", "relu", "--linspace", "0", "1", str(render.MAX_WHOLE + 1), "-f", "json")
    assert r.exit_code == 2 and "-f json holds the whole result" in r.stderr and r.stdout == ""


def test_jacobians_of_many_rows_come_in_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    from actcli.cli import render

    monkeypatch.setattr(render, "JACOBIAN_BLOCK", 8)  # two rows of 2 x 2 at a time
    rows = "".join(f"{i} {-i}\n" for i in range(5))
    assert cli("grad", "softmax", "-", stdin=rows).stdout == "".join(
        cli("grad", "softmax", str(i), str(-i)).stdout for i in range(5))


def test_a_line_longer_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from actcli.cli import inputs

    monkeypatch.setattr(inputs, "MAX_LINE_BYTES", 64)
    monkeypatch.setattr(inputs, "CHUNK_BYTES", 16)
    for kind in ("relu", "softmax"):
        r = cli("eval", kind, "-", stdin="1\n2\n" + "3 " * 40 + "\n")
        assert r.exit_code == 2 and "stdin line 3 is longer than" in r.stderr and r.stderr.count("\n") == 1
    assert cli("eval", "relu", "-", stdin="1 " * 30 + "\n").stdout.count(" ") == 29  # 60 bytes: fine


@pytest.mark.parametrize(("args", "message"), [
    (("plot", "relu", "--xmin", "0", "--xmax", "1.7976931348623157e308"), "must lie within ±1e+300"),
    (("plot", "relu", "-t", "--xmin", "-1e308", "--xmax", "1e308"), "must lie within ±1e+300"),
])
def test_plot_ranges_matplotlib_cannot_draw_are_named(args: tuple[str, ...], message: str) -> None:
    r = cli(*args)
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1


def test_a_constant_curve_at_a_huge_value_draws_in_the_terminal() -> None:
    """hardtanh(-1e298, 1e298) is 1e298 from there on: +-0.5 of room was no room at all."""
    r = cli("plot", "hardtanh(-1e298, 1e298)", "-t", "--xmin", "1e299", "--xmax", "1e300")
    assert (r.exit_code, r.stderr) == (0, "") and "1.1e+298" in r.stdout and "9e+297" in r.stdout


@pytest.mark.parametrize("columns", ["-100", "0", "1", "8", "abc", "99999999999"])
def test_narrow_or_nonsense_widths_never_lose_data(columns: str) -> None:
    """COLUMNS=-100 printed nothing, COLUMNS=1 an empty table, COLUMNS=8 dropped x."""
    r = cli("eval", "relu", "1", "-2", "3", "-f", "table", tty=True, environ={"COLUMNS": columns, "NO_COLOR": "1"})
    cells = r.stdout.split()
    assert r.exit_code == 0 and ["x", "relu"] == cells[:2] and {"1", "-2", "3", "0"} <= set(cells)


def test_spec_length_and_count_limits() -> None:
    from actcli.cli.app import MAX_COMPARED
    from actcli.spec import MAX_SPEC

    r = cli("eval", "relu(" + "1," * MAX_SPEC + ")", "1")
    assert r.exit_code == 2 and f"longer than {MAX_SPEC:,} characters" in r.stderr and len(r.stderr) < 200
    r = cli("eval", "relu(" + "1," * (MAX_SPEC // 2 - 4) + ")", "1")  # just within: read, then refused
    assert r.exit_code == 2 and "relu: takes 0 parameter" in r.stderr
    r = cli("compare", *["relu"] * (MAX_COMPARED + 1))
    assert r.exit_code == 2 and f"compare takes at most {MAX_COMPARED}" in r.stderr


@pytest.mark.parametrize("where", ["stdin", "argument"])
def test_error_lines_name_a_long_token_without_echoing_it(where: str) -> None:
    token = "1" * 100_000 + "x"
    r = cli("eval", "relu", stdin=token + "\n") if where == "stdin" else cli("eval", "relu", "--", token)
    assert r.exit_code == 2 and "(100,001 characters)" in r.stderr and len(r.stderr) < 200


def test_bare_actcli_shows_its_help_and_is_no_error() -> None:
    """It printed the help as an error ('actcli: error: Usage: ...', 28 lines, exit 2)."""
    r = cli()
    assert (r.exit_code, r.stderr) == (0, "") and r.stdout.startswith("Usage: ") and "Commands:" in r.stdout


def test_a_grid_across_the_range_backwards_warns_nothing() -> None:
    """The last points of -1.8e308..1.8e308 reversed overflowed with a NumPy warning (the
    suite turns any warning into a failure)."""
    r = cli("eval", "relu", "--linspace", "1.7976931348623157e308", "-1.7976931348623157e308", "4", "-x")
    assert r.exit_code == 0 and r.stderr == "" and r.stdout.splitlines()[0] == "1.7976931348623157e+308 1.7976931348623157e+308"


@pytest.mark.parametrize("args", [["eval", "relu", "-f", "F" * 131_000, "1"], ["eval", "relu", "--dtype", "D" * 131_000, "1"],
                                  ["eval", "relu", "-p", "P" * 131_000 + "=1", "1"], ["eval", "relu", "--" + "o" * 131_000]])
def test_long_option_values_are_cut_in_messages(args: list[str]) -> None:
    r = cli(*args)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and len(r.stderr) < 600 and "131,0" in r.stderr, r.stderr[:300]


def test_a_vector_curve_takes_its_limit_at_infinity() -> None:
    """glu's curve is x sigmoid(x): 0 at -inf, where glu itself (-inf * 0) has no value."""
    r = cli("compare", "glu", "relu", "--at", "-inf", "--at", "inf", "-f", "csv")
    assert r.stdout.splitlines()[1:] == ["-inf,-0.0,0.0", "inf,inf,inf"]


@pytest.mark.parametrize("chunk", [3, 7, 1 << 20])
def test_rows_keep_their_shape(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """An elementwise function gives each input line a line: as many numbers, the same
    separator, a blank line for a blank line, across chunk borders; so a pipeline of
    actcli commands keeps the row count (it gave 6 rows for 3)."""
    monkeypatch.setattr(inputs, "CHUNK_BYTES", chunk)
    text = "1,-2\n\n3\t-4\n5 -6 7\n-8\n"
    assert cli("eval", "relu", stdin=text).stdout == "1.0,0.0\n\n3.0\t0.0\n5.0 0.0 7.0\n0.0\n"
    assert cli("eval", "relu", "-x", stdin=text).stdout.splitlines()[3] == "5.0 -6.0 7.0 5.0 0.0 7.0"
    first = cli("eval", "tanh", "-x", stdin="1\n2\n3\n").stdout
    assert len(cli("eval", "relu", "-x", stdin=first).stdout.splitlines()) == 3


def test_csv_rows_of_several_numbers_fit_one_header() -> None:
    r = cli("eval", "relu", "-x", "-f", "csv", stdin="1,-2\n3,4\n")
    assert r.stdout == "x0,x1,relu[0],relu[1]\n1.0,-2.0,1.0,0.0\n3.0,4.0,3.0,4.0\n"
    r = cli("eval", "relu", "-f", "tsv", stdin="1 2\n3\n")
    assert r.exit_code == 2 and "a line of 1 number after lines of 2" in r.stderr


# ------------------------------------------------------------------ ndjson, formats
def test_ndjson_is_one_object_per_input() -> None:
    """jq works line by line; a stdin line of several numbers gives lists, a vector too."""
    r = cli("eval", "relu", "-f", "ndjson", stdin="1\n-2 3\n\nnan\n")
    assert [json.loads(line) for line in r.stdout.splitlines()] == [
        {"x": 1.0, "y": 1.0}, {"x": [-2.0, 3.0], "y": [0.0, 3.0]}, {"x": [], "y": []}, {"x": "nan", "y": "nan"}]
    jac = json.loads(cli("grad", "softmax", "1", "2", "-f", "ndjson").stdout)
    assert list(jac) == ["x", "jacobian"] and len(jac["jacobian"]) == 2
    assert json.loads(cli("grad", "relu", "1", "-f", "ndjson").stdout) == {"x": 1.0, "dy": 1.0}


def test_null_writes_non_finite_numbers_as_null() -> None:
    """The strings "nan" and "inf" break `jq add`; --null offers null instead."""
    assert json.loads(cli("eval", "relu", "nan", "inf", "-f", "ndjson", "--null").stdout.splitlines()[0]) == \
        {"x": None, "y": None}
    assert json.loads(cli("eval", "relu", "nan", "1", "-f", "json", "--null").stdout)["y"] == [None, 1.0]


@pytest.mark.parametrize(("command", "bad"), [(["info", "gelu"], "csv"), (["list"], "ndjson"),
                                              (["compare", "relu", "gelu"], "ndjson")])
def test_each_command_offers_the_formats_it_writes(command: list[str], bad: str) -> None:
    """info --help offered csv and tsv and then refused them."""
    r = cli(*command, "-f", bad)
    assert r.exit_code == 2 and f"unknown format '{bad}' for this command" in r.stderr
    assert bad not in cli(*command[:1], "--help").stdout.split("--format FORMAT")[1].split("\n  -")[0]


def test_info_describes_a_function_with_required_parameters() -> None:
    """info threshold said "missing required parameter": it shows the example values."""
    r = cli("info", "threshold")
    assert r.exit_code == 0 and "threshold: required, no default" in r.stdout and "(e.g. 1.0)" in r.stdout
    assert "range: depends on threshold, value" in r.stdout and "monotonic (non-decreasing): depends on" in r.stdout
    doc = json.loads(cli("info", "threshold", "-f", "json").stdout)
    assert doc["spec"] == "threshold" and [p["value"] for p in doc["params"]] == [None, None]
    assert "threshold = 2.0  (required)" in cli("info", "threshold(2, 0)").stdout


def test_a_header_shows_the_spec_not_the_defaults() -> None:
    """info 'leaky_relu(0.2)' said "(negative_slope=0.01)" in its first line."""
    first = cli("info", "leaky_relu(0.2)").stdout.splitlines()[0]
    assert first.startswith("leaky_relu(negative_slope=0.2)") and "0.01" not in first


def test_a_long_table_shows_its_ends_and_the_count_between() -> None:
    r = cli("eval", "identity", "--linspace", "1", "100000", "100000", "-f", "table", tty=True, width=80,
            environ={"NO_COLOR": "1"})
    lines = [line.split() for line in r.stdout.splitlines() if line.strip()]
    assert r.exit_code == 0 and len(lines) < 220
    assert lines[2] == ["1", "1"] and lines[-1] == ["100000", "100000"]
    assert "99,800 more" in r.stdout


def test_a_jacobian_too_wide_for_a_table_is_refused() -> None:
    """1,000 columns took minutes to lay out, unreadable."""
    r = cli("grad", "softmax", "-f", "table", stdin=" ".join(["1"] * 40) + "\n")
    assert r.exit_code == 2 and "too wide for a table" in r.stderr


# ------------------------------------------------------------------ help and shared options
@pytest.mark.parametrize(("command", "usage"), [("eval", "SPEC [X]..."), ("compare", "SPEC..."), ("list", "[TEXT]"),
                                                ("info", "SPEC"), ("plot", "SPEC...")])
def test_usage_lines_read_as_man_pages_do(command: str, usage: str) -> None:
    """They read `{SPEC} [X]`, `[[TEXT]]`, and arguments carried type tags such as <list[str]>."""
    text = cli(command, "--help").stdout
    assert text.splitlines()[0].endswith(f" {command} [OPTIONS] {usage}") and "<list[str]>" not in text


def test_command_summaries_are_whole() -> None:
    text = cli("--help").stdout
    assert "(the Jacobian for softmax-like\n           functions)" in text and "..." not in text.split("Commands:")[1]


def test_a_parameter_given_twice_is_refused() -> None:
    r = cli("eval", "leaky_relu", "1", "-p", "negative_slope=0.1", "-p", "negative_slope=0.2")
    assert r.exit_code == 2 and "-p negative_slope= given twice" in r.stderr


def test_a_suggested_alias_names_its_function() -> None:
    assert "did you mean none (an alias of identity)?" in cli("plot", "nope").stderr


def test_compare_draws_the_range_it_is_given(tmp_path) -> None:  # noqa: ANN001
    """--linspace was silently dropped by compare -o (the PNG was the default one)."""
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    assert cli("compare", "relu", "gelu", "-o", str(a)).exit_code == 0
    assert cli("compare", "relu", "gelu", "--linspace", "-10", "10", "50", "-o", str(b)).exit_code == 0
    assert a.read_bytes() != b.read_bytes()
    for args, message in [(["--at", "1", "-o", str(b)], "--at picks points"), (["--theme", "dark"], "give -o FILE"),
                          (["-o", str(b), "-f", "csv"], "give one"),
                          (["--linspace", "0", "1", "3", "--xmin", "0", "-o", str(b)], "not both")]:
        r = cli("compare", "relu", "gelu", *args)
        assert r.exit_code == 2 and message in r.stderr, (args, r.stderr)


def test_plot_takes_linspace_and_dtype(tmp_path) -> None:  # noqa: ANN001
    out = tmp_path / "s.png"
    assert cli("plot", "sigmoid", "--linspace", "0", "12", "200", "--dtype", "float16", "-o", str(out)).exit_code == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_dtype_reads_the_same_in_every_format() -> None:
    """float16: JSON said 0.0999755859375 where csv said 0.1, and x showed the unrounded
    70000 beside y = inf. Every format now shows the values the type holds, shortest."""
    want = [("0.1", "0.525"), ("inf", "1.0"), ("-3.0", "0.04742")]
    plain = [tuple(line.split()) for line in cli("eval", "sigmoid", "0.1", "70000", "-3", "--dtype", "float16", "-x").stdout.splitlines()]
    csv_rows = [tuple(r) for r in csv.reader(io.StringIO(cli("eval", "sigmoid", "0.1", "70000", "-3", "--dtype", "float16", "-x",
                                                               "-f", "csv").stdout))][1:]
    doc = json.loads(cli("eval", "sigmoid", "0.1", "70000", "-3", "--dtype", "float16", "-f", "json").stdout)
    table = cli("eval", "sigmoid", "0.1", "70000", "-3", "--dtype", "float16", "-f", "table", tty=True,
                environ={"NO_COLOR": "1"}).stdout
    assert plain == csv_rows == want
    assert [str(v) for v in doc["x"]] == ["0.1", "inf", "-3.0"] and doc["y"] == [0.525, 1.0, 0.04742]
    assert all(a in table and b in table for a, b in want)


# ------------------------------------------------------------------ columns and headers
def test_column_transforms_one_column_and_passes_the_others() -> None:
    r = cli("eval", "relu", "--column", "score", stdin='name,score,z\na,-1.5,3\n"b, c",2,1\n')
    assert r.stdout == 'name,score,z,relu(score)\na,-1.5,3,0.0\n"b, c",2,1,2.0\n'
    r = cli("eval", "relu", "-c", "score", "-c", "3", "-f", "tsv", stdin="name,score,z\na,-1.5,3\n")
    assert r.stdout == "name\tscore\tz\trelu(score)\trelu(z)\na\t-1.5\t3\t0.0\t3.0\n"
    r = cli("grad", "relu", "-c", "2", stdin="1 -2\n3 4\n")  # no header: numbered columns, the input's spacing
    assert r.stdout == "1 -2 0.0\n3 4 1.0\n"


def test_actcli_reads_back_its_own_csv() -> None:
    first = cli("eval", "relu", "-x", "-f", "csv", stdin="-1\n2\n").stdout
    assert cli("eval", "tanh", "--column", "relu", stdin=first).stdout.splitlines()[0] == "x,relu,tanh(relu)"


def test_a_vector_function_on_columns_keeps_their_names() -> None:
    r = cli("eval", "softmax", "-c", "a,b", stdin="a b\n1 2\n")
    assert r.stdout.splitlines()[0] == "a b softmax[a] softmax[b]"
    assert cli("grad", "softmax", "-c", "a,b", stdin="a b\n1 2\n").exit_code == 2


def test_a_byte_order_mark_is_no_text() -> None:
    assert cli("eval", "relu", stdin="\ufeff1\n-2\n").stdout == "1.0\n0.0\n"
    assert cli("eval", "relu", "-c", "y", stdin="\ufeffx,y\n1,-2\n").stdout == "x,y,relu(y)\n1,-2,0.0\n"


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["-c", "q"], "a,b\n1,2\n", "no column 'q' (columns: a, b)"),
    (["-c", "b"], "a,b\n1,x\n", "not a number: 'x' (stdin line 2, column b)"),
    (["-c", "b"], "a,b\n1\n", "stdin line 2 has 1 fields"),
    (["-c", "b", "-f", "json"], "a,b\n1,2\n", "--column writes rows"),
    (["-c", "b", "-x"], "a,b\n1,2\n", "leave out -x"),
    (["--header"], "1\n", "give --column too"),
    ([], "x\n1,2\n", "a header? --column NAME picks columns by it"),
])
def test_column_errors_are_one_line(args: list[str], stdin: str, message: str) -> None:
    r = cli("eval", "relu", *args, stdin=stdin)
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_a_file_argument_gets_a_hint(tmp_path) -> None:  # noqa: ANN001
    data = tmp_path / "d.txt"
    data.write_text("1\n")
    r = cli("eval", "relu", str(data))
    assert r.exit_code == 2 and f"a file? numbers come from stdin: < {data}" in r.stderr


def test_list_says_what_an_alias_sets() -> None:
    """`list gelu` listed the tanh-approximation names under exact gelu, as if they were it."""
    rows = list(csv.DictReader(io.StringIO(cli("list", "gelu", "-f", "csv").stdout)))
    assert "gelu_new(approximate=tanh)" in rows[0]["aliases"].split()
    doc = json.loads(cli("list", "gelu", "-f", "json").stdout)[0]
    assert doc["alias_params"]["gelu_new"] == {"approximate": "tanh"} and "gelu_python" not in doc["alias_params"]


@pytest.mark.parametrize(("args", "whole"), [
    (["compare", "relu", "gelu", "silu", "mish", "--grad", "--at", "-5", "--at", "1"], ["-1.433258e-06", "-0.02654743"]),
    (["grad", "softmax", *map(str, range(1, 9))], ["-9.037805568e-07", "-0.0003646110996"]),
    (["list", "--family", "rectifier"], ["upper=0.3333333333333333", "self-normalising"]),
    (["stats", "relu", "tanh", "selu", "gelu", "silu", "--critical", "--linspace", "0", "0.05", "2"], ["1.76095463961"]),
])
@pytest.mark.parametrize("width", [80, 200])
def test_tables_never_split_a_number(args: list[str], whole: list[str], width: int) -> None:
    """At 80 columns compare, Jacobian, list and critical tables folded numbers across lines
    (-1.433258e- / 06): they now share columns out among tables, or wrap at words."""
    r = cli(*args, "-f", "table", tty=True, width=width, environ={"NO_COLOR": "1"})
    assert r.exit_code == 0 and max(len(line) for line in r.stdout.splitlines()) <= width
    for token in whole:
        assert token in r.stdout, (token, r.stdout)


def test_a_long_vector_in_a_table_shows_its_ends() -> None:
    """softmax of 1,000 numbers as a table: one cell of 1,000 numbers took seconds to lay out."""
    r = cli("eval", "softmax", "--linspace", "0", "1", "1000", "-f", "table", tty=True, width=120)
    assert r.exit_code == 0 and "(1,000 numbers)" in r.stdout and r.stdout.count("\n") < 30


def test_the_terminal_plot_refuses_picture_options() -> None:
    r = cli("plot", "tanh", "-t", "--title", "x")
    assert r.exit_code == 2 and "--title shapes a picture file" in r.stderr


def test_compare_at_takes_a_list_and_shows_dtype_values() -> None:
    assert cli("compare", "relu", "gelu", "--at", "-1,0,1", "-f", "csv").stdout.count("\n") == 4
    doc = json.loads(cli("compare", "exponential", "tanh", "--at", "0.1", "--dtype", "float16", "-f", "json").stdout)
    assert [f["y"] for f in doc["functions"]] == [[1.105], [0.0997]]


def test_actcli_reads_back_its_own_csv_without_column() -> None:
    """`seq 3 | actcli eval tanh -x -f csv | actcli eval relu -x -f csv` stopped at the header."""
    first = cli("eval", "tanh", "-x", "-f", "csv", stdin="1\n2\n3\n").stdout
    r = cli("eval", "relu", "-x", "-f", "csv", stdin=first)
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "x,tanh,relu(x),relu(tanh)" and r.stdout.count("\n") == 4
    tanh1 = repr(float(actcli.get("tanh")(1.0)))  # (the last digits are this CPU's)
    assert cli("eval", "relu", stdin=first).stdout.splitlines()[0] == f"1.0,{tanh1}"  # plain: no header
    assert cli("eval", "relu", stdin="x\n1\n").exit_code == 2  # a lone word is no header: an error


def test_list_finds_a_function_by_any_spelling_of_a_name() -> None:
    """`list LeakyReLU` found nothing, though `eval LeakyReLU` works."""
    assert cli("list", "LeakyReLU", "-f", "plain").stdout.split() == ["leaky_relu"]
    assert "leaky_relu" in cli("list", "leaky-relu", "-f", "plain").stdout.split()


def test_keras_gelu_default_is_exact() -> None:
    """keras.activations.gelu(x, approximate=False); only keras.ops.gelu defaults to True."""
    keras = json.loads(cli("info", "gelu", "-f", "json").stdout)["equivalents"]["keras"]
    assert "approximate=False by default" in keras
