"""The streaming fast paths give exactly what the general paths give."""

from __future__ import annotations

import io

import numpy as np
import pytest

from actcli.cli.formatting import column, orjson_tokens, repr_tokens, tokens
from actcli.cli.inputs import (
    CHUNK_BYTES,
    fast_parse,
    fast_rows,
    slow_parse,
    stream_rows,
    stream_scalars,
)
from actcli.definitions import DEFINITIONS
from actcli.literals import NumberError

from .conftest import cli


def _random_values(rng: np.random.Generator) -> np.ndarray:
    """Every magnitude float64 has, both signs, and the edge cases."""
    values = np.concatenate([rng.standard_normal(5000) * 10.0 ** rng.integers(-320, 308, 5000),
                             rng.standard_normal(5000), [0.0, -0.0, 5e-324, -5e-324, 1.7976931348623157e308, 1e16, 1e-5]])
    return values[np.isfinite(values)]


def test_fast_parse_agrees_with_the_general_parser(rng: np.random.Generator) -> None:
    sample = _random_values(rng)
    text = "\n".join(repr(v) for v in sample.tolist()) + "\n"
    fast = fast_parse(text.encode())
    assert fast is not None and fast[1] == len(sample)
    assert np.array_equal(fast[0], slow_parse(text, 1)) and np.array_equal(fast[0], sample)
    assert np.array_equal(np.signbit(fast[0]), np.signbit(sample))


@pytest.mark.parametrize("text", ["-0\n", "1\n-0\n2\n", "-00\n", "+1\n", ".5\n", "5.\n", "nan\n", "1\n\n2\n",
                                  "1, 2\n", "1e400\n", "1" * 400 + "\n", "007\n", "1 2\n", "-inf\n"])
def test_what_json_cannot_say_goes_the_general_way(text: str) -> None:
    values = np.concatenate(list(stream_scalars(io.BytesIO(text.encode()))))
    expected = slow_parse(text, 1)
    assert np.array_equal(values, expected, equal_nan=True)
    assert np.array_equal(np.signbit(values), np.signbit(expected))


def test_negative_zero_survives_streaming() -> None:
    values = np.concatenate(list(stream_scalars(io.BytesIO(b"1\n-0\n"))))
    assert np.signbit(values).tolist() == [False, True]


def test_tokens_round_trip_and_ignore_their_neighbours(rng: np.random.Generator) -> None:
    sample = _random_values(rng)
    toks = tokens(sample)
    assert np.array_equal(np.array([float(t) for t in toks]), sample)
    with_specials = tokens(np.concatenate([sample, [np.nan, np.inf, -np.inf]]))
    assert with_specials[:-3] == toks and with_specials[-3:] == [b"nan", b"inf", b"-inf"]
    assert column(sample) == b"".join(t + b"\n" for t in toks)


def test_few_values_are_written_as_orjson_writes_many(rng: np.random.Generator) -> None:
    sample = _random_values(rng)
    edges = [1e-5, -1e-5, 9.999999999999999e-5, 1e-4, 1.234e-5, 1e-6, 1e-7, 1e-9, 1e-10, 1e15, 1e16, 1e-300]
    values = np.concatenate([sample, edges, rng.uniform(1e-6, 1e-3, 2000) * rng.choice([-1, 1], 2000),
                             [np.nan, np.inf, -np.inf]])
    assert repr_tokens(values) == orjson_tokens(values)
    assert tokens(values[:5]) == orjson_tokens(values[:5])


def test_tokens_are_shortest(rng: np.random.Generator) -> None:
    sample = _random_values(rng)
    for v, t in zip(sample.tolist()[:2000], tokens(sample[:2000])):
        digits = len(t.split(b"e")[0].replace(b"-", b"").replace(b".", b"").strip(b"0"))
        assert digits <= len(repr(v).split("e")[0].replace("-", "").replace(".", "").strip("0"))


