"""The issue's done-when, in Chromium with two people signed in through the proxy (with its shared
secret): a reviewer leaves three comments, one mentioning the author; the author resolves them; Final
is refused while one is open, until the incident commander overrides with a written reason; a reload
and a server restart keep all of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import storage
from postmortem import review
from postmortem.models import AllspawCheck, DocStatus
from storage import audit, comments, users
from storage.access import LOCAL, bind
from tests.conftest import build_postmortem
from tests.e2e.conftest import AppServer
from tests.e2e.e2e_helpers import fill_and_blur, idle, run_and_wait, shot, unfold

SECRET = "a-shared-secret-the-proxy-and-debrief-know"
ENV = {"DEBRIEF_AUTH": "proxy", "DEBRIEF_TRUSTED_PROXIES": "", "DEBRIEF_PROXY_SECRET": SECRET}


def ready_for_final():
    """The test post-mortem with every other gate passed, so only the threads can hold Final back."""
    doc = build_postmortem()
    item = doc.action_items[0].model_copy(
        update={
            "acceptance_criteria": "CI rejects a config push with an unknown key in 100% of 20 test pushes",
            "due": doc.action_items[0].due - timedelta(days=3),
        }
    )
    return doc.model_copy(
        update={
            "action_items": [item],
            "allspaw": AllspawCheck(
                role="payments on-call engineer", fair=True, at=datetime(2026, 3, 5, tzinfo=UTC)
            ),
        }
    )


def people(path: Path) -> storage.Database:
    """admin, ann (author) and rex (reviewer) on a new database; a connection acting for the admin."""
    db = storage.connect(path, actor=LOCAL)
    bind(db, users.sign_in(db=db, identity="admin@example.com"))
    for identity, role in (("ann@example.com", "author"), ("rex@example.com", "reviewer")):
        users.sign_in(db=db, identity=identity)
        users.set_role(db=db, identity=identity, role=role)
    return db


def acting(path: Path, identity: str) -> storage.Database:
    return storage.connect(
        path, actor=users.actor_for(db=storage.connect(path, actor=LOCAL), identity=identity)
    )


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """ann (author) owns a post-mortem in review; rex is a reviewer (the incident commander)."""
    path = tmp_path / "e2e.db"
    db = people(path)
    ann = acting(path, "ann@example.com")
    stored = storage.create(db=ann, doc=ready_for_final())
    after = review.transition(stored.doc, DocStatus.IN_REVIEW, at=datetime.now(UTC))
    audit.save_status_change(
        db=ann, doc_id=stored.id, before=stored.doc, after=after, expected_version=stored.version
    )
    db.close()
    return path


def signed_in(browser: Browser, identity: str) -> Page:
    context = browser.new_context(
        viewport={"width": 1400, "height": 1100},
        extra_http_headers={"X-Forwarded-User": identity, "X-Debrief-Proxy-Secret": SECRET},
    )
    return context.new_page()


def open_step(page: Page, url: str) -> None:
    page.goto(url)
    expect(
        page.get_by_role("heading", name="Comments")
        .or_(page.get_by_role("heading", name="Comments", exact=False))
        .first
    ).to_be_visible(timeout=30_000)
    idle(page)


def post(page: Page, text: str) -> None:
    unfold(page, "Start a thread")
    page.get_by_role("textbox", name="New comment").fill(text)
    run_and_wait(page, page.get_by_role("button", name="Post the comment").click)
    expect(page.get_by_text("Comment posted")).to_be_visible(timeout=10_000)


def thread_box(page: Page, thread_id: int):
    return page.locator(f".st-key-cm-thread-{thread_id}")


def mark_final(page: Page) -> None:
    fill_and_blur(page, page.get_by_role("textbox", name="Incident commander (signs off)"), "Rex Example")
    idle(page)
    run_and_wait(page, page.get_by_role("button", name="Mark final (incident commander signs off)").click)


def test_review_with_comments_and_the_open_threads_gate(browser: Browser, seeded: Path):
    server = AppServer(seeded, env=ENV)
    server.start()
    try:
        rex = signed_in(browser, "rex@example.com")
        open_step(rex, server.url + "/summary?doc=1")
        post(rex, "@ann@example.com is the 1,200 from the pager or from chat?")
        post(rex, "Could the summary say when the rollback finished?")
        post(rex, "Which dashboard showed the error rate?")
        expect(rex.get_by_role("heading", name="Comments (3 open)")).to_be_visible()
        expect(rex.get_by_role("link", name="Summary · 3 open threads")).to_be_visible()
        shot(rex, "comments-reviewer")
        threads = comments.threads(db=storage.connect(seeded, actor=storage.LOCAL), doc_id=1)
        assert [(m.kind, m.who) for m in threads[0].comments[0].mentions] == [("user", "ann@example.com")]

        ann = signed_in(browser, "ann@example.com")
        open_step(ann, server.url + "/summary?doc=1")
        expect(ann.get_by_text("is the 1,200 from the pager or from chat?")).to_be_visible()
        first = thread_box(ann, threads[0].id)
        first.get_by_role("textbox", name="Reply").fill("From the pager export.")
        run_and_wait(ann, first.get_by_role("button", name="Reply").click)
        for thread in threads[:2]:
            run_and_wait(ann, thread_box(ann, thread.id).get_by_role("button", name="Resolve").click)
        expect(ann.get_by_role("heading", name="Comments (1 open)")).to_be_visible()

        rex.goto(server.url + "/review?doc=1")
        expect(rex.get_by_text("No open comment threads").first).to_be_visible(timeout=30_000)
        idle(rex)
        mark_final(rex)
        expect(rex.get_by_text("Final is blocked by")).to_be_visible()
        assert (
            storage.get(db=storage.connect(seeded, actor=storage.LOCAL), doc_id=1).doc.header.status
            is DocStatus.IN_REVIEW
        )
        run_and_wait(rex, rex.get_by_text("Go ahead with 1 open thread").click, start_within=0.5)
        fill_and_blur(
            rex,
            rex.get_by_role("textbox", name="Why Final may go ahead with open questions"),
            "The dashboard question is answered in the review meeting notes.",
        )
        idle(rex)
        shot(rex, "comments-final-blocked-override")
        run_and_wait(rex, rex.get_by_role("button", name="Record the override").click)
        expect(rex.get_by_text("answered in the review meeting notes").first).to_be_visible()
        mark_final(rex)
        expect(rex.get_by_text("Status: final")).to_be_visible(timeout=10_000)
        shot(rex, "comments-final-after-override")

        server.restart()
        ann.reload()
        expect(ann.get_by_role("heading", name="Comments (1 open)")).to_be_visible(timeout=30_000)
        idle(ann)
        run_and_wait(ann, ann.get_by_text("Resolved threads (2)").click, start_within=1)
        expect(ann.get_by_text("From the pager export.")).to_be_visible()
        expect(ann.get_by_text("resolved by")).to_have_count(2)
        expect(ann.get_by_text("Which dashboard showed the error rate?")).to_be_visible()
        shot(ann, "comments-after-restart")
    finally:
        server.stop()
