from __future__ import annotations

import io
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from typer.testing import CliRunner

from actcli.activation import Activation
from actcli.cli.app import app
from actcli.cli.env import Environment
from actcli.definitions import DEFINITIONS, examples


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


def catalogue(vector: bool | None = None, variants: bool = True) -> list:
    """Every function of the catalogue as pytest parameters (its spec as the id): an
    Activation at its defaults and, with ``variants``, at each of its variants. Only
    vector-valued ones with ``vector=True``, only elementwise ones with ``vector=False``."""
    cases = []
    for d in DEFINITIONS:
        if vector is None or d.vector == vector:
            for params in examples(d)[: None if variants else 1]:
                act = Activation(d, params)
                cases.append(pytest.param(act, id=act.spec))
    return cases


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    """A generator of the test's own, seeded from its id (parameters included): a failing
    case reruns alone, or in any order, with the same numbers."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))
