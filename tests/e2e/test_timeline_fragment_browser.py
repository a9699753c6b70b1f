"""The timeline grid reruns alone after a save (a fragment), yet the rest of the step never shows a stale
timeline: rows saved one after another all land, and a new anchor shows in Anchors and durations at once."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Page, expect

import storage
from postmortem.models import TimelineEvent, new_postmortem
from tests.e2e.e2e_helpers import (
    _EDITING,
    ROW,
    Cell,
    add_row,
    grid,
    grid_text,
    idle,
    run_and_wait,
    shot,
    wait_db,
)


def _doc_with_two_rows() -> object:
    doc = new_postmortem("INC-FRAG-1", "Grid fragment check")
    return doc.model_copy(
        update={
            "timeline": [
                TimelineEvent(at=datetime(2026, 3, 4, 10, 0, tzinfo=UTC), text="Fragment first row"),
                TimelineEvent(at=datetime(2026, 3, 4, 10, 5, tzinfo=UTC), text="Fragment second row"),
            ]
        }
    )


def _open(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(url)
    idle(page)


def test_rows_saved_one_after_another_all_land_and_survive_a_reload(app_server, page: Page):
    doc_id = storage.create(
        db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=_doc_with_two_rows()
    ).id
    _open(page, f"{app_server.url}/timeline?doc={doc_id}")
    for n, minute in ((3, "10:07"), (4, "10:09")):  # the second save starts from the grid's own rerun
        add_row(page, grid(page), [Cell(0, f"2026-03-04T{minute}", "datetime"), Cell(1, f"Fragment row {n}")])
        wait_db(
            app_server.db_path,
            doc_id,
            lambda d, n=n: f"Fragment row {n}" in [e.text for e in d.timeline],
            f"row {n}",
        )
    expect(grid_text(grid(page))).to_contain_text("Fragment row 4")
    page.reload()
    idle(page)
    for text in ("Fragment first row", "Fragment second row", "Fragment row 3", "Fragment row 4"):
        expect(grid_text(grid(page))).to_contain_text(text)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_new_anchor_shows_in_durations_without_a_reload(app_server, page: Page):
    doc_id = storage.create(
        db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=_doc_with_two_rows()
    ).id
    _open(page, f"{app_server.url}/timeline?doc={doc_id}")
    trigger_time = page.get_by_role("cell", name="04 Mar 10:00", exact=True)  # the anchors table
    expect(trigger_time).to_have_count(0)
    editor = grid(page)
    editor.scroll_into_view_if_needed()
    expect(grid_text(editor)).to_contain_text("Fragment first row")  # drawn before it is clicked
    box = editor.get_by_test_id("stDataFrameResizable").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 60, box["y"] + ROW * 1.5)  # the first row's time cell
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # its Anchor cell
    page.keyboard.press("Enter")
    page.wait_for_function(_EDITING)
    page.keyboard.type("trigger")
    run_and_wait(page, lambda: page.keyboard.press("Tab"), start_within=10)
    wait_db(
        app_server.db_path,
        doc_id,
        lambda d: d.timeline[0].anchor == "trigger" and d.timeline[0].text == "Fragment first row",
        "the anchor",
    )
    # Drawn outside the grid, under Anchors and durations: only a run of the whole step shows it.
    expect(trigger_time).to_be_visible()
    shot(page, "timeline-fragment-anchor")
    expect(page.get_by_test_id("stException")).to_have_count(0)
