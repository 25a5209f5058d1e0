"""Console-script entry point: process set-up, the command, a quick exit."""

from __future__ import annotations

import os
import signal
import sys
import threading

#: Set (to anything but empty or 0) for a normal interpreter exit: atexit handlers run,
#: coverage tools see the process end.
NORMAL_EXIT = "ACTCLI_NORMAL_EXIT"


def _first_cause(e: BaseException) -> str:
    """The innermost cause's first line: NumPy wraps a failed load in a page of advice."""
    while e.__cause__ or e.__context__:
        e = e.__cause__ or e.__context__  # type: ignore[assignment]
    lines = [line for line in str(e).splitlines() if line.strip()]
    return lines[0].strip() if lines else type(e).__name__


def main() -> int:
    """Run the command in sys.argv in this process; its exit code."""
    # No command does linear algebra, yet OpenBLAS starts a worker thread per core when
    # NumPy loads, and they spin for about 0.1 s (docs/performance.md). Set before NumPy
    # is imported (a user's own setting wins): this is the command's own process.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # A Ctrl-C while NumPy and Typer load (a few tenths of a second) waits for them: raised
    # inside an import, it leaves half-made modules behind and can surface as another
    # error. Then it ends the command as later, with 130 and no traceback.
    caught: list[int] = []
    main_thread = threading.current_thread() is threading.main_thread()  # (signals go to it only)
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum)) if main_thread else None
    try:
        from typer.main import get_command

        from .app import app

        command = get_command(app)
    except (ImportError, MemoryError) as e:  # e.g. under a `ulimit -v` too small for NumPy itself
        sys.stderr.write(f"actcli: error: cannot load its libraries: {_first_cause(e)}\n")
        return 1
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
    if caught:
        return 130
    try:
        return int(command.main(prog_name="actcli", standalone_mode=False))
    except SystemExit as done:  # Click exits by itself when stdout's reader has gone (exit 1)
        return done.code if isinstance(done.code, int) else 1


def run() -> None:
    """The console script and `python -m actcli`: main(), then leave at once.

    Tearing the interpreter down (freeing every object of NumPy, Typer, Matplotlib and
    its fonts, one by one) is work nobody needs once the output is written: it took
    86 ms after a plot and 12 ms after `eval relu 1` (docs/performance.md). So the
    streams are flushed here and the process ends with os._exit, skipping exit handlers
    (atexit, logging's, Pillow's cache, pyplot's figures: none has work left here).
    ACTCLI_NORMAL_EXIT=1 asks for the normal exit instead, and so does a running
    coverage measurement, which writes its data at exit.
    """
    try:
        code = main()
    except KeyboardInterrupt:  # between the command and its exit
        code = 130
    if "actcli.cli.errors" not in sys.modules:  # the libraries did not load: main() has said so
        sys.stderr.flush()
        os._exit(code)
    from .errors import (  # loaded by main() already
        could_not_write,
        error_line,
        silence_stdout,
    )

    try:
        if sys.stdout is not None:  # None: closed by the shell (main() has said so)
            sys.stdout.flush()
    except BrokenPipeError:  # the reader left before the last of the output: quiet, as in errors.py
        silence_stdout(sys.stdout)
    except (OSError, ValueError) as e:
        if sys.stderr is not None:
            sys.stderr.write(error_line(could_not_write(e)))
        code = code or 1
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass
    if os.environ.get(NORMAL_EXIT, "0") not in ("", "0") or "coverage" in sys.modules:
        sys.exit(code)
    os._exit(code)
