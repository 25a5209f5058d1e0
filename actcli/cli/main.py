"""Console-script entry point."""

from __future__ import annotations


def run() -> None:
    from typer.main import get_command

    from .app import app

    get_command(app).main(prog_name="actcli")
