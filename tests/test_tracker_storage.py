"""The action-item tracker's storage: filters, touched times across saves, pages, visibility, status writes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import storage
from postmortem.actions import CancelReasonMissing
from postmortem.models import ActionCategory, ActionItem, ActionStatus, Header, Priority, Severity
from storage import access, documents, tracker, tx
from storage.migrations import migrations
from tests.conftest import build_postmortem
from tests.old_schema import database_before

TODAY = date(2026, 6, 1)


def _item(title: str, **fields) -> ActionItem:
    return ActionItem(title=title, **fields)


def _doc(n: int, items: list[ActionItem], severity=Severity.SEV2, services=("checkout",)):
    header = Header(
        incident_id=f"INC-2026-{n:04d}", title=f"Incident {n}", severity=severity, services=list(services)
    )
    return build_postmortem(header=header, action_items=items)


def _at(monkeypatch, stamp: str) -> None:
    """Make the next saves happen at `stamp` (documents.updated_at, the items' touched time)."""
    monkeypatch.setattr(tx, "now", lambda: stamp)


@pytest.fixture
def tracked(db, monkeypatch):
    """Three post-mortems, seven items, all added on 2026-01-01."""
    _at(monkeypatch, "2026-01-01T09:00:00.000+00:00")
    one = storage.create(
        db=db,
        doc=_doc(
            1,
            [
                _item(
                    "Alert on queue depth",
                    owner="Ada Lovelace",
                    due=date(2026, 5, 20),
                    priority=Priority.P0,
                    category=ActionCategory.DETECT,
                ),
                _item(
                    "Add a runbook for failover",
                    owner="Grace Hopper",
                    due=date(2026, 6, 5),
                    priority=Priority.P1,
                    category=ActionCategory.RESPOND,
                ),
                _item(
                    "Limit pool size",
                    owner="Ada Lovelace",
                    due=date(2026, 7, 1),
                    status=ActionStatus.DONE,
                    closed_at=datetime(2026, 1, 20, tzinfo=UTC),
                    priority=Priority.P2,
                ),
            ],
            severity=Severity.SEV1,
            services=("checkout", "payments"),
        ),
    )
    two = storage.create(
        db=db,
        doc=_doc(
            2,
            [
                _item(
                    "alert on queue depth",
                    owner="Linus Torvalds",
                    due=date(2026, 4, 1),
                    priority=Priority.P1,
                    category=ActionCategory.DETECT,
                ),
                _item(
                    "Document the 50% rollout_step",
                    owner="Grace Hopper",
                    due=None,
                    status=ActionStatus.IN_PROGRESS,
                ),
            ],
            services=("search",),
        ),
    )
    three = storage.create(
        db=db,
        doc=_doc(
            3,
            [
                _item("Alert on queue depth", owner="Radia Perlman", due=date(2026, 5, 1)),
                _item(
                    "Retire the old cron",
                    owner="Radia Perlman",
                    status=ActionStatus.CANCELLED,
                    cancel_reason="Replaced by the scheduler.",
                    closed_at=datetime(2026, 2, 1, tzinfo=UTC),
                ),
            ],
            services=("search",),
        ),
    )
    return one, two, three


def _titles(db, **filters) -> list[str]:
    return [i.title for i in tracker.items(db=db, filters=tracker.Filters(today=TODAY, **filters))]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"owner": "Ada Lovelace"}, ["Alert on queue depth", "Limit pool size"]),
        ({"statuses": ("in progress",)}, ["Document the 50% rollout_step"]),
        (
            {"still_open": True},
            [
                "Document the 50% rollout_step",
                "alert on queue depth",
                "Alert on queue depth",
                "Alert on queue depth",
                "Add a runbook for failover",
            ],
        ),
        ({"overdue": True}, ["alert on queue depth", "Alert on queue depth", "Alert on queue depth"]),
        ({"due_within_days": 7}, ["Add a runbook for failover"]),
        ({"category": "detect"}, ["alert on queue depth", "Alert on queue depth"]),
        ({"priority": "P1"}, ["alert on queue depth", "Add a runbook for failover"]),
        ({"severity": "Sev1"}, ["Alert on queue depth", "Add a runbook for failover", "Limit pool size"]),
        ({"service": "payments"}, ["Alert on queue depth", "Add a runbook for failover", "Limit pool size"]),
        ({"service": "pay"}, []),
        ({"text": "50%"}, ["Document the 50% rollout_step"]),
        ({"text": "_step"}, ["Document the 50% rollout_step"]),
        ({"text": "%"}, ["Document the 50% rollout_step"]),
        ({"text": "radia"}, ["Retire the old cron", "Alert on queue depth"]),
        ({"closed_within_days": 7}, []),
        ({"owner": "Ada Lovelace", "still_open": True}, ["Alert on queue depth"]),
    ],
)
def test_filters(db, tracked, filters, expected):
    assert _titles(db, **filters) == expected


