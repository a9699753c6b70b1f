"""Domain rules the tracker uses: a status change inside a document, and business days to a due date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from postmortem.actions import CancelReasonMissing, with_status
from postmortem.models import ActionItem, ActionStatus
from postmortem.severity import business_days_between
from tests.conftest import build_postmortem

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _doc():
    return build_postmortem(
        action_items=[
            ActionItem(id="a", title="Alert on depth"),
            ActionItem(
                id="b", title="Runbook", status=ActionStatus.DONE, closed_at=datetime(2026, 5, 1, tzinfo=UTC)
            ),
        ]
    )


def test_done_stamps_closed_at_and_leaves_the_other_items_alone():
    doc = _doc()
    changed = with_status(doc, "a", ActionStatus.DONE, NOW)
    assert (changed.action_items[0].status, changed.action_items[0].closed_at) == (ActionStatus.DONE, NOW)
    assert changed.action_items[1] == doc.action_items[1]
    assert doc.action_items[0].status is ActionStatus.OPEN  # the original is untouched


def test_reopening_forgets_closed_at():
    changed = with_status(_doc(), "b", ActionStatus.IN_PROGRESS, NOW)
    assert changed.action_items[1].closed_at is None


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancel_without_a_reason_is_refused(reason):
    with pytest.raises(CancelReasonMissing, match="needs a written reason"):
        with_status(_doc(), "a", ActionStatus.CANCELLED, NOW, reason)


def test_cancel_with_a_reason_keeps_it_trimmed():
    item = with_status(_doc(), "a", ActionStatus.CANCELLED, NOW, "  Covered elsewhere. ").action_items[0]
    assert (item.status, item.cancel_reason, item.closed_at) == (
        ActionStatus.CANCELLED,
        "Covered elsewhere.",
        NOW,
    )


def test_an_unknown_item_is_a_lookup_error():
    with pytest.raises(LookupError, match="no action item 'zz'"):
        with_status(_doc(), "zz", ActionStatus.DONE, NOW)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2026, 11, 23), date(2026, 11, 24), 1),
        (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday to Monday: the weekend does not count
        (date(2026, 11, 25), date(2026, 11, 30), 2),  # US Thanksgiving (26 Nov) does not count either
        (date(2026, 11, 30), date(2026, 11, 25), -2),  # overdue: negative
    ],
)
def test_business_days_between(start, end, expected):
    assert business_days_between(start, end, "US") == expected


def test_business_days_follow_the_country():
    assert business_days_between(date(2026, 11, 25), date(2026, 11, 30), "GB") == 3
