"""Issue 15 in Chromium: the Review step tells blocking findings from suggestions, and a suggestion
alone leaves the language gate passed."""

from __future__ import annotations

import pytest
from e2e_helpers import idle, shot
from playwright.sync_api import Page, expect

import storage
from postmortem.models import new_postmortem

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1400}}


def test_review_shows_which_findings_block_final(app_server, page: Page):
    summary = (
        "The root cause was human error. Obviously the pool was too small. "
        "The config loader forgot the override, and `lazy` loading stayed on."
    )
    doc = new_postmortem("INC-2026-0150", "Pool exhaustion").model_copy(update={"summary": summary})
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    page.goto(f"{app_server.url}/review?doc={doc_id}")
    idle(page)
    expect(page.get_by_text("1 blocking Final, 1 suggestion:", exact=False)).to_be_visible()
    expect(page.get_by_text("Blocks Final", exact=True)).to_be_visible()
    expect(page.get_by_text("Suggestion", exact=True)).to_be_visible()
    expect(page.get_by_text("“forgot", exact=False)).to_have_count(0)  # a program forgot: no finding
    page.get_by_text("Blocks Final", exact=True).scroll_into_view_if_needed()
    shot(page, "language-review-severity")
    app_server.restart()  # the findings come from the stored text: the same after a restart
    page.goto(f"{app_server.url}/review?doc={doc_id}")
    idle(page)
    expect(page.get_by_text("Blocks Final", exact=True)).to_be_visible()
