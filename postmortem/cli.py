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

from postmortem.errors import describe
from postmortem.models import Anchor, PostMortem, Severity, TriggerKind
from postmortem.severity import deadline_for, verdict_for
from postmortem.timeline import anchor_times, durations, format_duration, missing_anchors

PROG = "python -m postmortem"
DB_HELP = "SQLite database file (default: $DEBRIEF_DB, else debrief.db in your data folder)"
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
    "lint": "Check a post-mortem (or a text file) for blaming language; exit 1 when a blocking finding exists.",
    "import-md": "Create a draft from a post-mortem written elsewhere in Markdown, such as a wiki page or the "
                 "Google SRE book's template; prints how each heading was mapped.",
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
    if with_json:
        options.add_argument("--json", action="store_true", help="print machine-readable JSON")
    return options


def build_parser(formats: Sequence[str], audiences: Sequence[str]) -> Parser:
    """The `python -m postmortem` parser, one subcommand per entry in COMMANDS.

    The export formats and audiences are passed in, so the domain package does not import exports.
    """
    parser = Parser(prog=PROG, description="Debrief: write, store and export blameless post-mortems.")
    parser.add_argument("--db", type=Path, default=None, metavar="PATH", help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data, plain = _options(with_json=True), _options(with_json=False)

    def add(name: str, parent: Parser) -> Parser:
        return sub.add_parser(name, parents=[parent], help=COMMANDS[name], description=COMMANDS[name])

    new = add("new", data)
    new.add_argument("--title", required=True, help="what happened, in a few words")
    new.add_argument("--incident-id", help="e.g. INC-2026-0042 (default: the next free ID for this year)")
    new.add_argument("--severity", type=_enum_type(Severity), default=Severity.SEV2,
                     help=f"one of: {', '.join(Severity)} (default: Sev2)")
    new.add_argument("--trigger", type=_enum_type(TriggerKind), default=TriggerKind.OUTAGE,
                     help=f"what kind of incident: {', '.join(TriggerKind)} (default: outage)")
    add("list", data).add_argument("--deleted", action="store_true", help="list the bin instead")
    add("show", data).add_argument("key", metavar="ID", help="number or incident ID")
    imp = add("import", data)
    imp.add_argument("file", metavar="FILE", help="a JSON file, or - for standard input (at most 20 MB)")
    imp.add_argument("--incident-id", help="store it under this incident ID instead of the file's")
    export = add("export", plain)
    export.add_argument("key", metavar="ID", help="number or incident ID")
    export.add_argument("--format", dest="fmt", choices=formats, default=formats[0],
                        help=f"default: {formats[0]}")
    export.add_argument("--audience", choices=audiences, default=audiences[0],
                        help=f"who it is for: {', '.join(audiences)} (default: {audiences[0]})")
    export.add_argument("-o", "--output", metavar="PATH",
                        help="file to write; - or nothing for standard output")
    add("schema", plain)
    add("demo", data)
    add("revisions", data).add_argument("key", metavar="ID", help="number or incident ID")
    add("delete", plain).add_argument("key", metavar="ID", help="number or incident ID")
    add("restore", plain).add_argument("key", metavar="ID", help="number or incident ID")
    lint = add("lint", data)
    lint.add_argument("key", metavar="ID", nargs="?", help="number or incident ID (or use --text)")
    lint.add_argument("--text", metavar="FILE", help="check a text file instead (- for standard input)")
    lint.add_argument("--names", metavar='"A B,C D"', help="people's names to flag (with --text)")
    md = add("import-md", data)
    md.add_argument("file", metavar="FILE", help="a Markdown or text file, or - for standard input (at most 2 MB)")
    md.add_argument("--tz", default="UTC", metavar="ZONE",
                    help="time zone of times written without one, e.g. Europe/Paris or PT (default: UTC)")
    md.add_argument("--incident-id", help="store it under this ID (default: the ID in the file, else the next free one)")
    md.add_argument("--dry-run", action="store_true", help="show the mapping and what would be created; store nothing")
    return parser


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
        return (f"No post-mortems yet. Start one with '{PROG} new --title ...' "
                f"or load examples with '{PROG} demo'.")
    return _columns(["#", "Incident ID", "Severity", "Status", "Updated (UTC)", "Title"], [
        [str(r.id), r.incident_id, r.severity, r.status, _when(r.updated_at), r.title] for r in rows])


def format_revisions(rows: Sequence[Any]) -> str:
    """The `revisions` table: version, when, by whom, the title at the time."""
    return _columns(["Version", "Saved (UTC)", "By", "Title"],
                    [[str(r.version), _when(r.saved_at), r.saved_by or "–", r.title or ""] for r in rows])


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
        target = f"  (Sev1 target {format_duration(d.target)}: {'met' if d.within_target else 'missed'})" \
            if d.within_target is not None else ""
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
        ("Timeline events", len(doc.timeline)), ("Interviews", len(doc.interviews)),
        ("Went well", len(doc.went_well)), ("Went wrong", len(doc.went_wrong)),
        ("Contributing factors", len(doc.contributing_factors)),
        ("Action items", f"{len(doc.action_items)} ({open_items} open)"), ("Lessons", len(doc.lessons)),
        ("Contacts", len(doc.contacts)), ("Links", len(doc.links)), ("Sign-offs", len(doc.sign_offs)),
    ]
    return "Sections\n" + "\n".join(f"  {name:<26}{value}" for name, value in counts)
