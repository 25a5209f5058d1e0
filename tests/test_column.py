"""actcli/_column.c reads every number exactly as Python's float() does, and exactly the
texts that stdin's general parser accepts. Run in both of its arithmetic modes: x87
extended precision (used on x86) and exact doubles only (what other platforms get)."""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pytest

from actcli.cli.inputs import slow_parse
from actcli.numbers import NumberError

if sys.platform == "linux":  # where CI runs, the compiled parser must have been built
    from actcli import _column as column
else:
    column = pytest.importorskip("actcli._column")


@pytest.fixture(params=[True, False], ids=["extended", "double"])
def mode(request: pytest.FixtureRequest) -> Iterator[bool]:
    was = column._set_extended(request.param)
    yield request.param
    column._set_extended(was)


def read(lines: list[str]) -> np.ndarray:
    out = column.parse("\n".join(lines).encode())
    assert out is not None, "a valid line was refused"
    assert out[1] == len(lines) - 1
    return np.frombuffer(out[0], dtype=np.float64)


def assert_exact(lines: list[str]) -> None:
    got = read(lines)
    want = np.array([float(s) for s in lines])
    same = (got.view(np.int64) == want.view(np.int64)) | (np.isnan(got) & np.isnan(want))
    assert same.all(), [(lines[i], got[i], want[i]) for i in np.flatnonzero(~same)[:5]]


rng = np.random.default_rng(2026)
R = random.Random(2026)


def test_shortest_reprs_of_every_binade(mode: bool) -> None:
    bits = rng.integers(0, 2**63 - 1, 150_000, dtype=np.int64).view(np.float64)  # subnormals to the largest
    normal = rng.standard_normal(150_000) * 4.0  # what the streaming benchmark reads
    values = np.concatenate([bits[np.isfinite(bits)], normal, -normal[:1000]])
    assert_exact([repr(v) for v in values.tolist()])


def test_decimals_of_any_length_and_exponent(mode: bool) -> None:
    lines = []
    for _ in range(150_000):
        digits = "".join(R.choice("0123456789") for _ in range(R.randint(1, 24)))
        point = R.randint(0, len(digits))
        text = R.choice(["", "-", "+"]) + digits[:point] + R.choice([".", ""]) + digits[point:]
        if R.random() < 0.7:
            text += R.choice("eE") + R.choice(["", "+", "-"]) + str(R.randint(0, 30 if R.random() < 0.8 else 400))
        lines.append(text)
    assert_exact(lines)


def test_near_halfway_between_doubles(mode: bool) -> None:
    """Odd multiples of half an ulp, and their neighbours, where a double rounding shows."""
    lines = []
    for _ in range(100_000):
        scale = R.randint(53, 63)
        halfway = (2 * R.randint(2**52, 2**53 - 1) + 1) << (scale - 53)
        text = str(min(halfway + R.choice([-1, 0, 1]), 10**19 - 1))
        shift = R.randint(0, 27)
        lines.append(text[: len(text) - shift] + "." + text[len(text) - shift :] if 0 < shift < len(text) else text)
    for _ in range(10_000):  # exact decimal midpoints: many digits, so the slow path
        a = R.uniform(-1e5, 1e5)
        lines.append(str((Decimal(a) + Decimal(float(np.nextafter(a, np.inf)))) / 2))
    assert_exact(lines)


EDGES = ["9007199254740993", "9007199254740995", "18446744073709551615", "18446744073709551616",
         "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9406564584124654e-324",
         "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
         "1.7976931348623158e308", "1.7976931348623159e308", "1e23", "8.98846567431158e307",
         "0.1", "-0", "-0.0", "0e999999", "-0e-5", "000000000000000000000000001", "1" + "0" * 30,
         "0." + "0" * 30 + "1", "1e400", "-1e400", "1e-400", "5.", ".5", "+.5e+1", "-5.E-1",
         "nan", "-NaN", "inf", "-Inf", "+infinity", "INFINITY", "1234567890123456789e-27",
         "123456789012345678e27", "12345678901234567890e-5"]


def test_edges(mode: bool) -> None:
    assert_exact(EDGES)
    assert np.signbit(read(["-0", "-0.0", "0", "-0e-5"])).tolist() == [True, True, False, True]


def test_it_reads_exactly_what_the_general_parser_reads(mode: bool) -> None:
    """Random texts of numbers, separators, blanks and junk, against inputs.slow_parse."""
    pieces = ["1", "-2.5", ".5", "5.", "+7e-3", "nan", "-Inf", "1e", "x", "0x1", " ", "  ", "\t", "\r",
              ",", ", ", "\n", "\n", "\r\n", "--1", "1.5.3", "Infinity", ";"]
    for _ in range(20_000):
        text = "".join(R.choice(pieces) for _ in range(R.randint(0, 8)))
        got = column.parse(text.encode())
        try:
            want = slow_parse(text, 1)
        except NumberError:
            assert got is None, repr(text)
            continue
        assert got is not None, repr(text)
        values = np.frombuffer(got[0], dtype=np.float64)
        assert got[1] == text.count("\n") and values.shape == want.shape, repr(text)
        assert np.array_equal(values, want, equal_nan=True) and (np.signbit(values) == np.signbit(want)).all(), repr(text)
        by_rows = column.parse(text.encode(), True)
        widths = [len(slow_parse(line, 1)) for line in text.split("\n") if slow_parse(line, 1).size]
        assert by_rows[:2] == got and np.frombuffer(by_rows[2], dtype=np.int64).tolist() == widths, repr(text)


@pytest.mark.parametrize("data", [b"0x10", b"1_000", b"\xd9\xa1", b"infinit", b"nana", b"1e", b"1e+", b"--1",
                                  b"1,,2", b"1,", b",1", b" , ", b"1;2", b"1x", b"1.5.3", b"1\n2\n3 4,\n", b"1" * 401])
def test_anything_else_is_refused(data: bytes) -> None:
    assert column.parse(data) is None


def test_blank_lines_crlf_and_several_numbers_per_line() -> None:
    values, newlines = column.parse(b"1\r\n\n  2 3\t,4 \r\n\n5,6\n")
    assert np.frombuffer(values, dtype=np.float64).tolist() == [1, 2, 3, 4, 5, 6] and newlines == 5
    assert column.parse(b"") == (bytearray(), 0) and column.parse(b"\n \n") == (bytearray(), 2)


def test_threads_reading_at_once_get_their_own_values() -> None:
    """parse runs without the GIL: two threads at once must not disturb each other."""
    blocks = [[repr(v) for v in (rng.standard_normal(200_000) * 10.0 ** k).tolist()] for k in (-30, 3)]
    results: dict[int, np.ndarray] = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, read(blocks[i]))) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, lines in enumerate(blocks):
        assert np.array_equal(results[i], np.array([float(s) for s in lines]))
