"""The wizard in a real browser: create, fill every step, reload, restart, two editors, hostile text.

Screenshots of the key moments go to /tmp/e2e-shots/ (overwritten on each run).
"""

from __future__ import annotations

import re

import pytest
from e2e_helpers import (
    Cell,
    add_row,
    fill_and_blur,
    grid,
    grid_text,
    idle,
    pick,
    shot,
    stored,
    wait_db,
    wait_saved,
)
from playwright.sync_api import Browser, Locator, Page, expect

import storage
from postmortem.models import Severity, new_postmortem

pytestmark = pytest.mark.e2e
# The machine may be busy (2 cores, other test runs): give each wait room; a pass is still fast.
expect.set_options(timeout=15_000)

# Distinctive values, one per field, so a value shown in the wrong place cannot pass for the right one.
V = {
    "incident_id": "INC-E2E-0042",
    "first_title": "Checkout errors (draft title)",
    "title": "Checkout errors after pool exhaustion E2E",
    "service": "payments-api-e2e",
    "failure_class": "connection-pool exhaustion e2e",
    "summary": "E2E summary: for 22 minutes checkout failed for 4% of EU customers; a bigger pool fixed it.",
    "impact": "E2E impact: card payments failed with HTTP 503 at the last step of checkout.",
    "customers": "1234",
    "timeline": "E2E timeline: checkout error-rate alert fired",
    "went_well": "E2E went well: the rollback took three minutes",
    "went_wrong": "E2E went wrong: no alert on pool saturation",
    "factor": "E2E factor: pool size fixed at 10 since 2019",
    "problem": "E2E problem: why did checkout return 503 for 22 minutes?",
    "statement": "E2E statement: a small fixed pool met a retry storm after the deploy.",
    "action": "E2E action: alert when the pool is 80% used",
    "lesson": "E2E lesson: load-test connection pools before peak season",
    "contact": "Alex Example E2E",
}


