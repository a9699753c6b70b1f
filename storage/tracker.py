"""The action-item tracker across every post-mortem: filtered, sorted, paginated queries on the
`action_items` projection (never the document bodies), counts, the weekly review, the tracker's
failure modes, and the one write: an item's status, saved inside its document.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from postmortem.actions import with_status
from postmortem.models import ActionStatus
from storage.access import Permission, require, visible_sql
from storage.documents import Stored, get, save

CLOSED = (ActionStatus.DONE.value, ActionStatus.CANCELLED.value)
IS_OPEN = "ai.status not in ('done', 'cancelled')"
PAGE_SIZE = 50
# Label -> ORDER BY. Each ends on the item's place, so pages never overlap. Items missing a due date
# or priority come first (they need one). "due date" (the default) and the "changed" and "longest
# open" orders follow an index, so a page is read without sorting every item.
SORTS: dict[str, str] = {
    "due date": "ai.due, ai.doc_id, ai.position",
    "priority": "ai.priority, ai.due, ai.doc_id, ai.position",
    "least recently changed": "ai.touched_at, ai.doc_id, ai.position",
    "most recently changed": "ai.touched_at desc, ai.doc_id, ai.position",
    "owner": "ai.owner = '', ai.owner, ai.due, ai.doc_id, ai.position",
    "longest open": "ai.added_at, ai.doc_id, ai.position",
    "post-mortem": "ai.doc_id desc, ai.position",
}


@dataclass(frozen=True)
class Filters:
    """What the tracker shows; empty values mean "any". Day windows count back or forward from `today`."""

    owner: str = ""
    statuses: tuple[str, ...] = ()
    still_open: bool = False
    overdue: bool = False
    due_within_days: int | None = None  # open and due from today up to today + N days
    untouched_days: int | None = None  # open and unchanged for N days or more
    closed_within_days: int | None = None  # done or cancelled in the last N days
    open_longer_than_days: int | None = None  # open and added more than N days ago
    category: str = ""
    service: str = ""
    priority: str = ""
    severity: str = ""
    text: str = ""
    today: date = field(default_factory=lambda: datetime.now(UTC).date())


@dataclass(frozen=True)
class TrackedItem:
    doc_id: int
    item_id: str
    position: int
    incident_id: str
    doc_title: str
    severity: str
    version: int
    title: str
    owner: str
    due: str | None
    priority: str | None
    category: str | None
    status: str
    tracker: str
    closed_at: str | None
    added_at: str | None
    touched_at: str | None
    services: str = "[]"  # the post-mortem's services (a JSON list) and the item's acceptance criteria:
    criteria: str = ""  # read only for exports, as they sit in or after the document's body


@dataclass(frozen=True)
class Page:
    items: list[TrackedItem]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class Counts:
    total: int
    open: int
    overdue: int
    cancelled: int
    done_30_rate: float | None  # share of items at least 30 days old done within 30 days (cancelled left out)
    done_90_rate: float | None


_COLUMNS = (
    "ai.doc_id, ai.item_id, ai.position, d.incident_id, d.title as doc_title, d.severity, d.version, "
    "ai.title, ai.owner, ai.due, ai.priority, ai.category, ai.status, ai.tracker, ai.closed_at, "
    "ai.added_at, ai.touched_at"
)
# Exports only. The columns above come before the body in a document's row; these two are read from
# the body or after it, which means reading the whole body.
_CRITERIA = (
    ", d.services, json_extract(d.body, '$.action_items[' || ai.position || '].acceptance_criteria') "
    "as criteria"
)


def _days_ago(today: date, days: int) -> str:
    """Midnight UTC `days` before `today`, as stored times are written (ISO 8601, UTC)."""
    return datetime.combine(today - timedelta(days=days), datetime.min.time(), UTC).isoformat()


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# Filters run on action_items alone: a document's row holds its whole body before the later columns,
# so joining 100,000 items to their documents reads every body. Documents are joined for a page's rows only.
_FROM = "from action_items ai"
_NOT_DELETED = "ai.doc_id not in (select id from documents where deleted_at is not null)"


def where(db: Database, f: Filters) -> tuple[str, list]:
    """The WHERE clause for `f` over `action_items ai`, with the actor's visibility."""
    visible, params = visible_sql(db, "ai.doc_id")
    clauses = [_NOT_DELETED, f"({visible})"]
    params = list(params)

    def add(clause: str, *values: object) -> None:
        clauses.append(clause)
        params.extend(values)

    today = f.today.isoformat()
    if f.owner:
        add("ai.owner = ?", f.owner)
    if f.statuses:
        add(f"ai.status in ({', '.join('?' for _ in f.statuses)})", *f.statuses)
    if f.still_open:
        add(IS_OPEN)
    if f.overdue:
        # "+" keeps SQLite off the due index: most items can be overdue, and a plain scan of the
        # small rows beats a lookup per item.
        add(f"+ai.due < ? and {IS_OPEN}", today)
    if f.due_within_days is not None:
        add(
            f"ai.due >= ? and ai.due <= ? and {IS_OPEN}",
            today,
            (f.today + timedelta(days=f.due_within_days)).isoformat(),
        )
    if f.untouched_days is not None:
        add(f"+ai.touched_at < ? and {IS_OPEN}", _days_ago(f.today, f.untouched_days))
    if f.closed_within_days is not None:
        add(
            "ai.closed_at >= ? and ai.closed_at < ? and +ai.status in ('done', 'cancelled')",
            _days_ago(f.today, f.closed_within_days),
            _days_ago(f.today, -1),
        )
    if f.open_longer_than_days is not None:
        add(f"ai.added_at < ? and {IS_OPEN}", _days_ago(f.today, f.open_longer_than_days))
    if f.category:
        add("ai.category = ?", f.category)
    if f.priority:
        add("ai.priority = ?", f.priority)
    if f.severity:
        add("ai.doc_id in (select id from documents where severity = ?)", f.severity)
    if f.service:
        add(
            "ai.doc_id in (select d.id from documents d, json_each(d.services) s where s.value = ?)",
            f.service,
        )
    if f.text.strip():
        pattern = _like(f.text.strip())
        add(
            "(ai.title like ? escape '\\' or ai.tracker like ? escape '\\' or ai.owner like ? escape '\\')",
            pattern,
            pattern,
            pattern,
        )
    return " and ".join(clauses), params


