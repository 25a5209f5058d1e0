"""`actcli check` and the exhaustive inputs of --all, as a kernel author uses them."""

from __future__ import annotations

import json

import numpy as np
import pytest

import actcli
from actcli.check import BUCKET_KEYS, Tally, ulp_errors
from actcli.dtypes import FORMATS, round_to, spacing

from .conftest import cli


def _rows(x: np.ndarray, y: np.ndarray) -> str:
    return "".join(f"{a!r} {b!r}\n" for a, b in zip(x.tolist(), y.tolist()))


def _report(*args: str, stdin: str) -> tuple[dict, int]:
    r = cli("check", *args, "-f", "json", stdin=stdin)
    assert r.stderr == ""
    return json.loads(r.stdout), r.exit_code


def test_a_correct_implementation_scores_zero() -> None:
    x = round_to(np.linspace(-6, 6, 301), FORMATS["bfloat16"])
    truth = actcli.get("gelu", dtype="bf16")(x).astype(np.float64)
    doc, code = _report("gelu", "--dtype", "bf16", "--max-ulp", "0", stdin=_rows(x, truth))
    assert code == 0 and doc["max_ulp"] == 0 and doc["count"] == 301 and doc["histogram"]["0.5"] == 301
    assert set(doc) == {"spec", "params", "dtype", "derivative", "count", "max_ulp", "worst_x", "mean_ulp",
                        "histogram", "nonfinite_mismatches"}
    assert list(doc["histogram"]) == list(BUCKET_KEYS) and doc["derivative"] is False and doc["dtype"] == "bfloat16"


def test_errors_in_ulps_of_the_true_values_binade() -> None:
    """y one float32 step off at chosen points: 1 ulp each; 3 steps: 3 ulp; the worst x is named."""
    f32 = FORMATS["float32"]
    x = np.array([0.5, 1.0, 2.0, -3.0])
    truth = actcli.get("silu", dtype="fp32")(x).astype(np.float64)
    y = truth.copy()
    y[1] = truth[1] + spacing(truth[1:2], f32)[0]
    y[3] = truth[3] - 3 * spacing(truth[3:4], f32)[0]
    doc, code = _report("silu", "--dtype", "fp32", stdin=_rows(x, y))
    assert code == 0  # no limit given
    assert doc["max_ulp"] == 3.0 and doc["worst_x"] == -3.0 and doc["mean_ulp"] == 1.0
    assert doc["histogram"] == {"0.5": 2, "1": 1, "2": 0, "4": 1, "16": 0, "inf": 0}
    _, code = _report("silu", "--dtype", "fp32", "--max-ulp", "2", stdin=_rows(x, y))
    assert code == 1


def test_ulp_is_measured_in_the_binade_of_the_truth_not_of_y() -> None:
    """A truth just below 2 with y = 2: the spacing is that below 2 (2**-23), so y is 1 ulp off."""
    f32 = FORMATS["float32"]
    below_two = np.nextafter(np.float32(2), np.float32(0)).astype(np.float64)
    assert ulp_errors(np.array([below_two]), np.array([2.0]), actcli.get("identity", dtype="fp32")).tolist() == [1.0]
    assert spacing(np.array([0.0]), f32)[0] == 2.0**-149  # a zero truth: the smallest subnormal


def test_nonfinite_mismatches_fail_even_without_a_limit() -> None:
    x = np.array([1.0, 100.0, 2.0])
    truth = actcli.get("exponential", dtype="bf16")(x).astype(np.float64)
    y = truth.copy()
    y[0] = np.nan  # NaN where the truth is finite
    doc, code = _report("exponential", "--dtype", "bf16", stdin=_rows(x, y))
    assert code == 1 and doc["nonfinite_mismatches"] == 1 and doc["histogram"]["inf"] == 1 and doc["count"] == 3
    assert doc["max_ulp"] == 0  # over the finite pairs only
    # inf against an infinite truth, NaN against NaN: agreement
    doc, code = _report("exponential", "--dtype", "fp16", stdin="100 inf\nnan nan\n")
    assert code == 0 and doc["nonfinite_mismatches"] == 0


