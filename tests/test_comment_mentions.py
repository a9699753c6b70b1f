"""A mention in a comment reaches the mentioned person through `notify`: by e-mail on the loopback SMTP
server, with the comment and a link to its step, once; respecting their preferences; and a role
mention reaches the contacts holding the role."""

from __future__ import annotations

from datetime import timedelta

import pytest

import storage
from channels.run import run
from channels.settings import settings
from postmortem.comments import Mention, Target, TargetKind
from postmortem.models import Contact, Header, PostMortem
from postmortem.notify_prefs import Prefs
from storage import comments, users
from storage import notices as sent_table
from storage.access import bind
from tests.notify_servers import AUTH_WITHOUT_TLS, BASE, NOW, smtp_url, start_smtp

pytestmark = AUTH_WITHOUT_TLS


@pytest.fixture
def smtp():
    controller, inbox = start_smtp()
    yield (
        inbox,
        settings(
            {
                "DEBRIEF_SMTP_URL": smtp_url(controller.port),
                "DEBRIEF_BASE_URL": BASE,
            }
        ),
    )
    controller.stop()


@pytest.fixture
def thread(db):
    """rex (reviewer) asks ann (author) and the platform lead a question on a draft's timeline."""
    admin = users.sign_in(db=db, identity="admin@example.org")
    bind(db, admin)
    for identity, role in (("ann@example.org", "author"), ("rex@example.org", "reviewer")):
        users.sign_in(db=db, identity=identity)
        users.set_role(db=db, identity=identity, role=role)
    doc = PostMortem(
        header=Header(incident_id="INC-31", title="Queue stalled"),
        contacts=[Contact(name="Pat Example", role="Platform lead", contact="pat@example.org")],
    )
    doc_id = storage.create(db=db, doc=doc).id
    rex = bind(
        storage.connect(db.conn.execute("pragma database_list").fetchone()[2], actor=storage.LOCAL),
        users.actor_for(db=db, identity="rex@example.org"),
    )
    thread_id = comments.start(
        db=rex,
        doc_id=doc_id,
        step="went-well",
        body="@ann@example.org is 14:02 from the pager?",
        target=Target(TargetKind.SECTION, "went-well", "The whole step"),
        mentions=[
            Mention("user", "ann@example.org"),
            Mention("role", "Platform lead"),
            Mention("user", "rex@example.org"),
        ],
    )
    return db, doc_id, thread_id


def mention_mail(inbox) -> list[tuple[list[str], object]]:
    return [(rcpts, m) for rcpts, m in inbox.messages if m["Subject"].startswith("You were mentioned")]


def test_mentioned_people_get_the_comment_and_a_link_once(thread, smtp):
    db, doc_id, thread_id = thread
    inbox, config = smtp
    run(db, config, NOW)
    sent = mention_mail(inbox)
    assert sorted(r for rcpts, _ in sent for r in rcpts) == [
        "ann@example.org",
        "pat@example.org",
    ]  # not the writer
    body = sent[0][1].get_content()
    assert "is 14:02 from the pager?" in body and "rex@example.org mentioned" in body
    assert f"{BASE}/went_well?doc={doc_id}&thread={thread_id}" in body
    assert sent[0][1]["Subject"] == "You were mentioned: INC-31 Queue stalled"
    assert not [
        o for o in run(db, config, NOW + timedelta(minutes=5)) if o.kind == "mention" and o.status == "sent"
    ]
    assert len(mention_mail(inbox)) == 2


def test_a_person_who_turned_mentions_off_gets_none(thread, smtp):
    db, _, _ = thread
    inbox, config = smtp
    sent_table.set_prefs(db, "ann@example.org", Prefs(kinds=("review requested",)))
    outcomes = [o for o in run(db, config, NOW) if o.kind == "mention"]
    assert [(o.target, o.status) for o in outcomes if o.target == "ann@example.org"] == [
        ("ann@example.org", "skipped")
    ]
    assert [rcpts for rcpts, _ in mention_mail(inbox)] == [["pat@example.org"]]


def test_mentions_in_a_binned_post_mortem_are_not_sent(thread, smtp):
    db, doc_id, _ = thread
    inbox, config = smtp
    storage.delete(db=db, doc_id=doc_id)
    run(db, config, NOW)
    assert mention_mail(inbox) == []


def test_the_link_in_a_mention_is_the_address_of_each_step_page():
    """The notice builds a step's address from its slug (pure code cannot read the page list): it must
    be the page script's name without its number, which is how Streamlit names the page's URL."""
    import re

    from components.steps import STEPS
    from postmortem.comments import Mentioned
    from postmortem.notices import mention_notices

    doc = PostMortem(header=Header(incident_id="INC-1", title="T"))
    for step in STEPS:
        [notice] = mention_notices(
            [Mentioned(1, 2, 3, step.slug, "x", "body", "a@example.org", "user", "b@example.org")],
            {3: doc},
            BASE,
        )
        page = re.sub(r"^\d+_", "", step.script.rsplit("/", 1)[-1].removesuffix(".py"))
        assert notice.link == f"{BASE}/{page}?doc=3&thread=2"


def test_someone_who_may_not_read_the_post_mortem_is_not_sent_its_comment(thread, smtp):
    db, doc_id, _ = thread
    inbox, config = smtp
    users.sign_in(db=db, identity="vic@example.org")  # a viewer, mentioned in a restricted post-mortem
    rex = bind(
        storage.connect(db.conn.execute("pragma database_list").fetchone()[2], actor=storage.LOCAL),
        users.actor_for(db=db, identity="rex@example.org"),
    )
    comments.start(
        db=rex,
        doc_id=doc_id,
        step="summary",
        body="@vic@example.org secret detail",
        target=Target(TargetKind.SECTION, "summary", "The whole step"),
        mentions=[Mention("user", "vic@example.org")],
    )
    users.set_restricted(db=db, doc_id=doc_id, restricted=True)
    run(db, config, NOW)
    # Neither the viewer nor the author (the admin owns it) may read it now; the role's contact still hears.
    assert [r for rcpts, _ in mention_mail(inbox) for r in rcpts] == ["pat@example.org"]
