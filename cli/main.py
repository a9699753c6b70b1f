"""The `debrief` command group: the registry of every command (the docs test walks it)."""

from __future__ import annotations

import click

from cli import admin, documents, notify, serve, timeline, tracker, transfer
from cli.context import Runtime
from cli.group import DebriefGroup
from cli.options import shared_options

FAMILIES = (documents, transfer, timeline, tracker, admin, notify, serve)


@click.group(
    cls=DebriefGroup, no_args_is_help=False, context_settings={"help_option_names": ["-h", "--help"]}
)
@shared_options()
@click.pass_context
def debrief(ctx: click.Context) -> None:
    """Debrief: write, store and export blameless post-mortems."""
    ctx.ensure_object(Runtime)  # the settings, read once for the whole command line


for family in FAMILIES:
    for command in family.COMMANDS:
        debrief.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """The `debrief` console script: run one command line and return its exit code."""
    return debrief.main(argv, standalone_mode=False)
