"""The process's streams and terminal state, passed in so tests can fake a terminal."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from typing import IO, NoReturn

MIN_WIDTH = 40  # columns: narrower, a table would drop columns instead of wrapping


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # the command was fine but could not be carried out (e.g. unwritable file)
    USAGE = 2  # bad input: unknown function, bad number, bad option
    INTERRUPTED = 130  # Ctrl-C


class StreamClosed(Exception):
    """A standard stream the command needs was closed before it started: exit 1."""


class ClosedStream:
    """Stands in for a closed standard stream: any use says which one it is."""

    encoding = "utf-8"

    def __init__(self, name: str) -> None:
        self.name = name

    def isatty(self) -> bool:
        return False

    def _closed(self, *args: object) -> NoReturn:
        raise StreamClosed(f"standard {self.name} is closed")

    read = read1 = write = flush = fileno = _closed


class Environment:
    # A plain class, not a dataclass: making one costs a millisecond of every start-up.
    def __init__(self, stdin: IO[bytes], stdout: IO[str], stderr: IO[str], stdin_isatty: bool,
                 stdout_isatty: bool, color: bool | None = None, environ: dict[str, str] | None = None,
                 whole_lines: bool = False) -> None:
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.stdin_isatty, self.stdout_isatty = stdin_isatty, stdout_isatty
        self.color = color  # None: decide from NO_COLOR / FORCE_COLOR / the terminal
        self.environ = dict(os.environ) if environ is None else environ
        # Ctrl-C waits for the write under way, so that output ends in whole lines (a number
        # cut short reads downstream as another number). The process's own streams only.
        self.whole_lines = whole_lines

    @classmethod
    def from_system(cls) -> Environment:
        # Unbuffered: stdin is read in blocks of up to 1 MiB anyway (inputs.CHUNK_BYTES),
        # and a raw read returns what the pipe holds instead of waiting to fill a buffer.
        buffered = getattr(sys.stdin, "buffer", sys.stdin)
        stdin = getattr(buffered, "raw", buffered)
        # A stream the shell closed (`<&-`, `>&-`) is None in Python; errors, if stderr is
        # the closed one, have nowhere to go.
        return cls(
            stdin=stdin if stdin is not None else ClosedStream("input"),
            stdout=sys.stdout if sys.stdout is not None else ClosedStream("output"),
            stderr=sys.stderr if sys.stderr is not None else open(os.devnull, "w"),
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            whole_lines=True,
        )

    def write_bytes(self, data: bytes) -> None:
        """Write encoded output (whole lines) straight to the byte stream when there is one
        (no re-encoding); a Ctrl-C meanwhile takes effect once they are written."""
        with self._uninterrupted():
            buffer = getattr(self.stdout, "buffer", None)
            if buffer is None:
                self.stdout.write(data.decode())
            elif self.whole_lines:
                # Straight to the file, all of it: a buffered write may stop part way when a
                # signal arrives while a slow reader holds the pipe full.
                self.stdout.flush()
                fd, view, done = self.stdout.fileno(), memoryview(data), 0
                while done < len(view):
                    done += os.write(fd, view[done:])
            else:
                self.stdout.flush()
                buffer.write(data)
            self.stdout.flush()

    @contextmanager
    def _uninterrupted(self) -> Iterator[None]:
        if not self.whole_lines or threading.current_thread() is not threading.main_thread():
            yield
            return
        caught: list[int] = []
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
        if caught:
            raise KeyboardInterrupt

    @property
    def use_color(self) -> bool:
        """--color/--no-color, then NO_COLOR (any value), then FORCE_COLOR, then the terminal."""
        if self.color is not None:
            return self.color
        if self.environ.get("NO_COLOR"):
            return False
        if self.environ.get("FORCE_COLOR"):
            return True
        return self.stdout_isatty and self.environ.get("TERM") != "dumb"

    @property
    def width(self) -> int:
        """Columns to lay tables and terminal plots out in: COLUMNS when it is a positive
        whole number, else the terminal's width, else 80; never fewer than MIN_WIDTH,
        so that a narrow terminal wraps a table rather than dropping its columns."""
        text = self.environ.get("COLUMNS", "").strip()
        if text.isdecimal() and 0 < int(text) < 100_000:
            return max(int(text), MIN_WIDTH)
        try:
            columns = os.get_terminal_size(self.stdout.fileno()).columns
        except (ValueError, OSError, AttributeError):
            columns = 0
        return max(columns or 80, MIN_WIDTH)


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
