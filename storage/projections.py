"""Columns and side tables derived from a document's JSON body, rewritten on every save."""

from __future__ import annotations

import json

from sqlite_utils import Database

from storage import learning_columns, search
from storage.touched import keep_touched


def _columns(db: Database) -> set[str]:
    return set(db["documents"].columns_dict)


def project(db: Database, doc_id: int, body: str) -> None:
    """Refresh every projection of one document; runs inside the caller's transaction."""
    data = json.loads(body)
    header = data["header"]
    columns = _columns(db)
    values = {
        "trigger": header.get("trigger"),
        "failure_class": header.get("failure_class") or None,
        "services": json.dumps(header.get("services", [])),
        "closed_at": (header.get("times") or {}).get("closed_at"),
        "novel": int(bool(header.get("novel_failure_class"))),
    }
    values = {k: v for k, v in values.items() if k in columns}
    if values:
        assignments = ", ".join(f"[{name}] = ?" for name in values)
        db.execute(f"update documents set {assignments} where id = ?", [*values.values(), doc_id])
    learning_columns.project(db, doc_id, data, columns)
    if "action_items" in db.table_names():
        db.execute("delete from action_items where doc_id = ?", [doc_id])
        rows = [
            (doc_id, item["id"], n, item["title"], item.get("owner", ""), item.get("due"), item.get("tracker", ""),
             item.get("category"), item.get("priority"), item.get("status"), item.get("closed_at"))
            for n, item in enumerate(data.get("action_items", []))
        ]
        # Plain executemany: sqlite-utils' insert_all inspects every value, which dominated save time.
        db.conn.executemany(
            "insert into action_items (doc_id, item_id, position, title, owner, due, tracker, category, "
            "priority, status, closed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        keep_touched(db, doc_id, data.get("action_items", []))
    search.index(db, doc_id, data)
