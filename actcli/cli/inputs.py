"""Where the numbers come from: arguments, a generated grid, or stdin in bounded chunks.

stdin is read in blocks of at most ``CHUNK_BYTES`` and cut at the last newline, so
output starts before input ends and memory does not grow with the input's length.
Numbers on a line are separated by whitespace or a comma; for vector-valued functions
each line is one vector.

A block is read by orjson where it can say it (``fast_parse``, ``fast_rows``): about
5x faster than the general parser, which reads everything else the grammar allows and
names the line and field of a bad token.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from itertools import chain, pairwise
from typing import IO, NamedTuple

import numpy as np

from ..dtypes import Format
from ..literals import NUMBER, PATTERN, NumberError, parse_number, shorten
from ..numerics import linspace_pieces
from .env import Environment
from .errors import UsageError

CHUNK_BYTES = 1 << 20
# The longest line stdin may hold (a vector of some 800,000 numbers): what has no newline
# within it (/dev/zero, a binary file) is refused, not read into memory without end.
MAX_LINE_BYTES = 16 << 20
GRID_PIECE = 1 << 20  # points of --linspace generated, evaluated and written at a time
# Separators within a line: as the line pattern below says, never other ASCII whitespace.
_SEP = re.compile(r"[ \t\r]*,[ \t\r]*|[ \t\r]+")
_BLANK = r"[ \t\r]*+"
_LINE = rf"{_BLANK}(?:{PATTERN}(?:{_BLANK},{_BLANK}{PATTERN}|[ \t\r]++{PATTERN})*+)?{_BLANK}"
# A whole chunk of well-formed lines, checked in one pass before the general conversion.
_CLEAN = rf"(?:{_LINE}\n)*+(?:{_LINE})?"  # compiled on first use: a millisecond at start-up


class Rows(NamedTuple):
    """Lines of stdin for an elementwise function, kept as lines: their numbers, how many
    each line holds (0: a blank line), and the separator each used (b",", b"\\t" or b" "),
    so that the output has the input's shape. One number per line needs none of this: such
    blocks come as plain arrays."""

    values: np.ndarray
    widths: np.ndarray
    seps: bytes | list[bytes]  # one for all lines, or each line's

    @property
    def size(self) -> int:
        return int(self.values.size)


def numbers(env: Environment, values: list[str] | None, grid: tuple[str, str, str] | None,
            vector: bool, what: str = "argument", keep_lines: bool = False,
            fmt: Format | None = None) -> Iterator[np.ndarray | Rows]:
    """Arguments, --linspace or stdin, as arrays (one vector per array for vector
    functions); with ``keep_lines``, stdin lines that do not hold one number each come as
    :class:`Rows`. With ``fmt``, an argument's decimal text is rounded once, directly to
    that format (see :func:`once`)."""
    values = values or []
    if grid is not None:
        if values:
            raise UsageError("give numbers or --linspace, not both")
        yield from linspace(*grid)
        return
    if values and values != ["-"]:
        if "-" in values:
            raise UsageError("'-' (read stdin) cannot be mixed with numbers")
        parsed = from_arguments(values, what)
        yield once(parsed, values, fmt) if fmt is not None and fmt.name != "float64" else parsed
        return
    if not values and env.stdin_isatty:
        raise UsageError("no input: give numbers, '-' to read stdin, or --linspace START STOP NUM")
    yield from (stream_rows(env.stdin, fmt) if vector else stream_scalars(env.stdin, keep_lines, fmt))


def option_number(text: str, option: str, lo: float, hi: float, whole: bool = False) -> float:
    """An option's number, in actcli's grammar (no '1_0'), within [lo, hi]."""
    value = parse_number(text.strip(), f" ({option})")
    if not (lo <= value <= hi and (not whole or value == int(value))):
        kind = "a whole number" if whole else "a number"
        raise UsageError(f"{option} must be {kind} from {lo:g} to {hi:g}, got {text.strip()!r}")
    return value


def from_arguments(tokens: list[str], what: str = "argument") -> np.ndarray:
    values = []
    for i, t in enumerate(tokens, 1):
        try:
            values.append(parse_number(t.strip(), f" ({what} {i})"))
        except NumberError as e:
            if what == "argument" and os.path.isfile(t):  # `actcli eval relu data.txt`
                raise UsageError(f"{e}: a file? numbers come from stdin: < {t if len(t) <= 200 else shorten(t)}") from None
            raise
    return np.array(values, dtype=np.float64)


def once(parsed: np.ndarray, texts: list[str] | list[bytes], fmt: Format) -> np.ndarray:
    """Numbers read as float64 that lie exactly halfway between two values of ``fmt``,
    moved off the midpoint to the side their decimal text is on, so that rounding them to
    ``fmt`` rounds the text once: 1.000000059604644775390625000000000001 is above
    float32's midpoint 1 + 2**-24 but reads as exactly that double, which float32 would
    round down to 1."""
    from fractions import Fraction

    if fmt.name == "float64":  # (the decimal was rounded once already, by the parser)
        return parsed
    out = parsed.copy()
    for i in _midpoints(parsed, fmt).tolist():
        v = float(parsed[i])
        token = texts[i]
        try:
            text = Fraction((token.decode() if isinstance(token, bytes) else token).strip())
        except (ValueError, ZeroDivisionError, UnicodeDecodeError):  # (other forms: taken as read)
            continue
        if text != Fraction(v):
            out[i] = np.nextafter(v, math.inf if text > v else -math.inf)
    return out


def _midpoints(values: np.ndarray, fmt: Format) -> np.ndarray:
    """Indices of values lying exactly halfway between two numbers of ``fmt``: their two
    float64 neighbours round to different numbers."""
    from ..dtypes import round_to

    with np.errstate(all="ignore"):
        up = round_to(np.nextafter(values, np.inf), fmt)
        down = round_to(np.nextafter(values, -np.inf), fmt)
    return np.flatnonzero((up != down) & np.isfinite(values) & (values != 0))


def _once_in_block(values: np.ndarray, block: bytes, fmt: Format | None) -> np.ndarray:
    """A block's numbers, those exactly on a midpoint of ``fmt`` settled by their text."""
    if fmt is None or fmt.name == "float64" or not _midpoints(values, fmt).size:
        return values
    tokens = re.split(rb"[ \t\r\n,]+", block.strip(b" \t\r\n"))
    return once(values, tokens, fmt) if len(tokens) == values.size else values


