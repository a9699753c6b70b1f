"""Comment threads and their comments (migration m016). Who may do what is asked of storage/access.py
on every call: anyone who may read a document reads its threads; authors, reviewers and admins write,
reply and resolve; only a comment's author edits it, and the earlier wording is kept.

Threads live with their document: a document in the bin hides its threads, restoring it shows them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlite_utils import Database

from postmortem.comments import Mention, Mentioned, Target, anchor, clean_body
from postmortem.review import TransitionError, threads_gate
from storage import access, tx
from storage.access import LOCAL, Actor, Permission, Role, actor_of, allowed, at_least, require, visible_sql
from storage.auditlog import record
from storage.errors import NotFoundError, PermissionDenied
from storage.tx import write_transaction

OPEN, RESOLVED = "open", "resolved"


@dataclass(frozen=True)
class Comment:
    id: int
    thread_id: int
    body: str
    author: str
    created_at: str
    edited_at: str | None
    doc_version: int | None
    mentions: tuple[Mention, ...] = ()
    earlier: tuple[str, ...] = ()  # earlier wordings, oldest first


@dataclass(frozen=True)
class Thread:
    id: int
    doc_id: int
    step: str
    target: str
    target_label: str
    anchor_text: str
    anchor_version: int
    created_by: str
    created_at: str
    status: str
    closed_by: str | None
    closed_at: str | None
    comments: tuple[Comment, ...] = field(default=())

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


def _live_doc(db: Database, doc_id: int) -> int:
    """The document's version; NotFoundError for one that does not exist or is in the bin."""
    row = db.execute("select version from documents where id = ? and deleted_at is null", [doc_id]).fetchone()
    if row is None:
        raise NotFoundError(f"No post-mortem with id {doc_id}.")
    return row[0]


def may_comment(db: Database, doc_id: int) -> bool:
    """Authors, reviewers and admins who may read the document comment on it; viewers read."""
    return at_least(actor_of(db), Role.AUTHOR) and allowed(db, Permission.VIEW, doc_id)


def _require_commenter(db: Database, doc_id: int) -> None:
    require(db, Permission.VIEW, doc_id)
    if not may_comment(db, doc_id):
        actor = actor_of(db)
        raise PermissionDenied(f"{actor.identity} ({actor.role.value}) may read comments but not write them.")


def _mentions_json(mentions: list[Mention] | tuple[Mention, ...]) -> str:
    return json.dumps([{"kind": m.kind, "who": m.who} for m in mentions])


def _insert_comment(
    db: Database, thread_id: int, doc_id: int, version: int, body: str, mentions: list[Mention]
) -> int:
    return (
        db["comments"]
        .insert(
            {
                "thread_id": thread_id,
                "doc_id": doc_id,
                "body": clean_body(body),
                "mentions": _mentions_json(mentions),
                "author": actor_of(db).identity,
                "created_at": tx.now(),
                "doc_version": version,
            }
        )
        .last_pk
    )


def start(
    *, db: Database, doc_id: int, step: str, target: Target, body: str, mentions: list[Mention] = ()
) -> int:
    """A new open thread about `target` with its first comment; returns the thread's id."""
    _require_commenter(db, doc_id)
    clean_body(body)
    with write_transaction(db):
        version, now = _live_doc(db, doc_id), tx.now()
        thread_id = (
            db["comment_threads"]
            .insert(
                {
                    "doc_id": doc_id,
                    "step": step,
                    "target": target.ref,
                    "target_label": target.label[:200],
                    "anchor_text": anchor(target),
                    "anchor_version": version,
                    "created_by": actor_of(db).identity,
                    "created_at": now,
                    "status": OPEN,
                    "opened_at": now,
                    "opened_seq": _next_seq(db),
                }
            )
            .last_pk
        )
        _insert_comment(db, thread_id, doc_id, version, body, list(mentions))
    return thread_id


def _next_seq(db: Database) -> int:
    # A counter, not a clock: an override covers the threads opened before it, even within one millisecond.
    return db.execute("select coalesce(max(opened_seq), 0) + 1 from comment_threads").fetchone()[0]


def _thread_row(db: Database, thread_id: int) -> dict:
    rows = db.execute_returning_dicts("select * from comment_threads where id = ?", [thread_id])
    if not rows:
        raise NotFoundError(f"No comment thread {thread_id}.")
    return rows[0]


def reply(*, db: Database, thread_id: int, body: str, mentions: list[Mention] = ()) -> int:
    """Add a comment to a thread (resolved threads take replies too; they stay resolved)."""
    doc_id = _thread_row(db, thread_id)["doc_id"]
    _require_commenter(db, doc_id)
    with write_transaction(db):
        return _insert_comment(db, thread_id, doc_id, _live_doc(db, doc_id), body, list(mentions))


