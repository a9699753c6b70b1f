"""What notices were delivered, which failed and when to retry them, and each person's notification
preferences (migration m012). One delivery is one notice over one channel to one target."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.access import Permission, require
from storage.tx import write_transaction

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
CHANNELS = ("email", "slack", "teams", "webhook", "none")


@dataclass(frozen=True)
class Delivery:
    notice_key: str
    channel: str
    target: str
    kind: str
    subject: str
    attempts: int
    last_error: str
    next_retry_at: str | None
    sent_at: str | None
    first_tried_at: str | None


@dataclass(frozen=True)
class Prefs:
    """Which kinds of notice someone wants (empty: all), over which channel, and whether their
    notices are gathered into one daily digest instead of sent one by one."""

    identity: str
    kinds: tuple[str, ...] = ()
    channel: str = "email"
    daily_digest: bool = False

    def wants(self, kind: str) -> bool:
        return self.channel != "none" and (not self.kinds or kind in self.kinds)


def status_tokens(*, db: Database) -> dict[int, dict[str, str]]:
    """For each document, the audit row of its latest move into each status: a new review round or a
    new publication is a new notice, the same one is not."""
    rows = db.query(
        "select doc_id, to_status, max(id) as row_id from audit where action = 'status' "
        "and doc_id is not null group by doc_id, to_status"
    )
    tokens: dict[int, dict[str, str]] = {}
    for row in rows:
        tokens.setdefault(row["doc_id"], {})[row["to_status"]] = f"a{row['row_id']}"
    return tokens


def get(*, db: Database, notice_key: str, channel: str, target: str) -> Delivery | None:
    rows = db.execute_returning_dicts(
        "select * from notices_sent where notice_key = ? and channel = ? and target = ?",
        [notice_key, channel, target],
    )
    return Delivery(**rows[0]) if rows else None


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _upsert(db: Database, row: dict) -> None:
    with write_transaction(db):
        db["notices_sent"].upsert(row, pk=("notice_key", "channel", "target"))


def record_sent(
    *, db: Database, notice_key: str, channel: str, target: str, kind: str, subject: str, at: datetime
) -> None:
    before = get(db=db, notice_key=notice_key, channel=channel, target=target)
    _upsert(
        db,
        {
            "notice_key": notice_key,
            "channel": channel,
            "target": target,
            "kind": kind,
            "subject": subject,
            "attempts": (before.attempts if before else 0) + 1,
            "last_error": before.last_error if before else "",
            "next_retry_at": None,
            "sent_at": at.isoformat(timespec="seconds"),
            "first_tried_at": before.first_tried_at if before else at.isoformat(timespec="seconds"),
        },
    )


def record_failure(
    *,
    db: Database,
    notice_key: str,
    channel: str,
    target: str,
    kind: str,
    subject: str,
    error: str,
    at: datetime,
) -> Delivery:
    """Count a failed attempt and schedule the next one after an exponential backoff."""
    before = get(db=db, notice_key=notice_key, channel=channel, target=target)
    attempts = (before.attempts if before else 0) + 1
    _upsert(
        db,
        {
            "notice_key": notice_key,
            "channel": channel,
            "target": target,
            "kind": kind,
            "subject": subject,
            "attempts": attempts,
            "last_error": error[:500],
            "sent_at": None,
            "next_retry_at": (at + backoff(attempts)).isoformat(timespec="seconds"),
            "first_tried_at": before.first_tried_at if before else at.isoformat(timespec="seconds"),
        },
    )
    return get(db=db, notice_key=notice_key, channel=channel, target=target)


def failures(*, db: Database, limit: int = 200) -> list[Delivery]:
    """Deliveries not yet sent, most attempts first (the Admin page's list; admins only)."""
    require(db, Permission.ADMIN)
    rows = db.query(
        "select * from notices_sent where sent_at is null order by attempts desc, next_retry_at limit ?",
        [limit],
    )
    return [Delivery(**row) for row in rows]


def prefs_of(*, db: Database, identity: str) -> Prefs:
    rows = db.execute_returning_dicts(
        "select * from notify_prefs where identity = ?", [identity.strip().lower()]
    )
    if not rows:
        return Prefs(identity.strip().lower())
    row = rows[0]
    return Prefs(
        row["identity"], tuple(json.loads(row["kinds"] or "[]")), row["channel"], bool(row["daily_digest"])
    )


def set_prefs(*, db: Database, prefs: Prefs) -> None:
    if prefs.channel not in CHANNELS:
        raise ValueError(f"{prefs.channel!r} is not a channel; choose one of: {', '.join(CHANNELS)}.")
    with write_transaction(db):
        db["notify_prefs"].upsert(
            {
                "identity": prefs.identity.strip().lower(),
                "kinds": json.dumps(list(prefs.kinds)),
                "channel": prefs.channel,
                "daily_digest": int(prefs.daily_digest),
            },
            pk="identity",
        )
