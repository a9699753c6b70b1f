"""Columns and side tables derived from a document's JSON body, rewritten on every save."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from postmortem.learning_facts import facts_from_body
from storage import search
from storage.touched import keep_touched


def project(db: Database, doc_id: int, body: str, row: dict[str, Any] | None = None) -> None:
    """Refresh every projection of one document; runs inside the caller's transaction. `row`: columns
    the caller (a save) writes on the document's row too, so the row is written once: SQLite rewrites a
    whole row, its large body included, on every UPDATE of any column."""
    data = json.loads(body)
    header = data["header"]
    values = {
        "trigger": header.get("trigger"),
        "failure_class": header.get("failure_class") or None,
        "services": json.dumps(header.get("services", [])),
        "closed_at": (header.get("times") or {}).get("closed_at"),
        "novel": int(bool(header.get("novel_failure_class"))),
    }
    # The learning dashboard's columns (postmortem.learning_facts) ride on the same update.
    values = {**(row or {}), **values, **facts_from_body(data)}
    assignments = ", ".join(f"[{name}] = ?" for name in values)
    db.execute(f"update documents set {assignments} where id = ?", [*values.values(), doc_id])
    items = data.get("action_items", [])
    keep_touched(db, doc_id, items, rewritten=_project_items(db, doc_id, items))
    search.index(db, doc_id, data)


_ITEM_COLUMNS = (
    "position",
    "title",
    "owner",
    "due",
    "tracker",
    "category",
    "priority",
    "status",
    "closed_at",
)


def _project_items(db: Database, doc_id: int, items: list[dict]) -> set[str]:
    """Rewrite only the rows of items that were added, changed or moved, and drop removed ones; returns
    the ids rewritten. Autosave saves a document on every field change and most saves leave its action
    items alone: rewriting all of them each time, with the tracker's indexes, cost most of a save."""
    wanted = {
        item["id"]: (
            n,
            item["title"],
            item.get("owner", ""),
            item.get("due"),
            item.get("tracker", ""),
            item.get("category"),
            item.get("priority"),
            item.get("status"),
            item.get("closed_at"),
        )
        for n, item in enumerate(items)
    }
    stored = {
        row[0]: tuple(row[1:])
        for row in db.execute(
            f"select item_id, {', '.join(_ITEM_COLUMNS)} from action_items where doc_id = ?", [doc_id]
        )
    }
    gone = [(doc_id, item_id) for item_id in stored.keys() - wanted.keys()]
    changed = {item_id: values for item_id, values in wanted.items() if stored.get(item_id) != values}
    db.conn.executemany("delete from action_items where doc_id = ? and item_id = ?", gone)
    # Plain executemany: sqlite-utils' insert_all inspects every value, which dominated save time.
    db.conn.executemany(
        f"insert or replace into action_items (doc_id, item_id, {', '.join(_ITEM_COLUMNS)}) "
        f"values (?, ?, {', '.join('?' * len(_ITEM_COLUMNS))})",
        [(doc_id, item_id, *values) for item_id, values in changed.items()],
    )
    return set(changed)
