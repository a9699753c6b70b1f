"""Contradictory times in the real app: the Timeline step explains the conflict at the time that causes
it, its button puts it right, and the fix survives a reload and a server restart (issue 12, item 1)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

import storage
from tests.e2e.e2e_helpers import idle, run_and_wait, shot, wait_db
from tests.test_contradictory_times_app import _utc, contradictory


def test_a_time_conflict_is_explained_and_fixed_without_a_traceback(app_server, page: Page):
    doc_id = storage.create(
        db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=contradictory()
    ).id
    page.set_viewport_size({"width": 1280, "height": 2200})
    page.goto(f"{app_server.url}/timeline?doc={doc_id}")
    idle(page)
    expect(
        page.get_by_text("Closed 15 Nov 06:20 is before Fully resolved 15 Nov 06:30 UTC.", exact=False)
    ).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("heading", name="Interviews")).to_be_visible()  # the page did not stop halfway
    page.get_by_text("Closed 15 Nov 06:20 is before", exact=False).scroll_into_view_if_needed()
    idle(page)
    shot(page, "timeline-conflict")
    run_and_wait(page, lambda: page.get_by_role("button", name="Set Closed to 15 Nov 06:30 UTC").click())
    wait_db(
        app_server.db_path,
        doc_id,
        lambda d: d.header.times.closed_at == _utc("2025-11-15 06:30"),
        "the closed time moved to the resolution",
    )
    app_server.restart()
    page.goto(f"{app_server.url}/timeline?doc={doc_id}")
    idle(page)
    expect(page.get_by_text("Closed 15 Nov 06:20 is before", exact=False)).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
