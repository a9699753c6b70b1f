"""The command line's parser and its plain-text views. Pure: the commands that touch files and the
database live in postmortem/__main__.py, the composition root.
"""

from __future__ import annotations

import argparse
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from postmortem.chat import FORMATS as CHAT_FORMATS
from postmortem.errors import describe
from postmortem.models import ActionStatus, Anchor, PostMortem, Severity, TriggerKind
from postmortem.searchable import plain_snippet
from postmortem.severity import deadline_for, verdict_for
from postmortem.timeline import anchor_times, durations, format_duration, missing_anchors

PROG = "python -m postmortem"
DB_HELP = "SQLite database file (default: $DEBRIEF_DB, else debrief.db in your data folder)"
AS_HELP = "act as this signed-in user (needed when DEBRIEF_AUTH is oidc or proxy; default: the local admin)"
MAX_PROBLEMS = 8  # more than this in one error line stops being readable

# One line of help per command; the parser and the README's command list both use it.
COMMANDS: dict[str, str] = {
    "new": "Create a blank post-mortem draft.",
    "list": "List post-mortems, most recently changed first.",
    "show": "Show one post-mortem as a readable summary, or as JSON with --json.",
    "import": "Create a post-mortem from a JSON file, such as one written by 'export --format json'.",
    "export": "Write one post-mortem for one audience as Markdown, Word (docx) or JSON, to a file or to standard "
    "output.",
    "schema": "Print the JSON Schema of the post-mortem document.",
    "demo": "Load three example post-mortems, skipping any whose incident ID already exists.",
    "revisions": "List every saved version of one post-mortem, newest first.",
    "delete": "Move a post-mortem to the bin (nothing is erased; 'restore' brings it back).",
    "restore": "Bring a post-mortem back from the bin.",
    "backup": "Copy the database to a file (or into a folder, named by the time), safely while the app runs.",
    "restore-backup": "Replace the database with a backup file, after checking it; the replaced one is kept aside.",
    "lint": "Check a post-mortem (or a text file) for blaming language; exit 1 when a blocking finding exists.",
    "actions": "List action items across every post-mortem (filtered), or write them as CSV for Jira or Linear.",
    "search": "Search every section of every post-mortem; best matches first, each with the passage that matched.",
    "timeline-import": "Add the messages of a chat transcript (Slack export zip or folder, IRC-style, ISO-dated or "
    "Teams text) to a post-mortem's timeline, each author replaced by a role.",
    "import-md": "Create a draft from a post-mortem written elsewhere in Markdown, such as a wiki page or the "
    "Google SRE book's template; prints how each heading was mapped.",
    "notify": "Send the notices that are due (reviews, deadlines, weekly action-item digests, publications) by "
    "e-mail, Slack, Teams or webhook, each once; prints what was sent, skipped and failed.",
}


class Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line on stderr, like every other CLI error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def _enum_type(enum: type[StrEnum]) -> Any:
    """Accept an enum value case-insensitively, with '-' or '_' for spaces (missed-launch)."""
    by_key = {_key(member.value): member for member in enum}

    def parse(text: str) -> StrEnum:
        member = by_key.get(_key(text))
        if member is None:
            raise argparse.ArgumentTypeError(f"{text!r} is not one of: {', '.join(m.value for m in enum)}")
        return member

    parse.__name__ = enum.__name__
    return parse


