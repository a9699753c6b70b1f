"""The options every command shares, and the value types the commands' options use.

--db, --as and --json may come before or after the command name: the group and every command carry
them, each writes into the one Runtime (ctx.obj), and the one nearest the command is read last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import click

from cli.context import Runtime

DB_HELP = "SQLite database file (default: $DEBRIEF_DB, else debrief.db in your data folder)"
AS_HELP = "act as this signed-in user (needed when DEBRIEF_AUTH is oidc or proxy; default: the local admin)"
JSON_HELP = "print machine-readable JSON"


def _remember(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value not in (None, False):  # not given here: keep what an earlier position set
            setattr(ctx.ensure_object(Runtime), name, value)

    return callback


def shared_options(*, with_json: bool = True) -> Callable[[Callable], Callable]:
    """Add --db and --as (and --json) to a command or group; they fill ctx.obj, not parameters."""

    def decorate(function: Callable) -> Callable:
        if with_json:
            function = click.option(
                "--json", is_flag=True, expose_value=False, callback=_remember("json"), help=JSON_HELP
            )(function)
        function = click.option(
            "--as",
            "as_user",
            metavar="IDENTITY",
            expose_value=False,
            callback=_remember("as_user"),
            help=AS_HELP,
        )(function)
        return click.option(
            "--db",
            type=click.Path(path_type=Path, dir_okay=True),
            metavar="PATH",
            expose_value=False,
            callback=_remember("db"),
            help=DB_HELP,
        )(function)

    return decorate


def runtime() -> Runtime:
    """The current command's Runtime (settings and shared options)."""
    return click.get_current_context().ensure_object(Runtime)


def _key(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").lower().split())


class EnumChoice(click.ParamType):
    """An enum value, case-insensitively, with '-' or '_' for spaces (missed-launch)."""

    def __init__(self, enum: type[StrEnum]):
        self.enum = enum
        self.name = enum.__name__
        self._by_key = {_key(member.value): member for member in enum}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> StrEnum:
        if isinstance(value, self.enum):
            return value
        member = self._by_key.get(_key(str(value)))
        if member is None:
            self.fail(f"{value!r} is not one of: {', '.join(m.value for m in self.enum)}", param, ctx)
        return member


class Choice(click.Choice):
    """click's Choice, saying 'invalid choice' as the command line always has."""

    def __init__(self, choices: Sequence[str]):
        super().__init__(list(choices))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.choices:
            return value
        self.fail(f"invalid choice: {value!r} (choose from {', '.join(map(str, self.choices))})", param, ctx)


class Limit(click.ParamType):
    """How many results: a whole number from 1 to 500."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        text = str(value)
        if not text.isdigit() or not 1 <= int(text) <= 500:
            self.fail(f"{text!r} is not a number from 1 to 500", param, ctx)
        return int(text)


def key_argument(function: Callable) -> Callable:
    """The ID argument of commands about one post-mortem."""
    return click.argument("key", metavar="ID")(function)
