"""What notices were delivered, which failed and when to retry them, and each person's notification
preferences (migrations m012, m017). One delivery is one notice over one channel to one target."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from postmortem.notify_prefs import DEFAULT_KINDS, KNOWN_KINDS, Prefs, PrefsError, looks_like_address, parse
from storage.access import Permission, actor_of, require
from storage.tx import write_transaction

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


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


def _identity(user: str) -> str:
    return user.strip().lower()


def _prefs(row: dict) -> Prefs:
    # A row stored before the per-kind choices existed says [] for "everything": today's defaults.
    # Kinds no longer offered are dropped on reading, so an old row never makes the page fail.
    kinds = tuple(k for k in json.loads(row["kinds"] or "[]") if k in KNOWN_KINDS)
    return Prefs(
        kinds=kinds or DEFAULT_KINDS,
        channel=row["channel"],
        daily_digest=bool(row["daily_digest"]),
        address=row.get("address") or "",
    )


def get_prefs(db: Database, user: str) -> Prefs:
    """Someone's notification preferences; the defaults when they never chose."""
    rows = db.execute_returning_dicts("select * from notify_prefs where identity = ?", [_identity(user)])
    return _prefs(rows[0]) if rows else Prefs()


def set_prefs(db: Database, user: str, prefs: Prefs) -> Prefs:
    """Store someone's preferences: their own, or anyone's for an admin. Validated again here, so a
    caller that built the model by hand (model_construct) cannot store what the page would refuse."""
    identity = _identity(user)
    if not identity:
        raise PrefsError("Whose preferences? The user is empty.")
    if actor_of(db).identity != identity:
        require(db, Permission.ADMIN)
    prefs = parse(**prefs.model_dump())
    if prefs.channel == "email" and not prefs.address and not looks_like_address(identity):
        raise PrefsError(
            f"{identity!r} is not an e-mail address: give the address for your notices, or choose a chat "
            "channel."
        )
    with write_transaction(db):
        db["notify_prefs"].upsert(
            {
                "identity": identity,
                "kinds": json.dumps(list(prefs.kinds)),
                "channel": prefs.channel,
                "daily_digest": int(prefs.daily_digest),
                "address": prefs.address,
            },
            pk="identity",
        )
    return prefs


def prefs_for(db: Database, *, address: str = "", identity: str = "") -> tuple[str, Prefs] | None:
    """The stored preferences of a recipient, found by their sign-in identity or by the address they
    gave, with the address their e-mail goes to; None when they never chose (the notify run's view)."""
    keys = [k for k in (_identity(identity), _identity(address)) if k]
    if not keys:
        return None
    marks = ", ".join("?" * len(keys))
    rows = db.execute_returning_dicts(
        f"select * from notify_prefs where identity in ({marks}) or address in ({marks}) "
        "order by identity = ? desc limit 1",
        [*keys, *keys, keys[0]],
    )
    if not rows:
        return None
    prefs = _prefs(rows[0])
    return _mail_to(rows[0]["identity"], prefs) or _identity(address), prefs


def _mail_to(identity: str, prefs: Prefs) -> str:
    """The address someone gave, else their identity when it is one ("" when neither is)."""
    return prefs.address or (identity if looks_like_address(identity) else "")


def all_prefs(db: Database) -> list[tuple[str, Prefs]]:
    """Everyone's stored choices, by identity (admins only: the Admin page's overview)."""
    require(db, Permission.ADMIN)
    return [
        (row["identity"], _prefs(row)) for row in db.query("select * from notify_prefs order by identity")
    ]


def wanting(db: Database, kind: str) -> list[tuple[str, str, Prefs]]:
    """Everyone whose stored preferences take this kind of notice: identity, e-mail address, prefs.
    For notices that have no recipients of their own (a publication is announced to a channel)."""
    found = []
    for row in db.query("select * from notify_prefs order by identity"):
        prefs = _prefs(row)
        address = _mail_to(row["identity"], prefs)
        if prefs.wants(kind) and address:
            found.append((row["identity"], address, prefs))
    return found