def _key(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").lower().split())


def _options(with_json: bool) -> Parser:
    """Options every subcommand accepts; --db may come before or after the subcommand."""
    options = Parser(add_help=False)
    # SUPPRESS keeps a --db given before the subcommand when none is given after it.
    options.add_argument("--db", type=Path, default=argparse.SUPPRESS, metavar="PATH", help=DB_HELP)
    options.add_argument("--as", dest="as_user", default=argparse.SUPPRESS, metavar="IDENTITY", help=AS_HELP)
    if with_json:
        options.add_argument("--json", action="store_true", help="print machine-readable JSON")
    return options


def build_parser(
    formats: Sequence[str], audiences: Sequence[str], csv_flavours: Sequence[str] = ("jira", "linear")
) -> Parser:
    """The `python -m postmortem` parser, one subcommand per entry in COMMANDS.

    The export formats, audiences and CSV flavours are passed in, so the domain package does not
    import exports.
    """
    parser = Parser(prog=PROG, description="Debrief: write, store and export blameless post-mortems.")
    parser.add_argument("--db", type=Path, default=None, metavar="PATH", help=DB_HELP)
    parser.add_argument("--as", dest="as_user", default=None, metavar="IDENTITY", help=AS_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data, plain = _options(with_json=True), _options(with_json=False)

    def add(name: str, parent: Parser) -> Parser:
        return sub.add_parser(name, parents=[parent], help=COMMANDS[name], description=COMMANDS[name])

    new = add("new", data)
    new.add_argument("--title", required=True, help="what happened, in a few words")
    new.add_argument("--incident-id", help="e.g. INC-2026-0042 (default: the next free ID for this year)")
    new.add_argument(
        "--severity",
        type=_enum_type(Severity),
        default=Severity.SEV2,
        help=f"one of: {', '.join(Severity)} (default: Sev2)",
    )
    new.add_argument(
        "--trigger",
        type=_enum_type(TriggerKind),
        default=TriggerKind.OUTAGE,
        help=f"what kind of incident: {', '.join(TriggerKind)} (default: outage)",
    )
    add("list", data).add_argument("--deleted", action="store_true", help="list the bin instead")
    add("show", data).add_argument("key", metavar="ID", help="number or incident ID")
    imp = add("import", data)
    imp.add_argument("file", metavar="FILE", help="a JSON file, or - for standard input (at most 20 MB)")
    imp.add_argument("--incident-id", help="store it under this incident ID instead of the file's")
    export = add("export", plain)
    export.add_argument("key", metavar="ID", help="number or incident ID")
    export.add_argument(
        "--format", dest="fmt", choices=formats, default=formats[0], help=f"default: {formats[0]}"
    )
    export.add_argument(
        "--audience",
        choices=audiences,
        default=audiences[0],
        help=f"who it is for: {', '.join(audiences)} (default: {audiences[0]})",
    )
    export.add_argument(
        "-o", "--output", metavar="PATH", help="file to write; - or nothing for standard output"
    )
    export.add_argument(
        "--open-questions",
        action="store_true",
        help="add the open comment threads as an appendix (owning team's md and docx only)",
    )
    add("schema", plain)
    add("demo", data).add_argument(
        "--history",
        action="store_true",
        help="also load 40 short post-mortems spread over the last two years, for the Learning page",
    )
    add("revisions", data).add_argument("key", metavar="ID", help="number or incident ID")
    add("delete", plain).add_argument("key", metavar="ID", help="number or incident ID")
    add("restore", plain).add_argument("key", metavar="ID", help="number or incident ID")
    add("backup", data).add_argument("path", metavar="PATH", help="file to write, or an existing folder")
    restore_backup = add("restore-backup", data)
    restore_backup.add_argument("path", metavar="PATH", help="a file written by 'backup'")
    restore_backup.add_argument(
        "--force", action="store_true", help="restore even while browser sessions have post-mortems open"
    )
    lint = add("lint", data)
    lint.add_argument("key", metavar="ID", nargs="?", help="number or incident ID (or use --text)")
    lint.add_argument("--text", metavar="FILE", help="check a text file instead (- for standard input)")
    lint.add_argument("--names", metavar='"A B,C D"', help="people's names to flag (with --text)")
    actions = add("actions", data)
    actions.add_argument("--overdue", action="store_true", help="only open items past their due date")
    actions.add_argument("--owner", metavar="NAME", help="only this owner's items (exact name)")
    actions.add_argument(
        "--status",
        type=_enum_type(ActionStatus),
        help=f"only items in this status: {', '.join(ActionStatus)}",
    )
    actions.add_argument(
        "--csv",
        nargs="?",
        const=csv_flavours[0],
        choices=csv_flavours,
        metavar="FLAVOUR",
        help=f"write CSV for an importer instead: {' or '.join(csv_flavours)} (default {csv_flavours[0]})",
    )
    found = add("search", data)
    found.add_argument(
        "query", metavar="QUERY", help='words that must all appear; "a phrase" in double quotes'
    )
    found.add_argument(
        "--service",
        action="append",
        default=[],
        metavar="S",
        help="only post-mortems naming this service (repeat for any of several)",
    )
    found.add_argument(
        "--severity",
        action="append",
        default=[],
        type=_enum_type(Severity),
        help=f"only this severity (repeatable): {', '.join(Severity)}",
    )
    found.add_argument("--limit", type=_limit, default=20, help="how many results, 1 to 500 (default: 20)")
    chat = add("timeline-import", data)
    chat.add_argument("key", metavar="ID", help="number or incident ID")
    chat.add_argument(
        "path", metavar="PATH", help="a Slack export (zip or folder), a Slack day .json, or a text log"
    )
    chat.add_argument(
        "--tz",
        default="UTC",
        metavar="ZONE",
        help="time zone of times written without one, e.g. Europe/Berlin (default: UTC)",
    )
    chat.add_argument("--date", metavar="YYYY-MM-DD", help="the day of a log whose lines have times only")
    chat.add_argument(
        "--format", dest="fmt", default="auto", choices=list(CHAT_FORMATS), help="default: detect it"
    )
    chat.add_argument(
        "--channel",
        action="append",
        metavar="C",
        help="Slack channel to read (repeatable; default: every channel)",
    )
    chat.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="USER=ROLE",
        help="the role that replaces a user's name (repeatable); others become 'Participant N'",
    )
    chat.add_argument(
        "--since",
        metavar="TIME",
        help="only messages at or after this time, e.g. 2026-03-04T10:00 "
        "(read in --tz unless it names a zone); one import adds at most 5,000 events",
    )
    chat.add_argument("--until", metavar="TIME", help="only messages at or before this time")
    chat.add_argument(
        "--keep-noise",
        action="store_true",
        help="also import joins, leaves, bot messages and channel notices",
    )
    chat.add_argument("--dry-run", action="store_true", help="print what would be added; change nothing")
    md = add("import-md", data)
    md.add_argument(
        "file", metavar="FILE", help="a Markdown or text file, or - for standard input (at most 2 MB)"
    )
    md.add_argument(
        "--tz",
        default="UTC",
        metavar="ZONE",
        help="time zone of times written without one, e.g. Europe/Paris or PT (default: UTC)",
    )
    md.add_argument(
        "--incident-id", help="store it under this ID (default: the ID in the file, else the next free one)"
    )
    md.add_argument(
        "--dry-run", action="store_true", help="show the mapping and what would be created; store nothing"
    )
    add("notify", data).add_argument(
        "--dry-run", action="store_true", help="show what would be sent; send and record nothing"
    )
    return parser


def _limit(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 500:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 1 to 500")
    return int(text)


# --- Plain-text views -------------------------------------------------------------------------


def plain(text: object) -> str:
    """User text made safe for one terminal line: no control characters, whitespace folded."""
    cleaned = "".join(" " if unicodedata.category(c) == "Cc" else c for c in str(text))
    return " ".join(cleaned.split())


def problems_line(error: ValidationError) -> str:
    """A validation error as one line: the first few readable problems, joined with '; '."""
    lines = describe(error)
    text = "; ".join(lines[:MAX_PROBLEMS])
    if len(lines) > MAX_PROBLEMS:
        text += f"; and {len(lines) - MAX_PROBLEMS} more"
    return plain(text)


def _when(value: datetime | str | None) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value else "–"


def _columns(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Left-aligned columns; the last one is left unpadded so long titles do not pad every line."""
    rows = [[plain(cell) for cell in row] for row in rows]
    widths = [max(len(str(r[i])) for r in [list(headers), *rows]) for i in range(len(headers) - 1)]
    lines = []
    for row in [list(headers), *rows]:
        lines.append("  ".join([c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]).rstrip())
    return "\n".join(lines)


def format_list(rows: Sequence[Any], deleted: bool = False) -> str:
    """The `list` table: number, incident ID, severity, status, last change, title."""
    if not rows:
        if deleted:
            return "The bin is empty."
        return (
            f"No post-mortems yet. Start one with '{PROG} new --title ...' "
            f"or load examples with '{PROG} demo'."
        )
    return _columns(
        ["#", "Incident ID", "Severity", "Status", "Updated (UTC)", "Title"],
        [[str(r.id), r.incident_id, r.severity, r.status, _when(r.updated_at), r.title] for r in rows],
    )


def format_actions(rows: Sequence[Any], total: int) -> str:
    """The `actions` table: incident, due date, status, priority, owner, action; then how many."""
    if not rows:
        return "No action items match."
    table = _columns(
        ["Incident ID", "Due", "Status", "Priority", "Owner", "Action"],
        [[r.incident_id, r.due or "–", r.status, r.priority or "–", r.owner or "–", r.title] for r in rows],
    )
    shown = f"{len(rows)} of {total}" if total > len(rows) else f"{total}"
    return f"{table}\n\n{shown} action item{'s' if total != 1 else ''}."


def format_search(hits: Sequence[Any], total: int) -> str:
    """The `search` view: one line per post-mortem, then where it matched and the passage."""
    if not hits:
        return "No post-mortem matches."
    lines = [f"{len(hits)} of {total} post-mortem{'s' if total != 1 else ''}, best match first:"]
    for hit in hits:
        when = hit.incident_at[:10] if hit.incident_at else "no date"
        lines.append(f"#{hit.id}  {plain(hit.incident_id)}  {hit.severity}  {when}  {plain(hit.title)}")
        lines.append(f"    {plain(hit.section)}: {plain(plain_snippet(hit.snippet))}")
    return "\n".join(lines)


def format_revisions(rows: Sequence[Any]) -> str:
    """The `revisions` table: version, when, by whom, the title at the time."""
    return _columns(
        ["Version", "Saved (UTC)", "By", "Title"],
        [[str(r.version), _when(r.saved_at), r.saved_by or "–", r.title or ""] for r in rows],
    )


def format_summary(doc: PostMortem, doc_id: int, version: int, updated_at: str) -> str:
    """The `show` view: the header, key times, durations, summary and how full each section is."""
    return "\n\n".join([_heading(doc, doc_id, version, updated_at), _times(doc), _summary(doc), _counts(doc)])


def _heading(doc: PostMortem, doc_id: int, version: int, updated_at: str) -> str:
    h = doc.header
    verdict = verdict_for(h.severity, h.trigger, h.novel_failure_class)
    due = deadline_for(doc)
    due_text = f" Due {due.isoformat()}." if due else ""
    novel = "yes" if h.novel_failure_class else "no"
    lines = [
        f"{plain(h.incident_id)}  {plain(h.title)}",
        f"  #{doc_id} · version {version} · updated {_when(updated_at)} UTC",
        f"  {h.severity} · {h.status} · {h.trigger} · new class of failure: {novel}",
        f"  Post-mortem {verdict.requirement.value}: {verdict.reason}{due_text}",
        f"  Services: {plain(', '.join(h.services)) or '–'}",
        f"  Failure class: {plain(h.failure_class) or '–'}",
    ]
    return "\n".join(lines)


def _times(doc: PostMortem) -> str:
    found = anchor_times(doc)
    lines = ["Key times (UTC)"] + [f"  {a.value.capitalize():<26}{_when(found.get(a))}" for a in Anchor]
    lines.append("Durations")
    for d in durations(doc):
        target = (
            f"  (Sev1 target {format_duration(d.target)}: {'met' if d.within_target else 'missed'})"
            if d.within_target is not None
            else ""
        )
        lines.append(f"  {d.name:<26}{format_duration(d.value)}{target}")
    missing = missing_anchors(doc)
    if missing:
        lines.append(f"  Anchors still to mark: {', '.join(missing)}")
    return "\n".join(lines)


def _summary(doc: PostMortem) -> str:
    text = plain(doc.summary) or "(no summary yet)"
    return "Summary\n" + textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="  ")


def _counts(doc: PostMortem) -> str:
    open_items = sum(1 for item in doc.action_items if not item.status.is_closed)
    counts = [
        ("Timeline events", len(doc.timeline)),
        ("Interviews", len(doc.interviews)),
        ("Went well", len(doc.went_well)),
        ("Went wrong", len(doc.went_wrong)),
        ("Contributing factors", len(doc.contributing_factors)),
        ("Action items", f"{len(doc.action_items)} ({open_items} open)"),
        ("Lessons", len(doc.lessons)),
        ("Contacts", len(doc.contacts)),
        ("Links", len(doc.links)),
        ("Sign-offs", len(doc.sign_offs)),
    ]
    return "Sections\n" + "\n".join(f"  {name:<26}{value}" for name, value in counts)
