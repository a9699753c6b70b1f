"""Two real browser sessions on one post-mortem: each sees the other, and both people's edits survive.

Browser A saves the summary; browser B, still on the version it loaded, then changes the same field.
Where they changed different sentences the two edits merge on their own; where they wrote over the
same words, B sees both texts and chooses per part. Presence forgets a tab that reloads or closes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_helpers import fill_and_blur, shot, stored, wait_db, wait_saved
from playwright.sync_api import Browser, Page, expect

import storage
from postmortem.edit import with_value
from postmortem.models import new_postmortem
from tests.e2e.conftest import AppServer

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)
VIEWPORT = {"width": 1400, "height": 1000}


def _server(tmp_path: Path, monkeypatch, heartbeat: str) -> Iterator[AppServer]:
    monkeypatch.setenv("DEBRIEF_PRESENCE_SECONDS", heartbeat)
    app = AppServer(tmp_path / "two.db")
    app.start()
    try:
        yield app
    finally:
        app.stop()


@pytest.fixture
def server(tmp_path: Path, monkeypatch) -> Iterator[AppServer]:
    """The app with a 2 s heartbeat, so presence shows up within the test's waits."""
    yield from _server(tmp_path, monkeypatch, "2")


@pytest.fixture
def slow_server(tmp_path: Path, monkeypatch) -> Iterator[AppServer]:
    """A 6 s heartbeat: a silent session counts as present for 8 s, long enough to tell a reload that
    leaves its old self behind from one that does not, even on a busy machine."""
    yield from _server(tmp_path, monkeypatch, "6")


def summary_box(page: Page):
    return page.get_by_role("textbox", name="Summary", exact=True)


def test_two_browsers_see_each_other_and_a_stale_save_is_applied_on_top(server, browser: Browser, page: Page):
    db = storage.connect(server.db_path, actor=storage.LOCAL)
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
        expect(b.get_by_text("Your text")).to_be_visible()
        expect(b.get_by_text(mine, exact=False).first).to_be_visible()
        expect(b.get_by_text(theirs, exact=False).first).to_be_visible()  # theirs beside mine
        expect(summary_box(b)).to_have_value(mine)
        assert stored(server.db_path, doc_id).doc.summary == theirs  # refused: nothing of B's written
        shot(b, "concurrent-02-conflict")

        b.get_by_text("Keep both (mine first)", exact=True).click()
        b.get_by_role("button", name="Save with these choices").click()
        wait_db(server.db_path, doc_id, lambda d: mine in d.summary and theirs in d.summary, "both summaries")
        expect(banner).to_be_hidden()
        shot(b, "concurrent-03-applied")
    finally:
        context_b.close()

    summaries = [
        storage.get_revision(db=db, doc_id=doc_id, version=r.version).summary
        for r in storage.revisions(db=db, doc_id=doc_id)
    ]
    assert summaries == [f"{mine} {theirs}", theirs, ""]  # newest first: both kept, A's version in history


def test_two_tabs_editing_different_sentences_of_the_summary_end_with_both(
    server, browser: Browser, page: Page
):
    base = "Checkout failed for 22 minutes. The cache expired. We rolled back."
    db = storage.connect(server.db_path, actor=storage.LOCAL)
    doc = with_value(new_postmortem("INC-E2E-MERGE", "Two editors"), "summary", base)
    doc_id = storage.create(db=db, doc=doc).id
    url = f"{server.url}/summary?doc={doc_id}"
    page.goto(url)
    context_b = browser.new_context(viewport=VIEWPORT)
    try:
        b = context_b.new_page()
        b.goto(url)
        expect(summary_box(b)).to_have_value(base)
        fill_and_blur(page, summary_box(page), base.replace("22 minutes", "24 minutes"))
        wait_db(server.db_path, doc_id, lambda d: "24 minutes" in d.summary, "A's edit")
        fill_and_blur(b, summary_box(b), base + " Alerts now page on-call.")
        both = "Checkout failed for 24 minutes. The cache expired. We rolled back. Alerts now page on-call."
        wait_db(server.db_path, doc_id, lambda d: d.summary == both, "both edits merged")
        expect(summary_box(b)).to_have_value(both)
        expect(b.get_by_text("changed while you were editing", exact=False)).to_be_hidden()
        shot(b, "concurrent-04-merged")
    finally:
        context_b.close()


def test_presence_forgets_a_tab_that_reloads_or_closes(slow_server, browser: Browser, page: Page):
    server = slow_server
    doc_id = storage.create(
        db=storage.connect(server.db_path, actor=storage.LOCAL), doc=new_postmortem("INC-E2E-GONE", "Alone")
    ).id
    url = f"{server.url}/summary?doc={doc_id}"
    line = "Also open by:"
    page.goto(url)
    expect(summary_box(page)).to_be_visible()
    page.wait_for_timeout(1_000)
    page.reload()  # the tab keeps its name across the reload: no second self left behind
    expect(summary_box(page)).to_be_visible()
    # Its old session beat just now and would count as present for 8 s; the name arrives well before.
    expect(page.get_by_text(line, exact=False)).to_be_hidden(timeout=4_000)
    page.wait_for_timeout(2_000)  # and it stays alone
    expect(page.get_by_text(line, exact=False)).to_be_hidden(timeout=1_000)
    context_b = browser.new_context(viewport=VIEWPORT)
    b = context_b.new_page()
    b.goto(url)
    expect(page.get_by_text(line, exact=False)).to_be_visible(timeout=20_000)
    context_b.close()
    # gone after one heartbeat (6 s) plus 2 s of slack, seen at A's next heartbeat
    expect(page.get_by_text(line, exact=False)).to_be_hidden(timeout=20_000)
