"""Documents in and out: import (JSON), export (every audience and format), import-md (Markdown)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

import storage
from cli.database import find, opened
from cli.errors import UserError
from cli.files import parse_document, read_limited, write_output
from cli.options import Choice, key_argument, runtime, shared_options
from cli.output import created, print_json, report_created
from cli.text import plain
from exports.open_questions import from_threads
from exports.regulator import trail_from_revisions
from exports.render import AUDIENCES, FORMATS, render
from postmortem.evidence import Accepted, AttachmentRefused, carry
from postmortem.mdimport import import_markdown, with_incident_id
from postmortem.mdimport import report as mdimport_report
from postmortem.models import PostMortem
from storage import audit, blobs, comments

AUDIENCE_NAMES = tuple(AUDIENCES)


def _display_name(file: str) -> str:
    return "standard input" if file == "-" else file


def _duplicate(exc: storage.DuplicateError) -> UserError:
    return UserError(f"{exc} Use --incident-id to import it under another ID.")


@click.command(
    "import",
    help="Create a post-mortem from a JSON file, such as one written by 'export --format json'.",
    epilog="FILE: a JSON file, or - for standard input (at most 20 MB).",
)
@shared_options()
@click.argument("file", metavar="FILE")
@click.option("--incident-id", help="store it under this incident ID instead of the file's")
def import_(file: str, incident_id: str | None) -> None:
    rt = runtime()
    # Read and validate first: a bad file never opens (or creates) the database.
    name = _display_name(file)
    doc, files = _with_attached_files(read_limited(file), name)
    if incident_id:
        data = doc.model_dump()
        data["header"]["incident_id"] = incident_id
        doc = PostMortem.model_validate(data)
    with opened(rt) as db:
        try:
            for item in files:  # stored first: the new document's first version already names them
                blobs.put(db=db, item=item)
            stored = storage.create_imported(db=db, doc=doc, source=f"JSON file {Path(name).name}")
        except storage.DuplicateError as exc:
            raise _duplicate(exc) from exc
    report_created(rt, stored)
    if stored.doc.header.status != doc.header.status or len(stored.doc.sign_offs) != len(doc.sign_offs):
        print(
            "Imported as a draft: the file's status and sign-offs are kept as a note, not carried over.",
            file=sys.stderr,
        )


def _with_attached_files(data: bytes, name: str) -> tuple[PostMortem, list[Accepted]]:
    """The document of a JSON export and the files it carries, each checked again as an upload is."""
    try:
        text, files = carry.split(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return parse_document(data, name), []  # which says what is wrong with the file
    except ValueError as exc:
        raise UserError(f"{name} cannot be read as a post-mortem: {exc}") from exc
    try:
        doc, kept, notes = carry.taken_in(parse_document(text.encode("utf-8"), name), files)
    except AttachmentRefused as exc:
        raise UserError(f"{name}: an attached file was refused, nothing was imported. {exc}") from exc
    for note in notes:
        print(note, file=sys.stderr)
    return doc, kept


@click.command(
    "export",
    help="Write one post-mortem for one audience as Markdown, Word (docx) or JSON, to a file or to standard output.",
)
@shared_options(with_json=False)
@key_argument
@click.option("--format", "fmt", type=Choice(FORMATS), default=FORMATS[0], help=f"default: {FORMATS[0]}")
@click.option(
    "--audience",
    type=Choice(AUDIENCE_NAMES),
    default=AUDIENCE_NAMES[0],
    help=f"who it is for: {', '.join(AUDIENCE_NAMES)} (default: {AUDIENCE_NAMES[0]})",
)
@click.option("-o", "--output", metavar="PATH", help="file to write; - or nothing for standard output")
@click.option(
    "--open-questions",
    is_flag=True,
    help="add the open comment threads as an appendix (owning team's md and docx only)",
)
def export(key: str, fmt: str, audience: str, output: str | None, open_questions: bool) -> None:
    rt = runtime()
    with opened(rt) as db:
        stored = find(db, key)
        files = {
            a.digest: blobs.get(db=db, doc_id=stored.id, digest=a.digest).data for a in stored.doc.attachments
        }
        audit.record_export(db=db, doc_id=stored.id, version=stored.version, audience=audience, fmt=fmt)
        revisions = storage.revisions(db=db, doc_id=stored.id) if audience == "regulator" else None
        trail = trail_from_revisions(revisions) if revisions is not None else ()
        questions = from_threads(comments.threads(db=db, doc_id=stored.id)) if open_questions else ()
    data = render(
        stored.doc,
        audience=audience,
        fmt=fmt,
        country=rt.settings.holidays_country,
        trail=trail,
        public_domains=rt.settings.public_domains,
        open_questions=questions,
        blobs=files,
    )
    write_output(data, output)


@click.command(
    "import-md",
    help="Create a draft from a post-mortem written elsewhere in Markdown, such as a wiki page or the "
    "Google SRE book's template; prints how each heading was mapped.",
    epilog="FILE: a Markdown or text file, or - for standard input (at most 2 MB).",
)
@shared_options()
@click.argument("file", metavar="FILE")
@click.option(
    "--tz",
    default="UTC",
    metavar="ZONE",
    help="time zone of times written without one, e.g. Europe/Paris or PT (default: UTC)",
)
@click.option(
    "--incident-id", help="store it under this ID (default: the ID in the file, else the next free one)"
)
@click.option("--dry-run", is_flag=True, help="show the mapping and what would be created; store nothing")
def import_md(file: str, tz: str, incident_id: str | None, dry_run: bool) -> None:
    rt = runtime()
    name = _display_name(file)
    try:
        text = mdimport_report.decode(read_limited(file, mdimport_report.MAX_BYTES), name)
        result = import_markdown(text, tz=tz, name="" if file == "-" else file)
        chosen = incident_id or result.source_incident_id
        doc = with_incident_id(result.doc, chosen) if chosen else None  # checked before the database opens
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    stored = None
    if not dry_run:
        with opened(rt) as db:
            doc = doc or with_incident_id(
                result.doc, storage.next_incident_id(db=db, year=datetime.now(UTC).year)
            )
            try:
                stored = storage.create_imported(db=db, doc=doc, source=f"Markdown file {Path(name).name}")
            except storage.DuplicateError as exc:
                raise _duplicate(exc) from exc
    if rt.json:
        print_json({**mdimport_report.as_json(result), "created": created(stored) if stored else None})
        return
    print(mdimport_report.as_text(result, plain))
    if stored:
        print()
        report_created(rt, stored)
    else:
        print("\nDry run: nothing was stored.")
