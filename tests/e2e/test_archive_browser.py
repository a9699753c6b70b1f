"""The archive in Chromium: search the demo data for a word found only in one document's timeline,
see that one result with the word highlighted, open it, and land in the wizard on that document."""

from __future__ import annotations

import re

import pytest
from e2e_helpers import idle, shot
from playwright.sync_api import Page, expect

import storage
from cli.main import main

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
WORD = "overloading"  # in a decision point of the Sev1 demo's timeline, and nowhere else in the demo data


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


def test_search_a_timeline_word_and_open_the_document(app_server, page: Page):
    assert main(["demo", "--db", str(app_server.db_path)]) == 0
    target = storage.find(db=storage.connect(app_server.db_path, actor=storage.LOCAL), key="INC-2026-0101")

    page.goto(f"{app_server.url}/archive")
    expect(page.get_by_role("heading", name="Archive")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("1–3 of 3 post-mortems")).to_be_visible()
    box = page.get_by_role("textbox", name="Search every section")
    box.fill(WORD)
    box.press("Enter")
    expect(page.get_by_text("1–1 of 1 post-mortem")).to_be_visible()
    idle(page)
    result = page.get_by_role("link", name=re.compile("INC-2026-0101"))
    expect(result).to_have_count(1)
    expect(page.get_by_text("Timeline:", exact=False).first).to_be_visible()
    expect(page.locator("strong", has_text=re.compile(f"^{WORD}$"))).to_have_count(1)  # the highlighted match
    shot(page, "archive-search")

    result.click()
    expect(page.get_by_role("heading", name="Header", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/header\?doc={target.id}$"))
    expect(page.get_by_label("Title", exact=True)).to_have_value(target.doc.header.title)
    shot(page, "archive-opened-in-wizard")
