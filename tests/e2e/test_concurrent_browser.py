"""Two real browser sessions on one post-mortem: each sees the other, and a stale save is kept, not lost.

Browser A saves the summary; browser B, still on the version it loaded, then changes the same field.
Storage refuses B's write (ConflictError), B's page shows the conflict with B's text kept, and B
applies it on top of A's version. A's text stays in the revisions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.conftest import AppServer
from e2e_helpers import fill_and_blur, shot, stored, wait_db, wait_saved
from playwright.sync_api import Browser, Page, expect

import storage
from postmortem.models import new_postmortem

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)
VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture
def server(tmp_path: Path, monkeypatch) -> Iterator[AppServer]:
    """The app with a 2 s heartbeat, so presence shows up within the test's waits."""
    monkeypatch.setenv("DEBRIEF_PRESENCE_SECONDS", "2")
    app = AppServer(tmp_path / "two.db")
    app.start()
    try:
        yield app
    finally:
        app.stop()


def summary_box(page: Page):
    return page.get_by_role("textbox", name="Summary", exact=True)


def test_two_browsers_see_each_other_and_a_stale_save_is_applied_on_top(server, browser: Browser, page: Page):
    db = storage.connect(server.db_path)
    doc_id = storage.create(db=db, doc=new_postmortem("INC-E2E-TWO", "Two browsers")).id
    url = f"{server.url}/summary?doc={doc_id}"
    theirs, mine = "A's summary, saved first.", "B's summary, typed on the version B loaded."

    page.goto(url)  # browser A
    expect(summary_box(page)).to_have_value("")
    context_b = browser.new_context(viewport=VIEWPORT)
    try:
        b = context_b.new_page()
        b.goto(url)  # browser B: its own session, on version 1 too
        expect(summary_box(b)).to_have_value("")

        # Without sign-in both sessions are the local user, so each names the other as a second window.
        for each in (page, b):
            expect(each.get_by_text("Also open by: you, in another window (editing Summary)")).to_be_visible()
        shot(b, "concurrent-01-presence")

        fill_and_blur(page, summary_box(page), theirs)
        wait_saved(page, "Summary")
        wait_db(server.db_path, doc_id, lambda d: d.summary == theirs, "A's summary")

        fill_and_blur(b, summary_box(b), mine)
        banner = b.get_by_text("Not saved: this post-mortem changed while you were editing", exact=False)
        expect(banner).to_be_visible()
        expect(b.get_by_test_id("stCode")).to_contain_text(mine)
        expect(summary_box(b)).to_have_value(mine)
        assert stored(server.db_path, doc_id).doc.summary == theirs  # refused: nothing of B's written
        shot(b, "concurrent-02-conflict")

        b.get_by_role("button", name="Apply my change on top of theirs").click()
        wait_saved(b, "Summary")
        wait_db(server.db_path, doc_id, lambda d: d.summary == mine, "B's summary applied on top")
        expect(banner).to_be_hidden()
        shot(b, "concurrent-03-applied")
    finally:
        context_b.close()

    summaries = [storage.get_revision(db=db, doc_id=doc_id, version=r.version).summary
                 for r in storage.revisions(db=db, doc_id=doc_id)]
    assert summaries == [mine, theirs, ""]  # newest first: B on top of A, A's change kept
