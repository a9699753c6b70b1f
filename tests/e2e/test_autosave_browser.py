"""Nothing typed is lost: the Summary saves about a second after the last key, says so, and a reload in
the middle of typing brings the text back (from this tab's draft, merged into the saved text)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_helpers import idle, shot, stored, wait_db
from playwright.sync_api import Page, expect
from tests.e2e.conftest import AppServer

import storage
from postmortem.models import new_postmortem

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AppServer]:
    app = AppServer(tmp_path / "autosave.db")
    app.start()
    try:
        yield app
    finally:
        app.stop()


def summary(page: Page):
    return page.get_by_role("textbox", name="Summary", exact=True)


def status(page: Page):
    return page.locator(".debrief-autosave")


def open_summary(page: Page, server: AppServer) -> int:
    doc_id = storage.create(db=storage.connect(server.db_path), doc=new_postmortem("INC-E2E-KEY", "Typing")).id
    page.goto(f"{server.url}/summary?doc={doc_id}")
    expect(summary(page)).to_have_value("")
    return doc_id


def test_typing_saves_after_a_pause_and_survives_a_reload(server, page: Page):
    doc_id = open_summary(page, server)
    expect(status(page)).to_contain_text("a draft in this tab survives a reload")
    summary(page).click()
    summary(page).press_sequentially("Checkout failed for 22 minutes.", delay=20)
    expect(status(page)).to_have_attribute("data-state", "unsaved")  # marked until the save lands
    shot(page, "autosave-01-unsaved")
    wait_db(server.db_path, doc_id, lambda d: d.summary == "Checkout failed for 22 minutes.", "the typed text")
    expect(status(page)).to_have_attribute("data-state", "saved")
    expect(summary(page)).to_be_focused()  # the save did not take the cursor away
    page.wait_for_timeout(500)
    page.reload()
    expect(summary(page)).to_have_value("Checkout failed for 22 minutes.")


def test_a_reload_right_after_typing_keeps_the_text(server, page: Page):
    doc_id = open_summary(page, server)
    summary(page).click()
    summary(page).press_sequentially("Typed and reloaded at once.", delay=5)
    page.reload()  # before the one-second pause is over: the draft in this tab brings it back
    expect(summary(page)).to_have_value("Typed and reloaded at once.")
    wait_db(server.db_path, doc_id, lambda d: d.summary == "Typed and reloaded at once.", "the restored draft")
    idle(page)
    expect(status(page)).to_have_attribute("data-state", "saved")
    shot(page, "autosave-02-restored")
    assert stored(server.db_path, doc_id).doc.summary == "Typed and reloaded at once."
