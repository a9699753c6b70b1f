"""Export downloads whose audit entry is written by the callable that makes the file.

A download button with `on_click` set reruns the page on every click, and that rerun replaces the
other buttons' deferred files: a second click a second later landed on a button being replaced and
got nothing. So the Export step's buttons ignore the click (no rerun), and the audit entry is written
when Streamlit runs the callable for the file: once per file handed out, by the server.

Streamlit runs that callable on a worker thread with no script run and no session, so it cannot ask
who is signed in or reuse the page's connection (SQLite connections are thread-bound): the database
path and the acting user are taken while the page is drawn, and the callable opens its own connection.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import storage
from components import auth, config
from storage import audit


@dataclass(frozen=True)
class Acting:
    """The database and the signed-in user as this page run sees them, for a download made later on a
    worker thread (no session there to ask, and the page's connection belongs to the script thread)."""

    db_path: Path
    actor: storage.Actor

    @classmethod
    def current(cls) -> Acting:
        return cls(config.db_path(), auth.current_actor())

    def connect(self) -> storage.Database:
        return storage.connect(self.db_path, actor=self.actor)


@dataclass(frozen=True)
class ExportOf:
    """One stored version of a post-mortem, exported by one user."""

    by: Acting
    doc_id: int
    version: int

    @classmethod
    def current(cls, stored: storage.Stored) -> ExportOf:
        """Who exports, and what, as this page run sees it."""
        return cls(Acting.current(), stored.id, stored.version)

    def connect(self) -> storage.Database:
        """A connection for the worker thread that makes the file, acting for the exporting user."""
        return self.by.connect()


def audited(make: Callable[[], bytes], export: ExportOf, audience: str, fmt: str) -> Callable[[], bytes]:
    """`make`, followed by the audit entry for this export (refused if the user may not export it)."""

    def made_and_recorded() -> bytes:
        data = make()  # first: a file that fails to render was never handed out, so it is not recorded
        with closing(export.connect()) as conn:
            audit.record_export(
                db=conn, doc_id=export.doc_id, version=export.version, audience=audience, fmt=fmt
            )
        return data

    return made_and_recorded