def edit(*, db: Database, comment_id: int, body: str, mentions: list[Mention] = ()) -> None:
    """Change one's own comment; the earlier wording is kept, mentions only ever grow."""
    rows = db.execute_returning_dicts("select * from comments where id = ?", [comment_id])
    if not rows:
        raise NotFoundError(f"No comment {comment_id}.")
    row, actor = rows[0], actor_of(db)
    _require_commenter(db, row["doc_id"])
    if row["author"] != actor.identity:
        raise PermissionDenied("Only the person who wrote a comment can edit it; reply instead.")
    new = clean_body(body)
    if new == row["body"]:
        return
    before = [Mention(**m) for m in json.loads(row["mentions"] or "[]")]
    kept = before + [m for m in mentions if m not in before]
    with write_transaction(db):
        _live_doc(db, row["doc_id"])
        now = tx.now()
        db["comment_edits"].insert(
            {"comment_id": comment_id, "body": row["body"], "replaced_at": now, "replaced_by": actor.identity}
        )
        db.execute(
            "update comments set body = ?, edited_at = ?, mentions = ? where id = ?",
            [new, now, _mentions_json(kept), comment_id],
        )


def _set_status(db: Database, thread_id: int, status: str) -> None:
    row = _thread_row(db, thread_id)
    _require_commenter(db, row["doc_id"])
    if row["status"] == status:
        return
    now = tx.now()
    with write_transaction(db):
        _live_doc(db, row["doc_id"])
        if status == OPEN:  # a reopened thread counts as new against an earlier override
            db.execute(
                "update comment_threads set status = ?, opened_at = ?, opened_seq = ?, closed_by = null, "
                "closed_at = null where id = ?",
                [OPEN, now, _next_seq(db), thread_id],
            )
        else:
            db.execute(
                "update comment_threads set status = ?, closed_by = ?, closed_at = ? where id = ?",
                [status, actor_of(db).identity, now, thread_id],
            )


def resolve(*, db: Database, thread_id: int) -> None:
    _set_status(db, thread_id, RESOLVED)


def reopen(*, db: Database, thread_id: int) -> None:
    _set_status(db, thread_id, OPEN)


def _comments(db: Database, thread_ids: list[int]) -> dict[int, list[Comment]]:
    if not thread_ids:
        return {}
    marks = ",".join("?" * len(thread_ids))
    earlier: dict[int, list[str]] = {}
    for row in db.query(
        f"select e.comment_id, e.body from comment_edits e join comments c on c.id = e.comment_id "
        f"where c.thread_id in ({marks}) order by e.id",
        thread_ids,
    ):
        earlier.setdefault(row["comment_id"], []).append(row["body"])
    found: dict[int, list[Comment]] = {}
    for row in db.query(f"select * from comments where thread_id in ({marks}) order by id", thread_ids):
        mentions = tuple(Mention(**m) for m in json.loads(row.pop("mentions") or "[]"))
        row.pop("doc_id")
        found.setdefault(row["thread_id"], []).append(
            Comment(**row, mentions=mentions, earlier=tuple(earlier.get(row["id"], [])))
        )
    return found


def threads(*, db: Database, doc_id: int, step: str | None = None) -> list[Thread]:
    """A document's threads (of one step, or all), open ones first, each with its comments."""
    require(db, Permission.VIEW, doc_id)
    _live_doc(db, doc_id)
    where, params = "doc_id = ?", [doc_id]
    if step is not None:
        where, params = where + " and step = ?", [*params, step]
    rows = list(
        db.query(f"select * from comment_threads where {where} order by status = 'resolved', id", params)
    )
    comments = _comments(db, [r["id"] for r in rows])
    return [
        Thread(
            **{k: r[k] for k in Thread.__dataclass_fields__ if k != "comments"},
            comments=tuple(comments.get(r["id"], [])),
        )
        for r in rows
    ]


def open_counts(*, db: Database, doc_id: int) -> dict[str, int]:
    """Open threads per step, for the sidebar."""
    require(db, Permission.VIEW, doc_id)
    rows = db.execute(
        "select step, count(*) from comment_threads where doc_id = ? and status = 'open' group by step",
        [doc_id],
    ).fetchall()
    return dict(rows)


@dataclass(frozen=True)
class Override:
    by: str
    reason: str
    at: str
    covered_seq: int  # threads opened up to this point of the counter are covered


def latest_override(*, db: Database, doc_id: int) -> Override | None:
    rows = db.execute_returning_dicts(
        "select by, reason, at, covered_seq from comment_overrides where doc_id = ? order by id desc limit 1",
        [doc_id],
    )
    return Override(**rows[0]) if rows else None