class Trickle(io.RawIOBase):
    """A pipe that delivers a few bytes per read, as a slow writer would."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step = data, step

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        piece, self.data = self.data[: self.step], self.data[self.step :]
        return piece


def test_line_numbers_count_blank_lines_that_precede_a_fast_block() -> None:
    """The first complete block is "\n\n1\n2\n": counting one line per number there
    (the fast path's shortcut) would put the bad token of the next block on line 3."""
    with pytest.raises(NumberError, match="stdin line 5, field 1"):
        list(stream_scalars(Trickle(b"\n\n1\n2\nx\n", 7)))


def test_integer_zeros_keep_the_fast_path_and_minus_zero_keeps_its_sign() -> None:
    plain = b"".join(f"{v}\n".encode() for v in [3, 0, -2, 0, 1.5])
    fast = fast_parse(plain)
    assert fast is not None and fast[0].tolist() == [3.0, 0.0, -2.0, 0.0, 1.5] and not np.signbit(fast[0][[1, 3]]).any()
    for minus_zero in (b"-0\n", b"1, -00\n", b"-0", b"2 -0\n"):  # orjson reads the integer -0 as 0: it is given -0.0
        fast = fast_parse(plain + minus_zero)  # (a kernel's output is full of -0: it stays on the fast path)
        assert fast is not None and fast[0][-1] == 0 and np.signbit(fast[0][-1])
        values = np.concatenate(list(stream_scalars(io.BytesIO(plain + minus_zero))))
        assert values[-1] == 0 and np.signbit(values[-1])
    exponent = fast_parse(b"1e-0\n2E-00\n")  # (-0 ending an exponent is no -0)
    assert exponent is not None and exponent[0].tolist() == [1.0, 2.0]
    minus_zero_float = fast_parse(b"-0.0\n1\n")
    assert minus_zero_float is not None and minus_zero_float[0].tolist() == [-0.0, 1.0]
    assert np.signbit(minus_zero_float[0][0])


@pytest.mark.parametrize("text", ["1.5\r\n-2\r\n3, 4,5\r\n6\r\n", "1.5\r\n-2\n\n3 4\t5\n 6 \n"])
def test_crlf_csv_and_whitespace_rows_stay_on_the_fast_path(text: str) -> None:
    """CRLF files, CSV rows and several numbers per line (with blank lines where there are
    no commas) are read by orjson and give what the general parser gives, with lines
    counted across both paths."""
    fast = fast_parse(text.encode())
    assert fast is not None and fast[1] == text.count("\n") and np.array_equal(fast[0], slow_parse(text, 1))
    with pytest.raises(NumberError, match=f"stdin line {text.count(chr(10)) + 2}, field 2"):
        list(stream_scalars(Trickle(text.encode() + b"\n8 x\n", len(text) + 1)))


@pytest.mark.parametrize(("text", "rows"), [
    ("1 2\n3 4 5\n", [[1, 2], [3, 4, 5]]),
    ("\n\n1 2\r\n\n 3\t4  \n\n", [[1, 2], [3, 4]]),
    ("1, 2\r\n\n3,4,5\n", [[1, 2], [3, 4, 5]]),
    ("7\n", [[7]]),
])
def test_rows_on_the_fast_path(text: str, rows: list[list[float]]) -> None:
    fast = fast_rows(text.encode())
    assert fast is not None and fast[1] == text.count("\n")
    assert [r.tolist() for block in fast[0] for r in block] == rows


@pytest.mark.parametrize("text", ["1 2,3\n", "1,\n2\n", ",1\n", "1 nan\n", "+1 2\n", "1 .5\n"])
def test_rows_json_cannot_say_go_the_general_way(text: str) -> None:
    assert fast_rows(text.encode()) is None


def test_rows_with_an_integer_minus_zero_stay_fast_and_keep_its_sign() -> None:
    for text in (b"1 -0\n-0 2\n", b"1,-0\n-0,2\n"):
        fast = fast_rows(text)
        assert fast is not None and np.signbit(fast[0][0][0, 1]) and np.signbit(fast[0][0][1, 0])


def test_a_bad_line_in_a_later_chunk_comes_after_the_earlier_chunks_output() -> None:
    """A later chunk's error comes after the earlier chunks' output."""
    lines = CHUNK_BYTES // 8 + 10
    r = cli("eval", "relu", "-", stdin="0.25000\n" * lines + "x\n")
    assert r.exit_code == 2 and r.stderr == f"actcli: error: not a number: 'x' (stdin line {lines + 1}, field 1)\n"
    assert r.stdout.count("\n") >= CHUNK_BYTES // 8 - 1 and set(r.stdout.split()) == {"0.25"}


@pytest.mark.parametrize("kind", ["eval", "grad"])
@pytest.mark.parametrize("widths", ["mixed", "one"])
def test_vector_rows_are_evaluated_in_blocks_as_one_by_one(kind: str, widths: str, rng: np.random.Generator) -> None:
    """Rows of one length are stacked and evaluated at once (and long finite blocks written
    by one orjson call); the text must be what each row gives alone (from the arguments),
    for values and Jacobians, with the inputs."""
    specials = ["nan", "inf", "-inf", "-0", "0", "1e300", "-1e300", "5e-324"]
    rows = []
    for _ in range(60):
        width = int(rng.integers(1, 5)) * 2 if widths == "mixed" else 4  # even, so that glu takes them too
        rows.append([str(v) for v in rng.standard_normal(width) * 10.0 ** rng.integers(-3, 4, width)])
        if widths == "mixed" and rng.random() < 0.2:
            rows[-1][int(rng.integers(width))] = specials[int(rng.integers(len(specials)))]
    text = "".join((" ".join(r) if i % 3 else ", ".join(r)) + ("\r\n\n" if i % 7 == 0 else "\n")
                   for i, r in enumerate(rows))
    for name in (d.name for d in DEFINITIONS if d.vector):
        streamed = cli(kind, name, "-", "-f", "plain", "--with-input", stdin=text)
        alone = [cli(kind, name, *r, "-f", "plain", "--with-input") for r in rows]
        assert streamed.exit_code == 0 and all(a.exit_code == 0 for a in alone)
        assert streamed.stdout == "".join(a.stdout for a in alone), name


@pytest.mark.parametrize("blank", [b"\n", b" \n", b"\r\n", b"\t\n"])
def test_a_block_of_one_blank_line_counts_one_line(blank: bytes) -> None:
    """A slow writer can deliver a block that is one blank line: it still counts."""
    assert fast_parse(blank) is not None and fast_parse(blank)[1] == 1
    rows = fast_rows(blank)
    assert rows is not None and rows == ([], 1)
    with pytest.raises(NumberError, match="stdin line 3, field 1"):
        list(stream_scalars(Trickle(b"1\n" + blank + b"x\n", 2)))


def test_vector_rows_survive_blocks_of_blank_lines() -> None:
    got = [r.tolist() for block in stream_rows(Trickle(b"1 2\n\n\n3 4\n", 4)) for r in block]
    assert got == [[1.0, 2.0], [3.0, 4.0]]
    assert list(stream_rows(io.BytesIO(b"\n\n"))) == []


@pytest.mark.parametrize("kind", ["scalars", "rows"])
def test_only_spaces_tabs_and_carriage_returns_separate(kind: str) -> None:
    """Vertical tabs, form feeds and other ASCII 'whitespace' are refused on every path."""
    read = stream_scalars if kind == "scalars" else stream_rows
    with pytest.raises(NumberError, match="line 2, field 1"):
        list(read(io.BytesIO(b"1 2\n1\x0b2\n")))