def test_derivatives_and_vectors() -> None:
    x = np.array([0.5, -1.0])
    dy = actcli.get("tanh", dtype="fp16").grad(x).astype(np.float64)
    doc, code = _report("tanh", "--grad", "--dtype", "fp16", stdin=_rows(x, dy))
    assert code == 0 and doc["derivative"] is True and doc["max_ulp"] == 0
    row = [1.0, 2.0, 3.0]
    y = actcli.get("softmax", dtype="bf16")(row).astype(np.float64).tolist()
    doc, code = _report("softmax", "--dtype", "bf16", stdin=" ".join(map(repr, row + y)) + "\n")
    assert code == 0 and doc["count"] == 3 and doc["worst_x"] == row
    jac = actcli.get("softmax", dtype="bf16").grad(row[:2]).astype(np.float64).ravel().tolist()
    doc, code = _report("softmax", "--grad", "--dtype", "bf16", stdin=" ".join(map(repr, row[:2] + jac)) + "\n")
    assert code == 0 and doc["count"] == 4


def test_eval_all_is_an_exhaustive_table_that_check_accepts() -> None:
    """`eval --all -x` writes x as the dtype prints it (0.100098 in bfloat16); check reads it back."""
    table = cli("eval", "gelu", "--all", "--dtype", "fp8_e4m3", "-x", "-f", "csv")
    assert table.exit_code == 0 and table.stdout.count("\n") == 1 + 255
    lines = table.stdout.splitlines()
    assert lines[0] == "x,gelu" and lines[-1].startswith("nan,")
    doc, code = _report("gelu", "--dtype", "fp8_e4m3", stdin=table.stdout)
    assert code == 0 and doc["count"] == 255 and doc["max_ulp"] == 0
    bf = cli("eval", "gelu", "--all", "--dtype", "bf16", "-x").stdout
    doc, code = _report("gelu", "--dtype", "bf16", stdin=bf)
    assert code == 0 and doc["count"] == 65283 and doc["max_ulp"] == 0


def test_rows_show_every_point() -> None:
    r = cli("check", "relu", "--dtype", "fp16", "--rows", "-f", "csv", stdin="1 1\n-2 0.5\n")
    assert r.exit_code == 0 and r.stdout.splitlines() == ["x,y,truth,ulp", "1.0,1.0,1.0,0.0", "-2.0,0.5,0.0,8388608.0"]
    r = cli("check", "relu", "--dtype", "fp16", "--rows", "-f", "json", stdin="1 1\n-2 0.5\n")
    assert json.loads(r.stdout)[1] == {"x": -2.0, "y": 0.5, "truth": 0.0, "ulp": 2.0**23}  # 0.5 / 2**-24


def test_a_table_at_a_terminal() -> None:
    r = cli("check", "relu", "--dtype", "fp16", stdin="1 1\n-2 0\n", tty=True)
    assert r.exit_code == 0 and "max_ulp" in r.stdout and "<= 0.5 ulp" in r.stdout and "100.00%" in r.stdout


def test_fixed_digit_forms_of_a_value_are_that_value() -> None:
    """C's %.9g (FLT_DECIMAL_DIG) and other roundings of a D value to k digits are accepted;
    a decimal that is no D value printed to its digits is not."""
    x = np.float32(-4.50335932).astype(np.float64)
    y = float(actcli.get("silu", dtype="fp32")(x))
    for text in (f"{x:.9g}", f"{x:.12g}", repr(float(x)), str(np.float32(x))):
        doc, code = _report("silu", "--dtype", "fp32", stdin=f"{text} {y!r}\n")
        assert code == 0 and doc["max_ulp"] == 0, text
    r = cli("check", "silu", "--dtype", "fp32", stdin="-4.50335935 0\n")  # (rounds to x, but is no print of it)
    assert r.exit_code == 2 and "is not a float32 value" in r.stderr


