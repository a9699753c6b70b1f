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
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

import storage
from channels import report as notify_report
from channels import run as notify_run
from channels.settings import SettingsError as ChannelSettingsError
from channels.settings import settings as channel_settings
from exports import tracker_csv
from exports.open_questions import from_threads
from exports.redact import PUBLIC_DOMAINS_ENV, parse_domains
from exports.regulator import trail_from_revisions
from exports.render import AUDIENCES, FORMATS, render
from postmortem import auth, chat, language, lint
from postmortem.chat import cli_view as chat_view
from postmortem.chat import limits as chat_limits
from postmortem.chat.cli_view import apply_role_options, roles_option
from postmortem.chat.to_timeline import TooManyEventsError, default_roles, import_messages, participants
from postmortem.cli import (
    build_parser,
    format_actions,
    format_list,
    format_revisions,
    format_search,
    format_summary,
    plain,
    problems_line,
)
from postmortem.demo import demo_documents
from postmortem.demo_history import history_documents
from postmortem.evidence import Accepted, AttachmentRefused, carry
from postmortem.mdimport import import_markdown, with_incident_id
from postmortem.mdimport import report as mdimport_report
from postmortem.models import PostMortem, new_postmortem
from postmortem.review import is_read_only
from postmortem.searchable import plain_snippet
from storage import access, audit, backup, blobs, comments, presence, restore, search, tracker, users
from storage.access import LOCAL, Actor, bind

MAX_IMPORT_BYTES = 20 * 1024 * 1024
USER_ERROR = 2


