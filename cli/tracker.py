"""Across the archive: actions (the action-item tracker), search, and lint (blameless language)."""

from __future__ import annotations

from dataclasses import asdict

import click

from cli import lint_view
from cli.database import find, opened
from cli.errors import UserError
from cli.files import read_limited, write_output
from cli.options import Choice, EnumChoice, Limit, runtime, shared_options
from cli.output import print_json
from cli.views import format_actions, format_search
from exports import tracker_csv
from postmortem import language
from postmortem.models import ActionStatus, Severity
from postmortem.searchable import plain_snippet
from storage import search as archive_search
from storage import tracker as action_tracker

CSV_FLAVOURS = tuple(tracker_csv.FLAVOURS)


@click.command(
    "actions",
    help="List action items across every post-mortem (filtered), or write them as CSV for Jira or Linear.",
)
@shared_options()
@click.option("--overdue", is_flag=True, help="only open items past their due date")
@click.option("--owner", metavar="NAME", help="only this owner's items (exact name)")
@click.option(
    "--status", type=EnumChoice(ActionStatus), help=f"only items in this status: {', '.join(ActionStatus)}"
)
@click.option(
    "--csv",
    "flavour",
    type=Choice(CSV_FLAVOURS),
    is_flag=False,
    flag_value=CSV_FLAVOURS[0],
    metavar="FLAVOUR",
    help=f"write CSV for an importer instead: {' or '.join(CSV_FLAVOURS)} (default {CSV_FLAVOURS[0]})",
)
def actions(overdue: bool, owner: str | None, status: ActionStatus | None, flavour: str | None) -> None:
    rt = runtime()
    filters = action_tracker.Filters(
        owner=(owner or "").strip(), overdue=overdue, statuses=(status.value,) if status else ()
    )
    with opened(rt) as db:
        items = action_tracker.items(db=db, filters=filters, criteria=bool(flavour))
    if flavour:
        write_output(tracker_csv.render(items, flavour, criteria=lambda item: item.criteria), None)
    elif rt.json:
        print_json([asdict(item) for item in items])
    else:
        print(format_actions(items, len(items)))


@click.command(
    "search",
    help="Search every section of every post-mortem; best matches first, each with the passage that matched.",
    epilog='QUERY: words that must all appear; "a phrase" in double quotes.',
)
@shared_options()
@click.argument("query", metavar="QUERY")
@click.option(
    "--service",
    multiple=True,
    metavar="S",
    help="only post-mortems naming this service (repeat for any of several)",
)
@click.option(
    "--severity",
    type=EnumChoice(Severity),
    multiple=True,
    help=f"only this severity (repeatable): {', '.join(Severity)}",
)
@click.option("--limit", type=Limit(), default="20", help="how many results, 1 to 500 (default: 20)")
def search(query: str, service: tuple[str, ...], severity: tuple[Severity, ...], limit: int) -> None:
    rt = runtime()
    wanted = archive_search.Query(
        text=query, services=service, limit=limit, severities=tuple(s.value for s in severity)
    )
    with opened(rt) as db:
        found = archive_search.search(db=db, query=wanted)
    if not rt.json:
        print(format_search(found.hits, found.total))
        return
    print_json(
        {
            "total": found.total,
            "results": [
                {
                    **{k: v for k, v in asdict(hit).items() if k != "snippet"},
                    "snippet": plain_snippet(hit.snippet, ("", "")),
                    "snippet_parts": [[text, hit_] for text, hit_ in hit.snippet],
                }
                for hit in found.hits
            ],
        }
    )


@click.command(
    "lint",
    help="Check a post-mortem (or a text file) for blaming language; exit 1 when a blocking finding exists.",
)
@shared_options()
@click.argument("key", metavar="ID", required=False)
@click.option("--text", metavar="FILE", help="check a text file instead (- for standard input)")
@click.option("--names", metavar='"A B,C D"', help="people's names to flag (with --text)")
@click.pass_context
def lint(ctx: click.Context, key: str | None, text: str | None, names: str | None) -> None:
    rt = runtime()
    if bool(key) == bool(text):
        raise UserError("give an ID or --text FILE (exactly one of them)")
    if text:
        content = read_limited(text).decode("utf-8", errors="replace")
        found = language.check_text(content, path="text", names=lint_view.names_option(names))
    else:
        with opened(rt) as db:
            doc = find(db, key).doc
        dismissed = {d.key for d in doc.dismissed_findings}
        found = [
            f
            for f in language.check(doc, extra_names=lint_view.names_option(names))
            if f.key not in dismissed
        ]
    print(lint_view.format_findings(found, rt.json))
    ctx.exit(lint_view.exit_code(found))