@pytest.fixture
def browser_context_args(browser_context_args):
    """A tall window, so each step's tables sit on screen without scrolling."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


def textbox(page: Page, label: str) -> Locator:
    """A text input or text area by its label (get_by_label would also match a heading of that name)."""
    return page.get_by_role("textbox", name=label, exact=True)


def go_next(page: Page, title: str, slug: str) -> None:
    """The "<Next step> →" link at the bottom of every step."""
    page.get_by_role("link", name=f"{title} →", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{slug}\?doc=\d+$"))
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    idle(page)


def loaded(page: Page, title: str) -> None:
    """After a reload, the step is drawn and its first runs are over. A new session's presence component
    (components/presence.py) sends the tab's id once it mounts, which reruns the step being shown; a
    sidebar click made before that rerun can be overtaken by it, and the app stays on the old step."""
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    idle(page)


def open_step(page: Page, number: int, title: str) -> None:
    """Through the sidebar, the way an author jumps between steps."""
    page.get_by_role("link", name=f"{number}. {title}", exact=True).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    idle(page)


def five_whys_tab(page: Page) -> None:
    """Root cause: the 5 Whys fields sit in a tab once the causal tree joins the step (before, on the page)."""
    tab = page.get_by_role("tab", name="5 Whys")
    if tab.count():
        tab.click()


def create_through_ui(page: Page, url: str, incident_id: str, title: str) -> int:
    page.goto(url)
    page.get_by_role("tab", name="New post-mortem").click()
    pick(page, "What happened?", "Outage")
    pick(page, "How severe was it?", "Sev1")
    expect(page.get_by_text("Post-mortem mandatory.", exact=False)).to_be_visible()
    expect(page.get_by_text("Sev1 incidents always get a post-mortem.", exact=False)).to_be_visible()
    page.get_by_role("textbox", name="Incident ID", exact=True).fill(incident_id)
    page.get_by_role("textbox", name="Title", exact=True).fill(title)
    shot(page, "01-new-postmortem")
    page.get_by_role("button", name="Create post-mortem").click()
    expect(page).to_have_url(re.compile(r"/header\?doc=\d+$"))
    expect(page.get_by_role("heading", name="Header", exact=True)).to_be_visible()
    return int(page.url.rsplit("=", 1)[1])


def fill_every_step(page: Page, db, doc_id: int) -> None:
    # 1. Header
    title = page.get_by_role("textbox", name="Title", exact=True)
    expect(title).to_have_value(V["first_title"])
    fill_and_blur(page, title, V["title"])
    wait_saved(page, "Title")
    services = page.get_by_role("combobox", name="Services affected", exact=True)
    services.click()
    services.type(V["service"])
    services.press("Enter")
    wait_saved(page, "Services affected")
    services.press("Escape")
    # A class not in the list yet: added to the team's list from the Header step, and chosen.
    page.get_by_role("button", name="Add a failure class").click()
    new_class = page.get_by_role("textbox", name="Name of the new class", exact=True)
    new_class.fill(V["failure_class"])
    new_class.press("Enter")
    idle(page)
    page.get_by_role("button", name="Add it and use it here").click()
    wait_saved(page, "Failure class")
    page.keyboard.press("Escape")
    page.get_by_role("spinbutton", name="year, Started (UTC)").click()
    page.keyboard.type("202603041000")
    page.keyboard.press("Enter")
    wait_saved(page, "Started (UTC)")
    wait_db(
        db,
        doc_id,
        lambda d: d.header.times.started_at is not None and d.header.failure_class == V["failure_class"],
        "the header",
    )
    shot(page, "02-header-filled")
    go_next(page, "Summary", "summary")

    # 2. Summary
    fill_and_blur(page, textbox(page, "Summary"), V["summary"])
    wait_saved(page, "Summary")
    go_next(page, "Impact", "impact")

    # 3. Impact
    fill_and_blur(page, textbox(page, "What customers and colleagues experienced"), V["impact"])
    wait_saved(page, "What customers and colleagues experienced")
    fill_and_blur(page, page.get_by_role("spinbutton", name="Customers affected"), V["customers"])
    wait_saved(page, "Customers affected")
    go_next(page, "Timeline", "timeline")

    # 4. Timeline: time and text; kind and source take their defaults (the row is sent, and saved,
    #    as soon as its required cells are filled)
    add_row(page, grid(page), [Cell(0, "2026-03-04T10:02", "datetime"), Cell(1, V["timeline"])])
    wait_saved(page, "Timeline")
    wait_db(db, doc_id, lambda d: [e.text for e in d.timeline] == [V["timeline"]], "the timeline row")
    expect(grid_text(grid(page))).to_contain_text(V["timeline"])
    shot(page, "03-timeline-row")
    go_next(page, "What went well", "went_well")

    # 5-6. Notes: one required text column
    add_row(page, grid(page), [Cell(0, V["went_well"])])
    wait_saved(page, "What went well")
    go_next(page, "What went wrong", "went_wrong")
    add_row(page, grid(page), [Cell(0, V["went_wrong"])])
    wait_saved(page, "What went wrong")
    go_next(page, "Contributing factors", "factors")

    # 7. Factors: text; the category takes its default
    add_row(page, grid(page), [Cell(0, V["factor"])])
    wait_saved(page, "Contributing factors")
    go_next(page, "Root cause", "root_cause")

    # 8. Root cause
    five_whys_tab(page)
    fill_and_blur(page, textbox(page, "The problem"), V["problem"])
    wait_saved(page, "The problem")
    fill_and_blur(page, textbox(page, "Statement"), V["statement"])
    wait_saved(page, "Statement")
    go_next(page, "Action items", "actions")

    # 9. Action items: the title, then the required status (column 7)
    add_row(page, grid(page), [Cell(0, V["action"])])
    wait_saved(page, "Action items")
    go_next(page, "Lessons learned", "lessons")

    # 10. Lessons
    add_row(page, grid(page), [Cell(0, V["lesson"])])
    wait_saved(page, "Lessons learned")
    go_next(page, "People and links", "appendix")

    # 11. Appendix: a contact, name and the required person/team choice
    add_row(page, grid(page), [Cell(0, V["contact"])])
    wait_saved(page, "Contacts")
    shot(page, "04-appendix-contact")


def assert_db_holds_everything(db, doc_id: int) -> None:
    doc = wait_db(db, doc_id, lambda d: bool(d.contacts), "the contact")
    h = doc.header
    assert (h.incident_id, h.title, h.severity) == (V["incident_id"], V["title"], Severity.SEV1)
    assert h.services == [V["service"]] and h.failure_class == V["failure_class"]
    assert h.times.started_at.isoformat() == "2026-03-04T10:00:00+00:00"
    assert doc.summary == V["summary"]
    assert doc.impact.description == V["impact"] and doc.impact.customers_affected == int(V["customers"])
    [event] = doc.timeline
    assert (event.at.isoformat(), event.text, event.kind, event.source) == (
        "2026-03-04T10:02:00+00:00",
        V["timeline"],
        "observation",
        "other",
    )
    assert [n.text for n in doc.went_well] == [V["went_well"]]
    assert [n.text for n in doc.went_wrong] == [V["went_wrong"]]
    assert [(f.text, f.category) for f in doc.contributing_factors] == [(V["factor"], "process")]
    assert doc.root_cause.five_whys.problem == V["problem"] and doc.root_cause.statement == V["statement"]
    assert [(a.title, a.status) for a in doc.action_items] == [(V["action"], "open")]
    assert [n.text for n in doc.lessons] == [V["lesson"]]
    assert [(c.name, c.kind) for c in doc.contacts] == [(V["contact"], "person")]


def assert_ui_shows_everything(page: Page, when: str) -> None:
    """Walk every step through the sidebar and find each value on screen."""
    open_step(page, 1, "Header")
    expect(page.get_by_role("textbox", name="Title", exact=True)).to_have_value(V["title"])
    expect(page.get_by_role("textbox", name="Incident ID", exact=True)).to_have_value(V["incident_id"])
    expect(page.get_by_role("button", name=f"Remove {V['service']}")).to_be_visible()
    expect(page.get_by_role("combobox", name="Failure class", exact=True)).to_have_value(V["failure_class"])
    started = page.get_by_role("group", name="Started (UTC)")
    for part, value in [("year", "2026"), ("month", "03"), ("day", "04"), ("hour", "10"), ("minute", "00")]:
        expect(started.get_by_role("spinbutton", name=f"{part}, Started (UTC)")).to_have_text(value)
    expect(page.get_by_text("Sev1", exact=True).first).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"{V['incident_id']} · {V['title']}")
    # Each step's state is said in words too, not only by the icon (the link's tooltip and description).
    summary_link = page.get_by_role("link", name="2. Summary", exact=True)
    expect(summary_link).to_have_accessible_description(re.compile(r"^(Complete|Started|Not started): \S"))
    shot(page, f"{when}-header")

    open_step(page, 2, "Summary")
    expect(textbox(page, "Summary")).to_have_value(V["summary"])
    open_step(page, 3, "Impact")
    expect(textbox(page, "What customers and colleagues experienced")).to_have_value(V["impact"])
    expect(page.get_by_role("spinbutton", name="Customers affected")).to_have_value(V["customers"])
    open_step(page, 4, "Timeline")
    expect(grid_text(grid(page))).to_contain_text("2026-03-04 10:02")
    expect(grid_text(grid(page))).to_contain_text(V["timeline"])
    shot(page, f"{when}-timeline")
    for number, title, value in [
        (5, "What went well", V["went_well"]),
        (6, "What went wrong", V["went_wrong"]),
        (7, "Contributing factors", V["factor"]),
    ]:
        open_step(page, number, title)
        expect(grid_text(grid(page))).to_contain_text(value)
    open_step(page, 8, "Root cause")
    five_whys_tab(page)
    expect(textbox(page, "The problem")).to_have_value(V["problem"])
    expect(textbox(page, "Statement")).to_have_value(V["statement"])
    open_step(page, 9, "Action items")
    expect(grid_text(grid(page))).to_contain_text(V["action"])
    open_step(page, 10, "Lessons learned")
    expect(grid_text(grid(page))).to_contain_text(V["lesson"])
    open_step(page, 11, "People and links")
    expect(grid_text(grid(page))).to_contain_text(V["contact"])


# app_server comes before page in each signature: fixtures tear down in reverse, so the browser (and
# pytest-playwright's --screenshot=only-on-failure picture) closes while the server is still up.
def test_create_fill_reload_and_restart_keep_every_value(app_server, page: Page) -> None:
    doc_id = create_through_ui(page, app_server.url, V["incident_id"], V["first_title"])
    created = stored(app_server.db_path, doc_id)
    assert (created.doc.header.severity, created.doc.header.trigger) == (Severity.SEV1, "outage")
    shot(page, "01b-created-header")

    fill_every_step(page, app_server.db_path, doc_id)
    assert_db_holds_everything(app_server.db_path, doc_id)

    page.reload()
    expect(page).to_have_url(re.compile(rf"/appendix\?doc={doc_id}$"))
    loaded(page, "People and links")
    assert_ui_shows_everything(page, "05-after-reload")

    app_server.restart()
    page.reload()
    loaded(page, "People and links")
    assert_ui_shows_everything(page, "06-after-restart")
    assert_db_holds_everything(app_server.db_path, doc_id)


def test_stale_save_is_refused_then_settled_keeping_mine(app_server, browser: Browser, page: Page) -> None:
    db = storage.connect(app_server.db_path, actor=storage.LOCAL)
    doc_id = storage.create(db=db, doc=new_postmortem("INC-E2E-CONFLICT", "Two editors")).id
    summary_url = f"{app_server.url}/summary?doc={doc_id}"
    theirs, mine = "Text from browser A, saved first.", "Text from browser B, typed on the old version."

    page.goto(summary_url)  # browser A
    expect(textbox(page, "Summary")).to_have_value("")
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        b = other.new_page()
        b.goto(summary_url)  # browser B loads version 1 too
        expect(textbox(b, "Summary")).to_have_value("")

        fill_and_blur(page, textbox(page, "Summary"), theirs)
        wait_saved(page, "Summary")
        wait_db(app_server.db_path, doc_id, lambda d: d.summary == theirs, "A's summary")

        fill_and_blur(b, textbox(b, "Summary"), mine)
        banner = b.get_by_text("Not saved: this post-mortem changed while you were editing", exact=False)
        expect(banner).to_be_visible()
        expect(b.get_by_text(theirs, exact=False).first).to_be_visible()  # their text beside mine
        expect(textbox(b, "Summary")).to_have_value(mine)
        shot(b, "07-conflict-banner")
        assert stored(app_server.db_path, doc_id).doc.summary == theirs

        b.get_by_text("Keep mine", exact=True).click()
        b.get_by_role("button", name="Save with these choices").click()
        wait_saved(b, "Summary")
        wait_db(app_server.db_path, doc_id, lambda d: d.summary == mine, "B's summary applied on top")
        expect(banner).to_be_hidden()
        expect(textbox(b, "Summary")).to_have_value(mine)
        shot(b, "08-conflict-applied")
        assert stored(app_server.db_path, doc_id).version == 3
    finally:
        other.close()


def test_markup_in_a_title_is_shown_as_text_and_never_runs(app_server, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = "<img src=x onerror=alert(1)>"
    doc_id = create_through_ui(page, app_server.url, "INC-E2E-XSS", hostile)
    assert stored(app_server.db_path, doc_id).doc.header.title == hostile

    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(f"INC-E2E-XSS · {hostile}")
    expect(page.get_by_role("textbox", name="Title", exact=True)).to_have_value(hostile)

    # Also typed into the header's own field, and shown on the pages that render the title as markdown.
    retyped = "<script>alert(2)</script> **not bold** <b>x</b>"
    fill_and_blur(page, page.get_by_role("textbox", name="Title", exact=True), retyped)
    wait_saved(page, "Title")
    expect(sidebar).to_contain_text(retyped)
    open_step(page, 14, "Export")
    expect(page.get_by_text(retyped, exact=False).first).to_be_visible()
    shot(page, "09-markup-title-export")
    page.reload()
    expect(page.get_by_test_id("stSidebar")).to_contain_text(retyped)
    idle(page)

    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("[...document.scripts].filter(s => s.text.includes('alert(')).length") == 0
    assert (
        page.locator("[data-testid=stSidebar] b, [data-testid=stSidebar] strong:text('not bold')").count()
        == 0
    )
    assert dialogs == []
