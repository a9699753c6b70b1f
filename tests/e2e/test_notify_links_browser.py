"""In Chromium: the link in a mention e-mail (sent by a real notify run to a loopback SMTP server) opens
the step with the thread marked and scrolled into view, a resolved one too; and a person's choices on
My notifications survive a reload and a server restart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

import storage
from channels.run import run
from channels.settings import settings
from postmortem.comments import Mention, Target, TargetKind
from storage import comments
from storage import notices as prefs_table
from storage.access import LOCAL
from tests.conftest import build_postmortem
from tests.e2e.conftest import AppServer
from tests.e2e.e2e_helpers import idle, run_and_wait, shot, unfold
from tests.e2e.test_comments_browser import ENV, acting, people, signed_in
from tests.notify_servers import AUTH_WITHOUT_TLS, NOW, smtp_url, start_smtp

pytestmark = [pytest.mark.e2e, AUTH_WITHOUT_TLS]


def _seed(path: Path) -> tuple[int, int]:
    """ann's post-mortem with five threads from rex on its summary; the last mentions ann, the first
    is resolved. Returns the ids of the mention's thread and the resolved one."""
    db = people(path)
    doc_id = storage.create(db=acting(path, "ann@example.com"), doc=build_postmortem()).id
    rex = acting(path, "rex@example.com")
    whole = Target(TargetKind.SECTION, "summary", "The whole step")
    ids = [
        comments.start(
            db=rex, doc_id=doc_id, step="summary", target=whole, body=f"Question {n} about the summary"
        )
        for n in range(1, 5)
    ]
    mention = comments.start(
        db=rex,
        doc_id=doc_id,
        step="summary",
        target=whole,
        body="@ann@example.com which pager fired first, the API or the database one?",
        mentions=[Mention("user", "ann@example.com")],
    )
    comments.resolve(db=rex, thread_id=ids[0])
    db.close()
    return mention, ids[0]


def _mailed_link(path: Path, base_url: str) -> str:
    controller, inbox = start_smtp()
    try:
        config = settings({"DEBRIEF_SMTP_URL": smtp_url(controller.port), "DEBRIEF_BASE_URL": base_url})
        run(storage.connect(path, actor=LOCAL), config, NOW)
    finally:
        controller.stop()
    [(rcpts, mail)] = [(r, m) for r, m in inbox.messages if m["Subject"].startswith("You were mentioned")]
    assert rcpts == ["ann@example.com"]
    return re.search(r"Open in Debrief: (\S+)", mail.get_content()).group(1)


def test_the_link_in_a_mention_opens_the_step_at_its_thread(browser: Browser, tmp_path: Path):
    path = tmp_path / "e2e.db"
    mention, resolved = _seed(path)
    server = AppServer(path, env={**ENV, "DEBRIEF_SLACK_WEBHOOK": "http://127.0.0.1:9/slack"})
    link = _mailed_link(path, server.url)
    assert link == f"{server.url}/summary?doc=1&thread={mention}"
    server.start()
    try:
        ann = signed_in(browser, "ann@example.com")
        ann.set_viewport_size({"width": 1400, "height": 700})  # the panel starts below the fold
        ann.goto(link)
        box = ann.locator(f".st-key-cm-thread-{mention}")
        expect(box.get_by_text("which pager fired first, the API or the database one?")).to_be_visible(
            timeout=30_000
        )
        expect(box.get_by_text("The thread your link points to")).to_be_visible()
        expect(box).to_be_in_viewport(timeout=10_000)
        shot(ann, "mention-link-thread")

        ann.goto(link.replace(f"thread={mention}", f"thread={resolved}"))
        old = ann.locator(f".st-key-cm-thread-{resolved}")
        expect(old.get_by_text("Question 1 about the summary")).to_be_visible(timeout=30_000)
        expect(old).to_be_in_viewport(timeout=10_000)

        # Where a mention is written, the form says how a role mention travels (no address: chat).
        idle(ann)
        unfold(ann, "Start a thread")
        hint = ann.get_by_text("Who a mention reaches.")
        hint.scroll_into_view_if_needed()
        expect(
            ann.get_by_text("@incident-commander → the shared Slack channel, with the comment's text")
        ).to_be_visible()
        shot(ann, "mention-reach-hint")
    finally:
        server.stop()


def test_my_notifications_choices_survive_a_reload_and_a_restart(browser: Browser, tmp_path: Path):
    path = tmp_path / "e2e.db"
    _seed(path)
    server = AppServer(path, env={**ENV, "DEBRIEF_SLACK_WEBHOOK": "http://127.0.0.1:9/slack"})
    server.start()
    try:
        ann = signed_in(browser, "ann@example.com")
        ann.goto(server.url)
        ann.get_by_role("link", name="My notifications").click()
        expect(ann.get_by_role("heading", name="My notifications")).to_be_visible(timeout=30_000)
        idle(ann)
        ann.get_by_text("Mentions of me or my role in a comment").click()
        ann.get_by_text("Slack (the team's channel, addressed to you)").click()
        ann.get_by_text("One daily digest instead of each notice").click()
        run_and_wait(ann, ann.get_by_role("button", name="Save preferences").click)
        expect(ann.get_by_text("Preferences saved")).to_be_visible()
        shot(ann, "my-notifications")
        prefs = prefs_table.get_prefs(storage.connect(path, actor=LOCAL), "ann@example.com")
        assert (prefs.wants("mention"), prefs.channel, prefs.daily_digest) == (False, "slack", True)

        server.restart()
        ann.reload()
        expect(ann.get_by_role("heading", name="My notifications")).to_be_visible(timeout=30_000)
        idle(ann)
        expect(ann.get_by_role("checkbox", name="Mentions of me or my role in a comment")).not_to_be_checked()
        expect(ann.get_by_role("checkbox", name="Deadlines of post-mortems I write")).to_be_checked()
        expect(ann.get_by_role("radio", name="Slack (the team's channel, addressed to you)")).to_be_checked()
        expect(ann.get_by_role("switch", name="One daily digest instead of each notice")).to_be_checked()

        admin = signed_in(browser, "admin@example.com")  # an admin sees and changes them on the Admin page
        admin.goto(server.url + "/admin")
        expect(admin.get_by_role("heading", name="Admin")).to_be_visible(timeout=30_000)
        idle(admin)
        run_and_wait(admin, admin.get_by_text("Notification preferences of a user").click, start_within=1)
        box = admin.get_by_role("combobox", name="Whose preferences")
        box.click()
        admin.keyboard.type("ann@")
        admin.keyboard.press("Enter")
        idle(admin)
        form = admin.get_by_test_id("stForm").filter(has_text="Tell me about")
        expect(form.get_by_role("radio", name="Slack (the team's channel, addressed to you)")).to_be_checked()
        form.get_by_text("Nowhere: no notices for me").click()
        run_and_wait(admin, form.get_by_role("button", name="Save preferences").click)
        expect(admin.get_by_text("Preferences saved")).to_be_visible()
        shot(admin, "admin-notification-prefs")
        assert prefs_table.get_prefs(storage.connect(path, actor=LOCAL), "ann@example.com").channel == "none"
    finally:
        server.stop()
