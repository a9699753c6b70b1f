"""`python -m postmortem`: Debrief on the command line.

This is the composition root: the one module of the domain package that may use storage, exports and
files. A user's mistake (bad file, unknown ID, duplicate) is one 'error: …' line on stderr and exit
code 2, with the database unchanged; only a bug shows a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

import storage
from exports.regulator import trail_from_revisions
from exports.render import AUDIENCES, FORMATS, render
from postmortem.cli import build_parser, format_list, format_revisions, format_summary, plain, problems_line
from postmortem import language, lint
from postmortem.demo import demo_documents
from postmortem.mdimport import import_markdown, with_incident_id
from postmortem.mdimport import report as mdimport_report
from postmortem.models import PostMortem, new_postmortem

MAX_IMPORT_BYTES = 20 * 1024 * 1024
USER_ERROR = 2


class UserError(Exception):
    """Input the command cannot use; reported as one line, never as a traceback."""


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code: 0 done, 2 the input was not usable."""
    try:
        args = build_parser(FORMATS, tuple(AUDIENCES)).parse_args(argv)
    except SystemExit as exit_:  # --help and usage errors; argparse has already printed them
        return int(exit_.code or 0)
    try:
        code = COMMANDS[args.command](args)
    except UserError as exc:
        return _fail(str(exc))
    except ValidationError as exc:
        return _fail(problems_line(exc))
    except (storage.NotFoundError, storage.DuplicateError, storage.ConflictError) as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # the reader went away (`… | head`): stop quietly, like other Unix tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if type(exc).__module__ != "sqlite3":  # matched by module: this package may not import sqlite3
            raise
        return _fail(f"the database {_db_path(args)} cannot be used: {exc}")
    return code or 0  # lint returns 1 when it finds blocking language


def _fail(message: str) -> int:
    print(f"error: {plain(message)}", file=sys.stderr)
    return USER_ERROR


# --- Shared helpers ---------------------------------------------------------------------------


def _db_path(args: Any) -> Path:
    return args.db or storage.default_path()


@contextlib.contextmanager
def _opened(args: Any) -> Iterator[Any]:
    """A connection to the chosen database, closed afterwards."""
    path = _db_path(args)
    try:
        db = storage.connect(path)
    except OSError as exc:
        raise UserError(f"cannot open the database {path}: {exc.strerror or exc}") from exc
    try:
        yield db
    finally:
        db.close()


def _find(db: Any, key: str) -> storage.Stored:
    """A post-mortem by number or incident ID; one in the bin is reported as such."""
    stored = storage.find(db=db, key=key, include_deleted=True)
    if stored.deleted_at:
        raise UserError(f"{stored.doc.header.incident_id} is in the bin; 'restore {key}' brings it back.")
    return stored


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _created(stored: storage.Stored) -> dict[str, Any]:
    return {"id": stored.id, "version": stored.version, "incident_id": stored.doc.header.incident_id,
            "title": stored.doc.header.title}


def _report_created(args: Any, stored: storage.Stored) -> None:
    if args.json:
        _print_json(_created(stored))
    else:
        header = stored.doc.header
        print(f"Created #{stored.id} {plain(header.incident_id)}: {plain(header.title)}")


# --- Reading and writing files ----------------------------------------------------------------