def test_closed_within_days_counts_back_from_today(db, tracked):
    assert _titles(db, closed_within_days=7) == []
    got = [
        i.title
        for i in tracker.items(db=db, filters=tracker.Filters(today=date(2026, 1, 25), closed_within_days=7))
    ]
    assert got == ["Limit pool size"]


def test_deleted_documents_are_left_out(db, tracked):
    storage.delete(db=db, doc_id=tracked[2].id)
    assert "Retire the old cron" not in _titles(db)
    assert tracker.counts(db=db, filters=tracker.Filters(today=TODAY)).total == 5
    assert "Radia Perlman" not in tracker.owners(db=db)


def test_sorts_and_pages_cover_every_item_once(db, tracked):
    everything = tracker.Filters(today=TODAY)
    for sort in tracker.SORTS:
        seen = []
        for offset in range(0, 7, 3):  # the last pages are read from the end: same rows, same order
            got = tracker.page(db=db, filters=everything, sort=sort, offset=offset, limit=3)
            assert got.total == 7
            seen += [(i.doc_id, i.item_id) for i in got.items]
        assert len(seen) == len(set(seen)) == 7, sort
        assert seen == [(i.doc_id, i.item_id) for i in tracker.items(db=db, filters=everything, sort=sort)], (
            sort
        )
    by_due = tracker.page(db=db, filters=everything, limit=4).items
    assert [i.due for i in by_due] == [None, None, "2026-04-01", "2026-05-01"]  # missing due dates first
    by_priority = tracker.page(db=db, filters=everything, sort="priority", limit=4).items
    assert [i.priority for i in by_priority] == [None, None, None, "P0"]


def test_counts_and_completion_rates(db, tracked):
    counts = tracker.counts(db=db, filters=tracker.Filters(today=TODAY))
    assert (counts.total, counts.open, counts.overdue, counts.cancelled) == (7, 5, 3, 1)
    # Six items old enough (the cancelled one is left out); one was done within 30 days of being added.
    assert counts.done_30_rate == pytest.approx(1 / 6)
    assert counts.done_90_rate == pytest.approx(1 / 6)
    young = tracker.counts(db=db, filters=tracker.Filters(today=date(2026, 1, 10)))
    assert young.done_30_rate is None


def test_touched_time_changes_only_for_changed_items(db, tracked, monkeypatch):
    one = tracked[0]
    before = {i.item_id: i for i in tracker.items(db=db, filters=tracker.Filters(today=TODAY))}
    assert all(i.touched_at == i.added_at == "2026-01-01T09:00:00.000+00:00" for i in before.values())

    _at(monkeypatch, "2026-03-01T09:00:00.000+00:00")
    items = list(one.doc.action_items)
    items[1] = items[1].model_copy(update={"owner": "Barbara Liskov"})
    items.append(ActionItem(title="Brand new item"))
    saved = storage.save(
        db=db,
        doc_id=one.id,
        doc=one.doc.model_copy(update={"action_items": items}),
        expected_version=one.version,
    )
    after = {i.title: i for i in tracker.items(db=db, filters=tracker.Filters(today=TODAY))}
    assert (
        after["Add a runbook for failover"].touched_at == saved.updated_at == "2026-03-01T09:00:00.000+00:00"
    )
    assert after["Add a runbook for failover"].added_at == "2026-01-01T09:00:00.000+00:00"
    assert after["Alert on queue depth"].touched_at == "2026-01-01T09:00:00.000+00:00"
    assert after["Brand new item"].added_at == after["Brand new item"].touched_at == saved.updated_at

    # A later save that changes nothing in the items keeps every item's time.
    _at(monkeypatch, "2026-04-01T09:00:00.000+00:00")
    doc = saved.doc.model_copy(update={"summary": "Edited summary only."})
    storage.save(db=db, doc_id=one.id, doc=doc, expected_version=saved.version)
    again = {i.title: i.touched_at for i in tracker.items(db=db, filters=tracker.Filters(today=TODAY))}
    assert again["Add a runbook for failover"] == "2026-03-01T09:00:00.000+00:00"
    assert again["Alert on queue depth"] == "2026-01-01T09:00:00.000+00:00"

    # Removing an item forgets it; its times do not come back if the id is reused.
    storage.save(
        db=db,
        doc_id=one.id,
        doc=doc.model_copy(update={"action_items": items[:1]}),
        expected_version=saved.version + 1,
    )
    assert (
        db.execute("select count(*) from action_item_touches where doc_id = ?", [one.id]).fetchone()[0] == 1
    )


