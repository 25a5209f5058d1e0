"""Errors the CLI reports, and how: one line on stderr and an exit code.

Usage errors (exit 2) come from three places, all reported the same way: the core's
:class:`~actcli.model.ActivationError` (a spec or parameter) and
:class:`~actcli.literals.NumberError` (a number), this module's :class:`UsageError`
(an option of the command line), and Click's own (an unknown option, a missing
argument), which Typer raises as :class:`typer.TyperException`.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable
from typing import IO

import typer

from ..literals import NumberError, shorten
from ..model import ActivationError
from .env import Environment, ExitCode, StreamClosed


class UsageError(Exception):
    """A bad option or combination of options on the command line: exit 2."""


class OutputError(Exception):
    """A result could not be written (unwritable path, full disk): exit 1."""


def say(env: Environment, message: str) -> None:
    env.stderr.write(error_line(message))
    env.stderr.flush()


def error_line(message: str) -> str:
    """One line: any word of the message longer than 200 characters (a 131 kB option
    value or file name echoed back) is cut to its ends and its length."""
    if len(message) > 400:
        message = re.sub(r"\S{201,}", lambda m: shorten(m.group(0), 60), message)
    return f"actcli: error: {message}\n"


def could_not_write(e: Exception) -> str:
    return f"could not write the output: {getattr(e, 'strerror', None) or e}"


def guarded(env: Environment, body: Callable[[], object]) -> int:
    """Run body; map every expected failure to a message and an exit code. Never a traceback."""
    try:
        returned = body()
        return int(returned) if isinstance(returned, int) else ExitCode.OK  # --help, --version
    except (ActivationError, NumberError, UsageError) as e:
        say(env, str(e))
        return ExitCode.USAGE
    except typer.TyperException as e:  # Click's usage errors
        say(env, e.format_message())
        return e.exit_code if e.exit_code in (1, 2) else ExitCode.USAGE
    except UnicodeEncodeError as e:  # PYTHONIOENCODING=ascii and a formula's '—' or '±'
        say(env, f"the output's encoding ({e.encoding}) cannot write {e.object[e.start:e.end]!r}: "
                 "set PYTHONIOENCODING=utf-8")
        return ExitCode.FAILURE
    except (OutputError, StreamClosed) as e:
        say(env, str(e))
        return ExitCode.FAILURE
    except (KeyboardInterrupt, typer.Abort):  # Click turns Ctrl-C into Abort
        return ExitCode.INTERRUPTED
    except MemoryError:
        say(env, "out of memory: ask for less at once (-f plain, csv and tsv stream; json and table hold it all)")
        return ExitCode.FAILURE
    except BrokenPipeError:  # the reader went away (`... | head -1`): stop quietly
        silence_stdout(env.stdout)
        return ExitCode.OK
    except OSError as e:
        if e.errno in _WRITE_ERRORS:  # a full disk is not a bug of ours
            say(env, could_not_write(e))
            return ExitCode.FAILURE
        return _internal(env, e)
    except Exception as e:  # noqa: BLE001 - the last resort: a bug of ours, in one line
        return _internal(env, e)


def silence_stdout(stream: IO[str] | None) -> None:
    """Point the stream's file at /dev/null once its reader has gone, so that no later
    flush (at exit, say) complains of the broken pipe again. Streams without a file
    (a test's StringIO) are left as they are."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # type: ignore[union-attr]
    except (OSError, ValueError, AttributeError):
        pass


# Errors only a write gives; any other OSError is unexpected.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _internal(env: Environment, e: Exception) -> int:
    """A bug of ours: one line, and the details on request."""
    if os.environ.get("ACTCLI_DEBUG"):
        raise e
    say(env, f"internal error: {type(e).__name__}: {e} (set ACTCLI_DEBUG=1 for details; please report it)")
    return ExitCode.FAILURE
