"""Columns and side tables derived from a document's JSON body, rewritten on every save."""

from __future__ import annotations

import json

from sqlite_utils import Database


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
        db["documents"].update(doc_id, values)
    if db["action_items"].exists():
        db.execute("delete from action_items where doc_id = ?", [doc_id])
        rows = [
            {"doc_id": doc_id, "item_id": item["id"], "position": n, "title": item["title"],
             "owner": item.get("owner", ""), "due": item.get("due"), "tracker": item.get("tracker", ""),
             "category": item.get("category"), "priority": item.get("priority"),
             "status": item.get("status"), "closed_at": item.get("closed_at")}
            for n, item in enumerate(data.get("action_items", []))
        ]
        if rows:
            db["action_items"].insert_all(rows)