class UserError(Exception):
    """Input the command cannot use; reported as one line, never as a traceback."""


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code: 0 done, 2 the input was not usable."""
    try:
        args = build_parser(FORMATS, tuple(AUDIENCES), tracker_csv.FLAVOURS).parse_args(argv)
    except SystemExit as exit_:  # --help and usage errors; argparse has already printed them
        return int(exit_.code or 0)
    try:
        code = COMMANDS[args.command](args)
    except UserError as exc:
        return _fail(str(exc))
    except ValidationError as exc:
        return _fail(problems_line(exc))
    except (
        storage.NotFoundError,
        storage.DuplicateError,
        storage.ConflictError,
        storage.PermissionDenied,
        storage.SchemaTooNewError,
        storage.MissingFolderError,
    ) as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # the reader went away (`… | head`): stop quietly, like other Unix tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if type(exc).__module__ == "sqlite3":  # matched by module: this package may not import sqlite3
            return _fail(f"the database {_db_path(args)} cannot be used: {exc}")
        # Whatever a file or an argument provoked, the promise is one line and exit 2, never a
        # traceback; the exception's type says enough to report it.
        return _fail(f"{args.command} stopped: {type(exc).__name__}: {exc}")
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
        bind(db, _actor(db, args))
        yield db
    finally:
        db.close()


def _actor(db: Any, args: Any) -> Actor:
    """Who the command acts for: the local admin without sign-in, else the user named by --as."""
    try:
        mode = auth.settings(os.environ).mode
    except auth.SettingsError as exc:
        raise UserError(str(exc)) from exc
    identity = getattr(args, "as_user", None)
    if not identity:
        if mode is auth.AuthMode.NONE:
            return LOCAL
        raise UserError(f"sign-in is on (DEBRIEF_AUTH={mode}): say who you are with --as IDENTITY")
    return users.actor_for(db=db, identity=identity)


def _find(db: Any, key: str) -> storage.Stored:
    """A post-mortem by number or incident ID; one in the bin is reported as such."""
    stored = storage.find(db=db, key=key, include_deleted=True)
    if stored.deleted_at:
        raise UserError(f"{stored.doc.header.incident_id} is in the bin; 'restore {key}' brings it back.")
    return stored


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _created(stored: storage.Stored) -> dict[str, Any]:
    return {
        "id": stored.id,
        "version": stored.version,
        "incident_id": stored.doc.header.incident_id,
        "title": stored.doc.header.title,
    }


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
    except ValueError as exc:  # e.g. an integer of thousands of digits (Python refuses to convert it)
        raise UserError(f"{name} cannot be read as a post-mortem: {exc}") from exc


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
    doc, files = _with_attached_files(read_limited(args.file), name)
    if args.incident_id:
        data = doc.model_dump()
        data["header"]["incident_id"] = args.incident_id
        doc = PostMortem.model_validate(data)
    with _opened(args) as db:
        try:
            for item in files:  # stored first: the new document's first version already names them
                blobs.put(db=db, item=item)
            stored = storage.create_imported(db=db, doc=doc, source=f"JSON file {Path(name).name}")
        except storage.DuplicateError as exc:
            raise UserError(f"{exc} Use --incident-id to import it under another ID.") from exc
    _report_created(args, stored)
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


def cmd_export(args: Any) -> None:
    with _opened(args) as db:
        stored = _find(db, args.key)
        files = {
            a.digest: blobs.get(db=db, doc_id=stored.id, digest=a.digest).data for a in stored.doc.attachments
        }
        audit.record_export(
            db=db, doc_id=stored.id, version=stored.version, audience=args.audience, fmt=args.fmt
        )
        trail = (
            trail_from_revisions(storage.revisions(db=db, doc_id=stored.id))
            if args.audience == "regulator"
            else ()
        )
        questions = from_threads(comments.threads(db=db, doc_id=stored.id)) if args.open_questions else ()
    domains = parse_domains(os.environ.get(PUBLIC_DOMAINS_ENV, ""))
    _write_output(
        render(
            stored.doc,
            audience=args.audience,
            fmt=args.fmt,
            trail=trail,
            public_domains=domains,
            open_questions=questions,
            blobs=files,
        ),
        args.output,
    )


def cmd_schema(args: Any) -> None:
    _print_json(PostMortem.model_json_schema())


def cmd_demo(args: Any) -> None:
    results = []
    with _opened(args) as db:
        history = history_documents(datetime.now(UTC).date()) if args.history else []
        for doc in [*demo_documents(), *history]:
            try:
                results.append({**_created(storage.create(db=db, doc=doc)), "created": True})
            except storage.DuplicateError:
                results.append(
                    {
                        "id": None,
                        "incident_id": doc.header.incident_id,
                        "title": doc.header.title,
                        "created": False,
                    }
                )
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


def _backup_target(path: Path) -> Path:
    """A folder gets a file named by the time, so a nightly cron job keeps every night's copy."""
    return path / f"debrief-{backup.stamp()}.db" if path.is_dir() else path


def cmd_backup(args: Any) -> None:
    source, target = _db_path(args), _backup_target(Path(args.path))
    if not source.exists():
        raise UserError(f"there is no database at {source} to back up.")
    if target.resolve() == source.resolve():
        raise UserError(f"{target} is the database itself; choose another file.")
    with _opened(args) as db:
        try:
            backup.backup(db, target)
        except OSError as exc:
            raise UserError(f"cannot write {target}: {exc.strerror or exc}") from exc
    info = backup.verify(target)
    if args.json:
        _print_json(
            {
                "path": str(info.path),
                "bytes": info.size,
                "documents": info.documents,
                "migrations": info.migrations,
            }
        )
    else:
        print(f"Backed up {source} to {target} ({info.size:,} bytes, {info.documents} post-mortems).")


def _refuse_while_in_use(target: Path) -> None:
    """Open browser sessions would find their documents moved back in time: stop the server first."""
    active = presence.active_sessions_in(target)
    if active:
        raise UserError(
            f"{active} browser session(s) had post-mortems open in the last "
            f"{presence.GONE_AFTER:g} s; stop the server first, or pass --force."
        )


