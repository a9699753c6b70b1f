"""The Admin page's backup download in Chromium: the file is made when the button is pressed (on
Streamlit's worker thread, with a connection of its own) and is a whole, readable database."""

from __future__ import annotations

import sqlite3

import pytest
from e2e_helpers import idle, shot
from playwright.sync_api import Page, expect

import storage
from postmortem.demo import demo_documents

pytestmark = pytest.mark.e2e


def test_an_admin_downloads_a_backup_with_every_post_mortem(app_server, page: Page, tmp_path):
    db = storage.connect(app_server.db_path, actor=storage.LOCAL)
    for doc in demo_documents():
        storage.create(db=db, doc=doc)
    page.goto(f"{app_server.url}/admin")
    tab = page.get_by_role("tab", name="Backups")
    expect(tab).to_be_visible(timeout=60_000)
    tab.click()
    button = page.get_by_role("button", name="Download a backup")
    expect(button).to_be_visible(timeout=60_000)
    idle(page)
    shot(page, "admin-backup")
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename.startswith("debrief-")
    copy = tmp_path / "copy.db"
    download.value.save_as(copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (len(demo_documents()),)
