"""Where the numbers come from: arguments, a generated grid, or stdin in bounded chunks.

stdin is read in blocks of at most ``CHUNK_BYTES`` and cut at the last newline, so
output starts before input ends and memory does not grow with the input's length.
Numbers on a line are separated by whitespace or a comma; for vector-valued functions
each line is one vector.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import IO, TypeVar

import numpy as np

from ..model import ActivationError
from ..numbers import NUMBER, NumberError, parse_number

CHUNK_BYTES = 1 << 20
T = TypeVar("T")
_SEP = re.compile(r"\s*,\s*|\s+")
_NUM = NUMBER.pattern
_BLANK = r"[ \t\r]*+"
_LINE = rf"{_BLANK}(?:{_NUM}(?:{_BLANK},{_BLANK}{_NUM}|[ \t\r]++{_NUM})*+)?{_BLANK}"
# A whole chunk of well-formed lines, checked in one pass before the general conversion.
_CLEAN = rf"(?:{_LINE}\n)*+(?:{_LINE})?"  # compiled on first use: a millisecond at start-up


def from_arguments(tokens: list[str], what: str = "argument") -> np.ndarray:
    values = [parse_number(t.strip(), f" ({what} {i})") for i, t in enumerate(tokens, 1)]
    return np.array(values, dtype=np.float64)


def linspace(start: str, stop: str, num: str) -> np.ndarray:
    lo = parse_number(start.strip(), " (--linspace START)")
    hi = parse_number(stop.strip(), " (--linspace STOP)")
    if not re.fullmatch(r"[0-9]+", num.strip()) or not 1 <= int(num) <= 100_000_000:
        raise ActivationError(f"--linspace NUM must be a whole number from 1 to 1e8, got {num!r}")
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ActivationError("--linspace START and STOP must be finite")
    return np.linspace(lo, hi, int(num))


def _fields(line: str) -> list[str]:
    stripped = line.strip()
    return _SEP.split(stripped) if stripped else []


def _locate_error(text: str, first_line: int) -> NumberError:
    """The first bad token in a chunk, named with its line and field (slow path, errors only)."""
    for offset, line in enumerate(text.split("\n")):
        for col, tok in enumerate(_fields(line), 1):
            if NUMBER.fullmatch(tok) is None:
                what = "empty field" if tok == "" else None
                err = NumberError(tok, f" (stdin line {first_line + offset}, field {col})")
                if what:
                    err.args = (f"{what} (stdin line {first_line + offset}, field {col})",)
                return err
    return NumberError(text[:20], f" (stdin near line {first_line})")


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """Complete lines, a block at a time."""
    rest = b""
    read = getattr(stream, "read1", stream.read)
    while True:
        block = read(CHUNK_BYTES)
        if not block:
            break
        block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut == 0:  # no complete line yet (one line can be a long vector): keep reading
            rest = block
            continue
        rest, block = block[cut:], block[:cut]
        yield block
    if rest:
        yield rest


def _decode(block: bytes, line: int) -> str:
    try:
        return block.decode("ascii")
    except UnicodeDecodeError as e:
        bad_line = line + block[: e.start].count(b"\n")
        raise ActivationError(f"not a number: non-ASCII input (stdin line {bad_line})") from None


def _json_table() -> bytes:
    table = bytearray(256)  # anything else becomes NUL, which no JSON number contains
    for c in b"0123456789.eE+-":
        table[c] = c
    table[ord("\n")] = ord(",")
    return bytes(table)


_TO_JSON = _json_table()
_NEGATIVE_ZERO_INT = re.compile(rb"(?m)^-0+$")


try:  # compiled at install (actcli/_column.c); without a C compiler, orjson reads the lines
    from .. import _column
except ImportError:  # pragma: no cover - depends on the build
    _column = None
# Without x87 arithmetic the C parser is exact but slower than orjson (0.08 s per million
# lines against 0.05 s here, built with -DACTCLI_PORTABLE), so it is used only with it.
_parse_column = _column.parse if _column is not None and _column.EXTENDED else None


def fast_parse(block: bytes) -> tuple[np.ndarray, int] | None:
    """A block's numbers read without a Python object per number, and its count of
    newlines; None sends the block to the general parser (which names a bad token).

    The compiled parser reads the whole grammar (blank lines, CRLF, several numbers per
    line); orjson, where it is not built, only one number per line.
    """
    if _parse_column is not None:
        parsed = _parse_column(block)
        return None if parsed is None else (np.frombuffer(parsed[0], dtype=np.float64), parsed[1])
    # Only the final newline goes: a blank line anywhere (even first) must fail, so that
    # the count of lines stays one per number.
    body = block[:-1] if block.endswith(b"\n") else block
    values = _orjson_parse(body) if body else None
    return None if values is None else (values, values.size)


def _orjson_parse(body: bytes) -> np.ndarray | None:
    """One number per line parsed as a JSON array by orjson (4x faster than NumPy's text
    parsers, 2x slower than _column, docs/performance.md).

    Every JSON number is a number in actcli's grammar, so whatever orjson accepts is
    valid; anything else (signs like +1, .5, nan, blank lines, commas) falls back. One
    translate both checks the characters and turns newlines into commas. The integer
    -0 is the one JSON number whose value orjson changes (to int 0), so a block with a
    -0 line falls back too; the text is searched for one only when the parsed values
    hold an integer zero (searching every block cost a fifth of the parse).
    """
    text = body.translate(_TO_JSON)
    if b"\0" in text:
        return None
    import orjson

    try:
        parsed = orjson.loads(b"[" + text + b"]")
        values = np.array(parsed, dtype=np.float64)
    except (orjson.JSONDecodeError, OverflowError, TypeError, ValueError):
        return None
    zeros = np.flatnonzero(values == 0.0).tolist()
    if any(type(parsed[i]) is int for i in zeros) and _NEGATIVE_ZERO_INT.search(body):
        return None  # an integer zero, and one of them is written -0
    return values


def slow_parse(text: str, first: int) -> np.ndarray:
    """Any input the grammar allows, with the bad token's line and field on failure."""
    if re.fullmatch(_CLEAN, text, re.ASCII) is None:
        raise _locate_error(text, first)
    tokens = _SEP.split(text.strip())
    return np.array(tokens if tokens != [""] else [], dtype=np.float64)


