"""Home's list of post-mortems: one page of rows, filtered and counted in SQL, so 20,000 cost what 25 do.

Every column the list shows or filters on sits in one covering index (migration m015), so neither the
page nor the count reads a document's body.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from storage.access import SIGNED, visible_sql
from storage.documents import Listed

_COLUMNS = (
    "id, incident_id, title, severity, status, version, updated_at, trigger, novel, closed_at, deleted_at"
)


@dataclass(frozen=True)
class HomeFilter:
    statuses: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    mine: str | None = None  # an identity: documents it started or saved last
    # (severity, trigger, novel, closed-before date) from postmortem.deadlines.overdue_cutoffs; None: no filter
    overdue: list[tuple[str, str, int, str]] | None = None


def _in(column: str, values: tuple[str, ...]) -> tuple[str, list]:
    return f"{column} in ({', '.join('?' * len(values))})", list(values)


def _overdue_sql(cutoffs: list[tuple[str, str, int, str]]) -> tuple[str, list]:
    """Closed before the cutoff of the document's own policy. The policies share a handful of cutoff dates,
    so one IN list per date (SQLite looks a constant list up by binary search) beats a join per row."""
    by_date: dict[str, list[str]] = {}
    for severity, trigger, novel, before in cutoffs:
        by_date.setdefault(before, []).append(f"{severity}|{trigger}|{novel}")
    parts, params = [], []
    for before, policies in by_date.items():
        parts.append(
            f"(closed_at < ? and severity || '|' || trigger || '|' || novel in ({', '.join('?' * len(policies))}))"
        )
        params += [before, *policies]
    return "(" + " or ".join(parts) + ")", params


def _where(db: Database, f: HomeFilter) -> tuple[str, list]:
    visible, params = visible_sql(db)
    clauses, params = ["deleted_at is null", visible], list(params)
    for column, values in (("status", f.statuses), ("severity", f.severities)):
        if values:
            sql, more = _in(column, values)
            clauses.append(sql)
            params += more
    if f.mine:
        clauses.append("(created_by = ? or updated_by = ?)")
        params += [f.mine, f.mine]
    if f.overdue is not None:
        sql, more = _in("status", SIGNED)
        clauses.append(f"not {sql} and closed_at is not null")
        params += more
        if f.overdue:
            sql, more = _overdue_sql(f.overdue)
            clauses.append(sql)
            params += more
        else:
            clauses.append("0")
    return " and ".join(clauses), params


def home_count(*, db: Database, filters: HomeFilter = HomeFilter()) -> int:
    """How many visible, not-deleted post-mortems match `filters`."""
    where, params = _where(db, filters)
    return db.execute(f"select count(*) from documents where {where}", params).fetchone()[0]


def home_rows(
    *, db: Database, filters: HomeFilter = HomeFilter(), limit: int = 25, offset: int = 0
) -> list[Listed]:
    """One page of the visible, not-deleted post-mortems matching `filters`, newest change first."""
    where, params = _where(db, filters)
    rows = db.execute_returning_dicts(
        f"select {_COLUMNS} from documents where {where} order by updated_at desc, id desc limit ? offset ?",
        [*params, limit, offset],
    )
    return [Listed(**row) for row in rows]