def test_untouched_and_open_longer_than(db, tracked, monkeypatch):
    one = tracked[0]
    _at(monkeypatch, "2026-05-20T09:00:00.000+00:00")
    items = list(one.doc.action_items)
    items[0] = items[0].model_copy(update={"due": date(2026, 6, 30)})
    storage.save(
        db=db,
        doc_id=one.id,
        doc=one.doc.model_copy(update={"action_items": items}),
        expected_version=one.version,
    )
    untouched = _titles(db, untouched_days=30)
    assert untouched == [
        "Document the 50% rollout_step",
        "alert on queue depth",
        "Alert on queue depth",
        "Add a runbook for failover",
    ]
    assert _titles(db, untouched_days=30, owner="Ada Lovelace") == []
    assert len(_titles(db, open_longer_than_days=90)) == 5
    assert _titles(db, open_longer_than_days=200) == []


def test_weekly_review_and_flags(db, tracked):
    review = tracker.weekly_review(db=db, filters=tracker.Filters(today=TODAY))
    assert [i.title for i in review.due_soon.items] == ["Add a runbook for failover"]
    assert review.overdue.total == 3
    assert review.closed_this_week.total == 0
    assert review.untouched.total == 5
    repeated = tracker.repeated_items(db=db, filters=tracker.Filters(today=TODAY))
    assert [(r.post_mortems, r.incident_ids.count("INC-")) for r in repeated] == [(3, 3)]
    quiet = tracker.quiet_owners(db=db, filters=tracker.Filters(today=TODAY), days=60)
    assert {q.owner for q in quiet} == {"Ada Lovelace", "Grace Hopper", "Linus Torvalds", "Radia Perlman"}
    assert tracker.quiet_owners(db=db, filters=tracker.Filters(today=date(2026, 1, 2)), days=60) == []


def test_owner_and_service_choices(db, tracked):
    assert tracker.owners(db=db) == ["Ada Lovelace", "Grace Hopper", "Linus Torvalds", "Radia Perlman"]
    assert tracker.services(db=db) == ["checkout", "payments", "search"]


def test_queries_and_the_list_of_choices_and_in_the_visibility_rule(db, tracked, monkeypatch):
    hidden = tracked[1].id
    monkeypatch.setattr(
        tracker, "visible_sql", lambda db, column="documents.id": (f"{column} != ?", [hidden])
    )
    everything = tracker.Filters(today=TODAY)
    assert "Linus Torvalds" not in tracker.owners(db=db)
    assert "Document the 50% rollout_step" not in _titles(db)
    assert tracker.page(db=db, filters=everything).total == 5
    assert tracker.counts(db=db, filters=everything).total == 5
    assert all(
        "INC-2026-0002" not in r.incident_ids for r in tracker.repeated_items(db=db, filters=everything)
    )
    assert "Linus Torvalds" not in {q.owner for q in tracker.quiet_owners(db=db, filters=everything)}


def test_set_status_done_records_closed_at_and_a_new_version(db, tracked):
    one = tracked[0]
    item = one.doc.action_items[0]
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    saved = tracker.set_status(
        db=db, doc_id=one.id, item_id=item.id, status="done", expected_version=one.version, now=now
    )
    assert saved.version == one.version + 1
    stored = storage.get(db=db, doc_id=one.id).doc.action_items[0]
    assert (stored.status, stored.closed_at) == (ActionStatus.DONE, now)
    reopened = tracker.set_status(
        db=db, doc_id=one.id, item_id=item.id, status="in progress", expected_version=saved.version
    )
    assert storage.get(db=db, doc_id=one.id).doc.action_items[0].closed_at is None
    assert reopened.version == saved.version + 1


