"""The actions the browser bench times, in Debrief and in the baseline app, as pairs of the same kind.

Each action has an untimed `prepare` (get to the moment just before the author's key or click:
reach the page, type into a field, fill the cells of a new row but the last), then the timed
`trigger` (the one key or click that makes Streamlit send something), then an untimed `verify`
(the change reached the server: the database holds it, or the baseline app echoes it).
Elements are found by their labels and roles, as an author sees them; where a piece of the page
cannot be found the action raises `NotSettled` with what was missing, and the sample is reported
as failed rather than stopping the suite.
"""

from __future__ import annotations

import io
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import Frame, Locator, Page

from bench import fixtures
from bench.browser_settle import NotSettled, Wire, arm, install, js_heading_at, js_text_visible, settled_ms

ROW = 35  # glide-data-grid row height in Streamlit, px
FACTOR_FILL = (0xE0, 0xEC, 0xFF)  # components/causal_graph.py FILL for a contributing factor
_EDITING = "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)"


@dataclass
class Target:
    """One running app in one browser tab."""

    page: Page
    url: str
    query: str = ""  # "?doc=N" for Debrief
    read_doc: Callable[[], object] | None = None  # Debrief: the stored document, for verification
    click_at: tuple[float, float] = (0.0, 0.0)  # where the next graph click lands, found untimed
    wire: Wire | None = None  # the tab's websocket frames, to split a sample between server and browser
    server_pid: int = 0  # the app's streamlit process, whose CPU time each sample reads
    last_cpu_ms: float = math.nan  # its CPU time from the arming to settled, in the last sample

    def at(self, path: str) -> None:
        """Be on `path` (reloading only when elsewhere), with the page's first run finished."""
        if not self.page.url.split("?")[0].endswith(path):
            self.page.goto(f"{self.url}{path}{self.query}")
        self.page.wait_for_selector("h1")  # the first run has drawn the page (also after a reload)
        install(self.page)
        quiet(self.page)


@dataclass(frozen=True)
class Action:
    name: str
    prepare: Callable[[Target, int], str]  # returns the JS check of the visible change
    trigger: Callable[[Target, int], None]
    verify: Callable[[Target, int], str | None] = lambda target, i: None  # a problem, or None
    in_frame: Callable[[Target], Frame] | None = None  # the click lands in this iframe


def quiet(page: Page, ms: int = 150) -> None:
    """No script run going, twice `ms` apart (the first run after a load can chain into a second)."""
    for _ in range(2):
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
            " === 'notRunning'",
            timeout=60_000,
        )
        page.wait_for_timeout(ms)


