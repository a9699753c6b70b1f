"""Import from chat in Chromium: upload a Slack export on the Timeline step, map people to roles,
import, and find the events in the timeline, also after a reload."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from e2e_helpers import fill_and_blur, grid, grid_text, idle, run_and_wait, shot, wait_db
from playwright.sync_api import Page, expect

import storage
from postmortem.demo import demo_documents
from postmortem.models import EventSource

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from chat_samples import write_slack_export  # after the path line: tests/ is not a package

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1100}}


def chat_upload(page: Page):
    """The chat export's file input (the step also has the evidence uploader)."""
    return page.get_by_role("region", name=re.compile("Slack export")).locator("input[type=file]")


def test_upload_map_import_and_reload(app_server, page: Page, tmp_path):
    doc = demo_documents()[1]  # in review, so editable
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    before = len(doc.timeline)
    page.goto(f"{app_server.url}/timeline?doc={doc_id}")
    idle(page)
    page.get_by_text("Import from chat").click()
    run_and_wait(
        page,
        lambda: chat_upload(page).set_input_files(str(write_slack_export(tmp_path / "slack-export.zip"))),
        start_within=10,
    )
    expect(page.get_by_text("Read 6 messages")).to_be_visible()
    fill_and_blur(page, page.get_by_label("Role of Priya"), "Incident commander")
    idle(page)
    fill_and_blur(page, page.get_by_label("Role of Tom Becker"), "Payments on-call")
    idle(page)
    preview = grid_text(grid(page, 0))
    expect(preview).to_contain_text("@Payments on-call can you look at payments-api?")
    expect(page.get_by_text("3 ticked:")).to_be_visible()
    page.get_by_text("Import from chat").scroll_into_view_if_needed()
    shot(page, "chat-import-preview")

    run_and_wait(page, lambda: page.get_by_role("button", name="Import 3 events").click(), start_within=10)
    expect(page.get_by_text("Added 3 events to the timeline.")).to_be_visible()
    saved = wait_db(app_server.db_path, doc_id, lambda d: len(d.timeline) == before + 3, "3 imported events")
    chat_events = [e for e in saved.timeline if e.origin_key]
    assert {e.source for e in chat_events} == {EventSource.CHAT}
    assert [e.actor_role for e in chat_events] == ["Incident commander", "Payments on-call", "Responder 3"]
    assert all("Priya" not in e.text and "Tom" not in e.text for e in chat_events)
    expect(page.get_by_text("0 will be added, 3 already in the timeline")).to_be_visible()
    shot(page, "chat-import-done")

    page.reload()
    idle(page)
    grid(page, 0).scroll_into_view_if_needed()  # the chat preview is gone: the upload is not kept
    timeline = grid_text(grid(page, 0))
    expect(timeline).to_contain_text("pool at 10/10 since the deploy & retries climbing")
    expect(timeline).to_contain_text("Payments on-call")
    assert (
        len(
            storage.get(
                db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc_id=doc_id
            ).doc.timeline
        )
        == before + 3
    )
