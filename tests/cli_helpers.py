"""Running the `debrief` group in this process through click's CliRunner."""

from __future__ import annotations

import sys

from click.testing import CliRunner, Result

from cli.main import debrief


def invoke(args: list[str], stdin: bytes | str | None = None) -> Result:
    """One command line, with its own stdout and stderr (and stdin, when given)."""
    return CliRunner().invoke(debrief, args, input=stdin, prog_name="debrief", catch_exceptions=False)


def main(args: list[str], stdin: bytes | str | None = None) -> int:
    """One command line through CliRunner, its output passed on to this process's stdout and stderr
    (so pytest's capsys reads it as before); returns the exit code."""
    result = invoke(args, stdin)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.exit_code
