"""The Admin page lists notices not delivered yet, with their error and next attempt."""

from __future__ import annotations

from datetime import UTC, datetime

import storage
from storage import notices as sent_table
from tests.apptest_helpers import app_for


def test_the_admin_page_lists_undelivered_notices(db_path, monkeypatch):
    monkeypatch.delenv("DEBRIEF_AUTH", raising=False)
    db = storage.connect(db_path, actor=storage.LOCAL)
    sent_table.record_failure(
        db=db,
        notice_key="review:1:created",
        channel="slack",
        target="Platform lead",
        kind="review requested",
        subject="Review requested: INC-9 Queue stalled",
        error="HTTPError: HTTP Error 500",
        at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
    )
    db.close()
    at = app_for(db_path, monkeypatch)
    at.switch_page("pages/30_admin.py").run()
    assert not at.exception
    frame = at.dataframe[-1].value
    assert list(frame["Notice"]) == ["Review requested: INC-9 Queue stalled"]
    assert list(frame["Last error"]) == ["HTTPError: HTTP Error 500"]
    assert list(frame["Next attempt (UTC)"]) == ["2026-12-02T09:01:00+00:00"]


def test_a_non_admin_cannot_run_notify(db_path, monkeypatch, capsys):
    from cli_helpers import main

    from storage import users

    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    monkeypatch.setenv("DEBRIEF_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    db = storage.connect(db_path, actor=storage.LOCAL)
    users.sign_in(db=db, identity="admin@example.com")
    users.sign_in(db=db, identity="vic@example.com")
    db.close()
    assert main(["--db", str(db_path), "--as", "vic@example.com", "notify"]) == 2
    assert "vic@example.com (viewer) may not" in capsys.readouterr().err
