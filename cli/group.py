"""The click group class: where every error of every command is turned into what the user reads,
and where commands are found (imported only when named, or when the help lists them).

`invoke` translates (a command's exception becomes one ClickException); `main` prints (one
'error: …' line on stderr) and exits with the exception's code. Nothing else in cli/ catches
exceptions to report them.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from typing import Any

import click

from cli.context import Runtime
from cli.errors import translated, usage_line
from cli.text import plain

ABORTED = 1


class DebriefGroup(click.Group):
    """A click group whose errors are one line and whose exit code is the command's.

    Commands are registered by name as "module:attribute" and imported when first asked for, so
    `serve` starts Streamlit without first importing storage and the exports (about a second)."""

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy:
            module, _, attribute = self.lazy[name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return self.commands.get(name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # the reader went away (`… | head`): stop quietly, like other Unix tools
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(1) from None
        except Exception as exc:
            command = ctx.invoked_subcommand or self.name
            raise translated(exc, command, lambda: _db_path(ctx)) from exc

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        *more: Any,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run one command line; exit (or return, when not standalone) 0 done, 1 a failure the
        command reports itself (lint, notify), 2 the input was not usable."""
        try:
            result = super().main(args, prog_name, *more, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else (prog_name or self.name)
            print(usage_line(exc, where), file=sys.stderr)
            code = exc.exit_code
        except click.ClickException as exc:
            print(f"error: {plain(exc.format_message())}", file=sys.stderr)
            code = exc.exit_code
        except click.Abort:
            print("Aborted.", file=sys.stderr)
            code = ABORTED
        if standalone_mode:
            sys.exit(code)
        return code


def _db_path(ctx: click.Context) -> object:
    from cli.database import db_path  # storage, imported only when SQLite refused the database

    return db_path(ctx.ensure_object(Runtime))
