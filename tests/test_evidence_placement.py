"""Attachments in their places: order, reorder, remove, and the ones left without a place."""

from __future__ import annotations

import pytest

from postmortem.evidence.placement import for_target, orphaned, removed, reordered
from postmortem.models import AttachedTo, Attachment
from tests.conftest import build_postmortem


def _attachment(name: str, target=AttachedTo.SECTION, target_id="summary", position=0) -> Attachment:
    return Attachment(
        digest="cd" * 32,
        media_type="text/plain",
        name=name,
        size=1,
        target=target,
        target_id=target_id,
        position=position,
    )


@pytest.fixture
def doc():
    base = build_postmortem()
    event = base.timeline[0].id
    return base.model_copy(
        update={
            "attachments": [
                _attachment("b.txt", position=1),
                _attachment("a.txt", position=0),
                _attachment("log.txt", AttachedTo.EVENT, event),
            ]
        }
    )


def test_one_places_attachments_come_in_the_authors_order(doc):
    assert [a.name for a in for_target(doc, AttachedTo.SECTION, "summary")] == ["a.txt", "b.txt"]
    assert [a.name for a in for_target(doc, AttachedTo.EVENT, doc.timeline[0].id)] == ["log.txt"]
    assert for_target(doc, AttachedTo.SECTION, "impact") == []


def test_reordering_changes_only_that_place(doc):
    here = for_target(doc, AttachedTo.SECTION, "summary")
    moved = reordered(doc, AttachedTo.SECTION, "summary", [here[1].id, here[0].id])
    assert [a.name for a in for_target(moved, AttachedTo.SECTION, "summary")] == ["b.txt", "a.txt"]
    assert moved.attachments[2] == doc.attachments[2]


@pytest.mark.parametrize("ids", [[], ["nope"], "twice"])
def test_a_reorder_that_drops_adds_or_repeats_is_refused(doc, ids):
    here = for_target(doc, AttachedTo.SECTION, "summary")
    ids = [here[0].id, here[0].id] if ids == "twice" else ids
    with pytest.raises(ValueError, match="each attachment of this place once"):
        reordered(doc, AttachedTo.SECTION, "summary", ids)


def test_removing_one_keeps_the_others(doc):
    left = removed(doc, doc.attachments[0].id)
    assert [a.name for a in left.attachments] == ["a.txt", "log.txt"]


def test_an_attachment_whose_event_is_gone_is_orphaned(doc):
    assert orphaned(doc) == []
    without_event = doc.model_copy(update={"timeline": doc.timeline[1:]})
    assert [a.name for a in orphaned(without_event)] == ["log.txt"]
    nowhere = doc.model_copy(update={"attachments": [_attachment("x.txt", target_id="no_such_section")]})
    assert [a.name for a in orphaned(nowhere)] == ["x.txt"]
