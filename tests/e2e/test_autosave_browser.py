"""Nothing typed is lost: the Summary saves about a second after the last key, says so, and a reload in
the middle of typing brings the text back (from this tab's draft, merged into the saved text)."""

from __future__ import annotations

import pytest
from e2e_helpers import idle, shot, stored, wait_db
from playwright.sync_api import Page, expect

import storage
from postmortem.edit import with_value
from postmortem.models import new_postmortem
from tests.e2e.conftest import AppServer

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)


def summary(page: Page):
    return page.get_by_role("textbox", name="Summary", exact=True)


def status(page: Page):
    return page.locator(".debrief-autosave").first  # the Summary's: the step's first text area


def open_summary(page: Page, app_server: AppServer) -> int:
    doc_id = storage.create(
        db=storage.connect(app_server.db_path, actor=storage.LOCAL),
        doc=new_postmortem("INC-E2E-KEY", "Typing"),
    ).id
    page.goto(f"{app_server.url}/summary?doc={doc_id}")
    expect(summary(page)).to_have_value("")
    return doc_id


def test_typing_saves_after_a_pause_and_survives_a_reload(app_server: AppServer, page: Page):
    doc_id = open_summary(page, app_server)
    expect(status(page)).to_contain_text("a draft in this tab survives a reload")
    expect(status(page)).not_to_contain_text("Saved")  # nothing typed yet: no claim either way
    summary(page).click()
    summary(page).press_sequentially("Checkout failed for 22 minutes · Zürich 🙂", delay=20)
    expect(status(page)).to_have_attribute("data-state", "unsaved")  # marked until the save lands
    expect(status(page)).to_contain_text("Unsaved changes")
    shot(page, "autosave-01-unsaved")
    wait_db(
        app_server.db_path,
        doc_id,
        lambda d: d.summary == "Checkout failed for 22 minutes · Zürich 🙂",
        "the typed text",
    )
    expect(status(page)).to_have_attribute("data-state", "saved")
    expect(status(page)).to_contain_text("Saved ·")
    expect(summary(page)).to_be_focused()  # the save did not take the cursor away
    page.wait_for_timeout(500)
    page.reload()
    expect(summary(page)).to_have_value("Checkout failed for 22 minutes · Zürich 🙂")
    expect(status(page)).not_to_contain_text("Saved")  # a new page: nothing typed in it yet


def test_a_reload_right_after_typing_keeps_the_text(app_server: AppServer, page: Page):
    doc_id = open_summary(page, app_server)
    summary(page).click()
    summary(page).press_sequentially("Typed and reloaded at once.", delay=5)
    page.reload()  # before the one-second pause is over: the draft in this tab brings it back
    expect(summary(page)).to_have_value("Typed and reloaded at once.")
    wait_db(
        app_server.db_path, doc_id, lambda d: d.summary == "Typed and reloaded at once.", "the restored draft"
    )
    idle(page)
    expect(status(page)).to_have_attribute("data-state", "saved")
    shot(page, "autosave-02-restored")
    assert stored(app_server.db_path, doc_id).doc.summary == "Typed and reloaded at once."


def test_the_first_page_after_a_server_start_shows_the_saved_text(app_server: AppServer, page: Page):
    # The tab names itself with a rerun; started above the fields, that rerun emptied them on this first page.
    doc = with_value(
        new_postmortem("INC-E2E-FIRST", "First page"), "summary", "Saved before the server started."
    )
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    page.goto(f"{app_server.url}/summary?doc={doc_id}")
    expect(summary(page)).to_have_value("Saved before the server started.")
    page.wait_for_timeout(3_000)  # after the tab's first report and a heartbeat
    expect(summary(page)).to_have_value("Saved before the server started.")
