"""Narrative Markdown in Chromium: typed into the Summary, previewed formatted, kept across a reload and a
server restart, and shown formatted on the Review step; the author's HTML never becomes live HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_helpers import fill_and_blur, idle, shot
from playwright.sync_api import Page, expect

import storage
from postmortem.mdimport import import_markdown

pytestmark = pytest.mark.e2e

REAL = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "markdown"
    / "export_samples"
    / "rust-crates-io-postmortem.md"
)
TYPED = "Rollback took **one minute**.\n\n<img src=x onerror=\"document.title='pwned'\">\n\n- staging\n- production"


def _real_doc_id(db_path: Path) -> int:
    doc = import_markdown(REAL.read_text(encoding="utf-8"), name=REAL.name).doc
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id


def _after_summary(page: Page, testid: str):
    """The first element of kind `testid` drawn after the Summary text area (the step has other narrative
    fields, each with its own hint and Preview toggle, so page-wide text would match several)."""
    box = page.get_by_role("textbox", name="Summary", exact=True)
    return box.locator(
        "xpath=ancestor::*[@data-testid='stElementContainer'][1]/following-sibling::*"
        f"[descendant-or-self::*[@data-testid='{testid}']][1]"
    )


def _under_summary(page: Page):
    """The Preview toggle under the Summary text area."""
    return _after_summary(page, "stCheckbox")


def _preview(page: Page):
    row = _under_summary(page)
    row.get_by_text("Preview", exact=True).click()
    idle(page)
    # The preview is drawn in its own bordered container right after that row.
    return row.locator("xpath=following-sibling::*[.//*[contains(@class, 'debrief-md')]][1]").locator(
        ".debrief-md"
    )


def test_markdown_typed_in_a_field_previews_formatted_and_survives_reload_and_restart(app_server, page: Page):
    doc_id = _real_doc_id(app_server.db_path)
    page.goto(f"{app_server.url}/summary?doc={doc_id}")
    box = page.get_by_role("textbox", name="Summary", exact=True)
    expect(box).to_be_visible(timeout=60_000)
    expect(page.locator(".debrief-autosave").first).to_contain_text("Markdown works here")
    fill_and_blur(page, box, TYPED)
    idle(page)
    preview = _preview(page)
    expect(preview.locator("strong")).to_have_text("one minute")
    expect(preview.locator("li")).to_have_count(2)
    assert page.locator("img[onerror]").count() == 0 and page.title() != "pwned"
    shot(page, "markdown-summary-preview")
    app_server.restart()
    page.goto(f"{app_server.url}/summary?doc={doc_id}")
    expect(page.get_by_role("textbox", name="Summary", exact=True)).to_have_value(TYPED, timeout=60_000)
    expect(_preview(page).locator("strong")).to_have_text("one minute")


def test_the_review_step_reads_a_real_imported_document_formatted(app_server, page: Page):
    doc_id = _real_doc_id(app_server.db_path)
    page.goto(f"{app_server.url}/review?doc={doc_id}")
    page.get_by_text("Read the whole document", exact=False).first.click(timeout=60_000)
    document = page.locator(".debrief-md").first
    expect(document.locator("pre code").first).to_contain_text("spurious network error")
    expect(
        document.locator("a[href='https://github.com/rust-lang/crates.io/issues/6850']").first
    ).to_be_visible()
    text = document.inner_text()
    assert "**" not in text and "](" not in text and "<img" not in text
    document.scroll_into_view_if_needed()
    shot(page, "markdown-review-real-document")