def blocking_count(*, db: Database, doc_id: int) -> int:
    """Open threads not covered by the incident commander's latest override: those opened (or
    reopened) after it still block Final."""
    require(db, Permission.VIEW, doc_id)
    last = latest_override(db=db, doc_id=doc_id)
    return db.execute(
        "select count(*) from comment_threads where doc_id = ? and status = 'open' and opened_seq > ?",
        [doc_id, last.covered_seq if last else 0],
    ).fetchone()[0]


def refuse_final_with_open_threads(db: Database, doc_id: int) -> None:
    """Storage's own check of the threads gate, whatever page or script asks for Final."""
    blocking = blocking_count(db=db, doc_id=doc_id)
    if blocking:
        raise TransitionError(f"Final is blocked by {threads_gate(blocking).detail}")


def override(*, db: Database, doc_id: int, reason: str) -> Override:
    """The incident commander lets Final go ahead with threads still open; the reason goes into the
    audit trail."""
    require(db, Permission.SIGN_OFF, doc_id)
    reason = reason.strip()
    if len(reason) < 10:
        raise ValueError("Say why Final may go ahead with open questions (at least 10 characters).")
    with write_transaction(db):
        version = _live_doc(db, doc_id)
        covered = blocking_count(db=db, doc_id=doc_id)
        row = {
            "doc_id": doc_id,
            "by": actor_of(db).identity,
            "reason": reason[:1000],
            "at": tx.now(),
            "covered_seq": _next_seq(db) - 1,
        }
        db["comment_overrides"].insert(row)
        record(
            db=db,
            doc_id=doc_id,
            version=version,
            action="open threads overridden",
            by=row["by"],
            reason=row["reason"],
            detail=f"{covered} open thread{'' if covered == 1 else 's'}",
            at=row["at"],
        )
    return Override(row["by"], row["reason"], row["at"], row["covered_seq"])


@dataclass(frozen=True)
class Hit:
    doc_id: int
    incident_id: str
    thread_id: int
    step: str
    target_label: str
    body: str
    author: str


def search(*, db: Database, query: str, limit: int = 50) -> list[Hit]:
    """Comments containing `query`, in the documents the actor may see and not in the bin."""
    words = query.strip()
    if not words:
        return []
    visible, params = visible_sql(db, "d.id")
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.query(
        "select d.id as doc_id, d.incident_id, t.id as thread_id, t.step, t.target_label, c.body, c.author "
        "from comments c join comment_threads t on t.id = c.thread_id join documents d on d.id = c.doc_id "
        f"where d.deleted_at is null and {visible} and c.body like ? escape '\\' order by c.id desc limit ?",
        [*params, f"%{escaped}%", limit],
    )
    return [Hit(**row) for row in rows]


def mentions(*, db: Database) -> list[Mentioned]:
    """Every mention in comments of documents not in the bin (admins only: the notify run)."""
    require(db, Permission.ADMIN)
    rows = db.query(
        "select c.id, c.thread_id, c.doc_id, t.step, t.target_label, c.body, c.author, c.mentions "
        "from comments c join comment_threads t on t.id = c.thread_id join documents d on d.id = c.doc_id "
        "where d.deleted_at is null and c.mentions != '[]' order by c.id"
    )
    found = [
        Mentioned(
            r["id"],
            r["thread_id"],
            r["doc_id"],
            r["step"],
            r["target_label"],
            r["body"],
            r["author"],
            m["kind"],
            m["who"],
        )
        for r in rows
        for m in json.loads(r["mentions"])
    ]
    # A notice carries the comment: someone who may not read the post-mortem (restricted since, switched
    # off, or never allowed) is not sent what is in it.
    return [m for m in found if m.kind != "user" or may_read(db, m.who, m.doc_id)]


def may_read(db: Database, identity: str, doc_id: int) -> bool:
    """May this signed-in user (not switched off) read the post-mortem? Someone told of it must."""
    rows = db.execute_returning_dicts("select * from users where identity = ?", [identity])
    if not rows and identity == LOCAL.identity:
        return True  # without sign-in the one local user reads everything (a signed-in "local" has a row)
    if not rows or rows[0]["disabled"]:
        return False
    actor = Actor(identity, Role(rows[0]["role"]))
    return access.allowed_for(db, actor, Permission.VIEW, doc_id)


def known_identities(*, db: Database) -> list[str]:
    """Signed-in users who can be mentioned (switched-off ones cannot)."""
    return [
        r[0]
        for r in db.execute(
            "select identity from users where disabled = 0 and identity != 'local' order by identity"
        ).fetchall()
    ]
