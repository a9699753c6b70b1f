"""Home's list in SQL (storage.doclist) and the overdue rule it filters on (postmortem.deadlines)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

import storage
from postmortem.deadlines import closed_before, overdue_cutoffs
from postmortem.edit import with_value
from postmortem.models import new_postmortem
from postmortem.severity import add_business_days
from storage.doclist import HomeFilter, home_count, home_rows

TODAY = date(2026, 12, 7)  # a Monday


def _add(db, n: int, *, severity="Sev2", status="draft", closed: datetime | None = None, by="ada") -> int:
    doc = new_postmortem(f"INC-2026-{n:04d}", f"Incident {n}")
    doc = with_value(with_value(doc, "header.severity", severity), "header.status", status)
    if closed:
        doc = with_value(doc, "header.times.closed_at", closed.isoformat())
    return storage.create(db=db, doc=doc, by=by).id


@pytest.mark.parametrize("days", [1, 5, 10, 20])
def test_closed_before_is_the_first_close_date_whose_deadline_has_not_passed(days):
    cutoff = closed_before(days, TODAY, country="US")
    assert add_business_days(cutoff, days, country="US") >= TODAY
    assert add_business_days(cutoff - timedelta(days=1), days, country="US") < TODAY


def test_pages_are_newest_first_and_counted(db):
    ids = [_add(db, n) for n in range(7)]
    assert home_count(db=db) == 7
    assert [r.id for r in home_rows(db=db, limit=3)] == ids[::-1][:3]
    assert [r.id for r in home_rows(db=db, limit=3, offset=6)] == [ids[0]]


def test_filters_by_status_severity_and_mine(db):
    a = _add(db, 1, severity="Sev1", status="draft", by="ada")
    b = _add(db, 2, severity="Sev2", status="in review", by="bo")
    c = _add(db, 3, severity="Sev1", status="published", by="bo")
    ids = lambda f: sorted(r.id for r in home_rows(db=db, filters=f))  # noqa: E731
    assert ids(HomeFilter(severities=("Sev1",))) == [a, c]
    assert ids(HomeFilter(statuses=("in review", "published"))) == [b, c]
    assert ids(HomeFilter(mine="bo")) == [b, c]
    assert ids(HomeFilter(mine="bo", severities=("Sev1",))) == [c]
    storage.delete(db=db, doc_id=a)
    assert ids(HomeFilter()) == [b, c]


def test_overdue_means_past_deadline_and_never_a_signed_document(db):
    long_ago = datetime(2025, 11, 15, 6, 20, tzinfo=UTC)
    late = _add(db, 1, closed=long_ago)
    _add(db, 2, closed=long_ago, status="published")
    _add(db, 3, closed=long_ago, status="final")
    _add(db, 4, closed=datetime.combine(TODAY, datetime.min.time(), UTC))  # closed today: not yet due
    _add(db, 5)  # no close time: no deadline
    overdue = HomeFilter(overdue=overdue_cutoffs(TODAY, country="US"))
    assert [r.id for r in home_rows(db=db, filters=overdue)] == [late] and home_count(
        db=db, filters=overdue
    ) == 1
    assert home_count(db=db, filters=HomeFilter(overdue=[])) == 0


def test_the_list_reads_a_covering_index_not_the_bodies(db):
    _add(db, 1)
    plan = " ".join(
        str(row)
        for row in db.execute(
            "explain query plan select id, title, status from documents where deleted_at is null "
            "order by updated_at desc limit 25"
        ).fetchall()
    )
    assert "COVERING INDEX documents_home_list" in plan
