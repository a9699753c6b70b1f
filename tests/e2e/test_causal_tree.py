"""The causal-tree builder in a real browser: click a box in the graph, edit it in the panel."""

from __future__ import annotations

import io

from e2e_helpers import edit_boxes, idle, shot, wait_db, wait_saved
from PIL import Image
from playwright.sync_api import Page, expect

import storage
from postmortem import causal, causal_text
from postmortem.models import new_postmortem

FACTOR_FILL = (0xE0, 0xEC, 0xFF)  # components/causal_graph.py FILL[contributing factor]
HOSTILE = "<img src=x onerror=alert(1)>"


def factor_centre(page: Page) -> tuple[float, float]:
    """Where the (single) contributing-factor box is drawn: found by its fill colour on the canvas."""
    canvas = page.frame_locator("iframe").first.locator("canvas")
    canvas.wait_for(timeout=30_000)
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(1_500)  # vis-network draws after its layout settles
    image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    box = canvas.bounding_box()  # after the scroll the screenshot may have caused
    scale = image.width / box["width"]
    hits = [
        (x, y)
        for x in range(0, image.width, 2)
        for y in range(0, image.height, 2)
        if all(abs(a - b) <= 6 for a, b in zip(image.getpixel((x, y)), FACTOR_FILL, strict=True))
    ]
    assert hits, "no contributing-factor box drawn"
    x = sum(h[0] for h in hits) / len(hits) / scale
    y = sum(h[1] for h in hits) / len(hits) / scale
    return box["x"] + x, box["y"] + y


def test_click_a_box_then_edit_it_in_the_panel(page: Page, app_server):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tree = causal_text.parse_outline(f"Checkout failed\n  {HOSTILE}")
    doc = causal.with_tree(new_postmortem("INC-2026-0500", "Pool exhausted"), tree)
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id

    page.goto(f"{app_server.url}/root_cause?doc={doc_id}")
    edit_boxes(page)
    expect(page.get_by_label("Outcome")).to_have_value("Checkout failed", timeout=30_000)
    x, y = factor_centre(page)
    shot(page, "causal-before-click")
    page.mouse.click(x, y)
    factor = page.get_by_label("Factor", exact=True)
    expect(factor).to_have_value(HOSTILE, timeout=15_000)
    shot(page, "causal-selected")

    factor.fill("Pool sized for last year's traffic")
    factor.press("Tab")
    wait_saved(page, "Causal tree")
    wait_db(
        app_server.db_path,
        doc_id,
        lambda d: [n.text for n in d.root_cause.causal_tree.nodes][1] == "Pool sized for last year's traffic",
        "the edited factor",
    )
    page.get_by_label("The new cause").fill("Capacity review skipped this quarter")
    page.get_by_label("The new cause").press("Enter")
    wait_db(app_server.db_path, doc_id, lambda d: len(d.root_cause.causal_tree.nodes) == 3, "the new cause")
    idle(page)
    shot(page, "causal-after-add")
    # The selection stays on the box the cause was added to, ready for the next one.
    expect(page.get_by_label("Factor", exact=True)).to_have_value("Pool sized for last year's traffic")
    shot(page, "causal-after-edit")
    assert dialogs == []
