"""notify: send the notices that are due; notify prefs: show or change one person's preferences."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from channels import report as notify_report
from channels import run as notify_run
from channels.settings import from_settings as channel_settings
from cli import prefs_view
from cli.database import opened
from cli.errors import UserError
from cli.options import runtime, shared_options
from cli.output import print_json
from cli.text import plain
from storage import access
from storage import notices as sent_table

DELIVERY_FAILED = 1


@click.group(
    "notify",
    invoke_without_command=True,
    help="Send the notices that are due (reviews, deadlines, weekly action-item digests, publications) by "
    "e-mail, Slack, Teams or webhook, each once; prints what was sent, skipped and failed.",
    epilog="'notify prefs' shows or changes which notices a person gets, and how.",
)
@shared_options()
@click.option("--dry-run", is_flag=True, help="show what would be sent; send and record nothing")
@click.pass_context
def notify(ctx: click.Context, dry_run: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    rt = runtime()
    config = channel_settings(rt.settings)
    if not config.smtp and not config.chat_channels:
        raise UserError(
            "no channel is configured: set DEBRIEF_SMTP_URL, DEBRIEF_SLACK_WEBHOOK, "
            "DEBRIEF_TEAMS_WEBHOOK or DEBRIEF_WEBHOOK_URL (see docs/deploy.md)."
        )
    with opened(rt) as db:
        outcomes = notify_run.run(db, config, datetime.now(UTC), dry_run=dry_run)
    if rt.json:
        print_json(notify_report.as_json(outcomes))
    else:
        print(notify_report.as_text(outcomes, plain))
    # A failed delivery is retried on a later run; the exit code lets cron or systemd notice it.
    ctx.exit(DELIVERY_FAILED if any(o.status == "failed" for o in outcomes) else 0)


@notify.command(
    "prefs",
    help="Show one person's notification preferences, or change them: which notices, over which channel, "
    "each as it comes or gathered into one daily digest.",
    epilog=f"NOTICE is one of: {', '.join(prefs_view.KINDS)}, or all (write a space as -, e.g. "
    f"review-requested=off). CHANNEL is one of: {', '.join(prefs_view.CHANNELS)}; one channel carries every "
    "notice a person has on.",
)
@shared_options()
@click.option("--user", metavar="IDENTITY", help="whose preferences (default: whoever the command acts for)")
@click.option(
    "--set",
    "changes",
    multiple=True,
    metavar="NOTICE=CHANNEL|off",
    help="turn a notice on over a channel, or off (repeatable)",
)
@click.option(
    "--daily-digest/--each",
    "daily_digest",
    default=None,
    help="gather notices into one daily digest, or send each as it comes",
)
@click.option("--address", metavar="EMAIL", help="where e-mail goes, when the identity is not an address")
def prefs(user: str | None, changes: tuple[str, ...], daily_digest: bool | None, address: str | None) -> None:
    rt = runtime()
    wanted = prefs_view.parse_changes(changes)  # checked before the database opens
    with opened(rt) as db:
        identity = (user or access.actor_of(db).identity).strip().lower()
        if identity != access.actor_of(db).identity.lower():
            access.require(db, access.Permission.ADMIN)  # someone else's preferences: admins only
        current = sent_table.get_prefs(db, identity)
        if wanted or daily_digest is not None or address is not None:
            current = sent_table.set_prefs(
                db, identity, prefs_view.changed(current, wanted, daily_digest, address)
            )
    if rt.json:
        print_json(prefs_view.as_json(identity, current))
    else:
        print(prefs_view.as_text(identity, current))
