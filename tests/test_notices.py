"""The notices the domain computes: who gets what, when, under which stable key."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from postmortem.models import Contact, ContactKind, DocStatus, Header, IncidentTimes, PostMortem
from postmortem.notices import (
    DocFacts,
    Kind,
    OpenItem,
    Recipient,
    deadline_notices,
    digests,
    notices_for,
    review_notices,
)
from postmortem.severity import deadline_for, first_draft_due

BASE = "https://debrief.example.org"
CLOSED = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # a Monday


def _doc(status: DocStatus = DocStatus.DRAFT, summary: str = "", **header) -> PostMortem:
    times = IncidentTimes(detected_at=CLOSED, resolved_at=CLOSED, closed_at=CLOSED)
    return PostMortem(
        header=Header(
            incident_id="INC-1",
            title="Queue stalled",
            status=status,
            times=times,
            author_role="Queue engineer",
            reviewer_roles=["Platform lead"],
            **header,
        ),
        summary=summary,
        contacts=[
            Contact(name="Ana Example", role="Queue engineer", contact="ana@example.org"),
            Contact(name="Ben Example", role="platform lead", contact="ben@example.org", team="Platform"),
            Contact(name="Platform", kind=ContactKind.TEAM, contact="#platform"),
        ],
    )


def test_review_goes_to_reviewers_by_role_and_sign_off_to_the_commander_role():
    found = review_notices(DocFacts(7, _doc(DocStatus.IN_REVIEW), {"in review": "a12"}), BASE)
    assert [(n.kind, n.key) for n in found] == [
        (Kind.REVIEW, "review:7:a12"),
        (Kind.SIGN_OFF, "sign-off:7:a12"),
    ]
    assert found[0].recipients == (Recipient("Ben Example", "ben@example.org"),)
    assert found[1].recipients == (Recipient("incident commander"),)  # no contact holds it: the role is named
    assert found[0].link == f"{BASE}/?doc=7"


@pytest.mark.parametrize("status", [DocStatus.DRAFT, DocStatus.FINAL, DocStatus.PUBLISHED])
def test_no_review_notice_outside_review(status):
    assert review_notices(DocFacts(7, _doc(status)), BASE) == []


def test_deadlines_two_business_days_before_and_when_passed_reuse_the_domain_dates():
    doc = _doc()
    draft_due, publish_due = first_draft_due(doc, country="US"), deadline_for(doc, country="US")

    def keys(today: date) -> list[str]:
        return [n.key for n in deadline_notices(DocFacts(3, doc), BASE, today, country="US")]

    assert keys(date(2026, 3, 2)) == []  # closed today: three business days to the first draft
    assert keys(draft_due) == [f"deadline:3:first draft:{draft_due}:soon"]
    assert f"deadline:3:first draft:{draft_due}:passed" in keys(date(2026, 3, 6))
    assert keys(publish_due)[-1] == f"deadline:3:publication:{publish_due}:soon"
    late = deadline_notices(DocFacts(3, doc), BASE, date(2026, 6, 1), country="US")
    assert {n.recipients for n in late} == {(Recipient("Ana Example", "ana@example.org"),)}
    assert all("Deadline passed" in n.subject for n in late)


def test_a_drafted_document_gets_no_first_draft_notice_and_a_published_one_none():
    assert all(
        "first draft" not in n.key
        for n in deadline_notices(DocFacts(3, _doc(summary="Text.")), BASE, date(2026, 6, 1), country="US")
    )
    assert (
        deadline_notices(DocFacts(3, _doc(DocStatus.PUBLISHED)), BASE, date(2026, 6, 1), country="US") == []
    )


def test_digest_per_owner_and_per_team_holds_overdue_and_this_week_only():
    today = date(2026, 3, 11)  # a Wednesday; the week ends Sunday 15 March
    items = [
        OpenItem(1, "INC-1", "Add the alert", "Ben Example", "2026-03-01"),
        OpenItem(1, "INC-1", "Write the runbook", "Ben Example", "2026-03-15"),
        OpenItem(1, "INC-1", "Later work", "Ben Example", "2026-03-16"),
        OpenItem(1, "INC-1", "Unowned", "", "2026-03-01"),
    ]
    found = digests(items, {1: _doc()}, BASE, today)
    owner, team = found
    assert owner.key == "digest:owner:Ben Example:2026-W11" and owner.recipients[0].email == "ben@example.org"
    assert team.key == "digest:team:Platform:2026-W11" and team.broadcast
    assert (
        "overdue 2026-03-01: Add the alert" in owner.body
        and "due 2026-03-15: Write the runbook" in owner.body
    )
    assert "Later work" not in owner.body and f"{BASE}/?doc=1" in owner.body


def test_keys_are_stable_across_runs():
    facts = [DocFacts(4, _doc(DocStatus.IN_REVIEW), {"in review": "a3"})]
    first = notices_for(facts, [], {}, BASE, date(2026, 6, 1), country="US")
    assert [n.key for n in first] == [
        n.key for n in notices_for(facts, [], {}, BASE, date(2026, 6, 1), country="US")
    ]
    assert len({n.key for n in first}) == len(first)


def test_smtp_urls_choose_the_security_and_port():
    from channels.settings import smtp

    assert smtp("smtp+starttls://me%40x.org:p%20w@mail.x.org").__dict__ == {
        "host": "mail.x.org",
        "port": 587,
        "security": "starttls",
        "username": "me@x.org",
        "password": "p w",
        "sender": "me@x.org",
        "ca_file": "",
    }
    assert (smtp("smtps://mail.x.org").port, smtp("smtps://mail.x.org").security) == (465, "tls")
    assert smtp("smtp://localhost:2525", "ops@x.org").sender == "ops@x.org"


def test_chat_payloads_keep_user_text_as_text():
    from channels.webhooks import generic, slack, teams
    from postmortem.notices import Notice

    notice = Notice("k", Kind.REVIEW, "Review <!channel> & co", "Body <https://evil|click>", f"{BASE}/?doc=1")
    text = slack(notice, "Platform lead")["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; co" in text and "<https://evil" not in text
    assert text.endswith(f"<{BASE}/?doc=1|Open in Debrief>")
    assert teams(notice)["attachments"][0]["content"]["body"][0]["text"] == notice.subject
    assert generic(notice)["link"] == f"{BASE}/?doc=1"


def test_the_deployment_guide_runs_notify_every_five_minutes():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[1] / "docs" / "deploy.md").read_text(encoding="utf-8")
    section = guide.split("## Notifications", 1)[1].split("\n## ", 1)[0]
    assert "OnCalendar=*:0/5" in section and "*/5 * * * *" in section
    assert section.count("/bin/debrief --db /var/lib/debrief/debrief.db --as admin@example.org notify") == 2


def test_a_subject_is_one_line_and_a_long_announcement_is_cut_at_a_line():
    from postmortem.notices import ANNOUNCEMENT_CHARS, announcement

    doc = _doc(DocStatus.IN_REVIEW)
    doc = doc.model_copy(update={"header": doc.header.model_copy(update={"title": "Queue\nBcc: x@evil.org"})})
    assert all("\n" not in n.subject for n in review_notices(DocFacts(1, doc), BASE))
    published = doc.model_copy(
        update={"header": doc.header.model_copy(update={"status": DocStatus.PUBLISHED})}
    )
    long_text = "\n".join(f"Line {n} of the engineering text." for n in range(400))
    [notice] = announcement(DocFacts(1, published, {"published": "a9"}), BASE, long_text)
    assert len(notice.body) < ANNOUNCEMENT_CHARS + 60 and notice.body.endswith(
        "(the whole post-mortem is in Debrief)"
    )
    assert announcement(DocFacts(1, published), BASE, long_text) == []  # no publication in the audit trail


def test_the_hint_says_how_a_role_mention_travels():
    from postmortem.models import Contact, Header, PostMortem
    from postmortem.notices import mention_reach

    doc = PostMortem(
        header=Header(incident_id="INC-1", title="T"),
        contacts=[
            Contact(name="Cleo Example", role="Incident commander", contact="cleo@example.org"),
            Contact(name="Dee Example", role="DB oncall", contact="#db-oncall"),
        ],
    )
    roles = ["Incident commander", "DB oncall"]
    assert mention_reach(doc, roles, email_on=True, chats=["slack"]) == [
        "@incident-commander → e-mail to the 1 contact holding it",
        "@db-oncall → the shared Slack channel, with the comment's text",
    ]
    assert mention_reach(doc, roles, email_on=False, chats=["slack", "teams"])[0] == (
        "@incident-commander → the shared Slack and Microsoft Teams channels, with the comment's text"
    )
    assert mention_reach(doc, ["DB oncall"], email_on=True, chats=[]) == [
        "@db-oncall → nobody yet: no contact holding it has an address and no chat channel is set up"
    ]
