"""Console-script entry point."""

from __future__ import annotations

import os
import sys

# No command does linear algebra, yet OpenBLAS starts a worker thread per core when NumPy
# loads, and they spin for about 0.1 s: on 2 cores that is the core a second thread of
# ours would use (docs/performance.md). Set before anything imports NumPy; a user's own
# setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run() -> None:
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
    command.main(prog_name="actcli")
