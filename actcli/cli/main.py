"""Console-script entry point: process set-up, the command, a quick exit."""

from __future__ import annotations

import os
import sys

# No command does linear algebra, yet OpenBLAS starts a worker thread per core when NumPy
# loads, and they spin for about 0.1 s (docs/performance.md). Set before anything imports NumPy; a user's own
# setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main() -> int:
    """Run the command in sys.argv in this process; its exit code."""
    from typer.main import get_command

    from .app import app

    # Typer turns every registered command into a Click command before parsing, about
    # 2 ms each; when the first argument names a command, build only that one.
    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    every = list(app.registered_commands)
    only = [c for c in every if c.name == wanted]
    if only:
        app.registered_commands = only
    try:
        command = get_command(app)
    finally:
        app.registered_commands = every
    try:
        return int(command.main(prog_name="actcli", standalone_mode=False))
    except SystemExit as done:  # Click exits by itself when stdout's reader has gone (exit 1)
        return done.code if isinstance(done.code, int) else 1


def run() -> None:
    """The console script and `python -m actcli`: main(), then leave at once.

    Tearing the interpreter down (freeing every object of NumPy, Typer, Matplotlib and
    its fonts, one by one) is work nobody needs once the output is written: it took
    86 ms after a plot and 12 ms after `eval relu 1` (docs/performance.md). So the
    streams are flushed here and the process ends with os._exit; the skipped exit
    handlers (logging's, Pillow's cache, pyplot's figures) have nothing to do here.
    """
    code = main()
    from .errors import could_not_write, error_line  # loaded by main() already

    try:
        if sys.stdout is not None:  # None: closed by the shell (main() has said so)
            sys.stdout.flush()
    except BrokenPipeError:  # the reader left before the last of the output: quiet, as in errors.py
        pass
    except (OSError, ValueError) as e:
        if sys.stderr is not None:
            sys.stderr.write(error_line(could_not_write(e)))
        code = code or 1
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)