def linspace(start: str, stop: str, num: str) -> Iterator[np.ndarray]:
    """--linspace START STOP NUM, in pieces of at most GRID_PIECE points: a grid of 1e8
    points streams in bounded memory, as stdin does."""
    lo = parse_number(start.strip(), " (--linspace START)")
    hi = parse_number(stop.strip(), " (--linspace STOP)")
    num = num.strip()  # (a negative number arrives with a space before it: command_classes.py)
    if not re.fullmatch(r"[0-9]+", num) or not 1 <= int(num) <= 100_000_000:
        raise UsageError(f"--linspace NUM must be a whole number from 1 to 1e8, got {num!r}")
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise UsageError("--linspace START and STOP must be finite")
    return linspace_pieces(lo, hi, int(num), GRID_PIECE)


def _fields(line: str) -> list[str]:
    stripped = line.strip(" \t\r")
    return _SEP.split(stripped) if stripped else []


def _locate_error(text: str, first_line: int) -> NumberError:
    """The first bad token in a chunk, named with its line and field (slow path, errors only)."""
    for offset, line in enumerate(text.split("\n")):
        for col, tok in enumerate(_fields(line), 1):
            if NUMBER.fullmatch(tok) is None:
                what = "empty field" if tok == "" else None
                header = first_line + offset == 1 and not any(NUMBER.fullmatch(f) for f in _fields(line))
                hint = "; a header? --column NAME picks columns by it" if header else ""
                err = NumberError(tok, f" (stdin line {first_line + offset}, field {col}){hint}")
                if what:
                    err.args = (f"{what} (stdin line {first_line + offset}, field {col})",)
                return err
    return NumberError(text[:20], f" (stdin near line {first_line})")


class _LongLine(Exception):
    """A line longer than MAX_LINE_BYTES (its number is known to the caller)."""


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """Complete lines, a block at a time (the last line may lack its newline); raises
    _LongLine at a line longer than MAX_LINE_BYTES."""
    pending: list[bytes] = []  # the start of a line longer than a block: joined once, when it ends
    pending_size = 0
    read = getattr(stream, "read1", stream.read)
    first = True
    while True:
        block = read(CHUNK_BYTES)
        if not block:
            break
        if first:  # a UTF-8 byte-order mark (Excel's CSV files) is no text
            block = block.removeprefix(b"\xef\xbb\xbf")
            first = not block
            if not block:
                continue
        cut = block.rfind(b"\n") + 1
        if cut == 0:  # no complete line yet (one line can be a long vector): keep reading
            pending.append(block)
            pending_size += len(block)
            if pending_size > MAX_LINE_BYTES:
                raise _LongLine
            continue
        head, rest = block[:cut], block[cut:]
        if pending:
            head = b"".join([*pending, head])
            pending, pending_size = [], 0
            if head.find(b"\n", 0, MAX_LINE_BYTES + 1) < 0:
                raise _LongLine
        yield head
        if rest:
            pending.append(rest)
            pending_size = len(rest)
    if pending:
        yield b"".join(pending)


