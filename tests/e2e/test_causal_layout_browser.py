"""The causal tree as vis.js really draws it in Chromium: no two boxes intersect at 5, 30 and 150 boxes,
each box sits where postmortem.causal_layout put it, and the browser console stays clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_helpers import SHOTS, edit_boxes, idle, wait_db
from playwright.sync_api import Frame, Page, expect

import storage
from postmortem import causal, causal_layout, causal_text, causal_tree
from postmortem.models import CausalTree, new_postmortem

WORDS = [
    "replica",
    "lag",
    "grew",
    "while",
    "the",
    "vacuum",
    "worker",
    "waited",
    "on",
    "a",
    "lock",
    "held",
    "by",
    "a",
    "long",
    "analytics",
    "query",
    "that",
    "nobody",
    "owned",
    "and",
    "the",
    "alert",
    "threshold",
    "was",
    "tuned",
    "for",
    "a",
    "smaller",
    "fleet",
]

# The network lives in a React hook of streamlit-agraph's wrapper; walk the fiber of its container up
# until a hook holds an object with vis-network's API.
FIND_NETWORK = """() => {
    const container = document.querySelector('div.vis-network').parentElement;
    const key = Object.keys(container).find(k => k.startsWith('__reactInternalInstance$') || k.startsWith('__reactFiber$'));
    for (let fiber = container[key]; fiber; fiber = fiber.return) {
        for (let hook = fiber.memoizedState; hook && typeof hook === 'object' && 'next' in hook; hook = hook.next) {
            const value = hook.memoizedState;
            if (value && typeof value.getBoundingBox === 'function') { window.__network = value; return true; }
        }
    }
    return false;
}"""
BOXES = """() => Object.fromEntries(window.__network.body.nodeIndices.map(id => [id, window.__network.getBoundingBox(id)]))"""


# Streamlit's own noise, the same on every page with any component: Chromium's notes on the component
# iframe's `allow` and `sandbox` attributes, and the client probing /<page>/_stcore/ for a base path.
# The console line of a 404 is generic; the response listener names the URL, which must be a probe.
# Turning the drawing mounts a new frame, and the old one's last height report (0 px, as it goes)
# can arrive after Streamlit has forgotten it.
FRAMEWORK_NOISE = (
    "Unrecognized feature:",
    "allow-scripts and allow-same-origin",
    "Received component message for unregistered ComponentInstance! {isStreamlitMessage: true, "
    "type: streamlit:setFrameHeight, height: 0}",
    "Failed to load resource: the server responded with a status of 404",
    "/root_cause/_stcore/health",
    "/root_cause/_stcore/host-config",
)


def sized_tree(size: int) -> CausalTree:
    """A tree of `size` boxes, three to five causes each, labels from 3 to 30 words."""
    tree = causal.set_outcome(CausalTree(), "Orders database refused writes for 9 hours")
    frontier = [causal_tree.root(tree).id]
    while len(tree.nodes) < size:
        parent = frontier.pop(0)
        for _ in range(3 + len(tree.nodes) % 3):
            if len(tree.nodes) >= size:
                break
            n = len(tree.nodes)
            words = WORDS[n % 7 : n % 7 + 3 + (n * 7) % 28]
            tree, new = causal.add_child(tree, parent, f"{n}: " + " ".join(words))
            frontier.append(new)
    return tree


def network_frame(page: Page) -> Frame:
    page.frame_locator("iframe").first.locator("canvas").wait_for(timeout=30_000)
    frame = next(
        f for f in page.frames if f.url.startswith(page.url.split("/root_cause")[0]) and "component" in f.url
    )
    frame.wait_for_function(FIND_NETWORK, timeout=15_000)
    return frame


def intersecting(rects: dict[str, dict]) -> list[tuple[str, str]]:
    items = list(rects.items())
    return [
        (a, b)
        for n, (a, ra) in enumerate(items)
        for b, rb in items[n + 1 :]
        if ra["left"] < rb["right"]
        and rb["left"] < ra["right"]
        and ra["top"] < rb["bottom"]
        and rb["top"] < ra["bottom"]
    ]


@pytest.mark.parametrize("size", [5, 30, 150])
@pytest.mark.parametrize("direction", ["Top down", "Left to right"])
def test_no_two_drawn_boxes_intersect(page: Page, app_server, size, direction):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    tree = sized_tree(size)
    doc = causal.with_tree(new_postmortem("INC-2026-0700", "Orders database refused writes"), tree)
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    page.set_viewport_size({"width": 1400, "height": 2700})  # room for the tallest canvas in one screenshot
    page.goto(f"{app_server.url}/root_cause?doc={doc_id}")
    expect(page.get_by_text("Orders database refused writes for 9 hours", exact=False).first).to_be_visible(
        timeout=30_000
    )
    # A new session's first reports (the tab's id, the autosave field) rerun other fragments; a click in
    # the same batch of widget updates makes Streamlit warn and can be lost. Let them finish first.
    page.wait_for_timeout(1_000)
    idle(page)
    page.get_by_role("radio", name=direction).or_(page.get_by_role("button", name=direction)).first.click()
    idle(page)
    frame = network_frame(page)
    rects = frame.evaluate(BOXES)
    page.locator("iframe").first.scroll_into_view_if_needed()
    page.locator("iframe").first.screenshot(
        path=str(SHOTS / f"causal-{size}-{direction.replace(' ', '-').lower()}.png")
    )
    assert len(rects) == size
    assert intersecting(rects) == []
    planned = causal_layout.layout(tree, across=direction == "Left to right")
    for node_id, rect in rects.items():  # vis.js drew each box where the layout put it, at its size
        box = planned[node_id]
        assert (rect["left"] + rect["right"]) / 2 == pytest.approx(box.x, abs=1)
        assert (rect["top"] + rect["bottom"]) / 2 == pytest.approx(box.y, abs=1)
        # vis-network's bounding box reaches 6 px beyond the drawn box on every side (room for the
        # selection border); the layout's gaps are wider than that.
        assert rect["right"] - rect["left"] == pytest.approx(box.width + 12, abs=1)
        assert rect["bottom"] - rect["top"] == pytest.approx(box.height + 12, abs=1), box.lines
    assert [p for p in problems if not any(noise in p for noise in FRAMEWORK_NOISE)] == []


def test_the_tree_is_drawn_again_after_the_outline_is_applied(page: Page, app_server):
    """Outline → Apply → back to the tree showed two huge cut-off boxes; now the tree comes back whole."""
    tree = sized_tree(6)
    doc = causal.with_tree(new_postmortem("INC-2026-0701", "Orders database refused writes"), tree)
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    page.set_viewport_size({"width": 1400, "height": 1400})
    page.goto(f"{app_server.url}/root_cause?doc={doc_id}")
    edit_boxes(page)
    expect(page.get_by_label("Outcome")).to_have_value(
        "Orders database refused writes for 9 hours", timeout=30_000
    )
    page.get_by_role("tab", name="Outline").click()
    outline = page.get_by_role("textbox", name="Outline", exact=True)
    expect(outline).to_have_value(causal_text.to_outline(tree))
    outline.fill(causal_text.to_outline(tree) + "\n  Failover runbook assumed a healthy replica")
    outline.press("Control+Enter")
    page.get_by_role("button", name="Apply 1 change").click()
    wait_db(
        app_server.db_path, doc_id, lambda d: len(d.root_cause.causal_tree.nodes) == 7, "the applied outline"
    )
    idle(page)
    page.get_by_role("tab", name="Causal tree").click()
    idle(page)
    frame = network_frame(page)
    rects = frame.evaluate(BOXES)
    page.locator("iframe").first.screenshot(path=str(SHOTS / "causal-after-outline.png"))
    assert len(rects) == 7 and intersecting(rects) == []
    widths = {round(r["right"] - r["left"]) for r in rects.values()}
    assert widths == {causal_layout.BOX_WIDTH + 12}  # every box at its planned width, none blown up
    scale = frame.evaluate("() => window.__network.getScale()")
    assert 0.5 < scale <= 1  # the whole tree in view at a readable size


# A 15-box tree of a real multi-day database incident, in our own words: the Mandrill outage of
# 4–5 February 2019 (Postgres transaction ID wraparound on one shard). Facts from Mailchimp's public
# review, https://mailchimp.com/what-we-learned-from-the-recent-mandrill-outage/ , summarised at
# https://byu-se.github.io/idb/incidents/5.html ; no text copied.
XID_TREE = (Path(__file__).resolve().parents[1] / "data" / "xid_wraparound_tree.txt").read_text(
    encoding="utf-8"
)


def test_a_15_box_incident_tree_typed_through_the_outline_reads_at_full_size(page: Page, app_server):
    doc_id = storage.create(
        db=storage.connect(app_server.db_path, actor=storage.LOCAL),
        doc=new_postmortem("INC-2019-0204", "Email sending degraded for 40 hours"),
    ).id
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{app_server.url}/root_cause?doc={doc_id}")
    outcome = XID_TREE.splitlines()[0]
    page.get_by_label("Outcome").fill(outcome)
    page.get_by_label("Outcome").press("Enter")
    wait_db(app_server.db_path, doc_id, lambda d: len(d.root_cause.causal_tree.nodes) == 1, "the outcome")
    idle(page)
    page.get_by_role("tab", name="Outline").click()
    outline = page.get_by_role("textbox", name="Outline", exact=True)
    expect(outline).to_have_value(outcome)
    outline.fill(XID_TREE.strip())
    outline.press("Control+Enter")
    page.get_by_role("button", name="Apply 14 changes").click()
    wait_db(app_server.db_path, doc_id, lambda d: len(d.root_cause.causal_tree.nodes) == 15, "the 15 boxes")
    idle(page)
    page.get_by_role("tab", name="Causal tree").click()
    idle(page)
    frame = network_frame(page)
    rects = frame.evaluate(BOXES)
    page.locator("iframe").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "causal-xid-15-page.png"))
    page.locator("iframe").first.screenshot(path=str(SHOTS / "causal-xid-15.png"))
    assert len(rects) == 15 and intersecting(rects) == []
    # vis fits the drawing with a 10 % border: four columns on a 1400 px laptop window draw at about
    # 0.92, so 14 px text reads at 13 px; wider windows draw it at full size.
    assert frame.evaluate("() => window.__network.getScale()") >= 0.9


def test_clicking_a_box_while_zoomed_in_selects_it_and_keeps_the_view(page: Page, app_server):
    tree = causal_text.parse_outline(XID_TREE)
    doc = causal.with_tree(new_postmortem("INC-2019-0205", "Email sending degraded for 40 hours"), tree)
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    target = next(n for n in tree.nodes if n.text == "Recovery took 40 hours")
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{app_server.url}/root_cause?doc={doc_id}")
    edit_boxes(page)
    expect(page.get_by_label("Outcome")).to_have_value(tree.nodes[0].text, timeout=30_000)
    frame = network_frame(page)
    frame.evaluate(
        f"() => window.__network.moveTo({{scale: 1.6, position: "
        f"window.__network.getPositions(['{target.id}'])['{target.id}']}})"
    )
    click_box(page, frame, target.id)
    expect(page.get_by_label("Factor", exact=True)).to_have_value("Recovery took 40 hours", timeout=15_000)
    idle(page)
    frame = network_frame(page)
    assert frame.evaluate("() => window.__network.getScale()") == pytest.approx(1.6)
    # vis-network outlines the clicked box itself (its own selection, drawn with a 4 px border)
    assert frame.evaluate("() => window.__network.getSelectedNodes()") == [target.id]
    assert (
        frame.evaluate(f"() => window.__network.body.nodes['{target.id}'].options.borderWidthSelected") == 4
    )
    page.screenshot(path=str(SHOTS / "causal-zoomed-selection.png"))


def click_box(page: Page, frame: Frame, node_id: str) -> None:
    """A mouse click on the middle of a box, where vis-network draws it now."""
    point = frame.evaluate(
        f"() => window.__network.canvasToDOM(window.__network.getPositions(['{node_id}'])['{node_id}'])"
    )
    iframe = page.locator("iframe").first
    iframe.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)  # the page scrolls smoothly; read the frame's place once it has stopped
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_the_clicked_box_stays_outlined_through_an_edit_and_the_list_marks_its_choice(page: Page, app_server):
    """A click is vis-network's own selection (nothing is sent to the graph for it); it survives the
    tree changing under it. A box chosen from the list is marked in a fresh drawing instead."""
    tree = causal_text.parse_outline("Checkout failed\n  Pool exhausted\n  Alert late")
    doc = causal.with_tree(new_postmortem("INC-2026-0510", "Checkout failed"), tree)
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    outcome, pool, alert = (
        next(n for n in tree.nodes if n.text == t)
        for t in ("Checkout failed", "Pool exhausted", "Alert late")
    )
    selected = "() => window.__network.getSelectedNodes()"

    def border(frame: Frame, node_id: str) -> int:
        return frame.evaluate(f"() => window.__network.body.nodes['{node_id}'].options.borderWidth")

    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{app_server.url}/root_cause?doc={doc_id}")
    edit_boxes(page)
    expect(page.get_by_label("Outcome")).to_have_value("Checkout failed", timeout=30_000)
    frame = network_frame(page)
    assert frame.evaluate(selected) == [] and border(frame, outcome.id) == 4  # selected on arrival: marked

    click_box(page, frame, pool.id)
    expect(page.get_by_label("Factor", exact=True)).to_have_value("Pool exhausted", timeout=15_000)
    idle(page)
    assert frame.evaluate(selected) == [pool.id] and border(frame, outcome.id) == 1
    click_box(page, frame, alert.id)
    expect(page.get_by_label("Factor", exact=True)).to_have_value("Alert late", timeout=15_000)
    idle(page)
    assert frame.evaluate(selected) == [alert.id]

    page.get_by_label("The new cause").fill("Alert routed to a retired channel")
    page.get_by_label("The new cause").press("Enter")
    wait_db(app_server.db_path, doc_id, lambda d: len(d.root_cause.causal_tree.nodes) == 4, "the new cause")
    idle(page)
    frame.wait_for_function("() => window.__network.body.nodeIndices.length === 4", timeout=15_000)
    assert frame.evaluate(selected) == [alert.id]  # the outline stays on the box the cause went under
    expect(page.get_by_label("Factor", exact=True)).to_have_value("Alert late")

    page.get_by_role("combobox", name="Selected box").click()
    page.get_by_role("option", name="Outcome: Checkout failed").click()
    expect(page.get_by_label("Outcome")).to_have_value("Checkout failed", timeout=15_000)
    idle(page)
    frame = network_frame(page)  # a fresh drawing
    frame.wait_for_function("() => window.__network.body.nodeIndices.length === 4", timeout=15_000)
    assert frame.evaluate(selected) == [] and border(frame, outcome.id) == 4
    page.locator("iframe").first.screenshot(path=str(SHOTS / "causal-list-choice.png"))
