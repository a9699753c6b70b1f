"""When each action item was added and last changed, kept across saves for the tracker.

The projection rewrites a document's `action_items` rows on every save, so their times cannot live
only there: `action_item_touches` remembers each item's digest (a hash of all its fields), when it
first appeared and when its digest last changed. A save that changes an item's fields makes the save
time its touched time; an unchanged item keeps its own. The times are then copied onto the fresh
`action_items` rows, where the tracker filters on them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlite_utils import Database

from storage import tx

TABLE = "action_item_touches"


def digest(item: dict) -> str:
    """A fingerprint of every field of one item: equal digests, unchanged item. The item is a dict read
    from a body pydantic wrote, whose keys always come in the model's field order, so its repr is
    canonical (and three times cheaper than sorted JSON, which every save paid for every item)."""
    return hashlib.blake2b(repr(item).encode("utf-8"), digest_size=12).hexdigest()


def _save_time(db: Database, doc_id: int) -> str:
    # documents.updated_at is written by the same save just before the projection runs.
    row = db.execute("select updated_at from documents where id = ?", [doc_id]).fetchone()
    return (row and row[0]) or tx.now()


def keep_touched(db: Database, doc_id: int, items: Iterable[dict], rewritten: set[str] = frozenset()) -> None:
    """Update the items' added/touched times after a save; runs inside the save's transaction.
    `rewritten`: items whose action_items rows the projection wrote anew (their times need copying)."""
    at = _save_time(db, doc_id)
    known = {
        row[0]: row[1:]
        for row in db.execute(
            f"select item_id, digest, added_at, touched_at from {TABLE} where doc_id = ?", [doc_id]
        )
    }
    changed = []
    for item in items:
        fingerprint = digest(item)
        previous = known.pop(item["id"], None)
        if previous is None:
            changed.append((doc_id, item["id"], fingerprint, at, at))
        elif previous[0] != fingerprint:
            changed.append((doc_id, item["id"], fingerprint, previous[1], at))
    write(db, changed, gone=[(doc_id, item_id) for item_id in known])
    refresh = sorted(rewritten | {row[1] for row in changed})
    if refresh:  # the usual autosave changes no item: nothing to copy
        _copy_times(
            db, f"where doc_id = ? and item_id in ({', '.join('?' * len(refresh))})", [doc_id, *refresh]
        )


def write(db: Database, rows: list[tuple], gone: list[tuple] = ()) -> None:
    """Store (doc_id, item_id, digest, added_at, touched_at) rows; only new or changed items get one."""
    db.conn.executemany(f"delete from {TABLE} where doc_id = ? and item_id = ?", gone)
    db.conn.executemany(
        f"insert or replace into {TABLE} (doc_id, item_id, digest, added_at, touched_at) values (?, ?, ?, ?, ?)",
        rows,
    )


def _copy_times(db: Database, where: str, params: list) -> None:
    # days_to_close is worked out here, once per save, so completion rates need no date arithmetic per row.
    db.execute(
        f"update action_items set (added_at, touched_at) = (select t.added_at, t.touched_at from {TABLE} t "
        "where t.doc_id = action_items.doc_id and t.item_id = action_items.item_id) " + where,
        params,
    )
    db.execute(
        "update action_items set days_to_close = julianday(closed_at) - julianday(added_at) "
        f"{where} and closed_at is not null",
        params,
    )