def cmd_restore_backup(args: Any) -> None:
    target = _db_path(args)
    if target.exists() and not args.force:
        _refuse_while_in_use(target)
    try:
        aside = _restore_as_actor(args, target)
    except backup.InvalidBackupError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        _print_json(
            {"database": str(target), "restored_from": args.path, "replaced_kept_as": str(aside or "")}
        )
    else:
        kept = f"; the replaced database is kept as {aside}" if aside else ""
        print(f"Restored {target} from {args.path}{kept}.")


def _restore_as_actor(args: Any, target: Path) -> Path | None:
    """Restore as the --as user (admins only), checked on the live database; a missing, unreadable or
    newer-version one has no roles this version can read, so only the no-sign-in local admin may
    restore over it."""
    if backup.readable(target):
        try:
            with _opened(args) as db:
                return restore.restore_backup(db=db, db_path=target, backup_path=args.path)
        except storage.SchemaTooNewError:
            pass  # a newer version's database: going back to a backup is the way out, as for a damaged one
    return restore.restore_backup(
        db=None, db_path=target, backup_path=args.path, actor=_actor_without_db(args)
    )


def _actor_without_db(args: Any) -> Actor:
    try:
        mode = auth.settings(os.environ).mode
    except auth.SettingsError as exc:
        raise UserError(str(exc)) from exc
    return (
        LOCAL
        if mode is auth.AuthMode.NONE
        else Actor(getattr(args, "as_user", None) or "?", access.Role.VIEWER)
    )


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
        found = [
            f
            for f in language.check(doc, extra_names=lint.names_option(args.names))
            if f.key not in dismissed
        ]
    print(lint.format_findings(found, args.json))
    return lint.exit_code(found)


def cmd_actions(args: Any) -> None:
    filters = tracker.Filters(
        owner=(args.owner or "").strip(),
        overdue=args.overdue,
        statuses=(args.status.value,) if args.status else (),
    )
    with _opened(args) as db:
        items = tracker.items(db=db, filters=filters, criteria=bool(args.csv))
    if args.csv:
        _write_output(tracker_csv.render(items, args.csv, criteria=lambda item: item.criteria), None)
    elif args.json:
        _print_json([asdict(item) for item in items])
    else:
        print(format_actions(items, len(items)))