def sample(target: Target, action: Action, i: int) -> float:
    """One timed run of `action`: milliseconds from the author's input to settled (its parts: `phases`)."""
    check = action.prepare(target, i)
    quiet(target.page, 50)
    arm(target.page, check, frame=action.in_frame(target) if action.in_frame else None)
    if target.wire:
        target.wire.clear()
    cpu = cpu_ms(target.server_pid)
    action.trigger(target, i)
    ms = settled_ms(target.page)
    target.last_cpu_ms = cpu_ms(target.server_pid) - cpu  # includes the 300 ms of quiet: idle, ~0
    problem = action.verify(target, i)
    if problem:
        raise NotSettled(problem)
    return ms


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc (10 ms ticks): load does not inflate it."""
    if not pid:
        return math.nan
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _textbox(page: Page, label: str) -> Locator:
    box = page.get_by_role("textbox", name=label, exact=True)
    if box.count() == 0:
        raise NotSettled(f"no text field labelled {label!r} on {page.url}")
    return box.first


def _button(page: Page, label: str) -> Locator:
    button = page.get_by_role("button", name=label, exact=True)
    if button.count() == 0:
        raise NotSettled(f"no button labelled {label!r} on {page.url}")
    return button.first


def _stored_check(target: Target, what: str, ok: Callable[[object], bool]) -> str | None:
    return None if ok(target.read_doc()) else f"the database does not hold {what}"


# --- Typing into a field and leaving it ---------------------------------------------------------


def _fill(label: str, path: str, text: Callable[[int], str]) -> Callable[[Target, int], str]:
    def prepare(target: Target, i: int) -> str:
        target.at(path)
        _textbox(target.page, label).fill(text(i))
        return "true"

    return prepare


def _press(label: str, key: str) -> Callable[[Target, int], None]:
    return lambda target, i: _textbox(target.page, label).press(key)


def summary_text(i: int) -> str:
    return f"Bench summary {i}: checkout failed for EU customers after a pool-size change."


def cause_text(i: int) -> str:
    return f"Bench cause {i}: the pool limit was not load-tested"


SAVE_FIELD = Action(
    "save on leaving a field",
    _fill("Summary", "/summary", summary_text),
    _press("Summary", "Tab"),
    lambda target, i: _stored_check(target, "the new summary", lambda d: d.summary == summary_text(i)),
)
BASE_LEAVE_FIELD = Action(
    "leave a text area",
    _fill("Note", "/", summary_text),
    _press("Note", "Tab"),
    lambda target, i: _echoed(target, f"Note received: {summary_text(i)}"),
)


def _echoed(target: Target, text: str) -> str | None:
    shown = target.page.evaluate(f"() => {js_text_visible(text)}")
    return None if shown else f"the page never showed {text!r}"


# --- Next between steps --------------------------------------------------------------------------


def _step_control(page: Page, label: str) -> Locator:
    """Debrief's Next is a link (one run), the baseline's a button that switches page: either counts."""
    control = page.get_by_role("link", name=label, exact=True).or_(
        page.get_by_role("button", name=label, exact=True)
    )
    if control.count() == 0:
        raise NotSettled(f"no link or button labelled {label!r} on {page.url}")
    return control.first


def _next(path: str, label: str, to_path: str, heading: str) -> Action:
    def prepare(target: Target, i: int) -> str:
        target.at(path)
        _step_control(target.page, label)
        return js_heading_at(to_path, heading)

    return Action(f"Next to {heading}", prepare, lambda target, i: _step_control(target.page, label).click())


NEXT_TO_IMPACT = _next("/summary", "Impact →", "/impact", "Impact")
NEXT_TO_TIMELINE = _next("/impact", "Timeline →", "/timeline", "Timeline")
BASE_SWITCH_PAGE = _next("/first", "Second →", "/second", "Second")


# --- The grid: a new row, a changed cell ---------------------------------------------------------


def _grid(page: Page) -> tuple[Locator, dict]:
    editor = page.get_by_test_id("stDataFrame").first
    if editor.count() == 0:
        raise NotSettled(f"no data editor on {page.url}")
    editor.scroll_into_view_if_needed()
    box = editor.get_by_test_id("stDataFrameResizable").bounding_box()
    if box is None:
        raise NotSettled("the data editor has no size")
    return editor, box


def _open_editor(page: Page) -> None:
    try:
        page.wait_for_function(_EDITING, timeout=5_000)
    except Exception as error:
        raise NotSettled("the grid opened no cell editor") from error


def _selected_column(page: Page, column: int) -> None:
    """Wait until the grid's selected cell is in data column `column` (glide counts the row marks as 0)."""
    try:
        page.locator(f"td[role=gridcell][aria-selected=true][aria-colindex='{column + 1}']").wait_for(
            state="attached", timeout=5_000
        )
    except Exception as error:
        raise NotSettled(f"the grid never selected a cell in column {column}") from error


def _new_row(page: Page) -> None:
    """Click the grid's trailing "add row" line; a new row opens with its first cell's editor."""
    editor, box = _grid(page)
    table = editor.locator("table[role=grid]")
    rows = int(table.get_attribute("aria-rowcount") or 0)
    if rows * ROW > box["height"]:
        # A long grid scrolls inside itself, and its "add row" line comes after the last row.
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, rows * ROW * 2)
        page.wait_for_timeout(200)
        _, box = _grid(page)  # in case the wheel reached the page and scrolled it
    page.mouse.click(box["x"] + 60, box["y"] + box["height"] - ROW / 2 - 1)
    try:
        page.wait_for_function(
            "([el, n]) => Number(el.getAttribute('aria-rowcount')) === n",
            arg=[table.element_handle(), rows + 1],
            timeout=5_000,
        )
    except Exception as error:
        raise NotSettled("a click on the grid's last line added no row") from error
    _open_editor(page)


def _timeline_time(i: int) -> str:
    # After every event of the large document, one minute apart, so each new row sorts last.
    return (fixtures.T0 + timedelta(days=1, minutes=i)).strftime("%Y-%m-%dT%H:%M")


