"""The process's streams and terminal state, passed in so tests can fake a terminal."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from enum import IntEnum
from typing import IO


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # the command was fine but could not be carried out (e.g. unwritable file)
    USAGE = 2  # bad input: unknown function, bad number, bad option
    INTERRUPTED = 130  # Ctrl-C


@dataclass
class Environment:
    stdin: IO[bytes]
    stdout: IO[str]
    stderr: IO[str]
    stdin_isatty: bool
    stdout_isatty: bool
    color: bool | None = None  # None: decide from NO_COLOR / FORCE_COLOR / the terminal
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    @classmethod
    def from_system(cls) -> Environment:
        stdin = getattr(sys.stdin, "buffer", sys.stdin)
        return cls(
            stdin=stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
        )

    def write_bytes(self, data: bytes) -> None:
        """Write encoded output straight to the byte stream when there is one (no re-encoding)."""
        buffer = getattr(self.stdout, "buffer", None)
        if buffer is None:
            self.stdout.write(data.decode())
        else:
            self.stdout.flush()
            buffer.write(data)
        self.stdout.flush()

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
        try:
            return int(self.environ.get("COLUMNS", "")) or os.get_terminal_size(self.stdout.fileno()).columns
        except (ValueError, OSError, AttributeError):
            return 80


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
