"""The tracker's SQL against a plain-Python reading of the same documents, over random data and filters."""

from __future__ import annotations

import json
import random
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta

import pytest

import storage
from postmortem.models import ActionCategory, ActionItem, ActionStatus, Header, Priority, Severity
from storage import tracker, tx
from tests.conftest import build_postmortem

TODAY = date(2026, 6, 1)
OWNERS = ["Ada", "Grace", "Linus", ""]
SERVICES = ["checkout", "search", "auth"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """40 random post-mortems saved at random times, 3 of them in the bin; returns (db, reference rows)."""
    rng = random.Random(7)
    db = storage.connect(tmp_path_factory.mktemp("ref") / "ref.db", actor=storage.LOCAL)
    rows = []
    with pytest.MonkeyPatch.context() as patch:
        for n in range(40):
            rows += _store(db, rng, n, patch)
    yield db, rows
    db.close()


def _store(db, rng: random.Random, n: int, patch: pytest.MonkeyPatch) -> list:
    """One random post-mortem saved at a random time (every 13th moved to the bin)."""
    saved = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(150))
    patch.setattr(tx, "now", lambda: saved.isoformat(timespec="milliseconds"))
    items = []
    for k in range(rng.randrange(0, 6)):
        status = rng.choice(list(ActionStatus))
        closed = saved + timedelta(days=rng.randrange(0, 60)) if status.is_closed else None
        items.append(
            ActionItem(
                title=rng.choice(["Alert on depth", "Add runbook", "Limit pool", f"Item {n}-{k}"]),
                owner=rng.choice(OWNERS),
                due=rng.choice([None, TODAY + timedelta(days=rng.randrange(-40, 40))]),
                priority=rng.choice([None, *Priority]),
                category=rng.choice([None, *ActionCategory]),
                status=status,
                cancel_reason="No longer needed." if status is ActionStatus.CANCELLED else "",
                closed_at=closed,
            )
        )
    header = Header(
        incident_id=f"INC-2026-{n:04d}",
        title=f"Incident {n}",
        severity=rng.choice(list(Severity)),
        services=rng.sample(SERVICES, rng.randrange(0, 3)),
    )
    stored = storage.create(db=db, doc=build_postmortem(header=header, action_items=items))
    if n % 13 == 5:
        storage.delete(db=db, doc_id=stored.id)
        return []
    return [(stored, item, saved) for item in items]


def _keep(f: tracker.Filters, stored, item: ActionItem, saved: datetime) -> bool:
    """The filters as a person would read them, one item at a time."""
    still_open = not item.status.is_closed
    due = item.due.isoformat() if item.due else None

    def day(days):
        return datetime.combine(f.today - timedelta(days=days), datetime.min.time(), UTC)

    checks = [
        not f.owner or item.owner == f.owner,
        not f.statuses or item.status.value in f.statuses,
        not f.still_open or still_open,
        not f.overdue or (still_open and due is not None and due < f.today.isoformat()),
        f.due_within_days is None
        or (
            still_open
            and due is not None
            and f.today.isoformat() <= due <= (f.today + timedelta(days=f.due_within_days)).isoformat()
        ),
        f.untouched_days is None or (still_open and saved < day(f.untouched_days)),
        f.closed_within_days is None
        or (item.closed_at is not None and day(f.closed_within_days) <= item.closed_at < day(-1)),
        f.open_longer_than_days is None or (still_open and saved < day(f.open_longer_than_days)),
        not f.category or (item.category and item.category.value == f.category),
        not f.priority or (item.priority and item.priority.value == f.priority),
        not f.severity or stored.doc.header.severity.value == f.severity,
        not f.service or f.service in stored.doc.header.services,
        not f.text
        or any(f.text.lower() in value.lower() for value in (item.title, item.tracker, item.owner)),
    ]
    return all(checks)


def _random_filters(rng: random.Random) -> tracker.Filters:
    options = {
        "owner": lambda: rng.choice(OWNERS[:-1]),
        "statuses": lambda: tuple(rng.sample([s.value for s in ActionStatus], 2)),
        "still_open": lambda: True,
        "overdue": lambda: True,
        "due_within_days": lambda: rng.choice([0, 7, 30]),
        "untouched_days": lambda: rng.choice([30, 90]),
        "closed_within_days": lambda: rng.choice([7, 60, 200]),
        "open_longer_than_days": lambda: rng.choice([30, 90]),
        "category": lambda: rng.choice(list(ActionCategory)).value,
        "priority": lambda: rng.choice(list(Priority)).value,
        "severity": lambda: rng.choice(list(Severity)).value,
        "service": lambda: rng.choice(SERVICES),
        "text": lambda: rng.choice(["alert", "RUN", "item 1", "ada"]),
    }
    chosen = rng.sample(sorted(options), rng.randrange(0, 4))
    return tracker.Filters(today=TODAY, **{name: options[name]() for name in chosen})


@pytest.mark.parametrize("seed", range(60))
def test_sql_filters_match_the_reference(archive, seed):
    db, rows = archive
    f = _random_filters(random.Random(seed))
    expected = sorted((stored.id, item.id) for stored, item, saved in rows if _keep(f, stored, item, saved))
    got = tracker.items(db=db, filters=f)
    assert sorted((i.doc_id, i.item_id) for i in got) == expected, f
    counts = tracker.counts(db=db, filters=f)
    assert counts.total == len(expected)
    kept = [(s, i) for s, i, _ in rows if (s.id, i.id) in set(expected)]
    assert counts.open == sum(not i.status.is_closed for _, i in kept)
    assert counts.cancelled == sum(i.status is ActionStatus.CANCELLED for _, i in kept)


def test_the_reference_data_covers_every_filter(archive):
    """Guard against a vacuous comparison: each filter alone keeps some items and drops others."""
    db, rows = archive
    for field in fields(tracker.Filters):
        if field.name in ("today", "text", "statuses"):
            continue
        value = {
            "owner": "Ada",
            "still_open": True,
            "overdue": True,
            "due_within_days": 30,
            "untouched_days": 30,
            "closed_within_days": 200,
            "open_longer_than_days": 30,
            "category": "detect",
            "priority": "P0",
            "severity": "Sev2",
            "service": "search",
        }[field.name]
        kept = tracker.items(db=db, filters=tracker.Filters(today=TODAY, **{field.name: value}))
        assert 0 < len(kept) < len(rows), field.name
    assert json.loads(tracker.items(db=db, filters=tracker.Filters(), criteria=True)[0].services) is not None
