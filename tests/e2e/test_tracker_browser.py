"""The Action items page in Chromium: filter overdue items, change one's status in the table, reload."""

from __future__ import annotations

import csv
import io

import pytest
from e2e_helpers import ROW, grid, grid_text, idle, run_and_wait, shot
from playwright.sync_api import Page, expect

import storage
from postmortem.demo import demo_documents
from postmortem.models import ActionStatus

pytestmark = pytest.mark.e2e
STATUS_COLUMN = 7  # post-mortem, action, owner, due, due in, priority, category, status…


def _status_of(db_path, title: str) -> ActionStatus:
    db = storage.connect(db_path, actor=storage.LOCAL)
    for doc_id in (1, 2, 3):
        for item in storage.get(db=db, doc_id=doc_id).doc.action_items:
            if item.title == title:
                return item.status
    raise AssertionError(title)


def test_filter_overdue_change_a_status_and_reload(app_server, page: Page):
    db = storage.connect(app_server.db_path, actor=storage.LOCAL)
    for doc in demo_documents():
        storage.create(db=db, doc=doc)
    page.set_viewport_size({"width": 1500, "height": 1100})
    page.goto(f"{app_server.url}/tracker")
    expect(page.get_by_role("heading", name="Action items")).to_be_visible(timeout=60_000)
    idle(page)
    run_and_wait(page, lambda: page.get_by_role("button", name="Overdue", exact=True).click())
    table = grid_text(grid(page))
    expect(table).to_have_attribute("aria-rowcount", str(15 + 1))  # header row + 15 overdue items
    shot(page, "tracker-overdue")

    first_title = "Limit each database user's share of the orders pooler"  # earliest due of the overdue ones
    expect(table.locator("tr").nth(1)).to_contain_text(first_title)
    editor = grid(page)
    box = editor.get_by_test_id("stDataFrameResizable").bounding_box()
    option = page.get_by_role("option", name="done", exact=True)
    for attempt in range(2):  # a click that lands while the grid is still redrawing selects no cell
        page.mouse.click(box["x"] + 200, box["y"] + ROW + ROW / 2)  # the first row's Action cell
        for _ in range(STATUS_COLUMN - 1):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")  # open the status cell's list of statuses
        try:
            expect(option).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            if attempt:
                raise
            page.keyboard.press("Escape")
            idle(page)
    shot(page, "tracker-status-list")
    run_and_wait(page, option.click, start_within=10)
    expect(page.get_by_text("Saved ·").first).to_be_visible(timeout=10_000)
    assert _status_of(app_server.db_path, first_title) is ActionStatus.DONE
    expect(table).to_have_attribute("aria-rowcount", str(14 + 1))  # no longer overdue
    shot(page, "tracker-after-change")

    page.reload()
    expect(page.get_by_role("heading", name="Action items")).to_be_visible(timeout=60_000)
    idle(page)
    search = page.get_by_placeholder("Words in the action, ticket or owner")
    run_and_wait(page, lambda: (search.fill("share of the orders pooler"), search.press("Enter")))
    table = grid_text(grid(page))
    expect(table).to_have_attribute("aria-rowcount", "2")
    expect(table.locator("tr").nth(1)).to_contain_text("done")
    assert _status_of(app_server.db_path, first_title) is ActionStatus.DONE

    # The filtered item as CSV for Linear, built when the button is clicked.
    run_and_wait(page, lambda: page.get_by_text("Linear", exact=True).click())
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download the shown items as CSV for Linear").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"), newline="")))
    assert rows[0][:3] == ["Title", "Description", "Status"]
    assert [row[0] for row in rows[1:]] == [first_title] and rows[1][2] == "Done"
    assert download.value.suggested_filename.startswith("action-items-linear-")
