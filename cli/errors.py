"""The one place where an exception becomes what the person at the terminal reads.

A user's mistake (bad file, unknown ID, duplicate, no permission) is one 'error: …' line on stderr and
exit code 2, with the database unchanged; a reader that went away (`… | head`) stops quietly. Whatever
else a file or an argument provoked is still one line and exit 2, naming the exception's type: the
promise is never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable

import click
from pydantic import ValidationError

from cli.text import plain, problems_line
from postmortem.errors import DebriefError

USER_ERROR = 2


class UserError(click.ClickException):
    """Input the command cannot use; reported as one line, never as a traceback."""

    exit_code = USER_ERROR


def translated(exc: Exception, command: str, db_path: Callable[[], object]) -> click.ClickException:
    """The exception a command raised, as the one line the user reads (db_path: the database the
    command used, asked for only when SQLite refused it)."""
    if isinstance(exc, click.ClickException):
        return exc
    if isinstance(exc, ValidationError):
        return UserError(problems_line(exc))
    if isinstance(exc, DebriefError):
        return UserError(exc.message)
    if type(exc).__module__ == "sqlite3":  # by module: only storage/ imports the SQL modules
        return UserError(f"the database {db_path()} cannot be used: {exc}")
    return UserError(f"{command} stopped: {type(exc).__name__}: {exc}")


def usage_line(exc: click.UsageError, prog: str) -> str:
    """A usage error as one line that says where the help is."""
    return f"error: {plain(exc.format_message())} (see '{prog} --help')"