def timeline_text(i: int) -> str:
    return f"Bench row {i}: the pool limit was raised on the replica"


def _add_timeline_row(target: Target, i: int) -> str:
    target.at("/timeline")
    page = target.page
    _new_row(page)
    page.get_by_test_id("date-picker-cell").fill(_timeline_time(i))
    page.keyboard.press("Tab")  # the row lacks its text: Streamlit keeps it in the browser
    # Keys reach the grid only once the overlay editor has closed and the next cell is selected.
    page.wait_for_function(f"() => !({_EDITING})()")
    _selected_column(page, 1)
    page.keyboard.press("Enter")  # open the text cell the Tab moved to
    _open_editor(page)
    page.locator(":focus").fill(timeline_text(i))
    return "true"


def _commit_cell(target: Target, i: int, path: str, column: int, text: str) -> str:
    target.at(path)
    page = target.page
    _, box = _grid(page)
    # The first visible row's first cell (past the row-selection marks of a dynamic grid).
    page.mouse.click(box["x"] + 60, box["y"] + ROW * 1.5)
    _selected_column(page, 0)
    for n in range(column):
        page.keyboard.press("ArrowRight")
        _selected_column(page, n + 1)
    page.keyboard.press("Enter")
    _open_editor(page)
    page.locator(":focus").fill(text)
    return "true"


def _tab(target: Target, i: int) -> None:
    target.page.keyboard.press("Tab")


def cell_text(i: int) -> str:
    return f"Bench edit {i}: alert fired for checkout errors"


ADD_TIMELINE_ROW = Action(
    "add a timeline row",
    _add_timeline_row,
    _tab,
    lambda target, i: _stored_check(
        target, "the new row", lambda d: any(e.text == timeline_text(i) for e in d.timeline)
    ),
)
COMMIT_TIMELINE_CELL = Action(
    "commit a timeline cell",
    lambda target, i: _commit_cell(target, i, "/timeline", 1, cell_text(i)),
    _tab,
    lambda target, i: _stored_check(
        target, "the edited cell", lambda d: any(e.text == cell_text(i) for e in d.timeline)
    ),
)


def _base_add_row(target: Target, i: int) -> str:
    target.at("/grid")
    _new_row(target.page)
    target.page.locator(":focus").fill(timeline_text(i))
    return "true"


BASE_ADD_ROW = Action(
    "add a grid row", _base_add_row, _tab, lambda target, i: _echoed(target, json.dumps(timeline_text(i)))
)
BASE_COMMIT_CELL = Action(
    "commit a grid cell",
    lambda target, i: _commit_cell(target, i, "/grid", 0, cell_text(i)),
    _tab,
    lambda target, i: _echoed(target, json.dumps(cell_text(i))),
)


# --- The causal tree: select a box, add a cause ---------------------------------------------------


def _graph_frame(target: Target) -> Frame:
    for frame in target.page.frames:
        if "streamlit_agraph" in frame.url:
            return frame
    raise NotSettled("no causal-graph frame (streamlit_agraph) on the page")


def _box_centres(page: Page) -> list[tuple[float, float]]:
    """Page coordinates of one point inside each contributing-factor box, found by the box's fill."""
    canvas = page.frame_locator("iframe[title*=agraph]").first.locator("canvas")
    try:
        canvas.wait_for(timeout=30_000)
    except Exception as error:
        raise NotSettled("the causal graph drew no canvas") from error
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # vis-network draws on the next animation frames
    image = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB"), dtype=int)
    box = canvas.bounding_box()
    hits = (np.abs(image - np.array(FACTOR_FILL)) <= 6).all(axis=2)
    scale = image.shape[1] / box["width"]
    return [(box["x"] + x / scale, box["y"] + y / scale) for x, y in _blob_points(hits)]


