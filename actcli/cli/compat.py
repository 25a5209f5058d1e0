"""Click details that Typer does not cover: negative numbers as arguments.

Click reads any token that starts with '-' as an option, so `actcli eval relu -2` fails,
and the usual fix, ``ignore_unknown_options``, silently splits `-1e-3` into `-1` plus an
`-e` option and hides typos such as `--formt`. Instead, every token that is a number in
actcli's grammar and starts with '-' gets a leading space before Click sees it: Click then
takes it for an argument (or an option's value), and the number parser strips the space.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from typer.core import TyperCommand, TyperGroup

from ..numbers import is_negative_number

from typer import Abort

try:  # Typer >= 0.26 bundles its own Click
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover - older Typer on the system Click
    from click.exceptions import ClickException, UsageError  # type: ignore[no-redef]

__all__ = ["Abort", "ClickException", "NumberFriendlyCommand", "NumberFriendlyGroup", "UsageError", "shield_numbers"]


def shield_numbers(args: list[str]) -> list[str]:
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            return out + args[i:]
        out.append(" " + arg if is_negative_number(arg) else arg)
    return out


class NumberFriendlyCommand(TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, shield_numbers(args))


class NumberFriendlyGroup(TyperGroup):
    """The top-level command: commands in the order defined, and actcli's error handling.

    ``main`` runs Click non-standalone and does what standalone mode would, but with one
    line per error (Click prints usage blocks) and our exit codes; Typer's CliRunner and
    the console script both come through here.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        from .env import Environment
        from .errors import guarded

        if complete_var is None and any(k.endswith("_COMPLETE") for k in os.environ):
            # Shell completion was asked for: register Typer's shells (skipped otherwise,
            # since importing them costs every call ~7 ms).
            from typer._completion_classes import completion_init

            completion_init()
        env = extra.get("obj")
        if not isinstance(env, Environment):
            env = extra["obj"] = Environment.from_system()
        code = guarded(env, lambda: super(NumberFriendlyGroup, self).main(
            args, prog_name, complete_var, standalone_mode=False, **extra))
        if standalone_mode:
            sys.exit(code)
        return code
