"""Post-mortems related to one document: earlier incidents of the same class on the same services,
their open action items, and contributing factors that read alike (pre-selected by the FTS index)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from postmortem import recurrence
from storage import access, search

_CLOSED = ("done", "cancelled")


@dataclass(frozen=True)
class Related(search.DocRef):
    version: int  # as read: a change recorded on it is checked against this version


_RELATED = "d.id, d.incident_id, d.title, d.severity, d.status, d.incident_at, d.version"


@dataclass(frozen=True)
class OpenItem:
    title: str
    owner: str
    due: str | None
    priority: str | None
    status: str
    tracker: str


@dataclass(frozen=True)
class SimilarFactor:
    factor_id: str
    other: Related
    text: str  # the other post-mortem's factor
    score: float


def earlier_occurrences(
    *,
    db: Database,
    doc_id: int,
    failure_class: str,
    services: list[str],
    day: date | None,
    days: int = recurrence.WINDOW_DAYS,
    limit: int = 5,
) -> list[Related]:
    """Other post-mortems with the same failure class and a shared service, whose incident happened
    in the `days` before `day` (this incident's day; today when it has none yet)."""
    keys = [s.strip().lower() for s in services if s.strip()]
    if not failure_class.strip() or not keys:
        return []
    day = day or datetime.now(UTC).date()
    where, params = access.visible_sql(db, "d.id")
    rows = db.execute(
        f"select {_RELATED} from search_docs d "
        "where d.class_key = ? and d.id != ? and d.deleted_at is null "
        "and d.incident_at >= ? and d.incident_at < ? "
        f"and d.id in (select doc_id from doc_labels where kind = 'service' and key in ({', '.join('?' * len(keys))})) "
        f"and ({where}) order by d.incident_at desc limit ?",
        [
            failure_class.strip().lower(),
            doc_id,
            (day - timedelta(days=days)).isoformat(),
            (day + timedelta(days=1)).isoformat(),
            *keys,
            *params,
            limit,
        ],
    ).fetchall()
    return [Related(*row) for row in rows]


def open_action_items(*, db: Database, doc_id: int) -> list[OpenItem]:
    """A post-mortem's action items that are neither done nor cancelled: fixes not built yet."""
    where, params = access.visible_sql(db, "action_items.doc_id")
    rows = db.execute(
        "select title, owner, due, priority, status, tracker from action_items "
        f"where doc_id = ? and status not in (?, ?) and ({where}) order by position",
        [doc_id, *_CLOSED, *params],
    )
    return [OpenItem(*row) for row in rows]


def similar_factors(
    *, db: Database, doc_id: int, factors: list[tuple[str, str]], candidates: int = 25, per_factor: int = 3
) -> list[SimilarFactor]:
    """For each (factor id, text): factors of other post-mortems that read alike. The index picks the
    documents sharing the most telling words; RapidFuzz then compares factor by factor."""
    search.refresh(db)
    where, params = access.visible_sql(db, "d.id")
    out: list[SimilarFactor] = []
    for factor_id, text in factors:
        words = recurrence.terms(text)
        if len(words) < 2:
            continue
        match = "factors : (" + " OR ".join(f'"{w}"' for w in words) + ")"
        rows = db.execute(
            f"select {_RELATED}, f.factors "
            "from search_index f join search_docs d on d.id = f.rowid "
            f"where search_index match ? and d.id != ? and d.deleted_at is null and ({where}) "
            "order by rank limit ?",
            [match, doc_id, *params, candidates],
        ).fetchall()
        found = []
        for *head, other_factors in rows:
            for line in (other_factors or "").splitlines():
                if recurrence.is_similar(text, line):
                    found.append(
                        SimilarFactor(factor_id, Related(*head), line, recurrence.similarity(text, line))
                    )
        out += sorted(found, key=lambda s: -s.score)[:per_factor]
    return out
