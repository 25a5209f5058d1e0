"""Coverage-guided fuzzing (Atheris, libFuzzer's engine for Python) of the two readers of
untrusted text in actcli: stdin's numbers and function specs. See docs/fuzzing.md.

    pip install atheris
    python tools/fuzz.py stdin CORPUS_DIR -max_total_time=600 -timeout=10
    python tools/fuzz.py spec CORPUS_DIR -max_total_time=600 -timeout=10

Everything after the target's name goes to libFuzzer. A finding is any input that makes
the target raise something other than actcli's own errors, disagree with the reference
reading, crash, or run past -timeout seconds (a hang).
"""

from __future__ import annotations

import io
import re
import sys

import atheris

with atheris.instrument_imports():
    import numpy as np

    import actcli
    from actcli.cli import inputs
    from actcli.cli.errors import UsageError
    from actcli.literals import NUMBER, NumberError
    from actcli.model import ActivationError
    from actcli.spec import parse_assignment

_FIELDS = re.compile(r"[ \t\r]*,[ \t\r]*|[ \t\r]+")


def reference(text: str) -> tuple[list[float] | None, int | None]:
    """The numbers of the grammar's reading, line by line, or the first bad line's number."""
    numbers: list[float] = []
    for line_number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip(" \t\r")
        fields = _FIELDS.split(stripped) if stripped else []
        if any(NUMBER.fullmatch(f) is None for f in fields):
            return None, line_number
        numbers += [float(f) for f in fields]
    return numbers, None


class Trickle(io.RawIOBase):
    """A pipe that delivers ``step`` bytes per read: blocks end anywhere."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step = data, step

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        piece, self.data = self.data[: self.step], self.data[self.step :]
        return piece


def stdin_target(data: bytes) -> None:
    step = 1 + data[0] % 64 if data else 1
    body = data[1:]
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        text = None
    for read in (inputs.stream_scalars, inputs.stream_rows):
        try:
            got = [np.asarray(block).ravel() for block in read(Trickle(body, step))]
        except (NumberError, UsageError) as e:
            if text is not None and "longer than" not in str(e):
                expected, bad_line = reference(text)
                assert bad_line is not None and f"line {bad_line}," in str(e), (text, str(e))
            continue
        assert text is not None, "non-ASCII input was read"
        expected, bad_line = reference(text)
        assert bad_line is None, (text, bad_line)
        flat = np.concatenate([np.empty(0), *got])
        assert np.array_equal(flat, expected, equal_nan=True), (text, flat, expected)
        assert np.array_equal(np.signbit(flat), np.signbit(np.array(expected, dtype=np.float64))), text


def spec_target(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    for parse in (actcli.get, parse_assignment):
        try:
            made = parse(text)
        except ActivationError:
            continue
        if isinstance(made, actcli.Activation):
            x = np.array([0.5, -1.0, 2.0, 0.0]) if made.definition.vector else np.array([0.5, -1.0, np.inf])
            for f in (made, made.grad):
                try:
                    f(x)
                except ActivationError:
                    pass


def main() -> None:
    target = {"stdin": stdin_target, "spec": spec_target}[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