def _blob_points(mask: np.ndarray, step: int = 3) -> list[tuple[int, int]]:
    """One pixel of each connected blob of `mask` (on a coarse grid): the blob's pixel nearest its middle."""
    grid = mask[::step, ::step]
    seen = np.zeros_like(grid, dtype=bool)
    points = []
    for start in zip(*np.nonzero(grid), strict=False):
        if seen[start]:
            continue
        blob, todo = [], [start]
        seen[start] = True
        while todo:
            y, x = todo.pop()
            blob.append((y, x))
            for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= ny < grid.shape[0] and 0 <= nx < grid.shape[1] and grid[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    todo.append((ny, nx))
        if len(blob) >= 4:  # a box, not an antialiased speck
            my, mx = np.mean(blob, axis=0)
            y, x = min(blob, key=lambda p: (p[0] - my) ** 2 + (p[1] - mx) ** 2)
            points.append((x * step, y * step))
    return points


# The value the panel's "Selected" list shows (its combobox input holds the chosen label).
_SELECTED = (
    "[...document.querySelectorAll('[data-testid=stSelectbox]')]"
    ".find(e => e.querySelector('label')?.textContent.trim() === 'Selected')"
    "?.querySelector('input')?.value"
)


def _select_box(target: Target, i: int) -> str:
    target.at("/root_cause")
    points = _box_centres(target.page)
    if len(points) < 2:
        raise NotSettled(
            f"found {len(points)} contributing-factor boxes in the graph; need two to switch between"
        )
    target.click_at = points[i % len(points)]
    before = target.page.evaluate(f"() => {_SELECTED} ?? null")
    # The panel's "Selected" list names the selected box: it must change. Without it, any finished run.
    return "true" if before is None else f"({_SELECTED}) !== {json.dumps(before)}"


SELECT_BOX = Action(
    "select a causal-graph box",
    _select_box,
    lambda target, i: target.page.mouse.click(*target.click_at),
    in_frame=_graph_frame,
)


# The panel's field for a new cause: its label today, then the one it had before (the wizard changes
# while the bench runs against it).
CAUSE_LABELS = ("The new cause", "Add a cause below it")


def _cause_box(page: Page) -> Locator:
    for label in CAUSE_LABELS:
        box = page.get_by_role("textbox", name=label, exact=True)
        if box.count():
            return box.first
    raise NotSettled(f"no text field labelled {' or '.join(map(repr, CAUSE_LABELS))} on {page.url}")


def _add_cause(target: Target, i: int) -> str:
    target.at("/root_cause")
    _cause_box(target.page).fill(cause_text(i))
    return "true"


ADD_CAUSE = Action(
    "add a cause",
    _add_cause,
    lambda target, i: _cause_box(target.page).press("Enter"),
    lambda target, i: _stored_check(
        target,
        "the new cause",
        lambda d: any(n.text == cause_text(i) for n in d.root_cause.causal_tree.nodes),
    ),
)


_GRAPH_RECEIVED = "(document.body.textContent.match(/Graph received: (\\S+)/) || [0, null])[1]"


def _base_select_box(target: Target, i: int) -> str:
    """The baseline graph's two boxes, left "a" and right "b": click the one not selected yet."""
    target.at("/graph")
    points = sorted(_box_centres(target.page))
    if len(points) != 2:
        raise NotSettled(f"found {len(points)} boxes in the baseline graph; it draws two")
    before = target.page.evaluate(f"() => {_GRAPH_RECEIVED}")
    target.click_at = points[1] if before == "a" else points[0]
    return f"({_GRAPH_RECEIVED}) !== {json.dumps(before)}"


BASE_SELECT_BOX = Action(
    "click a graph box",
    _base_select_box,
    lambda target, i: target.page.mouse.click(*target.click_at),
    in_frame=_graph_frame,
)
BASE_ADD_BOX = Action(
    "add a graph box with Enter",
    _fill("Box", "/graph", cause_text),
    _press("Box", "Enter"),
    lambda target, i: _echoed(target, json.dumps(cause_text(i))),
)


# Debrief's action and the baseline action of the same kind, in the order an author meets them
# (each starts where the one before left the page, so only two page loads per round).
PAIRS: tuple[tuple[Action, Action], ...] = (
    (SAVE_FIELD, BASE_LEAVE_FIELD),
    (NEXT_TO_IMPACT, BASE_SWITCH_PAGE),
    (NEXT_TO_TIMELINE, BASE_SWITCH_PAGE),
    (ADD_TIMELINE_ROW, BASE_ADD_ROW),
    (COMMIT_TIMELINE_CELL, BASE_COMMIT_CELL),
    (SELECT_BOX, BASE_SELECT_BOX),
    (ADD_CAUSE, BASE_ADD_BOX),
)
