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
def m009_users_and_access(db: Database) -> None:
    """Who may do what: users with a role, each document's owner, shares, a restricted flag; and an
    audit trail that no statement can rewrite (role and share changes have no document)."""
    db["users"].create({"identity": str, "name": str, "role": str, "created_at": str, "disabled": int},
                       pk="identity", not_null={"role", "created_at"}, defaults={"disabled": 0, "name": ""})
    db["documents"].add_column("created_by", str)
    db["documents"].add_column("restricted", int, not_null_default=0)
    # Documents written before sign-in existed belong to whoever saved them first.
    db.execute("update documents set created_by = coalesce((select saved_by from revisions r where "
               "r.doc_id = documents.id order by version limit 1), 'local')")
    db.execute("create index documents_restricted on documents(id) where restricted = 1")
    db["shares"].create({"doc_id": int, "identity": str, "shared_by": str, "shared_at": str},
                        pk=("doc_id", "identity"), foreign_keys=[("doc_id", "documents", "id")])
    db["shares"].create_index(["identity"])
    db["audit"].transform(not_null={"doc_id": False})
    db["audit"].create_index(["action", "id"])
    for event in ("update", "delete"):
        db.execute(f"create trigger audit_no_{event} before {event} on audit begin "
                   "select raise(abort, 'The audit trail is append-only.'); end")
