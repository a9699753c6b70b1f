"""The schema, as ordered and named migrations. Never edit one that has shipped: add another."""

from sqlite_utils import Database, Migrations

migrations = Migrations("debrief")


@migrations()
def m001_documents_and_revisions(db: Database) -> None:
    db["documents"].create(
        {"id": int, "incident_id": str, "title": str, "severity": str, "status": str,
         "version": int, "body": str, "created_at": str, "updated_at": str, "deleted_at": str},
        pk="id", not_null={"incident_id", "title", "version", "body"},
    )
    db["documents"].create_index(["incident_id"], unique=True)
    db["revisions"].create(
        {"id": int, "doc_id": int, "version": int, "body": str, "saved_at": str, "saved_by": str},
        pk="id", foreign_keys=[("doc_id", "documents", "id")], not_null={"doc_id", "version", "body"},
    )
    db["revisions"].create_index(["doc_id", "version"], unique=True)


@migrations()
def m002_filter_columns(db: Database) -> None:
    """Columns the home list and later the archive filter on, projected from the body."""
    for column in ("trigger", "failure_class", "services", "closed_at", "updated_by"):
        db["documents"].add_column(column, str)
    db["documents"].add_column("novel", int)
    _reproject_all(db)


@migrations()
def m003_action_items(db: Database) -> None:
    """One row per action item across all documents, for the tracker."""
    db["action_items"].create(
        {"doc_id": int, "item_id": str, "position": int, "title": str, "owner": str, "due": str,
         "tracker": str, "category": str, "priority": str, "status": str, "closed_at": str},
        pk=("doc_id", "item_id"), foreign_keys=[("doc_id", "documents", "id")],
    )
    db["action_items"].create_index(["owner"])
    db["action_items"].create_index(["status", "due"])
    _reproject_all(db)


@migrations()
def m004_audit(db: Database) -> None:
    """Status changes and sign-offs, one row each, never updated: the document's audit trail."""
    db["audit"].create(
        {"id": int, "doc_id": int, "version": int, "at": str, "by": str, "action": str,
         "from_status": str, "to_status": str, "reason": str, "detail": str},
        pk="id", foreign_keys=[("doc_id", "documents", "id")], not_null={"doc_id", "at", "action"},
    )
    db["audit"].create_index(["doc_id", "id"])


def _reproject_all(db: Database) -> None:
    # Imported here so the migration stays runnable even if projections change later.
    from storage.projections import project

    for row in db.query("select id, body from documents"):
        project(db, row["id"], row["body"])


@migrations()
def m007_action_item_touched(db: Database) -> None:
    """When each action item was added and last changed (the tracker's "untouched 30 days", "open more
    than 90 days" and completion rates), and the indexes the tracker's filters and sorts use."""
    from storage.touched import TABLE, backfill

    db[TABLE].create({"doc_id": int, "item_id": str, "digest": str, "added_at": str, "touched_at": str},
                     pk=("doc_id", "item_id"))
    db["action_items"].add_column("added_at", str)
    db["action_items"].add_column("touched_at", str)
    db["action_items"].add_column("days_to_close", float)
    backfill(db)
    db["action_items"].create_index(["due", "doc_id", "position"])
    db["action_items"].create_index(["touched_at"])
    db["action_items"].create_index(["added_at"])
    db["action_items"].create_index(["closed_at"])
    # Owners, the owner filter and quiet owners read this one; m003's owner index is a prefix of it.
    db["action_items"].create_index(["owner", "doc_id", "status", "touched_at"])
    db.execute("drop index if exists idx_action_items_owner")
    db.execute("create index idx_action_items_same_text on action_items (lower(trim(title)), doc_id)")
    # Small indexes the tracker's filters read instead of the document rows, whose bodies come first.
    db["documents"].create_index(["deleted_at"])
    db["documents"].create_index(["severity"])
    db["documents"].create_index(["services", "deleted_at"])
