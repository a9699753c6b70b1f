"""The schema, as ordered and named migrations. Never edit one that has shipped: add another.

Each migration carries the SQL it runs, frozen as it was when it shipped: one that filled a column
or a side table from the documents' bodies writes it with its own statements over its own column
list, never through the live save path (storage.projections), which is free to assume the latest
schema. Values worked out of a body come from the pure domain functions (postmortem/) that a save
uses too, so an upgraded database holds what a save would have written. This module imports nothing
else of storage: the schema module runs it, and nothing here can loop back.
"""

import hashlib
import json
from datetime import datetime

from sqlite_utils import Database, Migrations

from postmortem.learning_facts import facts_from_body
from postmortem.searchable import incident_at

migrations = Migrations("debrief")


@migrations()
def m001_documents_and_revisions(db: Database) -> None:
    db["documents"].create(
        {
            "id": int,
            "incident_id": str,
            "title": str,
            "severity": str,
            "status": str,
            "version": int,
            "body": str,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"incident_id", "title", "version", "body"},
    )
    db["documents"].create_index(["incident_id"], unique=True)
    db["revisions"].create(
        {"id": int, "doc_id": int, "version": int, "body": str, "saved_at": str, "saved_by": str},
        pk="id",
        foreign_keys=[("doc_id", "documents", "id")],
        not_null={"doc_id", "version", "body"},
    )
    db["revisions"].create_index(["doc_id", "version"], unique=True)


@migrations()
def m002_filter_columns(db: Database) -> None:
    """Columns the home list and later the archive filter on, projected from the body."""
    for column in ("trigger", "failure_class", "services", "closed_at", "updated_by"):
        db["documents"].add_column(column, str)
    db["documents"].add_column("novel", int)
    for doc_id, data in _bodies(db):
        header = data["header"]
        db.execute(
            "update documents set trigger = ?, failure_class = ?, services = ?, closed_at = ?, novel = ? "
            "where id = ?",
            [
                header.get("trigger"),
                header.get("failure_class") or None,
                json.dumps(header.get("services", [])),
                (header.get("times") or {}).get("closed_at"),
                int(bool(header.get("novel_failure_class"))),
                doc_id,
            ],
        )