def test_no_rows_fail_and_nan_pairs_are_no_measure() -> None:
    for stdin in ("", "x,gelu\n", "\n\n"):
        r = cli("check", "gelu", "--dtype", "bf16", "--max-ulp", "1", stdin=stdin)
        assert r.exit_code == 2 and "no rows on stdin" in r.stderr and r.stdout == ""
    r = cli("check", "gelu", "--dtype", "bf16", "--rows", "-f", "json", stdin="")
    assert r.exit_code == 2 and r.stdout == ""  # (nothing half-written)
    doc, code = _report("gelu", "--dtype", "bf16", stdin="nan nan\n")
    assert code == 0 and doc["max_ulp"] is None and doc["worst_x"] is None and doc["histogram"]["0.5"] == 1
    doc, _ = _report("relu", "--dtype", "bf16", stdin="-inf 0\n1 1\n")
    assert doc["max_ulp"] == 0 and doc["worst_x"] == 1.0  # (a finite x where the errors tie)


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["gelu", "--dtype", "bf16"], "0.1 0.05\n", "line 1: x = 0.1 is not a bfloat16 value"),
    (["gelu", "--dtype", "fp32"], "1 0.8\n2 x\n", "not a number: 'x' (stdin line 2, field 2)"),
    (["gelu", "--dtype", "fp32"], "1 0.8\n2\n", "line 2: 1 number; a row holds x and y"),
    (["gelu", "--dtype", "fp32"], "1\n2\n", "line 1: a row needs x and then y"),
    (["gelu", "--dtype", "fp32"], "1 0.8\n2 1 3\n", "line 2: 3 numbers; a row holds x and y"),
    (["gelu", "--dtype", "fp9"], "1 1\n", "unknown dtype 'fp9'"),
    (["gelu", "--max-ulp", "-1"], "1 1\n", "--max-ulp must be a number from 0"),
    (["gelu", "--rows", "-f", "table"], "1 1\n", "--rows writes a row per point"),
])
def test_bad_input(args: list[str], stdin: str, message: str) -> None:
    r = cli("check", *args, stdin=stdin)
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1 and r.stdout == ""


def test_all_is_refused_where_it_makes_no_sense() -> None:
    for args, message in [(["--dtype", "float32"], "--all lists every value of a 16-bit or 8-bit dtype"),
                          (["--dtype", "bf16", "1"], "--all is the input"),
                          ([], "--all lists every value")]:
        r = cli("eval", "gelu", "--all", *args)
        assert r.exit_code == 2 and message in r.stderr
    assert "takes vectors" in cli("eval", "softmax", "--all", "--dtype", "bf16").stderr


def test_decimal_arguments_are_rounded_once_to_the_dtype() -> None:
    """Above float32's midpoint 1 + 2**-24 by 1e-36: as a double it is exactly the midpoint."""
    r = cli("eval", "identity", "1.000000059604644775390625000000000001", "1.000000059604644775390625",
            "--dtype", "float32", "-f", "json")
    assert json.loads(r.stdout)["y"] == [1.0000001, 1.0]  # (float32's shortest forms)


@pytest.mark.parametrize("stdin", ["1.000000059604644775390625000000000001\n1.000000059604644775390625\n",
                                   "1.000000059604644775390625000000000001 1.000000059604644775390625\n",
                                   "x\n1.000000059604644775390625000000000001\n1.000000059604644775390625\n"])
def test_decimal_lines_on_stdin_are_rounded_once(stdin: str) -> None:
    """NumPy's float32 of the double 1.0000000596046448 is 1.0; the text is above the midpoint."""
    args = ["--column", "x"] if stdin.startswith("x") else []
    r = cli("eval", "identity", "--dtype", "float32", *args, stdin=stdin)
    assert r.stdout.split()[-2:] == ["1.0000001", "1.0"] or r.stdout.split()[-4:] == ["1.000000059604644775390625000000000001", "1.0000001",
                                                                                    "1.000000059604644775390625", "1.0"]
    r = cli("eval", "softmax", "--dtype", "float32", stdin="1.000000059604644775390625000000000001 1\n")
    assert r.stdout == "0.5 0.49999997\n"  # (the vector's entries too: softmax(1 + 2**-23, 1))


def test_exact_option() -> None:
    r = cli("eval", "gelu", "0.5", "-3", "--exact", "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["y"] == [0.34573123063700656, -0.0040496940948902835]


def test_tally_streams() -> None:
    t = Tally()
    t.add(np.array([0.25, 3.0, np.inf]), np.array([True, True, False]), [1.0, 2.0, 3.0])
    t.add(np.array([20.0]), np.array([True]), [4.0])
    act = actcli.get("relu")
    rep = t.report(act, "value")
    assert rep["count"] == 4 and rep["max_ulp"] == 20.0 and rep["worst_x"] == 4.0 and rep["nonfinite_mismatches"] == 1
    assert rep["histogram"] == {"0.5": 1, "1": 0, "2": 0, "4": 1, "16": 0, "inf": 2}