def read_limited(name: str, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of a file (or stdin for '-'), refusing anything larger than `limit`."""
    if name == "-":
        data = sys.stdin.buffer.read(limit + 1)
        name = "standard input"
    else:
        try:
            if os.stat(name).st_size > limit:  # refuse before reading a huge file into memory
                raise UserError(f"{name} is larger than {limit // 2**20} MB, the most Debrief imports.")
            with open(name, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise UserError(f"cannot read {name}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise UserError(f"{name} is larger than {limit // 2**20} MB, the most Debrief imports.")
    return data


def parse_document(data: bytes, name: str) -> PostMortem:
    """A validated post-mortem from JSON bytes, or a UserError saying in one line what is wrong."""
    try:
        return storage.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{name} is not UTF-8 text (byte {exc.start} cannot be read).") from exc
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise UserError(f"{name} is not valid JSON: {exc.msg} at {where}.") from exc
    except RecursionError as exc:
        raise UserError(f"{name} is nested too deeply to be a post-mortem.") from exc
    except ValidationError as exc:
        raise UserError(f"{name} is not a Debrief post-mortem: {problems_line(exc)}") from exc


def _write_output(data: bytes, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from exc
    print(f"Wrote {len(data):,} bytes to {output}.")


# --- Commands ---------------------------------------------------------------------------------


def cmd_new(args: Any) -> None:
    with _opened(args) as db:
        incident_id = args.incident_id or storage.next_incident_id(db=db, year=datetime.now(UTC).year)
        doc = new_postmortem(incident_id, args.title, severity=args.severity, trigger=args.trigger)
        stored = storage.create(db=db, doc=doc)
    _report_created(args, stored)


def cmd_list(args: Any) -> None:
    with _opened(args) as db:
        rows = storage.list_documents(db=db, deleted=args.deleted)
    if args.json:
        _print_json([asdict(row) for row in rows])
    else:
        print(format_list(rows, deleted=args.deleted))


def cmd_show(args: Any) -> None:
    with _opened(args) as db:
        stored = _find(db, args.key)
    if args.json:
        print(stored.doc.model_dump_json(indent=2))
    else:
        print(format_summary(stored.doc, stored.id, stored.version, stored.updated_at))


def cmd_import(args: Any) -> None:
    # Read and validate first: a bad file never opens (or creates) the database.
    name = "standard input" if args.file == "-" else args.file
    doc = parse_document(read_limited(args.file), name)
    if args.incident_id:
        data = doc.model_dump()
        data["header"]["incident_id"] = args.incident_id
        doc = PostMortem.model_validate(data)
    with _opened(args) as db:
        try:
            stored = storage.create(db=db, doc=doc)
        except storage.DuplicateError as exc:
            raise UserError(f"{exc} Use --incident-id to import it under another ID.") from exc
    _report_created(args, stored)


def cmd_export(args: Any) -> None:
    with _opened(args) as db:
        stored = _find(db, args.key)
        trail = trail_from_revisions(storage.revisions(db=db, doc_id=stored.id)) if args.audience == "regulator" else ()
    _write_output(render(stored.doc, audience=args.audience, fmt=args.fmt, trail=trail), args.output)


def cmd_schema(args: Any) -> None:
    _print_json(PostMortem.model_json_schema())


def cmd_demo(args: Any) -> None:
    results = []
    with _opened(args) as db:
        for doc in demo_documents():
            try:
                results.append({**_created(storage.create(db=db, doc=doc)), "created": True})
            except storage.DuplicateError:
                results.append({"id": None, "incident_id": doc.header.incident_id, "title": doc.header.title,
                                "created": False})
    if args.json:
        _print_json(results)
        return
    for r in results:
        if r["created"]:
            print(f"Created #{r['id']} {r['incident_id']}: {r['title']}")
        else:
            print(f"Skipped {r['incident_id']}: a post-mortem with this incident ID already exists.")


def cmd_revisions(args: Any) -> None:
    with _opened(args) as db:
        rows = storage.revisions(db=db, doc_id=_find(db, args.key).id)
    if args.json:
        _print_json([asdict(row) for row in rows])
    else:
        print(format_revisions(rows))


def cmd_delete(args: Any) -> None:
    with _opened(args) as db:
        stored = storage.find(db=db, key=args.key, include_deleted=True)
        label = f"#{stored.id} {plain(stored.doc.header.incident_id)}"
        if stored.deleted_at:
            print(f"{label} is already in the bin.")
            return
        storage.delete(db=db, doc_id=stored.id)
    print(f"Moved {label} to the bin; 'restore {stored.id}' brings it back.")


def cmd_restore(args: Any) -> None:
    with _opened(args) as db:
        stored = storage.find(db=db, key=args.key, include_deleted=True)
        label = f"#{stored.id} {plain(stored.doc.header.incident_id)}"
        if not stored.deleted_at:
            print(f"{label} is not in the bin; nothing to restore.")
            return
        storage.undelete(db=db, doc_id=stored.id)
    print(f"Restored {label}.")


def cmd_lint(args: Any) -> int:
    if bool(args.key) == bool(args.text):
        raise UserError("give an ID or --text FILE (exactly one of them)")
    if args.text:
        text = read_limited(args.text).decode("utf-8", errors="replace")
        found = language.check_text(text, path="text", names=lint.names_option(args.names))
    else:
        with _opened(args) as db:
            doc = _find(db, args.key).doc
        dismissed = {d.key for d in doc.dismissed_findings}
        found = [f for f in language.check(doc, extra_names=lint.names_option(args.names)) if f.key not in dismissed]
    print(lint.format_findings(found, args.json))
    return lint.exit_code(found)


def cmd_import_md(args: Any) -> None:
    name = "standard input" if args.file == "-" else args.file
    try:
        text = mdimport_report.decode(read_limited(args.file, mdimport_report.MAX_BYTES), name)
        result = import_markdown(text, tz=args.tz, name="" if args.file == "-" else args.file)
        chosen = args.incident_id or result.source_incident_id
        doc = with_incident_id(result.doc, chosen) if chosen else None  # checked before the database opens
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    created = None
    if not args.dry_run:
        with _opened(args) as db:
            doc = doc or with_incident_id(result.doc, storage.next_incident_id(db=db, year=datetime.now(UTC).year))
            try:
                created = storage.create(db=db, doc=doc)
            except storage.DuplicateError as exc:
                raise UserError(f"{exc} Use --incident-id to import it under another ID.") from exc
    if args.json:
        _print_json({**mdimport_report.as_json(result), "created": _created(created) if created else None})
        return
    print(mdimport_report.as_text(result, plain))
    if created:
        print()
        _report_created(args, created)
    else:
        print("\nDry run: nothing was stored.")


COMMANDS: dict[str, Callable[[Any], int | None]] = {
    "new": cmd_new, "list": cmd_list, "show": cmd_show, "import": cmd_import, "export": cmd_export,
    "schema": cmd_schema, "demo": cmd_demo, "revisions": cmd_revisions, "delete": cmd_delete,
    "restore": cmd_restore, "lint": cmd_lint, "import-md": cmd_import_md,
}


if __name__ == "__main__":
    raise SystemExit(main())
