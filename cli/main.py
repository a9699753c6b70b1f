"""The `debrief` command group: the registry of every command (the docs test walks it).

One module per family of commands; each is imported only when one of its commands runs.
"""

from __future__ import annotations

import click

from cli.context import Runtime
from cli.group import DebriefGroup
from cli.options import shared_options

COMMANDS = {
    # documents
    "new": "cli.documents:new",
    "list": "cli.documents:list_",
    "show": "cli.documents:show",
    "schema": "cli.documents:schema",
    "demo": "cli.documents:demo",
    "revisions": "cli.documents:revisions",
    "delete": "cli.documents:delete",
    "restore": "cli.documents:restore",
    # in and out
    "import": "cli.transfer:import_",
    "export": "cli.transfer:export",
    "import-md": "cli.transfer:import_md",
    "timeline-import": "cli.timeline:timeline_import",
    # across the archive
    "actions": "cli.tracker:actions",
    "search": "cli.tracker:search",
    "lint": "cli.tracker:lint",
    # running it
    "backup": "cli.admin:backup_",
    "restore-backup": "cli.admin:restore_backup",
    "notify": "cli.notify:notify",
    "serve": "cli.serve:serve",
}


@click.group(
    cls=DebriefGroup,
    lazy=COMMANDS,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@shared_options()
@click.pass_context
def debrief(ctx: click.Context) -> None:
    """Debrief: write, store and export blameless post-mortems."""
    # The settings, read once for the whole command line; here, inside the command, so that a
    # variable that cannot be used is reported as one error line before anything runs.
    ctx.ensure_object(Runtime).load()


def main(argv: list[str] | None = None) -> int:
    """The `debrief` console script: run one command line and return its exit code."""
    return debrief.main(argv, standalone_mode=False)
