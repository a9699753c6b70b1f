"""The learning dashboard's reads: one row per visible post-mortem from projected columns (never the
bodies, never item by item), and a cheap fingerprint of the data for caching."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlite_utils import Database

from postmortem.learning_facts import DONE_COLUMNS
from postmortem.metrics import DocFacts, ItemCounts, published_at
from storage.access import visible_sql

# The first status change to published in the audit trail (m004); index audit(doc_id, id) serves it.
_PUBLISHED = (
    "(select min(at) from audit where audit.doc_id = documents.id and audit.action = 'status' "
    "and audit.to_status = 'published')"
)
# A post-mortem with no recorded time counts in the quarter it was started in.
_INCIDENT_AT = "coalesce(documents.incident_at, documents.created_at)"


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def version(*, db: Database) -> tuple:
    """Changes whenever a figure could: a save, a delete or restore, an audit row, who is asking."""
    where, params = _where(db, None)
    row = db.execute(
        f"select count(*), max(updated_at), total(id) from documents where {where}", params
    ).fetchone()
    audit = db.execute("select max(id) from audit").fetchone()[0]
    return (*row, audit, where, tuple(params))


def _where(db: Database, since: date | None) -> tuple[str, list]:
    condition, params = visible_sql(db)
    where = f"documents.deleted_at is null and {condition}"
    if since is not None:
        where += f" and {_INCIDENT_AT} >= ?"
        params = [*params, since.isoformat()]
    return where, params


def span(*, db: Database) -> tuple[datetime, datetime] | None:
    """The earliest and latest incident among the visible post-mortems, or None when there are none."""
    where, params = _where(db, None)
    first, last = db.execute(
        f"select min({_INCIDENT_AT}), max({_INCIDENT_AT}) from documents where {where}", params
    ).fetchone()
    return (_time(first), _time(last)) if first else None


# The columns learning_facts reads, in the order `to_facts` takes them.
FACT_COLUMNS = (
    "id",
    "severity",
    "status",
    "trigger",
    "novel",
    _INCIDENT_AT,
    "incident_closed_at",
    _PUBLISHED,
    "signed_off_at",
    "allspaw_fair",
    "went_well_count",
    "detect_min",
    "mitigate_min",
    "resolve_min",
    "failure_class",
    "services",
    "items_total",
    "items_cancelled",
    "items_done_undated",
    *DONE_COLUMNS,
)


def to_facts(row: Sequence) -> DocFacts:
    """One row of FACT_COLUMNS as the dashboard's record (the bench builds such rows the slow way too)."""
    (
        doc_id,
        severity,
        status,
        trigger,
        novel,
        incident_at,
        closed_at,
        trail_at,
        signed_off_at,
        allspaw,
        went_well,
        detect,
        mitigate,
        resolve,
        failure_class,
        services,
        total,
        cancelled,
        undated,
        *done,
    ) = row
    published, source = published_at(_time(trail_at), status, _time(signed_off_at))
    return DocFacts(
        id=doc_id,
        severity=severity,
        status=status,
        trigger=trigger or "outage",
        novel=bool(novel),
        incident_at=_time(incident_at),
        closed_at=_time(closed_at),
        published_at=published,
        published_from=source,
        allspaw_fair=None if allspaw is None else bool(allspaw),
        went_well=went_well or 0,
        detect_min=detect,
        mitigate_min=mitigate,
        resolve_min=resolve,
        failure_class=failure_class or "",
        services=frozenset(json.loads(services or "[]")),
        items=ItemCounts(
            total or 0,
            cancelled or 0,
            undated or 0,
            {days: n or 0 for days, n in zip(DONE_COLUMNS.values(), done, strict=True)},
        ),
    )


def learning_facts(*, db: Database, since: date | None = None) -> list[DocFacts]:
    """Every post-mortem the actor may see, not in the bin, with an incident on or after `since`,
    as the dashboard's per-document record (one query over projected columns)."""
    where, params = _where(db, since)
    rows = db.execute(f"select {', '.join(FACT_COLUMNS)} from documents where {where}", params)
    return [to_facts(row) for row in rows]
