"""`notify` against real loopback servers: an SMTP server with a login and an HTTP server taking the
Slack, Teams and generic webhooks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from cli_helpers import main

import storage
from channels.run import run
from channels.settings import settings
from postmortem.models import ActionItem, Contact, DocStatus, Header, IncidentTimes, PostMortem
from postmortem.notify_prefs import Prefs
from storage import audit
from storage import notices as sent_table
from tests.notify_servers import AUTH_WITHOUT_TLS, BASE, NOW, smtp_url, start_http, start_smtp

pytestmark = AUTH_WITHOUT_TLS


@pytest.fixture
def servers():
    controller, inbox = start_smtp()
    http, hooks = start_http()
    yield inbox, hooks, controller.port, http.server_address[1]
    http.shutdown()
    controller.stop()


@pytest.fixture
def env(servers, monkeypatch):
    inbox, hooks, smtp_port, http_port = servers
    values = {
        "DEBRIEF_SMTP_URL": smtp_url(smtp_port),
        "DEBRIEF_SMTP_FROM": "debrief@example.org",
        "DEBRIEF_SLACK_WEBHOOK": f"http://127.0.0.1:{http_port}/slack",
        "DEBRIEF_TEAMS_WEBHOOK": f"http://127.0.0.1:{http_port}/teams",
        "DEBRIEF_WEBHOOK_URL": f"http://127.0.0.1:{http_port}/hook",
        "DEBRIEF_BASE_URL": BASE,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def _notify(db_path, capsys, *extra) -> dict:
    capsys.readouterr()
    code = main(["--db", str(db_path), "notify", "--json", *extra])
    result = json.loads(capsys.readouterr().out)
    assert code == 0, result
    return result


def test_demo_history_sends_exactly_the_planned_notices_then_nothing(db_path, env, servers, capsys):
    inbox, hooks, *_ = servers
    assert main(["--db", str(db_path), "demo", "--history"]) == 0
    planned = _notify(db_path, capsys, "--dry-run")["outcomes"]
    assert inbox.messages == [] and hooks.posts == []  # a dry run sends nothing
    sent = _notify(db_path, capsys)["outcomes"]
    assert [(o["notice_key"], o["channel"], o["target"]) for o in sent if o["status"] == "sent"] == [
        (o["notice_key"], o["channel"], o["target"]) for o in planned if o["status"] == "would send"
    ]
    emails = [o for o in sent if o["channel"] == "email"]
    assert sorted(rcpt for rcpts, _ in inbox.messages for rcpt in rcpts) == sorted(
        o["target"] for o in emails
    )
    for channel in ("slack", "teams", "webhook"):
        assert len(hooks.on(f"/{channel if channel != 'webhook' else 'hook'}")) == sum(
            o["channel"] == channel for o in sent
        )

    with storage.connect(db_path, actor=storage.LOCAL) as db:
        pricing = storage.find(db=db, key="INC-2026-0102")
    review = [m for rcpts, m in inbox.messages if m["Subject"].startswith("Review requested: INC-2026-0102")]
    assert [m["To"] for m in review] == ["lena.fischer@example.com"]
    assert f"{BASE}/?doc={pricing.id}" in review[0].get_content()
    assert review[0]["From"] == "debrief@example.org"
    assert any(b["subject"].startswith("Action items of SRE") for b in hooks.on("/hook"))

    # Counted from the documents themselves, not from the plan: one sign-off request per document in
    # review, one weekly digest per owner with an open item due by Sunday.
    with storage.connect(db_path, actor=storage.LOCAL) as db:
        docs = [storage.get(db=db, doc_id=row.id) for row in storage.list_documents(db=db)]
    in_review = {d.id for d in docs if d.doc.header.status is DocStatus.IN_REVIEW}
    keys = {o["notice_key"] for o in sent if o["status"] == "sent"}
    assert {k for k in keys if k.startswith("sign-off:")} == {f"sign-off:{i}:created" for i in in_review}
    today = datetime.now(UTC).date()
    sunday = today + timedelta(days=6 - today.weekday())
    owners = {
        i.owner
        for d in docs
        for i in d.doc.action_items
        if i.owner and i.due and i.due <= sunday and not i.status.is_closed
    }
    week = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
    assert {k for k in keys if k.startswith("digest:owner:")} == {f"digest:owner:{o}:{week}" for o in owners}
    assert not [
        k for k in keys if k.startswith("published:")
    ]  # the demo publishes nothing through the workflow

    before = (len(inbox.messages), len(hooks.posts))
    again = _notify(db_path, capsys)
    assert (len(inbox.messages), len(hooks.posts)) == before
    assert set(again["counts"]) == {"skipped"}


def _in_review(db) -> storage.Stored:
    doc = PostMortem(
        header=Header(
            incident_id="INC-9",
            title="Queue stalled",
            status=DocStatus.IN_REVIEW,
            reviewer_roles=["Platform lead"],
            author_role="Queue engineer",
        ),
        contacts=[Contact(name="Ben Example", role="Platform lead", contact="ben@example.org")],
    )
    return storage.create(db=db, doc=doc)


def test_a_failing_endpoint_is_retried_after_its_backoff_then_succeeds(db, servers):
    _, hooks, _, http_port = servers
    config = settings({"DEBRIEF_WEBHOOK_URL": f"http://127.0.0.1:{http_port}/hook", "DEBRIEF_BASE_URL": BASE})
    stored = _in_review(db)
    hooks.fail["/hook"] = 3  # both notices fail once, then one of them a second time
    first = run(db, config, NOW)
    assert {o.status for o in first} == {"failed"} and hooks.posts == []
    row = sent_table.get(db=db, notice_key=first[0].notice_key, channel="webhook", target=first[0].target)
    assert row.attempts == 1 and "500" in row.last_error
    assert row.next_retry_at == (NOW + timedelta(minutes=1)).isoformat(timespec="seconds")
    assert {o.status for o in run(db, config, NOW + timedelta(seconds=30))} == {"skipped"}  # still waiting
    second = run(db, config, NOW + timedelta(minutes=1))  # one endpoint failure left: the backoff doubles
    assert any(o.status == "failed" for o in second)
    waits = [
        sent_table.get(db=db, notice_key=o.notice_key, channel="webhook", target=o.target).next_retry_at
        for o in second
        if o.status == "failed"
    ]
    assert waits == [(NOW + timedelta(minutes=3)).isoformat(timespec="seconds")]
    run(db, config, NOW + timedelta(minutes=3))
    keys = sorted(b["key"] for b in hooks.on("/hook"))
    assert keys == sorted({f"review:{stored.id}:created", f"sign-off:{stored.id}:created"})
    assert all(b["link"] == f"{BASE}/?doc={stored.id}" for b in hooks.on("/hook"))
    assert {o.status for o in run(db, config, NOW + timedelta(hours=1))} == {"skipped"}


def test_the_announcement_uses_the_engineering_text_without_names(db, servers):
    _, hooks, _, http_port = servers
    config = settings(
        {
            "DEBRIEF_SLACK_WEBHOOK": f"http://127.0.0.1:{http_port}/slack",
            "DEBRIEF_TEAMS_WEBHOOK": f"http://127.0.0.1:{http_port}/teams",
            "DEBRIEF_BASE_URL": BASE,
        }
    )
    closed = NOW - timedelta(days=30)
    doc = PostMortem(
        header=Header(
            incident_id="INC-7",
            title="Disk filled on the build cache",
            status=DocStatus.FINAL,
            times=IncidentTimes(detected_at=closed, resolved_at=closed, closed_at=closed),
        ),
        summary="The build cache filled its disk; builds queued for 40 minutes.",
        action_items=[ActionItem(title="Alert at 80 % disk use", owner="Zofia Quist")],
        contacts=[
            Contact(name="Zofia Quist", role="Build engineer", contact="zofia@example.org"),
            Contact(name="Yusuf Marlowe", role="Incident commander"),
        ],
    )
    stored = storage.create(db=db, doc=doc)
    assert not [o for o in run(db, config, NOW) if o.kind == "announcement"]  # not published yet
    published = doc.model_copy(
        update={"header": doc.header.model_copy(update={"status": DocStatus.PUBLISHED})}
    )
    audit.save_status_change(
        db=db, doc_id=stored.id, before=doc, after=published, expected_version=stored.version
    )
    hooks.posts.clear()
    run(db, config, NOW)
    slack = [b["text"] for b in hooks.on("/slack") if "Published: INC-7" in b["text"]]
    teams = [json.dumps(b) for b in hooks.on("/teams") if "Published: INC-7" in json.dumps(b)]
    assert len(slack) == 1 and len(teams) == 1
    assert (
        "builds queued for 40 minutes" in slack[0]
        and f"<{BASE}/?doc={stored.id}|Open in Debrief>" in slack[0]
    )
    for text in slack + teams:
        assert "Zofia" not in text and "Quist" not in text and "Yusuf" not in text
    card = json.loads(teams[0])["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["actions"][0]["url"] == f"{BASE}/?doc={stored.id}"


def test_preferences_turn_kinds_off_and_gather_the_rest_in_one_daily_digest(db, servers, db_path):
    inbox, _, smtp_port, _ = servers
    config = settings(
        {
            "DEBRIEF_SMTP_URL": smtp_url(smtp_port),
            "DEBRIEF_BASE_URL": BASE,
        }
    )
    _in_review(db)
    second = PostMortem(
        header=Header(
            incident_id="INC-10",
            title="Cache misses",
            status=DocStatus.IN_REVIEW,
            reviewer_roles=["Platform lead"],
        ),
        contacts=[
            Contact(name="Ben Example", role="Platform lead", contact="ben@example.org"),
            Contact(name="Cleo Example", role="Incident commander", contact="cleo@example.org"),
        ],
    )
    storage.create(db=db, doc=second)
    sent_table.set_prefs(db, "ben@example.org", Prefs(daily_digest=True))
    sent_table.set_prefs(db, "Cleo@example.org", Prefs(kinds=("review requested",)))
    outcomes = run(db, config, NOW)
    assert [o.detail for o in outcomes if o.target == "cleo@example.org"] == [
        "turned off in this person's preferences"
    ]
    assert [(rcpts, m["Subject"]) for rcpts, m in inbox.messages] == [
        (["ben@example.org"], f"Debrief: 2 notices for {NOW.date()}")
    ]
    body = inbox.messages[0][1].get_content()
    assert "Review requested: INC-9" in body and "Review requested: INC-10" in body
    assert {o.status for o in run(db, config, NOW + timedelta(hours=2))} == {"skipped"}
    assert len(inbox.messages) == 1


def test_a_wrong_password_is_a_recorded_failure_not_a_crash(db, servers):
    inbox, _, smtp_port, _ = servers
    config = settings({"DEBRIEF_SMTP_URL": smtp_url(smtp_port, "wrong")})
    _in_review(db)
    outcomes = [o for o in run(db, config, NOW) if o.channel == "email"]
    assert outcomes and {o.status for o in outcomes} == {"failed"}
    failed = sent_table.failures(db=db)[0]
    assert failed.attempts == 1 and "SMTPAuthenticationError" in failed.last_error
    assert inbox.messages == []


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://host", "DEBRIEF_SMTP_URL must look like"),
        ("smtp+starttls://", "DEBRIEF_SMTP_URL must look like"),
    ],
)
def test_a_bad_smtp_url_is_one_clear_error(db_path, monkeypatch, capsys, url, message):
    monkeypatch.setenv("DEBRIEF_SMTP_URL", url)
    assert main(["--db", str(db_path), "notify"]) == 2
    assert message in capsys.readouterr().err


def test_without_any_channel_notify_says_what_to_set(db_path, monkeypatch, capsys):
    for name in ("DEBRIEF_SMTP_URL", "DEBRIEF_SLACK_WEBHOOK", "DEBRIEF_TEAMS_WEBHOOK", "DEBRIEF_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--db", str(db_path), "notify"]) == 2
    assert "no channel is configured" in capsys.readouterr().err