def _reversed(order: str) -> str:
    return ", ".join(term[:-5] if term.endswith(" desc") else f"{term} desc" for term in order.split(", "))


def _rows(
    db: Database,
    clause: str,
    params: list,
    order: str,
    limit: int | None = None,
    offset: int = 0,
    criteria: bool = False,
) -> list[TrackedItem]:
    """The filtered items in `order`: chosen on action_items, then joined to their documents."""
    window, window_params = (" limit ? offset ?", [limit, max(offset, 0)]) if limit is not None else ("", [])
    rows = db.execute_returning_dicts(
        f"select {_COLUMNS}{_CRITERIA if criteria else ''} "
        f"from (select * {_FROM} where {clause} order by {order}{window}) ai "
        f"join documents d on d.id = ai.doc_id order by {order}",
        [*params, *window_params],
    )
    return [TrackedItem(**row) for row in rows]


def page(
    *,
    db: Database,
    filters: Filters,
    sort: str = "due date",
    offset: int = 0,
    limit: int = PAGE_SIZE,
    total: int | None = None,
) -> Page:
    """One page of the filtered items, sorted, and how many match in all (pass `total` when
    `counts` has just counted them, to skip counting again)."""
    clause, params = where(db, filters)
    if total is None:
        total = db.execute(f"select count(*) {_FROM} where {clause}", params).fetchone()[0]
    order, offset = SORTS.get(sort, SORTS["due date"]), max(offset, 0)
    if offset + limit > total / 2 and offset < total:
        # A page in the second half is read from the end: an OFFSET walks every row it skips.
        from_end = max(total - offset - limit, 0)
        found = _rows(db, clause, params, _reversed(order), min(limit, total - offset), from_end)[::-1]
    else:
        found = _rows(db, clause, params, order, limit, offset)
    return Page(found, total, offset, limit)


def items(
    *,
    db: Database,
    filters: Filters,
    sort: str = "due date",
    limit: int | None = None,
    criteria: bool = False,
) -> list[TrackedItem]:
    """Every filtered item (for exports and the command line), sorted; `criteria` also reads each
    item's acceptance criteria from its document."""
    clause, params = where(db, filters)
    return _rows(db, clause, params, SORTS.get(sort, SORTS["due date"]), limit, criteria=criteria)


def counts(*, db: Database, filters: Filters) -> Counts:
    """Open, overdue and cancelled items and the completion rates at 30 and 90 days, in one pass."""
    clause, params = where(db, filters)

    def done_within(days: int) -> tuple[str, list]:
        # Text comparison for "old enough" (ISO times in UTC sort as text) and days_to_close worked out
        # at save time: no date arithmetic per row, so one pass over 100,000 rows stays cheap.
        old_enough = "ai.added_at <= ? and ai.status != 'cancelled'"
        in_time = f"ai.status = 'done' and ai.days_to_close <= {days}"
        cutoff = _days_ago(filters.today, days)
        return (f"sum({old_enough}), sum(case when {old_enough} then {in_time} else 0 end)"), [cutoff] * 2

    rate30, params30 = done_within(30)
    rate90, params90 = done_within(90)
    row = db.execute(
        f"select count(*), sum({IS_OPEN}), sum(ai.due < ? and {IS_OPEN}), sum(ai.status = 'cancelled'), "
        f"{rate30}, {rate90} {_FROM} where {clause}",
        [filters.today.isoformat(), *params30, *params90, *params],
    ).fetchone()
    total, open_, overdue, cancelled, base30, done30, base90, done90 = (value or 0 for value in row)
    return Counts(
        total,
        open_,
        overdue,
        cancelled,
        done30 / base30 if base30 else None,
        done90 / base90 if base90 else None,
    )


