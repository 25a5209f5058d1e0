"""Console-script entry point."""

from __future__ import annotations

import sys


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