def _long_line(line: int) -> UsageError:
    return UsageError(f"stdin line {line} is longer than {MAX_LINE_BYTES >> 20} MiB "
                      "(a line holds numbers, or one vector: is this a text file?)")


def _decode(block: bytes, line: int) -> str:
    try:
        return block.decode("ascii")
    except UnicodeDecodeError as e:
        bad_line = line + block[: e.start].count(b"\n")
        raise UsageError(f"not a number: non-ASCII input (stdin line {bad_line})") from None


# What a block may hold to be read by orjson: number characters and separators. Anything
# else (nan, inf, a stray letter) sends the block to the general parser, which names it.
_ORJSON_CHARS = b"0123456789.eE+-, \t\r\n"
# An integer -0: the one JSON number whose value orjson changes (to the integer 0).
_NEGATIVE_ZERO_INT = re.compile(rb"-0+(?![^\s,])")  # (or the end of an exponent: 1e-0)


def fast_parse(block: bytes) -> tuple[np.ndarray, int] | None:
    """A block's numbers, read by orjson as one JSON array, and its count of newlines;
    None sends the block to the general parser (which names a bad token).

    Every JSON number is a number in actcli's grammar, so whatever orjson accepts is
    valid; what JSON cannot say (``+1``, ``.5``, ``5.``, ``nan``, an empty field) falls
    back. Line ends become commas (so that a comma at the end of a line makes an empty
    field, which JSON refuses as the grammar does); where that fails and there are no
    commas, the whitespace-separated numbers are joined by commas through ``bytes.split``
    (several numbers or none on a line).
    """
    body = _orjson_body(block)
    if body is None:
        return None
    commas = b"," in body
    parsed = _orjson_load(b"[" + body.replace(b"\n", b",") + b"]")
    if parsed and not commas:  # one number per line (an empty list: a blank line, counted below)
        newlines = len(parsed) - 1 + block.endswith(b"\n")
    else:
        if parsed is None and not commas:
            parsed = _orjson_load(b"[" + b",".join(body.split()) + b"]")
        if parsed is None:
            return None
        newlines = block.count(b"\n")
    values = np.fromiter(parsed, dtype=np.float64, count=len(parsed))
    return None if _changed_a_zero([values], body) else (values, newlines)


def fast_rows(block: bytes) -> tuple[list[np.ndarray], int] | None:
    """A block's vectors (one per non-blank line) as 2-D blocks of rows of one length,
    read by orjson as an array of arrays, and its count of newlines; None sends the
    block to the general parser."""
    lists = fast_row_lists(block)
    if lists is None:
        return None
    values, widths = _flatten(lists)
    blocks = list(_blocks_of_rows(values, widths))
    return None if _changed_a_zero(blocks, block) else (blocks, block.count(b"\n"))


def fast_row_lists(block: bytes) -> list[list[float]] | None:
    """A block's lines as lists of numbers (an empty list for a blank line), read by orjson
    as an array of arrays; None sends the block to the general parser.

    Line ends become ``],[``. Without commas, each line's whitespace-separated numbers
    are joined by commas through ``bytes.split``, the line ends travelling among them as
    a ``],[`` token.
    """
    body = _orjson_body(block)
    if body is None:
        return None
    if b"," in body:
        text = body.replace(b"\n", b"],[")
    else:
        text = b",".join(body.replace(b"\n", b" ],[ ").split()).replace(b",],[,", b"],[")
        if text.startswith(b"],[") or text.endswith(b"],[") or b"],[],[" in text:  # blank lines
            text = text.replace(b"[,", b"[").replace(b",]", b"]")
    return _orjson_load(b"[[" + text + b"]]")


