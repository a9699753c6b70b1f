"""One notification run: work out the notices the current state calls for, skip what was delivered
or is waiting for its retry time, send the rest, record each outcome. The composition root of
notifications, like the CLI is for commands: it may use storage, exports and the channels."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from sqlite_utils import Database

import storage
from channels import smtp_mail, webhooks
from channels.settings import Settings
from exports.render import markdown_for
from postmortem.models import ActionStatus, DocStatus
from postmortem.notices import DocFacts, Kind, Notice, OpenItem, daily_digest, notices_for
from postmortem.notify_prefs import Prefs
from storage import access, comments, tracker
from storage import notices as sent_table
from storage.access import Permission


@dataclass(frozen=True)
class Outcome:
    """What happened to one delivery: sent, would send (dry run), skipped or failed."""

    status: str
    notice_key: str
    kind: str
    channel: str
    target: str
    subject: str
    detail: str = ""


@dataclass(frozen=True)
class _Delivery:
    notice: Notice
    channel: str
    target: str  # an e-mail address, a person's name or role, or "channel" for a broadcast
    to: str = ""  # who a chat message is for


# Stands in for the notice in a held delivery's key: the digest groups by channel and target only.
_HELD = Notice("held", Kind.DAILY_DIGEST, "", "", "")


def gather(db: Database, config: Settings, now: datetime) -> list[Notice]:
    """Every notice the documents and open action items call for right now."""
    tokens = sent_table.status_tokens(db=db)
    facts = [
        DocFacts(row.id, storage.get(db=db, doc_id=row.id).doc, tokens.get(row.id, {}))
        for row in storage.list_documents(db=db)
    ]
    # The engineering audience's text: the announcement never carries more names than it allows.
    texts = {
        f.doc_id: markdown_for(f.doc, "engineering", country=config.country)
        for f in facts
        if f.doc.header.status is DocStatus.PUBLISHED and DocStatus.PUBLISHED.value in f.tokens
    }
    rows = tracker.items(
        db=db,
        filters=tracker.Filters(
            statuses=tuple(s.value for s in ActionStatus if not s.is_closed), today=now.date()
        ),
    )
    items = [OpenItem(r.doc_id, r.incident_id, r.title, r.owner, r.due) for r in rows]
    return notices_for(
        facts, items, texts, config.base_url, now.date(), config.country, mentions=comments.mentions(db=db)
    )


def plan(
    db: Database, config: Settings, notices: list[Notice]
) -> tuple[list[_Delivery], dict[_Delivery, list[Notice]], list[Outcome]]:
    """Each notice as deliveries by channel and target, honouring people's preferences; notices held
    for a daily digest, by the delivery the digest will take; and the notices a preference turned off."""
    deliveries, held, skipped = [], defaultdict(list), []
    for notice in notices:
        if notice.broadcast:
            deliveries += [_Delivery(notice, name, "channel") for name in config.chat_channels]
            routed = [(r, _Delivery(notice, "email", r.target)) for r in _personal_copies(db, config, notice)]
        else:
            routed = [(r, d) for r in _routes(db, notice) for d in _deliveries(config, notice, r)]
        for route, delivery in routed:
            if not route.prefs.wants(notice.kind.value):
                skipped.append(_turned_off(notice, delivery))
            elif route.prefs.daily_digest:
                held[replace(delivery, notice=_HELD)].append(notice)
            else:
                deliveries.append(delivery)
    return deliveries, held, skipped


@dataclass(frozen=True)
class _Route:
    """One recipient with their preferences (the defaults when they never chose) and their address."""

    prefs: Prefs
    target: str  # their e-mail address, or their name or role when they have none
    label: str


def _routes(db: Database, notice: Notice) -> list[_Route]:
    routes = []
    for person in notice.recipients:
        found = sent_table.prefs_for(db, address=person.email, identity=person.identity)
        address, prefs = found or (person.email, Prefs())
        routes.append(_Route(prefs, address or person.label, person.label))
    return routes


def _deliveries(config: Settings, notice: Notice, route: _Route) -> list[_Delivery]:
    has_address = "@" in route.target
    if route.prefs.channel == "email" and config.smtp and has_address:
        return [_Delivery(notice, "email", route.target)]
    if route.prefs.channel in config.chat_channels:
        return [_Delivery(notice, route.prefs.channel, route.target, route.label)]
    # No address, no SMTP, or a chosen channel that is not configured: say it in the shared channels.
    return [_Delivery(notice, name, route.label, route.label) for name in config.chat_channels]


def _personal_copies(db: Database, config: Settings, notice: Notice) -> list[_Route]:
    """People who asked for their own e-mail copy of a broadcast (a publication), if they may read it;
    a chat-channel choice needs no copy: the broadcast is in that channel already."""
    if notice.kind is not Kind.ANNOUNCEMENT or not config.smtp or notice.doc_id is None:
        return []
    return [
        _Route(prefs, address, identity)
        for identity, address, prefs in sent_table.wanting(db, notice.kind.value)
        if prefs.channel == "email" and comments.may_read(db, identity, notice.doc_id)
    ]


def _turned_off(notice: Notice, delivery: _Delivery) -> Outcome:
    return Outcome(
        "skipped",
        notice.key,
        notice.kind.value,
        delivery.channel,
        delivery.target,
        notice.subject,
        "turned off in this person's preferences",
    )


def _send(config: Settings, delivery: _Delivery) -> None:
    if delivery.channel == "email":
        smtp_mail.send(config.smtp, smtp_mail.message(delivery.notice, config.smtp.sender, delivery.target))
    else:
        payload = webhooks.PAYLOADS[delivery.channel](delivery.notice, delivery.to)
        webhooks.post(config.chat_channels[delivery.channel], payload)


def _deliver(
    db: Database,
    config: Settings,
    delivery: _Delivery,
    now: datetime,
    dry_run: bool,
    covers: list[Notice] = (),
) -> Outcome:
    n = delivery.notice
    outcome = dict(
        notice_key=n.key,
        kind=n.kind.value,
        channel=delivery.channel,
        target=delivery.target,
        subject=n.subject,
    )
    before = sent_table.get(db=db, notice_key=n.key, channel=delivery.channel, target=delivery.target)
    if before and before.sent_at:
        return Outcome("skipped", **outcome, detail="already sent")
    if before and before.next_retry_at and before.next_retry_at > now.isoformat(timespec="seconds"):
        return Outcome("skipped", **outcome, detail=f"next attempt after {before.next_retry_at}")
    if dry_run:
        return Outcome("would send", **outcome)
    record = dict(db=db, channel=delivery.channel, target=delivery.target, at=now)
    try:
        _send(config, delivery)
    except Exception as exc:
        failed = sent_table.record_failure(
            **record,
            notice_key=n.key,
            kind=n.kind.value,
            subject=n.subject,
            error=f"{type(exc).__name__}: {exc}",
        )
        return Outcome(
            "failed", **outcome, detail=f"{failed.last_error}; next attempt after {failed.next_retry_at}"
        )
    for notice in [n, *covers]:
        sent_table.record_sent(
            **record, notice_key=notice.key, kind=notice.kind.value, subject=notice.subject
        )
    return Outcome("sent", **outcome, detail=f"with {len(covers)} notices" if covers else "")


def _digests(
    db: Database, config: Settings, held: dict[_Delivery, list[Notice]], now: datetime, dry_run: bool
) -> list[Outcome]:
    outcomes = []
    for route, notices in sorted(held.items(), key=lambda item: (item[0].channel, item[0].target)):
        waiting = [n for n in notices if not _was_sent(db, n.key, route)]
        if not waiting:
            continue
        digest = daily_digest(route.target, waiting, config.base_url, now.date())
        if _was_sent(db, digest.key, route):  # today's digest went out: these wait for tomorrow's
            outcomes += [
                Outcome(
                    "skipped",
                    n.key,
                    n.kind.value,
                    route.channel,
                    route.target,
                    n.subject,
                    "held for tomorrow's daily digest",
                )
                for n in waiting
            ]
            continue
        outcomes.append(_deliver(db, config, replace(route, notice=digest), now, dry_run, waiting))
    return outcomes


def _was_sent(db: Database, key: str, route: _Delivery) -> bool:
    row = sent_table.get(db=db, notice_key=key, channel=route.channel, target=route.target)
    return bool(row and row.sent_at)


def run(db: Database, config: Settings, now: datetime, dry_run: bool = False) -> list[Outcome]:
    """Send whatever is due; returns one outcome per delivery considered. Admins only: a run speaks
    for the whole instance and sees every post-mortem."""
    access.require(db, Permission.ADMIN)
    deliveries, held, outcomes = plan(db, config, gather(db, config, now))
    outcomes += [_deliver(db, config, delivery, now, dry_run) for delivery in deliveries]
    return outcomes + _digests(db, config, held, now, dry_run)
