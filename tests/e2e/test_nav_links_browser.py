"""The sidebar's step links carry the open post-mortem, so a step opened in a new tab shows it."""

from __future__ import annotations

import re

from e2e_helpers import idle
from playwright.sync_api import Browser, Page, expect

import storage
from postmortem.models import new_postmortem


def test_a_step_link_opened_in_a_new_tab_opens_the_same_post_mortem(app_server, browser: Browser, page: Page):
    db = storage.connect(app_server.db_path, actor=storage.LOCAL)
    storage.create(db=db, doc=new_postmortem("INC-NAV-1", "Queue backlog"))
    doc_id = storage.create(db=db, doc=new_postmortem("INC-NAV-2", "Checkout errors")).id
    page.goto(f"{app_server.url}/summary?doc={doc_id}")
    expect(page.get_by_role("heading", name="Summary", exact=True)).to_be_visible()
    idle(page)
    link = page.get_by_role("link", name="4. Timeline", exact=True)
    expect(link).to_have_attribute("href", re.compile(rf"/timeline\?doc={doc_id}$"))
    # A new tab is a new session: only the address says which post-mortem.
    other = browser.new_context().new_page()
    other.goto(link.get_attribute("href"))
    expect(other.get_by_role("heading", name="Timeline", exact=True)).to_be_visible()
    expect(other.get_by_test_id("stSidebar")).to_contain_text("INC-NAV-2")
    expect(other.get_by_text("Open a post-mortem first")).to_have_count(0)
    other.context.close()
    # In the app, a click is still Streamlit's own page switch.
    link.click()
    expect(page.get_by_role("heading", name="Timeline", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/timeline\?doc={doc_id}$"))
