"""What Debrief tells people, and whom: notices computed from documents and action items. Pure: the
caller passes the documents, the tracker rows, the audit tokens and the announcement text in;
channels/ sends, storage/notices.py remembers what was sent.

Every notice has a stable key, so a run that finds the same situation again sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from postmortem.comments import Mentioned, role_handle
from postmortem.models import ContactKind, DocStatus, PostMortem
from postmortem.review import is_read_only
from postmortem.severity import business_days_between, deadline_for, first_draft_due

WARN_BUSINESS_DAYS = 2  # a deadline notice goes out this many business days before the date
ANNOUNCEMENT_CHARS = 3000  # chat messages have limits (Slack cuts at 40,000, Teams cards near 28 KB)
COMMANDER_ROLE = "incident commander"


class Kind(StrEnum):
    REVIEW = "review requested"
    SIGN_OFF = "sign-off needed"
    DEADLINE = "deadline"
    OWNER_DIGEST = "weekly digest"
    TEAM_DIGEST = "team digest"
    ANNOUNCEMENT = "announcement"
    MENTION = "mention"
    DAILY_DIGEST = "daily digest"


@dataclass(frozen=True)
class Recipient:
    """Someone a notice is for: the role or name it was addressed to, and an e-mail address when the
    document's contacts give one (else the notice goes to the shared chat channels)."""

    label: str
    email: str = ""
    identity: str = ""  # a signed-in user's identity (a mention), whose preferences may give the address


@dataclass(frozen=True)
class Notice:
    key: str
    kind: Kind
    subject: str
    body: str
    link: str
    recipients: tuple[Recipient, ...] = ()  # empty: a broadcast to the shared channels
    doc_id: int | None = None  # the post-mortem it is about, when one is (who may read it may be told)

    @property
    def broadcast(self) -> bool:
        return not self.recipients


@dataclass(frozen=True)
class DocFacts:
    """One stored document as the notices need it; `tokens` name the audit rows of its latest
    status changes, so a second round of review is a new notice and the same round is not."""

    doc_id: int
    doc: PostMortem
    tokens: dict[str, str] = field(default_factory=dict)


def link_to(base_url: str, doc_id: int) -> str:
    return f"{base_url.rstrip('/')}/?doc={doc_id}"


def _email(text: str) -> str:
    text = text.strip()
    return text if "@" in text and not text.startswith(("@", "#")) and " " not in text else ""


def recipients_for_role(doc: PostMortem, role: str) -> tuple[Recipient, ...]:
    """The contacts holding `role` (case and spacing ignored), or the role itself when none does."""
    wanted = " ".join(role.lower().split())
    found = tuple(
        Recipient(c.name, _email(c.contact))
        for c in doc.contacts
        if " ".join(c.role.lower().split()) == wanted
    )
    return found or (Recipient(role),)


def recipient_named(doc: PostMortem | None, name: str) -> Recipient:
    contact = next(
        (c for c in (doc.contacts if doc else []) if c.name.strip().lower() == name.strip().lower()), None
    )
    return Recipient(name, _email(contact.contact) if contact else "")


def _title(doc: PostMortem) -> str:
    # One line: a subject is a mail header, where a line break is refused (or, unchecked, injects headers).
    return " ".join(f"{doc.header.incident_id} {doc.header.title}".split())


def review_notices(facts: DocFacts, base_url: str) -> list[Notice]:
    """In review: the reviewers are asked to review, the incident commander to sign off."""
    doc = facts.doc
    if doc.header.status is not DocStatus.IN_REVIEW:
        return []
    token = facts.tokens.get(DocStatus.IN_REVIEW.value, "created")
    link = link_to(base_url, facts.doc_id)
    reviewers = tuple(r for role in doc.header.reviewer_roles for r in recipients_for_role(doc, role))
    notices = []
    if reviewers:
        notices.append(
            Notice(
                f"review:{facts.doc_id}:{token}",
                Kind.REVIEW,
                f"Review requested: {_title(doc)}",
                "This post-mortem is ready for review. Read it, leave your questions, and "
                "say when it is ready for sign-off.",
                link,
                reviewers,
            )
        )
    notices.append(
        Notice(
            f"sign-off:{facts.doc_id}:{token}",
            Kind.SIGN_OFF,
            f"Sign-off needed: {_title(doc)}",
            "This post-mortem is in review. Final needs the incident commander's sign-off once "
            "the reviewers are done.",
            link,
            recipients_for_role(doc, COMMANDER_ROLE),
        )
    )
    return notices