@dataclass(frozen=True)
class WeeklyReview:
    """FACTS §8: what a weekly action-item review walks through."""

    due_soon: Page
    overdue: Page
    closed_this_week: Page
    untouched: Page


def weekly_review(
    *, db: Database, filters: Filters, limit: int = 20, untouched_days: int = 30
) -> WeeklyReview:
    """Due in the next 7 days, overdue, closed in the last 7 days, and open items unchanged for 30 days."""
    return WeeklyReview(
        due_soon=page(db=db, filters=replace(filters, due_within_days=7), limit=limit),
        overdue=page(db=db, filters=replace(filters, overdue=True), limit=limit),
        closed_this_week=page(
            db=db, filters=replace(filters, closed_within_days=7), sort="most recently changed", limit=limit
        ),
        untouched=page(
            db=db,
            filters=replace(filters, untouched_days=untouched_days),
            sort="least recently changed",
            limit=limit,
        ),
    )


@dataclass(frozen=True)
class QuietOwner:
    owner: str
    open_items: int
    last_change: str | None


@dataclass(frozen=True)
class RepeatedItem:
    title: str
    post_mortems: int
    incident_ids: str


def quiet_owners(*, db: Database, filters: Filters, days: int = 60, limit: int = 20) -> list[QuietOwner]:
    """Owners of open items whose items have not changed for `days` days: they may have moved on."""
    clause, params = where(db, filters)
    rows = db.execute(
        f"select ai.owner, sum({IS_OPEN}) as open_items, max(ai.touched_at) as last_change {_FROM} "
        f"where {clause} and ai.owner != '' group by ai.owner "
        "having open_items > 0 and last_change < ? order by last_change limit ?",
        [*params, _days_ago(filters.today, days), limit],
    ).fetchall()
    return [QuietOwner(*row) for row in rows]


def repeated_items(*, db: Database, filters: Filters, limit: int = 20) -> list[RepeatedItem]:
    """The same action (same words, ignoring case and outer spaces) in more than one post-mortem."""
    clause, params = where(db, filters)
    key = "lower(trim(ai.title))"  # the expression of idx_action_items_same_text: grouped without the rows
    groups = db.execute(
        f"select {key} as k, count(distinct ai.doc_id) as n {_FROM} where {clause} group by k having n > 1 "
        "order by n desc, k limit ?",
        [*params, limit],
    ).fetchall()
    found = []
    for text, n in groups:
        rows = db.execute(
            f"select ai.title, d.incident_id {_FROM} join documents d on d.id = ai.doc_id "
            f"where {key} = ? and {clause} order by d.incident_id",
            [text, *params],
        ).fetchall()
        incidents = list(dict.fromkeys(incident for _, incident in rows))
        found.append(RepeatedItem(rows[0][0], n, ", ".join(incidents)))
    return found


def owners(*, db: Database) -> list[str]:
    """Every owner named on a visible item, for the owner filter."""
    visible, params = visible_sql(db, "ai.doc_id")
    rows = db.execute(
        f"select distinct ai.owner {_FROM} where ai.owner != '' and {_NOT_DELETED} "
        f"and ({visible}) order by ai.owner",
        params,
    ).fetchall()
    return [row[0] for row in rows]


def services(*, db: Database) -> list[str]:
    """Every service named on a visible post-mortem that has action items, for the service filter."""
    visible, params = visible_sql(db, "d.id")
    rows = db.execute(
        "select distinct s.value from documents d, json_each(d.services) s where +d.deleted_at is null "
        f"and ({visible}) order by s.value",
        params,
    ).fetchall()
    return [row[0] for row in rows]


def set_status(
    *,
    db: Database,
    doc_id: int,
    item_id: str,
    status: ActionStatus | str,
    expected_version: int,
    reason: str = "",
    by: str = "local",
    now: datetime | None = None,
) -> Stored:
    """Move one item to `status` inside its post-mortem: a new version of the document, refused with
    ConflictError when the document is no longer at `expected_version`, CancelReasonMissing when a
    cancel has no reason, LookupError when the item is gone."""
    require(db, Permission.EDIT, doc_id)
    current = get(db=db, doc_id=doc_id)
    changed = with_status(current.doc, item_id, ActionStatus(status), now or datetime.now(UTC), reason)
    return save(db=db, doc_id=doc_id, doc=changed, expected_version=expected_version, by=by)
