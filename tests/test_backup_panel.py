"""The admin page's backup download: a button that builds the backup only when clicked."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

import storage


def _panel_app(db_path: str) -> None:
    import storage
    from components import backup_panel

    backup_panel.show(storage.connect(db_path, actor=storage.LOCAL))


def test_the_panel_offers_a_database_download(db_path, doc):
    storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc)
    at = AppTest.from_function(_panel_app, args=(str(db_path),), default_timeout=30).run()
    assert not at.exception
    [button] = [e for e in at.get("download_button")]
    assert button.proto.label == "Download a backup"
    assert "restore-backup" in at.caption[0].value
