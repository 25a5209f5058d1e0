from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from actcli.cli.app import app
from actcli.cli.env import Environment


@pytest.fixture(autouse=True)
def no_warnings() -> Iterator[None]:
    """Any NumPy (or other) warning is a test failure: none may reach a user."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def cli(*args: str, stdin: str = "", tty: bool = False, stdin_tty: bool = False,
        environ: dict[str, str] | None = None, width: int = 100) -> Result:
    """Run actcli in-process through Typer's CliRunner, with a faked terminal if asked."""
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdin=io.BytesIO(stdin.encode()),
        stdout=out,
        stderr=err,
        stdin_isatty=stdin_tty,
        stdout_isatty=tty,
        environ={"COLUMNS": str(width), **(environ or {})},
    )
    result = CliRunner().invoke(app, list(args), obj=env, catch_exceptions=False)
    return Result(result.exit_code, out.getvalue() + result.stdout, err.getvalue())
