"""The Click command classes Typer builds actcli's commands on (passed as ``cls=``, as
Typer documents): negative numbers as arguments, commands built when invoked, and
actcli's error handling.

Click reads any token that starts with '-' as an option, so `actcli eval relu -2` fails,
and the usual fix, ``ignore_unknown_options``, silently splits `-1e-3` into `-1` plus an
`-e` option and hides typos such as `--formt`. Instead, every token that is a number in
actcli's grammar and starts with '-' gets a leading space before Click sees it: Click then
takes it for an argument (or an option's value), and the number parser strips the space.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

from ..literals import is_negative_number
from .env import Environment
from .errors import guarded, silence_stdout


def shield_numbers(args: list[str]) -> list[str]:
    """args with a space before each negative number (up to a '--'), and before each token
    that starts like one ('-1e', '-.5.5'): no option of actcli starts with a digit or a
    point, so the number parser, not Click, says what is wrong with it. Formulas that
    start with a minus are arguments too."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            return out + args[i:]
        numeric = is_negative_number(arg) or (len(arg) > 1 and arg[0] == "-" and arg[1] in "0123456789.")
        # A formula that starts with a minus ('-x*tanh(x)', '-exp(x)'): no option holds ( * / + ^.
        formula = len(arg) > 1 and arg[0] == "-" and arg[1] != "-" and any(c in arg for c in "()*/+^")  # (-x is --with-input)
        out.append(" " + arg if numeric or formula else arg)
    return out


class NumberFriendlyCommand(TyperCommand):
    """A command whose negative numbers are arguments, not options, and whose help reads
    as Click's and man pages do: `SPEC [X]...`, arguments without type tags."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, shield_numbers(args))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = ["[OPTIONS]"]
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append((name if param.required else f"[{name}]") + ("..." if param.nargs != 1 else ""))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                args.append((_argument_name(param) + ("..." if param.nargs != 1 else ""), getattr(param, "help", "") or ""))
            elif (record := param.get_help_record(ctx)) is not None:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _argument_name(param: Any) -> str:
    return (param.metavar or param.name.upper()).strip("[]")


class LazyGroup(TyperGroup):
    """The top-level command: its commands in the order given, each built from its own
    Typer app only when it is invoked (or listed by --help), and actcli's error handling.

    Building a command from its function's signature costs a few milliseconds, which
    every call would otherwise pay for every command. Subclasses name the commands in
    ``apps``. ``main`` runs Click non-standalone and does what standalone mode would, but
    with one line per error (Click prints usage blocks) and our exit codes (a reader
    that left early is 0, where Typer would say 1); Typer's CliRunner and the console
    script both come through here.
    """

    apps: ClassVar[Mapping[str, typer.Typer]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.apps)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # caught before Typer makes it exit 1: a reader that left is no failure
            env = ctx.find_object(Environment)
            silence_stdout(env.stdout if env is not None else None)
            raise typer.Exit(0) from None

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.apps:
            self.commands[cmd_name] = typer.main.get_command(self.apps[cmd_name])
        return self.commands.get(cmd_name)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        env = extra.get("obj")
        if not isinstance(env, Environment):
            env = extra["obj"] = Environment.from_system()
        code = guarded(env, lambda: super(LazyGroup, self).main(
            args, prog_name, complete_var, standalone_mode=False, **extra))
        if standalone_mode:
            sys.exit(code)
        return code
