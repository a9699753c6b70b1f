"""The Review step's parts built only when opened, in Chromium: the every-change audit table, a
version's JSON, all findings behind the toggle, and the agenda built when its button is pressed."""

from __future__ import annotations

import pytest
from e2e_helpers import idle, shot
from playwright.sync_api import Page, expect

import storage
from postmortem.models import Note, new_postmortem

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1100}, "accept_downloads": True}


def test_review_opens_its_lazy_parts(app_server, page: Page):
    notes = [Note(text=f"The on-call engineer should have noticed alert {n}.") for n in range(14)]
    doc = new_postmortem("INC-2026-0077", "Long review").model_copy(update={"went_wrong": notes})
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    page.goto(f"{app_server.url}/review?doc={doc_id}")
    idle(page)
    toggle = page.get_by_text("Show all ", exact=False)
    expect(toggle).to_be_visible()
    toggle.click()
    idle(page)
    expect(page.get_by_text("went_wrong.13", exact=False).first).to_be_visible()
    page.get_by_text("Every change").click()
    idle(page)
    expect(page.get_by_text("1 change, oldest first.")).to_be_visible()
    page.get_by_text("Version 1 as JSON").click()
    idle(page)
    expect(page.get_by_text('"incident_id": "INC-2026-0077"')).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Agenda (Markdown)").click()
    agenda = download.value.path().read_text(encoding="utf-8")
    assert agenda.startswith("# Post-mortem review: Long review") and download.value.suggested_filename == (
        "INC-2026-0077-review-agenda.md"
    )
    shot(page, "review-lazy")
