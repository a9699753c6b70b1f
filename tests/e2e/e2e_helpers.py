"""Playwright helpers for driving Debrief's Streamlit widgets: autosave toasts, reruns and data editors.

Streamlit draws st.data_editor with glide-data-grid: the cells are painted on a canvas, so a test
clicks by position and types with the keyboard. Glide also keeps an invisible accessibility table
(`table[role=grid]`, one `td[role=gridcell]` per cell) with each cell's text; the tests read it to
check what the grid shows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import storage
from postmortem.models import PostMortem

SHOTS = Path("/tmp/e2e-shots")
ROW = 35  # glide-data-grid row height in Streamlit, px


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def idle(page: Page) -> None:
    """Wait for the script run that the last interaction started (if any) to finish."""
    page.wait_for_timeout(150)
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=15_000
    )


# Runs seen in the page's script state, and the server's messages counted by the browser bench's
# WATCH_SOCKET (installed in every test page by tests/e2e/conftest.py; -1 where it is not).
_COUNT_RUNS = """() => {
    if (window.__debriefRuns === undefined) {
        window.__debriefRuns = 0;
        const app = document.querySelector('[data-testid=stApp]');
        new MutationObserver(records => {
            for (const r of records) if (r.oldValue === 'running') window.__debriefRuns++;
        }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
    }
    return {runs: window.__debriefRuns, messages: window.__benchMessages ?? -1};
}"""

_RAN = "b => window.__debriefRuns > b.runs || (b.messages >= 0 && window.__benchMessages > b.messages)"

# No message for 150 ms and no run going: what a run and any run it chained left is drawn.
_QUIET = """() => performance.now() - (window.__benchLastMessage ?? 0) > 150
    && document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"""


def run_and_wait(page: Page, action: Callable[[], None], start_within: float = 3.0) -> None:
    """Do `action`, then wait until the script run it starts has finished.

    A run is seen by the page's script state turning "running" and back, or by a message from the
    server after the action (a run too short for React to draw "running" shows only that way).
    An action that starts no run costs `start_within` seconds, so use this only where one is due.
    """
    before = page.evaluate(_COUNT_RUNS)
    action()
    try:
        page.wait_for_function(_RAN, arg=before, timeout=start_within * 1000)
    except PlaywrightTimeoutError:
        pass
    idle(page)
    if before["messages"] >= 0:
        page.wait_for_function(_QUIET, timeout=15_000)


def wait_saved(page: Page, label: str) -> None:
    """The autosave toast for `label` ("Saved · Summary")."""
    expect(page.get_by_text(f"Saved · {label}", exact=True).first).to_be_visible(timeout=10_000)


def wait_db(
    db_path: Path, doc_id: int, check: Callable[[PostMortem], bool], what: str, timeout: float = 10.0
) -> PostMortem:
    """Poll the database until the stored document satisfies `check`."""
    deadline = time.monotonic() + timeout
    while True:
        doc = storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id).doc
        if check(doc):
            return doc
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the database never showed {what}; it holds:\n{doc.model_dump_json(indent=1)}"
            )
        time.sleep(0.1)


def stored(db_path: Path, doc_id: int) -> storage.Stored:
    return storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id)


def pick(page: Page, label: str, option: str) -> None:
    """A Streamlit selectbox: open it, click the option."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def fill_and_blur(page: Page, box: Locator, text: str) -> None:
    """Type into a text input / text area and leave it: Streamlit sends the value on blur."""
    box.fill(text)
    box.press("Tab")


@dataclass(frozen=True)
class Cell:
    column: int  # position among the visible columns, 0-based
    value: str
    kind: str = "text"  # text | select | datetime ("YYYY-MM-DDTHH:MM")


def grid(page: Page, n: int = 0) -> Locator:
    """The n-th data editor on the page."""
    return page.get_by_test_id("stDataFrame").nth(n)


def grid_text(editor: Locator) -> Locator:
    """Glide's accessibility table: its text is every visible cell's text."""
    return editor.locator("table[role=grid]")


_EDITING = "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)"


def add_row(page: Page, editor: Locator, cells: list[Cell]) -> None:
    """Append a row to a data editor and fill `cells` left to right, committing each with Tab.

    Streamlit sends a new row to the app only once every required cell has a value, so the commits
    before the last one stay in the browser (no rerun); the last one reruns the app, which saves.
    Each commit is confirmed in the grid's accessibility table before the next key is pressed:
    typing straight after a Tab can reach the grid before it has moved on, and be lost.
    """
    cells = sorted(cells, key=lambda c: c.column)
    assert cells[0].column == 0, "fill the first column: the new row opens with its editor there"
    editor.scroll_into_view_if_needed()
    box = editor.get_by_test_id("stDataFrameResizable").bounding_box()
    assert box is not None
    table = grid_text(editor)
    rows = int(table.get_attribute("aria-rowcount"))
    # The trailing "add row" row: a click adds a row there and opens an editor on its first cell.
    page.mouse.click(box["x"] + 60, box["y"] + box["height"] - ROW / 2 - 1)
    expect(table).to_have_attribute("aria-rowcount", str(rows + 1))
    column = 0
    for n, cell in enumerate(cells):
        if n > 0:
            # Keys reach the grid only once it has the focus back from the last overlay editor.
            expect(editor.locator(":focus")).to_have_count(1)
            for _ in range(cell.column - column):
                page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")  # open the selected cell's editor
        # The overlay editor (a text area, a select's search box, a datetime input) takes the focus;
        # keys sent before that are lost.
        page.wait_for_function(_EDITING)
        if cell.kind == "datetime":
            page.get_by_test_id("date-picker-cell").fill(cell.value)
        elif cell.kind == "select":
            page.keyboard.type(cell.value)  # filters the options; Tab picks the highlighted one
        else:
            page.locator(":focus").fill(cell.value)
        if n == len(cells) - 1:  # the row is complete: the app reruns and saves it
            run_and_wait(page, lambda: page.keyboard.press("Tab"), start_within=10)
        else:
            page.keyboard.press("Tab")
            expect(table).to_contain_text(
                cell.value.replace("T", " ") if cell.kind == "datetime" else cell.value
            )
        column = cell.column + 1


def unfold(page: Page, label: str, timeout_ms: float = 60_000) -> None:
    """Open a form folded behind a button (components/disclosure.py), e.g. "Attach files"."""
    opener = page.get_by_role("button", name=label, exact=True)
    expect(opener).to_be_visible(timeout=timeout_ms)
    opener.click()
    expect(opener).to_be_hidden(timeout=timeout_ms)


def edit_boxes(page: Page) -> None:
    """Root cause: open "Edit this box" once the step is drawn (its fields are folded until asked for,
    then stay open from box to box)."""
    summary = page.get_by_text("Edit this box", exact=True)
    expect(summary).to_be_visible(timeout=30_000)
    # A new session's first reruns (the tab's id) would overtake the click and fold it again: wait until
    # the server has been silent for a moment, not only until the page shows no run going.
    idle(page)
    page.wait_for_function(_QUIET, timeout=15_000)
    summary.click()