def stream_scalars(stream: IO[bytes]) -> Iterator[np.ndarray]:
    """Arrays of the numbers on stdin, chunk by chunk, each read while the one before is
    evaluated and written."""
    return read_ahead(_scalars(stream))


def read_ahead(items: Iterator[T]) -> Iterator[T]:
    """The items of ``items``, each next one made in a thread while the caller works on
    the one before. It pays where making them releases the GIL (reading a pipe, and
    _column's parse of a chunk): 2 cores then read and write at once. An exception
    raised making an item is raised where that item would have been returned, so
    everything before it is written first.
    """
    import threading

    slot: list[tuple[bool, object]] = []

    def fetch() -> None:
        try:
            slot.append((True, next(items, _END)))
        except BaseException as e:  # noqa: BLE001 - handed over to the consuming thread
            slot.append((False, e))

    worker = threading.Thread(target=fetch, daemon=True)  # daemon: Ctrl-C need not wait for it
    worker.start()
    while True:
        worker.join()
        ok, item = slot.pop()
        if not ok:
            raise item  # type: ignore[misc]
        if item is _END:
            return
        worker = threading.Thread(target=fetch, daemon=True)
        worker.start()
        yield item  # type: ignore[misc]


_END = object()


def _scalars(stream: IO[bytes]) -> Iterator[np.ndarray]:
    line = 1  # of the block's first line, for error messages
    for block in _chunks(stream):
        fast = fast_parse(block)
        if fast is None:
            values = slow_parse(_decode(block, line), line)
            line += block.count(b"\n")
        else:
            values, newlines = fast
            line += newlines
        if values.size:
            yield values


def stream_rows(stream: IO[bytes]) -> Iterator[np.ndarray]:
    """The vectors on stdin, one per non-blank line, as 2-D blocks of consecutive rows of
    one length, so that a vector-valued function is evaluated once per block, not per row
    (100,000 rows of softmax: 3.0 s one by one); read ahead like stream_scalars."""
    return read_ahead(_rows(stream))


def _rows(stream: IO[bytes]) -> Iterator[np.ndarray]:
    first = 1  # of the block's first line, for error messages
    for block in _chunks(stream):
        parsed = _parse_column(block, True) if _parse_column is not None else None
        if parsed is None:
            rows = _rows_by_line(_decode(block, first), first)
            values = np.concatenate(rows) if rows else np.empty(0)
            widths = np.array([r.size for r in rows], dtype=np.int64)
            first += block.count(b"\n")
        else:
            values = np.frombuffer(parsed[0], dtype=np.float64)
            widths = np.frombuffer(parsed[2], dtype=np.int64)
            first += parsed[1]
        yield from _blocks_of_rows(values, widths)


def _rows_by_line(text: str, first: int) -> list[np.ndarray]:
    """The general path: each non-blank line's vector, or the bad token's line and field."""
    rows = []
    for offset, line in enumerate(text.split("\n")):
        fields = _fields(line)
        if fields:
            try:
                rows.append(np.array([parse_number(f, "") for f in fields], dtype=np.float64))
            except NumberError:
                raise _locate_error(line, first + offset) from None
    return rows


def _blocks_of_rows(values: np.ndarray, widths: np.ndarray) -> Iterator[np.ndarray]:
    """values cut into rows of the given widths, runs of equal width stacked in 2-D."""
    if not widths.size:
        return
    starts = np.flatnonzero(np.diff(widths)) + 1
    bounds = [0, *starts.tolist(), widths.size]
    offset = 0
    for lo, hi in pairwise(bounds):
        width = int(widths[lo])
        size = (hi - lo) * width
        yield values[offset : offset + size].reshape(hi - lo, width)
        offset += size