@migrations()
def m003_action_items(db: Database) -> None:
    """One row per action item across all documents, for the tracker."""
    db["action_items"].create(
        {
            "doc_id": int,
            "item_id": str,
            "position": int,
            "title": str,
            "owner": str,
            "due": str,
            "tracker": str,
            "category": str,
            "priority": str,
            "status": str,
            "closed_at": str,
        },
        pk=("doc_id", "item_id"),
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db["action_items"].create_index(["owner"])
    db["action_items"].create_index(["status", "due"])
    rows = [
        (
            doc_id,
            item["id"],
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
        for doc_id, data in _bodies(db)
        for n, item in enumerate(data.get("action_items", []))
    ]
    db.conn.executemany(
        "insert or replace into action_items (doc_id, item_id, position, title, owner, due, tracker, "
        "category, priority, status, closed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


@migrations()
def m004_audit(db: Database) -> None:
    """Status changes and sign-offs, one row each, never updated: the document's audit trail."""
    db["audit"].create(
        {
            "id": int,
            "doc_id": int,
            "version": int,
            "at": str,
            "by": str,
            "action": str,
            "from_status": str,
            "to_status": str,
            "reason": str,
            "detail": str,
        },
        pk="id",
        foreign_keys=[("doc_id", "documents", "id")],
        not_null={"doc_id", "at", "action"},
    )
    db["audit"].create_index(["doc_id", "id"])


@migrations()
def m005_search_index(db: Database) -> None:
    """Full-text index of every section (FTS5), and the columns and labels the archive filters on."""
    # The columns of postmortem.searchable.SECTIONS, written out so this migration never changes.
    columns = (
        "title, labels, summary, impact, timeline, went_well, went_wrong, factors, root_cause, "
        "actions, lessons, appendix"
    )
    # A plain FTS5 table keyed by the document id (rowid): it keeps its own copy of the text, which
    # snippet() needs. Porter stemming finds "connections" for "connection".
    db.execute(
        f"create virtual table search_index using fts5({columns}, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    # The archive's columns, one narrow row per document: filtering on the documents table itself
    # would read every body, as its later columns sit behind the body's overflow pages.
    db["search_docs"].create(
        {
            "id": int,
            "incident_id": str,
            "title": str,
            "severity": str,
            "status": str,
            "version": int,
            "incident_at": str,
            "failure_class": str,
            "class_key": str,
            "services": str,
            "author_role": str,
            "created_by": str,
            "deleted_at": str,
        },
        pk="id",
        foreign_keys=[("id", "documents", "id")],
    )
    db["search_docs"].create_index(["deleted_at", "incident_at"])
    db["search_docs"].create_index(["class_key", "incident_at"])
    db.execute(
        "create trigger search_docs_deleted after update of deleted_at on documents begin "
        "update search_docs set deleted_at = new.deleted_at where id = new.id; end"
    )
    # One row per service or tag of a document; `key` is the lower-cased value the filters compare.
    db["doc_labels"].create(
        {"doc_id": int, "kind": str, "value": str, "key": str},
        foreign_keys=[("doc_id", "documents", "id")],
        not_null={"doc_id", "kind", "value"},
    )
    db["doc_labels"].create_index(["kind", "key", "value", "doc_id"])  # covers the filters and the lists
    db["doc_labels"].create_index(["doc_id"])
    # Documents saved since their text was last indexed (see storage.search.refresh).
    db["search_pending"].create({"doc_id": int}, pk="doc_id")
    for doc_id, data in _bodies(db):
        header = data.get("header") or {}
        klass = (header.get("failure_class") or "").strip()
        db.execute(
            "insert or replace into search_docs (id, incident_id, title, severity, status, version, "
            "incident_at, failure_class, class_key, services, author_role, created_by, deleted_at) "
            "select id, incident_id, title, severity, status, version, ?, ?, ?, ?, ?, updated_by, deleted_at "
            "from documents where id = ?",
            [
                incident_at(data),
                klass or None,
                klass.lower() or None,
                json.dumps(header.get("services") or []),
                header.get("author_role") or None,
                doc_id,
            ],
        )
        labels = [
            (doc_id, kind, value, value.strip().lower())
            for kind, values in (("service", header.get("services") or []), ("tag", header.get("tags") or []))
            for value in dict.fromkeys(values)
            if value.strip()
        ]
        db.conn.executemany("insert into doc_labels (doc_id, kind, value, key) values (?, ?, ?, ?)", labels)
    # The text itself is indexed by the next search, as after any save (storage.search.refresh).
    db.execute("insert or ignore into search_pending (doc_id) select id from documents")


@migrations()
def m006_vocabulary_and_filters(db: Database) -> None:
    """Failure classes the team added to the default list, and filters each user saved."""
    db["failure_classes"].create({"name": str, "key": str, "added_by": str, "added_at": str}, pk="key")
    db["saved_filters"].create(
        {"identity": str, "name": str, "value": str, "saved_at": str}, pk=("identity", "name")
    )


@migrations()
def m007_action_item_touched(db: Database) -> None:
    """When each action item was added and last changed (the tracker's "untouched 30 days", "open more
    than 90 days" and completion rates), and the indexes the tracker's filters and sorts use."""
    db["action_item_touches"].create(
        {"doc_id": int, "item_id": str, "digest": str, "added_at": str, "touched_at": str},
        pk=("doc_id", "item_id"),
    )
    db["action_items"].add_column("added_at", str)
    db["action_items"].add_column("touched_at", str)
    db["action_items"].add_column("days_to_close", float)
    _m007_backfill(db)
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


def _m007_digest(item: dict) -> str:
    # The fingerprint storage.touched computes on every save: equal digests, unchanged item.
    return hashlib.blake2b(repr(item).encode("utf-8"), digest_size=12).hexdigest()


def _m007_backfill(db: Database) -> None:
    """Every current item's times from the saved revisions: an item was touched by the last revision
    that changed it."""
    state: dict[tuple[int, str], list[str]] = {}  # (doc, item) -> [digest, added_at, touched_at]
    for doc_id, saved_at, body in db.execute(
        "select doc_id, saved_at, body from revisions order by doc_id, version"
    ):
        for item in json.loads(body).get("action_items", []):
            fingerprint, key = _m007_digest(item), (doc_id, item["id"])
            seen = state.get(key)
            if seen is None:
                state[key] = [fingerprint, saved_at, saved_at]
            elif seen[0] != fingerprint:
                seen[0], seen[2] = fingerprint, saved_at
    current = db.execute("select doc_id, item_id from action_items").fetchall()
    db.conn.executemany(
        "insert or replace into action_item_touches (doc_id, item_id, digest, added_at, touched_at) "
        "values (?, ?, ?, ?, ?)",
        [
            (doc_id, item_id, *state[(doc_id, item_id)])
            for doc_id, item_id in current
            if (doc_id, item_id) in state
        ],
    )
    db.execute(
        "update action_items set (added_at, touched_at) = (select t.added_at, t.touched_at from "
        "action_item_touches t where t.doc_id = action_items.doc_id and t.item_id = action_items.item_id)"
    )
    db.execute(
        "update action_items set days_to_close = julianday(closed_at) - julianday(added_at) "
        "where closed_at is not null"
    )


@migrations()
def m008_learning_columns(db: Database) -> None:
    """Per-document values the learning dashboard adds up (incident and close times, sign-off,
    durations in minutes, went-well count, Allspaw answer, action items done within 30 and 90 days
    of the close), so it never parses every body."""
    columns = {
        "incident_at": str,
        "incident_closed_at": str,
        "signed_off_at": str,
        "went_well_count": int,
        "allspaw_fair": int,
        "detect_min": float,
        "mitigate_min": float,
        "resolve_min": float,
        "items_total": int,
        "items_cancelled": int,
        "items_done_undated": int,
        "items_done_30d": int,
        "items_done_90d": int,
    }
    for column, kind in columns.items():
        if column not in db["documents"].columns_dict:  # m005 added incident_at for the archive's filters
            db["documents"].add_column(column, kind)
    # A covering index: bodies are several KiB and stored before these columns, so reading a column
    # from the table walks each body's overflow pages; the dashboard reads this index alone.
    db["documents"].create_index(
        [
            "deleted_at",
            "incident_at",
            "created_at",
            "id",
            "updated_at",
            "severity",
            "status",
            "trigger",
            "novel",
            "failure_class",
            "services",
            *(c for c in columns if c != "incident_at"),
        ],
        index_name="documents_learning",
    )
    assignments = ", ".join(f"[{column}] = ?" for column in columns)
    for doc_id, data in _bodies(db):
        facts = facts_from_body(data)
        db.execute(f"update documents set {assignments} where id = ?", [*(facts[c] for c in columns), doc_id])


@migrations()
def m009_users_and_access(db: Database) -> None:
    """Who may do what: users with a role, each document's owner, shares, a restricted flag; and an
    audit trail that no statement can rewrite (role and share changes have no document)."""
    db["users"].create(
        {"identity": str, "name": str, "role": str, "created_at": str, "disabled": int},
        pk="identity",
        not_null={"role", "created_at"},
        defaults={"disabled": 0, "name": ""},
    )
    if "created_by" not in db["documents"].columns_dict:  # m005 added it for the archive's author filter
        db["documents"].add_column("created_by", str)
    db["documents"].add_column("restricted", int, not_null_default=0)
    # Documents written before sign-in existed belong to whoever saved them first.
    db.execute(
        "update documents set created_by = coalesce((select saved_by from revisions r where "
        "r.doc_id = documents.id order by version limit 1), 'local')"
    )
    db.execute("create index documents_restricted on documents(id) where restricted = 1")
    db["shares"].create(
        {"doc_id": int, "identity": str, "shared_by": str, "shared_at": str},
        pk=("doc_id", "identity"),
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db["shares"].create_index(["identity"])
    db["audit"].transform(not_null={"doc_id": False})
    db["audit"].create_index(["action", "id"])
    for event in ("update", "delete"):
        db.execute(
            f"create trigger audit_no_{event} before {event} on audit begin "
            "select raise(abort, 'The audit trail is append-only.'); end"
        )


@migrations()
def m010_presence(db: Database) -> None:
    """Who has which document open: one row per browser session, refreshed by a heartbeat."""
    db["presence"].create(
        {"session_key": str, "doc_id": int, "identity": str, "step": str, "seen_at": float},
        pk="session_key",
        not_null={"doc_id", "identity", "seen_at"},
    )
    db["presence"].create_index(["doc_id", "seen_at"])


@migrations()
def m011_search_index_without_names(db: Database) -> None:
    """The index now holds roles where narrative names people (issue 11): queue every document so the
    next search re-indexes its text."""
    db.execute("insert or ignore into search_pending (doc_id) select id from documents")


@migrations()
def m012_notifications(db: Database) -> None:
    """Each notice delivered once per channel and address, with its attempts, last error and next retry;
    and each user's notification preferences, beside the users table."""
    db["notices_sent"].create(
        {
            "notice_key": str,
            "channel": str,
            "target": str,
            "kind": str,
            "subject": str,
            "attempts": int,
            "last_error": str,
            "next_retry_at": str,
            "sent_at": str,
            "first_tried_at": str,
        },
        pk=("notice_key", "channel", "target"),
        not_null={"attempts"},
        defaults={"attempts": 0, "last_error": ""},
    )
    db["notices_sent"].create_index(["sent_at", "next_retry_at"])
    db["notify_prefs"].create(
        {"identity": str, "kinds": str, "channel": str, "daily_digest": int},
        pk="identity",
        defaults={"kinds": "[]", "channel": "email", "daily_digest": 0},
    )


@migrations()
def m013_first_mitigation_apart_from_mitigated(db: Database) -> None:
    """Documents kept their first mitigation attempt in the Mitigated time; move it to its own time.

    Only a Mitigated time that equals a timeline row marked "first mitigation attempt" moves: a time the
    author typed by hand stays. Customer impact began and full unavailability stay unknown (empty).
    """
    for row in db.query("select id, body from documents"):
        body = json.loads(row["body"])
        times = body.get("header", {}).get("times") or {}
        attempts = {
            e.get("at") for e in body.get("timeline", []) if e.get("anchor") == "first mitigation attempt"
        }
        mitigated = times.get("mitigated_at")
        if mitigated and _same_instant(mitigated, attempts):
            times["first_mitigation_at"], times["mitigated_at"] = mitigated, None
            body["header"]["times"] = times
            db.execute(
                "update documents set body = ? where id = ?",
                [json.dumps(body, ensure_ascii=False, separators=(",", ":")), row["id"]],
            )


def _same_instant(value: str, others: set[str]) -> bool:
    def parse(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    return any(parse(value) == parse(o) for o in others if o)


@migrations()
def m014_blobs(db: Database) -> None:
    """Attached files, once each, keyed by the sha-256 of their bytes; documents and their revisions
    name them by digest (postmortem.models.Attachment), so a save never copies one."""
    db["blobs"].create(
        {"digest": str, "media_type": str, "size": int, "data": bytes, "stored_at": str, "stored_by": str},
        pk="digest",
        not_null={"media_type", "size", "data"},
    )


@migrations()
def m015_home_list_index(db: Database) -> None:
    """Home's page of rows and its count from one covering index: at 20,000 documents, reading rows of
    the documents table would drag every body along."""
    db.execute(
        "create index if not exists documents_home_list on documents (deleted_at, updated_at, id, "
        "incident_id, title, severity, status, version, trigger, novel, closed_at, created_by, updated_by)"
    )


@migrations()
def m016_comment_threads(db: Database) -> None:
    """Comment threads on a document's steps, fields, events, action items and causal-tree boxes: each
    thread keeps the text and version it was made on; each comment its earlier wordings; and the
    incident commander's written overrides of the open-threads gate."""
    db["comment_threads"].create(
        {
            "id": int,
            "doc_id": int,
            "step": str,
            "target": str,
            "target_label": str,
            "anchor_text": str,
            "anchor_version": int,
            "created_by": str,
            "created_at": str,
            "status": str,
            "opened_at": str,
            "opened_seq": int,
            "closed_by": str,
            "closed_at": str,
        },
        pk="id",
        not_null={
            "doc_id",
            "step",
            "target",
            "created_by",
            "created_at",
            "status",
            "opened_at",
            "opened_seq",
        },
        defaults={"status": "open", "anchor_text": ""},
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db["comment_threads"].create_index(["doc_id", "status"])
    db["comments"].create(
        {
            "id": int,
            "thread_id": int,
            "doc_id": int,
            "body": str,
            "mentions": str,
            "author": str,
            "created_at": str,
            "edited_at": str,
            "doc_version": int,
        },
        pk="id",
        not_null={"thread_id", "doc_id", "body", "author", "created_at"},
        defaults={"mentions": "[]"},
        foreign_keys=[("thread_id", "comment_threads", "id"), ("doc_id", "documents", "id")],
    )
    db["comments"].create_index(["thread_id", "id"])
    db["comment_edits"].create(
        {"id": int, "comment_id": int, "body": str, "replaced_at": str, "replaced_by": str},
        pk="id",
        not_null={"comment_id", "body", "replaced_at"},
        foreign_keys=[("comment_id", "comments", "id")],
    )
    db["comment_edits"].create_index(["comment_id"])
    db["comment_overrides"].create(
        {"id": int, "doc_id": int, "by": str, "reason": str, "at": str, "covered_seq": int},
        pk="id",
        not_null={"doc_id", "by", "reason", "at"},
        foreign_keys=[("doc_id", "documents", "id")],
    )


@migrations()
def m017_notify_prefs_address(db: Database) -> None:
    """Where someone's e-mail goes when their sign-in identity is not an address (the local user, or
    a proxy that sends user names)."""
    db["notify_prefs"].add_column("address", str, not_null_default="")
    db["notify_prefs"].create_index(["address"])  # the notify run finds a recipient's choices by it


def _bodies(db: Database):
    """(id, parsed body) of every document, for the migrations that fill columns from the bodies."""
    for doc_id, body in db.execute("select id, body from documents").fetchall():
        yield doc_id, json.loads(body)