def deadline_notices(facts: DocFacts, base_url: str, today: date, country: str) -> list[Notice]:
    """The first-draft and publication deadlines, two business days before and once passed, to the author."""
    doc = facts.doc
    if is_read_only(doc):
        return []
    drafted = bool(doc.summary.strip() or doc.timeline or doc.went_wrong)
    dates = [
        ("first draft", None if drafted else first_draft_due(doc, country)),
        ("publication", deadline_for(doc, country)),
    ]
    author = recipients_for_role(doc, doc.header.author_role or "author")
    notices = []
    for what, due in dates:
        phase = _phase(today, due, country)
        if phase is None:
            continue
        text = (
            f"The {what} is due {due:%a %d %b %Y}."
            if phase == "soon"
            else f"The {what} was due {due:%a %d %b %Y}; it has passed."
        )
        notices.append(
            Notice(
                f"deadline:{facts.doc_id}:{what}:{due}:{phase}",
                Kind.DEADLINE,
                f"{'Due soon' if phase == 'soon' else 'Deadline passed'}: {what} of {_title(doc)}",
                text,
                link_to(base_url, facts.doc_id),
                author,
            )
        )
    return notices


def _phase(today: date, due: date | None, country: str) -> str | None:
    if due is None:
        return None
    if today > due:
        return "passed"
    return "soon" if business_days_between(today, due, country) <= WARN_BUSINESS_DAYS else None


def announcement(facts: DocFacts, base_url: str, engineering_text: str) -> list[Notice]:
    """A publication recorded in the audit trail, announced with the engineering audience's text."""
    token = facts.tokens.get(DocStatus.PUBLISHED.value)
    if facts.doc.header.status is not DocStatus.PUBLISHED or not token:
        return []
    text = (
        engineering_text
        if len(engineering_text) <= ANNOUNCEMENT_CHARS
        else engineering_text[:ANNOUNCEMENT_CHARS].rsplit("\n", 1)[0]
        + "\n\n… (the whole post-mortem is in Debrief)"
    )
    return [
        Notice(
            f"published:{facts.doc_id}:{token}",
            Kind.ANNOUNCEMENT,
            f"Published: {_title(facts.doc)}",
            text,
            link_to(base_url, facts.doc_id),
            doc_id=facts.doc_id,
        )
    ]


@dataclass(frozen=True)
class OpenItem:
    """An open action item as the tracker lists it (storage.tracker.TrackedItem has these fields)."""

    doc_id: int
    incident_id: str
    title: str
    owner: str
    due: str | None


