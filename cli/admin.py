"""Looking after the database: backup (safe while the app runs) and restore-backup."""

from __future__ import annotations

from pathlib import Path

import click

import storage
from cli.context import Runtime
from cli.database import actor_without_db, db_path, opened
from cli.errors import UserError
from cli.options import runtime, shared_options
from cli.output import print_json
from storage import backup, presence, restore


def _backup_target(path: Path) -> Path:
    """A folder gets a file named by the time, so a nightly cron job keeps every night's copy."""
    return path / f"debrief-{backup.stamp()}.db" if path.is_dir() else path


@click.command(
    "backup",
    help="Copy the database to a file (or into a folder, named by the time), safely while the app runs.",
    epilog="PATH: the file to write, or an existing folder.",
)
@shared_options()
@click.argument("path", metavar="PATH")
def backup_(path: str) -> None:
    rt = runtime()
    source, target = db_path(rt), _backup_target(Path(path))
    if not source.exists():
        raise UserError(f"there is no database at {source} to back up.")
    if target.resolve() == source.resolve():
        raise UserError(f"{target} is the database itself; choose another file.")
    with opened(rt) as db:
        try:
            backup.backup(db, target)
        except OSError as exc:
            raise UserError(f"cannot write {target}: {exc.strerror or exc}") from exc
    info = backup.verify(target)
    if rt.json:
        print_json(
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


@click.command(
    "restore-backup",
    help="Replace the database with a backup file, after checking it; the replaced one is kept aside.",
    epilog="PATH: a file written by 'backup'.",
)
@shared_options()
@click.argument("path", metavar="PATH")
@click.option("--force", is_flag=True, help="restore even while browser sessions have post-mortems open")
def restore_backup(path: str, force: bool) -> None:
    rt = runtime()
    target = db_path(rt)
    if target.exists() and not force:
        _refuse_while_in_use(target)
    aside = _restore_as_actor(rt, target, path)
    if rt.json:
        print_json({"database": str(target), "restored_from": path, "replaced_kept_as": str(aside or "")})
    else:
        kept = f"; the replaced database is kept as {aside}" if aside else ""
        print(f"Restored {target} from {path}{kept}.")


def _restore_as_actor(rt: Runtime, target: Path, path: str) -> Path | None:
    """Restore as the --as user (admins only), checked on the live database; a missing, unreadable or
    newer-version one has no roles this version can read, so only the no-sign-in local admin may
    restore over it."""
    if backup.readable(target):
        try:
            with opened(rt) as db:
                return restore.restore_backup(db=db, db_path=target, backup_path=path)
        except storage.SchemaTooNewError:
            pass  # a newer version's database: going back to a backup is the way out, as for a damaged one
    return restore.restore_backup(db=None, db_path=target, backup_path=path, actor=actor_without_db(rt))