def test_set_status_refuses_a_stale_version_and_writes_nothing(db, tracked):
    one = tracked[0]
    item = one.doc.action_items[0]
    tracker.set_status(
        db=db, doc_id=one.id, item_id=item.id, status="in review", expected_version=one.version
    )
    with pytest.raises(storage.ConflictError, match="saved by someone else"):
        tracker.set_status(db=db, doc_id=one.id, item_id=item.id, status="done", expected_version=one.version)
    stored = storage.get(db=db, doc_id=one.id)
    assert (stored.version, stored.doc.action_items[0].status) == (one.version + 1, ActionStatus.IN_REVIEW)


def test_cancel_needs_a_reason(db, tracked):
    one = tracked[0]
    item = one.doc.action_items[0]
    with pytest.raises(CancelReasonMissing, match="needs a written reason"):
        tracker.set_status(
            db=db,
            doc_id=one.id,
            item_id=item.id,
            status="cancelled",
            expected_version=one.version,
            reason="   ",
        )
    assert storage.get(db=db, doc_id=one.id).version == one.version
    tracker.set_status(
        db=db,
        doc_id=one.id,
        item_id=item.id,
        status="cancelled",
        expected_version=one.version,
        reason="Covered by the new platform alerting.",
    )
    stored = storage.get(db=db, doc_id=one.id).doc.action_items[0]
    assert (stored.status, stored.cancel_reason) == (
        ActionStatus.CANCELLED,
        "Covered by the new platform alerting.",
    )
    assert stored.closed_at is not None


def test_set_status_asks_the_access_rules(db, tracked, monkeypatch):
    asked = []
    monkeypatch.setattr(
        tracker, "require", lambda db, permission, doc_id=None: asked.append((permission, doc_id))
    )
    one = tracked[0]
    tracker.set_status(
        db=db, doc_id=one.id, item_id=one.doc.action_items[0].id, status="done", expected_version=one.version
    )
    assert asked == [(access.Permission.EDIT, one.id)]


def test_set_status_of_a_missing_item(db, tracked):
    with pytest.raises(LookupError, match="no action item"):
        tracker.set_status(
            db=db, doc_id=tracked[0].id, item_id="nope", status="done", expected_version=tracked[0].version
        )


def test_m007_works_times_out_from_the_revisions(tmp_path):
    """A database from before m007: each item's touched time is the last revision that changed it."""
    doc = _doc(1, [_item("Stays the same", id="a"), _item("Changes later", id="b")])
    changed = doc.model_copy(
        update={
            "action_items": [doc.action_items[0], doc.action_items[1].model_copy(update={"owner": "Ada"})]
        }
    )
    # Saved twice by the Debrief of that time: version 1, then version 2 with one item changed.
    db = database_before(tmp_path / "old.db", "m007_action_item_touched", [[doc, changed]])
    saved_at = dict(db.execute("select version, saved_at from revisions").fetchall())
    migrations.apply(db)
    rows = dict(db.execute("select item_id, touched_at || ' ' || added_at from action_items").fetchall())
    assert rows == {"a": f"{saved_at[1]} {saved_at[1]}", "b": f"{saved_at[2]} {saved_at[1]}"}


def test_saves_keep_the_item_rows_equal_to_a_fresh_projection(tmp_path):
    """Saves rewrite only changed, moved, added or removed items; the rows must still be exactly what
    projecting the final document into an empty database gives."""
    columns = "item_id, position, title, owner, due, tracker, category, priority, status, closed_at"
    db = storage.connect(tmp_path / "a.db", actor=storage.LOCAL)
    a, b, c = _item("Alert on pool", id="a"), _item("Cap retries", id="b"), _item("Runbook", id="c")
    stored = documents.create(db=db, doc=_doc(1, [a, b, c]))
    steps = [
        [a, b, c],  # nothing changed
        [b, a, c],  # moved
        [b, a.model_copy(update={"owner": "Grace"}), c],  # one field
        [b, a, _item("New one", id="d")],  # removed and added
        [_item("Done", id="b", status="done", closed_at=datetime(2026, 3, 9, tzinfo=UTC)), a],
    ]
    for items in steps:
        doc = stored.doc.model_copy(update={"action_items": items})
        stored = documents.save(db=db, doc_id=stored.id, doc=doc, expected_version=stored.version)
        fresh = storage.connect(tmp_path / f"fresh{stored.version}.db", actor=storage.LOCAL)
        fresh_id = documents.create(db=fresh, doc=doc).id
        query = f"select {columns} from action_items where doc_id = ? order by position"
        assert db.execute(query, [stored.id]).fetchall() == fresh.execute(query, [fresh_id]).fetchall()