def _flatten(lists: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    widths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    return np.fromiter(chain.from_iterable(lists), dtype=np.float64, count=int(widths.sum())), widths


def _orjson_body(block: bytes) -> bytes | None:
    """The block without its last newline, if it holds only what orjson may read."""
    body = block[:-1] if block.endswith(b"\n") else block
    if body.translate(None, _ORJSON_CHARS):
        return None
    # An integer -0 (a kernel's output, printed) would lose its sign in orjson: as -0.0 it keeps it.
    if b"-0" not in body:
        return body
    return _NEGATIVE_ZERO_INT.sub(lambda m: b"-0.0" if m.start() == 0 or body[m.start() - 1] in _DELIMITERS
                                  else m.group(), body)


_DELIMITERS = b" \t\r\n,"


def _orjson_load(text: bytes) -> list | None:
    import orjson

    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _changed_a_zero(arrays: list[np.ndarray], body: bytes) -> bool:
    """Whether orjson may have read an integer -0 as 0 (it keeps the sign of -0.0 only).
    The text is searched only when a zero was read, which most blocks have none of; a
    false alarm (an exponent such as 1e-0) only sends the block the general way."""
    if all(a.all() for a in arrays):
        return False
    text = _orjson_body(body) or b""
    return any(m.start() == 0 or text[m.start() - 1] in _DELIMITERS for m in _NEGATIVE_ZERO_INT.finditer(text))


def slow_parse(text: str, first: int) -> np.ndarray:
    """Any input the grammar allows, with the bad token's line and field on failure."""
    if re.fullmatch(_CLEAN, text, re.ASCII) is None:
        raise _locate_error(text, first)
    tokens = re.split(r"[ \t\r\n,]+", text.strip(" \t\r\n"))  # checked above: no empty fields
    return np.array(tokens if tokens != [""] else [], dtype=np.float64)


def stream_scalars(stream: IO[bytes], keep_lines: bool = False,
                   fmt: Format | None = None) -> Iterator[np.ndarray | Rows | Header]:
    """The numbers on stdin, chunk by chunk, as arrays. With ``keep_lines``, a block
    whose lines do not each hold one number (several, or none) comes as :class:`Rows`,
    which keep the lines' shape for the output, and a CSV/TSV header line as :class:`Header`."""
    line = 1  # of the block's first line, for error messages
    try:
        for block in _chunks(stream):
            if keep_lines and line == 1 and (names := _header(block)) is not None:
                yield names
                cut = block.find(b"\n") + 1 or len(block)
                block, line = block[cut:], 2
                if not block:
                    continue
            column = fast_column(block) if keep_lines else None
            if column is not None:
                values, newlines = column
            elif keep_lines:
                for piece in _lines_of(block, line):
                    if isinstance(piece, Rows):
                        yield piece._replace(values=_once_in_block(piece.values, block, fmt))
                    else:
                        yield _once_in_block(piece, block, fmt)
                newlines = block.count(b"\n")
                values = np.empty(0)
            else:
                fast = fast_parse(block)
                if fast is None:
                    values, newlines = slow_parse(_decode(block, line), line), block.count(b"\n")
                else:
                    values, newlines = fast
            line += newlines
            if values.size:
                yield _once_in_block(values, block, fmt)
    except _LongLine:
        raise _long_line(line) from None


class Header(NamedTuple):
    """A CSV or TSV header line on stdin (all its fields names, not numbers): its names."""

    names: list[str]
    sep: bytes


def _header(block: bytes) -> Header | None:
    """The first line as a header when it has a comma or a tab and no field is a number:
    `x,relu` from actcli's own `-x -f csv`. A lone word stays an error (a typo, not a header)."""
    first = block.split(b"\n", 1)[0].rstrip(b"\r")
    sep = b"," if b"," in first else (b"\t" if b"\t" in first else None)
    if sep is None:
        return None
    try:
        fields = [f.strip() for f in first.decode("utf-8").split(sep.decode())]
    except UnicodeDecodeError:
        return None
    tokens = [t for f in fields for t in f.split()]
    if not all(fields) or any(NUMBER.fullmatch(t) for t in tokens):  # ('1 2,zz' is a bad line, no header)
        return None
    return Header(fields, sep)


def fast_column(block: bytes) -> tuple[np.ndarray, int] | None:
    """The numbers of a block that holds one on each line (the fast path of the common
    case), and its count of newlines; None for any other block."""
    body = _orjson_body(block)
    if body is None or b"," in body:
        return None
    parsed = _orjson_load(b"[" + body.replace(b"\n", b",") + b"]")  # a blank line makes ",,": refused
    if not parsed:
        return None
    values = np.fromiter(parsed, dtype=np.float64, count=len(parsed))
    return None if _changed_a_zero([values], body) else (values, len(parsed) - 1 + block.endswith(b"\n"))


def _lines_of(block: bytes, line: int) -> Iterator[np.ndarray | Rows]:
    grid = _fast_grid(block)
    if grid is not None:
        yield grid
        return
    lists = fast_row_lists(block)
    values, widths = _flatten(lists) if lists is not None else (np.empty(0), np.empty(0, dtype=np.int64))
    if lists is None or _changed_a_zero([values], block):
        values, widths = _numbers_by_line(_decode(block, line), line)
    if widths.size and np.all(widths == 1):
        yield values
    elif widths.size:
        yield Rows(values, widths, _separators(block, widths))


def _fast_grid(block: bytes) -> Rows | None:
    """A block of lines of w comma-separated numbers each (a CSV file), read as one flat
    array: half the time of reading it line by line."""
    end = block.find(b"\n")
    w = block.count(b",", 0, end if end >= 0 else len(block)) + 1
    lines = block.count(b"\n") + (not block.endswith(b"\n"))
    if w < 2 or b"\t" in block or block.count(b",") != (w - 1) * lines:
        return None
    fast = fast_parse(block)
    if fast is None or fast[0].size != w * lines:
        return None
    return Rows(fast[0], np.full(lines, w, dtype=np.int64), b",")


def _separators(block: bytes, widths: np.ndarray) -> bytes | list[bytes]:
    """The separator of each line, or of all when they share one (a CSV file: fast)."""
    commas, tabs = block.count(b","), block.count(b"\t")
    if not tabs and commas == int(np.maximum(widths - 1, 0).sum()) and (commas or not block.strip(b"0123456789.eE+-nafiNAFI \r\n")):
        return b"," if commas else b" "
    lines = block[:-1].split(b"\n") if block.endswith(b"\n") else block.split(b"\n")
    return [b"," if b"," in t else b"\t" if b"\t" in t else b" " for t in lines]


def _numbers_by_line(text: str, first: int) -> tuple[np.ndarray, np.ndarray]:
    """The general path: each line's numbers (none on a blank line), or the bad token's
    line and field."""
    text = text.removesuffix("\n")
    rows = []
    for offset, line in enumerate(text.split("\n")):
        try:
            rows.append([parse_number(f, "") for f in _fields(line)])
        except NumberError:
            raise _locate_error(line, first + offset) from None
    return _flatten(rows)


def stream_rows(stream: IO[bytes], fmt: Format | None = None) -> Iterator[np.ndarray]:
    """The vectors on stdin, one per non-blank line, as 2-D blocks of consecutive rows of
    one length, so that a vector-valued function is evaluated once per block, not per row
    (100,000 rows of softmax: 3.0 s one by one)."""
    first = 1  # of the block's first line, for error messages
    try:
        for block in _chunks(stream):
            fast = fast_rows(block)
            if fast is None:
                blocks = _rows_by_line(_decode(block, first), first)
                first += block.count(b"\n")
            else:
                blocks, newlines = fast
                first += newlines
            if fmt is not None and fmt.name != "float64" and any(_midpoints(b.ravel(), fmt).size for b in blocks):
                flat = _once_in_block(np.concatenate([b.ravel() for b in blocks]), block, fmt)
                cut = np.cumsum([b.size for b in blocks])[:-1]
                blocks = [piece.reshape(b.shape) for piece, b in zip(np.split(flat, cut), blocks)]
            yield from blocks
    except _LongLine:
        raise _long_line(first) from None


def _rows_by_line(text: str, first: int) -> list[np.ndarray]:
    """The general path: the blocks of rows (blank lines dropped), or the bad token's line and field."""
    return list(_blocks_of_rows(*_numbers_by_line(text, first)))


def _blocks_of_rows(values: np.ndarray, widths: np.ndarray) -> Iterator[np.ndarray]:
    """values cut into rows of the given widths (blank rows, of width 0, dropped), each
    run of rows of one width stacked into a 2-D array."""
    keep = widths > 0
    if not keep.all():
        widths = widths[keep]
    if not widths.size:  # blank lines only
        return
    starts = np.flatnonzero(np.diff(widths)) + 1
    offset = 0
    for lo, hi in pairwise([0, *starts.tolist(), widths.size]):
        size = (hi - lo) * int(widths[lo])
        yield values[offset : offset + size].reshape(hi - lo, -1)
        offset += size