def cmd_search(args: Any) -> None:
    query = search.Query(
        text=args.query,
        services=tuple(args.service),
        limit=args.limit,
        severities=tuple(s.value for s in args.severity),
    )
    with _opened(args) as db:
        found = search.search(db=db, query=query)
    if not args.json:
        print(format_search(found.hits, found.total))
        return
    _print_json(
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


class _Folder:
    """A Slack export unpacked into a folder: the same files as the zip, read one at a time."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._names = []
        for path in sorted(self.root.rglob("*.json")):
            if path.is_symlink() or not path.resolve().is_relative_to(self.root):
                raise UserError(f"{path} is a link out of the export folder; nothing was imported.")
            self._names.append(path.relative_to(self.root).as_posix())
            if len(self._names) > chat_limits.MAX_MEMBERS:
                raise UserError(f"{root} holds more than {chat_limits.MAX_MEMBERS:,} files.")

    def names(self) -> list[str]:
        return self._names

    def read(self, name: str) -> bytes:
        path = self.root / name
        if path.stat().st_size > chat_limits.MAX_MEMBER_BYTES:
            raise UserError(f"{path} is larger than {chat_limits.MAX_MEMBER_BYTES // 2**20} MB.")
        return path.read_bytes()


def _parse_chat(args: Any) -> chat.ParseResult:
    try:
        zone = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UserError(f"--tz {args.tz!r} is not a time zone name such as UTC or Europe/Berlin.") from exc
    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError as exc:
        raise UserError(f"--date {args.date!r} is not a date like 2026-03-04.") from exc
    path = Path(args.path)
    try:
        if path.is_dir():
            return chat.parse_export(_Folder(path), args.channel)
        with open(path, "rb") as handle:
            return chat.parse_file(handle, path.name, args.fmt, chat.TextOptions(zone, day), args.channel)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _moment(text: str | None, option: str, zone: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UserError(f"{option} {text!r} is not a time like 2026-03-04T10:15.") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def _in_time_range(parsed: chat.ParseResult, args: Any) -> chat.ParseResult:
    """Only the messages between --since and --until: the way to narrow a big export to the incident."""
    since, until = _moment(args.since, "--since", args.tz), _moment(args.until, "--until", args.tz)
    if since is None and until is None:
        return parsed
    kept = [
        m for m in parsed.messages if (since is None or m.ts >= since) and (until is None or m.ts <= until)
    ]
    return replace(parsed, messages=kept)


def cmd_timeline_import(args: Any) -> None:
    try:
        parsed = _in_time_range(
            _parse_chat(args), args
        )  # read and check the file before the database is touched
        with _opened(args) as db:
            stored = _find(db, args.key)
            access.require(db, storage.Permission.EDIT, stored.id)
            if is_read_only(stored.doc) and not args.dry_run:
                raise UserError(f"{stored.doc.header.incident_id} is {stored.doc.header.status}: read-only.")
            chosen = [m for m in parsed.messages if args.keep_noise or not m.kind.is_noise]
            people = participants(chosen, parsed.names)
            roles = apply_role_options(
                default_roles(chosen, "Participant", parsed.names), people, roles_option(args.role)
            )
            doc, report = import_messages(
                stored.doc, parsed.messages, roles, keep_noise=args.keep_noise, names=parsed.names
            )
            added = [e for e in doc.timeline if e.id not in {old.id for old in stored.doc.timeline}]
            version = None
            if not args.dry_run and added:
                version = storage.save(
                    db=db, doc_id=stored.id, doc=doc, expected_version=stored.version
                ).version
    except TooManyEventsError as exc:
        raise UserError(f"{exc} On the command line: --since and --until, --channel.") from exc
    except chat.ChatImportError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        _print_json(chat_view.as_json(added, report, roles, people, parsed.unparsed, args.dry_run, version))
    else:
        print(chat_view.format_text(added, report, people, roles, parsed.unparsed, args.dry_run, plain))


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
            doc = doc or with_incident_id(
                result.doc, storage.next_incident_id(db=db, year=datetime.now(UTC).year)
            )
            try:
                created = storage.create_imported(db=db, doc=doc, source=f"Markdown file {Path(name).name}")
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


def cmd_notify(args: Any) -> int:
    """Send the notices that are due; exit 1 when a delivery failed (it is retried on a later run)."""
    try:
        config = channel_settings(os.environ)
    except ChannelSettingsError as exc:
        raise UserError(str(exc)) from exc
    if not config.smtp and not config.chat_channels:
        raise UserError(
            "no channel is configured: set DEBRIEF_SMTP_URL, DEBRIEF_SLACK_WEBHOOK, "
            "DEBRIEF_TEAMS_WEBHOOK or DEBRIEF_WEBHOOK_URL (see docs/deploy.md)."
        )
    with _opened(args) as db:
        outcomes = notify_run.run(db, config, datetime.now(UTC), dry_run=args.dry_run)
    if args.json:
        _print_json(notify_report.as_json(outcomes))
    else:
        print(notify_report.as_text(outcomes, plain))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


COMMANDS: dict[str, Callable[[Any], int | None]] = {
    "new": cmd_new,
    "list": cmd_list,
    "show": cmd_show,
    "import": cmd_import,
    "export": cmd_export,
    "schema": cmd_schema,
    "demo": cmd_demo,
    "revisions": cmd_revisions,
    "delete": cmd_delete,
    "restore": cmd_restore,
    "lint": cmd_lint,
    "actions": cmd_actions,
    "search": cmd_search,
    "timeline-import": cmd_timeline_import,
    "import-md": cmd_import_md,
    "backup": cmd_backup,
    "restore-backup": cmd_restore_backup,
    "notify": cmd_notify,
}


if __name__ == "__main__":
    raise SystemExit(main())