def week_of(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def digests(
    items: Iterable[OpenItem], docs: dict[int, PostMortem], base_url: str, today: date
) -> list[Notice]:
    """Per owner (to them) and per team (to the shared channels): open items due this week or overdue."""
    _, sunday = week_of(today)
    week = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
    due = [i for i in items if i.owner.strip() and i.due and date.fromisoformat(i.due) <= sunday]
    by_owner: dict[str, list[OpenItem]] = defaultdict(list)
    by_team: dict[str, list[OpenItem]] = defaultdict(list)
    for item in due:
        by_owner[item.owner].append(item)
        team = _team_of(docs.get(item.doc_id), item.owner)
        if team:
            by_team[team].append(item)
    notices = [
        Notice(
            f"digest:owner:{owner}:{week}",
            Kind.OWNER_DIGEST,
            f"Your action items, week {week}",
            _digest_text(rows, base_url, today),
            base_url.rstrip("/") + "/tracker",
            (recipient_named(docs.get(rows[0].doc_id), owner),),
        )
        for owner, rows in sorted(by_owner.items())
    ]
    notices += [
        Notice(
            f"digest:team:{team}:{week}",
            Kind.TEAM_DIGEST,
            f"Action items of {team}, week {week}",
            _digest_text(rows, base_url, today),
            base_url.rstrip("/") + "/tracker",
        )
        for team, rows in sorted(by_team.items())
    ]
    return notices


def _team_of(doc: PostMortem | None, owner: str) -> str:
    """The team an owner belongs to in that document's contacts; an owner that is a team is its own."""
    for contact in doc.contacts if doc else []:
        if contact.name.strip().lower() == owner.strip().lower():
            return contact.name if contact.kind is ContactKind.TEAM else contact.team
    return ""


def _digest_text(rows: Sequence[OpenItem], base_url: str, today: date) -> str:
    lines = []
    for item in sorted(rows, key=lambda i: (i.due or "", i.incident_id)):
        state = "overdue" if date.fromisoformat(item.due) < today else "due"
        lines.append(
            f"- {state} {item.due}: {item.title} ({item.incident_id}) {link_to(base_url, item.doc_id)}"
        )
    return "\n".join(lines)


def daily_digest(identity: str, held: Sequence[Notice], base_url: str, today: date) -> Notice:
    """One notice gathering the day's notices for someone who asked for a daily digest instead of each."""
    body = "\n\n".join(f"{n.subject}\n{n.body}\n{n.link}" for n in held)
    return Notice(
        f"daily:{identity}:{today}",
        Kind.DAILY_DIGEST,
        f"Debrief: {len(held)} notices for {today}",
        body,
        base_url.rstrip("/") + "/",
        (Recipient(identity, identity),),
    )


def mention_notices(
    mentions: Iterable[Mentioned], docs: dict[int, PostMortem], base_url: str
) -> list[Notice]:
    """To each mentioned person (or the holders of a mentioned role): the comment and a link to its step.
    Once per comment and person, so editing a comment tells only the people it newly mentions."""
    notices = []
    for m in mentions:
        doc = docs.get(m.doc_id)
        if doc is None or (m.kind == "user" and m.who == m.author):
            continue
        to = (
            (Recipient(m.who, _email(m.who), identity=m.who),)
            if m.kind == "user"
            else recipients_for_role(doc, m.who)
        )
        # Page addresses are the step's script name without its number: went-well → /went_well.
        link = f"{base_url.rstrip('/')}/{m.step.replace('-', '_')}?doc={m.doc_id}&thread={m.thread_id}"
        notices.append(
            Notice(
                f"mention:{m.comment_id}:{m.kind}:{m.who}",
                Kind.MENTION,
                f"You were mentioned: {_title(doc)}",
                f"{m.author} mentioned {'you' if m.kind == 'user' else 'the ' + m.who} in a comment "
                f"on {m.target_label}:\n\n{m.body}",
                link,
                to,
            )
        )
    return notices


def notices_for(
    facts: Sequence[DocFacts],
    items: Iterable[OpenItem],
    engineering_texts: dict[int, str],
    base_url: str,
    today: date,
    country: str,
    mentions: Iterable[Mentioned] = (),
) -> list[Notice]:
    """Every notice the current state calls for; what was already sent is the caller's to skip."""
    found: list[Notice] = []
    for fact in facts:
        found += review_notices(fact, base_url)
        found += deadline_notices(fact, base_url, today, country)
        found += announcement(fact, base_url, engineering_texts.get(fact.doc_id, ""))
    found += digests(items, {f.doc_id: f.doc for f in facts}, base_url, today)
    found += mention_notices(mentions, {f.doc_id: f.doc for f in facts}, base_url)
    return found


CHAT_NAMES = {"slack": "Slack", "teams": "Microsoft Teams", "webhook": "webhook"}


def mention_reach(doc: PostMortem, roles: Iterable[str], email_on: bool, chats: Sequence[str]) -> list[str]:
    """How a mention of each role travels, in words for the hint under a comment box: by e-mail to the
    contacts holding it with an address, else with the comment's text to the shared chat channels."""
    shared = " and ".join(CHAT_NAMES[c] for c in chats)
    lines = []
    for role in roles:
        holders = [r for r in recipients_for_role(doc, role) if r.email]
        if holders and email_on:
            how = f"e-mail to the {len(holders)} contact{'s' * (len(holders) > 1)} holding it"
        elif shared:
            how = f"the shared {shared} channel{'s' * (len(chats) > 1)}, with the comment's text"
        else:
            how = "nobody yet: no contact holding it has an address and no chat channel is set up"
        lines.append(f"@{role_handle(role)} → {how}")
    return lines
