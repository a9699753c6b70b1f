"""The admin page's backup download: a button that builds the backup only when clicked."""

from __future__ import annotations

import sqlite3
import threading

from streamlit.testing.v1 import AppTest

import storage
from components import backup_panel
from components.audited_download import Acting


def _panel_app() -> None:
    from components import backup_panel

    backup_panel.show()


def test_the_panel_offers_a_database_download(db_path, doc, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc)
    at = AppTest.from_function(_panel_app, default_timeout=30).run()
    assert not at.exception
    [button] = [e for e in at.get("download_button")]
    assert button.proto.label == "Download a backup" and button.proto.ignore_rerun
    assert "restore-backup" in at.caption[0].value


def test_the_backup_is_made_on_a_worker_thread_with_a_connection_of_its_own(db_path, doc, tmp_path):
    # Streamlit runs a download's callable on another thread than the script that drew the button;
    # a connection opened by the script thread cannot be used there.
    storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc)
    got: list[bytes] = []
    worker = threading.Thread(
        target=lambda: got.append(backup_panel._backup_bytes(Acting(db_path, storage.LOCAL)))
    )
    worker.start()
    worker.join()
    copy = tmp_path / "copy.db"
    copy.write_bytes(got[0])
    with sqlite3.connect(copy) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (1,)
