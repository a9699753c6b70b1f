"""Gates before Final, the rubric, the Allspaw test, the status workflow and the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import storage
from postmortem import review
from postmortem.models import (
    ActionCategory,
    ActionItem,
    Contact,
    ContactKind,
    ContributingFactor,
    DocStatus,
    IncidentTimes,
    Note,
    Priority,
    SignOffRole,
    TriggerKind,
)
from storage import audit

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _item(**changes) -> ActionItem:
    base = dict(
        id="a1",
        title="Validate config pushes",
        owner="Dana Example",
        due=date(2026, 3, 15),
        tracker="PAY-1",
        category=ActionCategory.PREVENT,
        priority=Priority.P0,
        factor_ids=["f-config"],
        acceptance_criteria="CI rejects a pool size above 500 connections per replica.",
    )
    return ActionItem(**{**base, **changes})


@pytest.fixture
def ready(sample):
    """A document every gate passes, the Allspaw test included."""
    doc = sample(
        action_items=[_item()],
        went_well=[
            Note(text="The alert fired in 2 minutes."),
            Note(text="Rollback took 4 minutes."),
            Note(text="Status page updated in 10 minutes."),
        ],
    )
    return review.record_allspaw(doc, role="payments on-call", fair=True, comment="", by="r", at=NOW)


def _failed(doc, **kwargs) -> dict[str, str]:
    return {g.id: g.detail for g in review.blockers(review.gates(doc, today=TODAY, **kwargs))}


def test_a_ready_document_passes_every_gate(ready):
    all_gates = review.gates(ready, today=TODAY)
    assert review.blockers(all_gates) == [] and review.warnings(all_gates) == []


@pytest.mark.parametrize(
    "change, gate, detail",
    [
        ({"summary": "One sentence only."}, "summary", "1 sentence"),
        ({"went_well": []}, "went-well", "Nothing recorded"),
        ({"timeline": [], "header": "no times"}, "anchors", "trigger"),
        ({"action_items": []}, "actions-exist", ""),
        ({"action_items": [_item(owner="")]}, "actions-real", "no owner"),
        ({"action_items": [_item(owner="Payments team")]}, "actions-real", "is a team"),
        ({"action_items": [_item(tracker="")]}, "actions-real", "no tracker ticket"),
        ({"action_items": [_item(due=None)]}, "actions-real", "no due date"),
        ({"action_items": [_item(category=None)]}, "actions-real", "no category"),
        (
            {"action_items": [_item(acceptance_criteria="Improve monitoring.")]},
            "actions-real",
            "not testable",
        ),
        ({"action_items": [_item(due=date(2026, 4, 30))]}, "actions-real", "past the P0 window"),
        ({"action_items": [_item(priority=Priority.P2)]}, "p0-p1", "P0 or P1"),
        ({"action_items": [_item(factor_ids=[])]}, "coverage", "No validation"),
        ({"summary": "Dana Example restarted it. It failed. It came back."}, "language", "Dana Example"),
    ],
)
def test_each_gate_blocks_with_a_clear_detail(ready, change, gate, detail):
    if change.get("header") == "no times":
        change = {**change, "header": ready.header.model_copy(update={"times": IncidentTimes()})}
    failed = _failed(ready.model_copy(update=change))
    assert gate in failed and detail in failed[gate]


def test_a_team_from_the_contacts_is_not_an_owner(ready):
    doc = ready.model_copy(
        update={
            "contacts": [*ready.contacts, Contact(name="Checkout", kind=ContactKind.TEAM)],
            "action_items": [_item(owner="Checkout")],
        }
    )
    assert "is a team" in _failed(doc)["actions-real"]


def test_the_sprint_length_is_configurable(ready):
    doc = ready.model_copy(update={"action_items": [_item(due=date(2026, 3, 25))]})
    assert "actions-real" in _failed(doc)
    assert "actions-real" not in _failed(doc, sprint_days=21)


def test_a_near_miss_needs_no_p0_or_p1(ready):
    header = ready.header.model_copy(update={"trigger": TriggerKind.NEAR_MISS})
    doc = ready.model_copy(update={"header": header, "action_items": [_item(priority=Priority.P2)]})
    assert "p0-p1" not in _failed(doc)


def test_an_accepted_factor_counts_as_covered(ready):
    factor = ContributingFactor(
        id="f2", text="Friday deploys.", accepted_rationale="Business need; low risk."
    )
    assert "coverage" not in _failed(
        ready.model_copy(update={"contributing_factors": [*ready.contributing_factors, factor]})
    )


def test_a_dismissed_finding_no_longer_blocks(ready):
    doc = ready.model_copy(update={"summary": "Dana Example restarted it. It failed. It came back."})
    assert "language" not in _failed(doc, open_findings=[])


def test_an_allspaw_no_blocks_final_with_the_comment(ready):
    doc = review.record_allspaw(
        ready, role="payments on-call", fair=False, comment="My reasoning is missing.", by="r", at=NOW
    )
    assert "My reasoning is missing." in _failed(doc)["allspaw"]
    with pytest.raises(ValueError, match="Say what"):
        review.record_allspaw(ready, role="on-call", fair=False, comment="", by="r", at=NOW)


@pytest.mark.parametrize(
    "criteria, vague",
    [
        ("Improve monitoring", True),
        ("Improve monitoring of the queue so that we know", True),
        ("", True),
        ("Add an alert on queue depth > 5,000 paging payments on-call", False),
        ("In staging, a campaign for a release not live on both stores does not send.", False),
        ("The checklist requires screenshots in five currencies before ramp-up.", False),
    ],
)
def test_vague_acceptance_criteria(criteria, vague):
    assert review.is_vague(criteria) is vague


def test_the_rubric_shows_its_parts_and_a_score(ready, sample):
    parts = review.rubric(ready, review.gates(ready, today=TODAY), [])
    assert len(parts) == 15 and {p.source for p in parts} == {"reviewer question", "red flag"}
    assert review.score(parts) > review.score(
        review.rubric(sample(), review.gates(sample(), today=TODAY), [])
    )


def _to_final(doc, signer="Dana Example"):
    in_review = review.transition(doc, DocStatus.IN_REVIEW, at=NOW)
    return review.transition(
        in_review, DocStatus.FINAL, at=NOW, signer=signer, all_gates=review.gates(in_review, today=TODAY)
    )


def test_final_needs_review_first_passed_gates_and_the_incident_commander(ready, sample):
    with pytest.raises(review.TransitionError, match="cannot become final"):
        review.transition(ready, DocStatus.FINAL, at=NOW, all_gates=[])
    with pytest.raises(review.TransitionError, match="Final is blocked by: .*Allspaw test passed"):
        _to_final(sample())
    with pytest.raises(review.TransitionError, match="incident commander"):
        _to_final(ready, signer=" ")
    final = _to_final(ready)
    assert final.header.status is DocStatus.FINAL and review.is_read_only(final)
    assert [(s.role, s.name, s.signed_at) for s in final.sign_offs][-1] == (
        SignOffRole.INCIDENT_COMMANDER,
        "Dana Example",
        NOW,
    )


def test_reopening_a_final_document_needs_a_reason(ready):
    final = _to_final(ready)
    with pytest.raises(review.TransitionError, match="needs a reason"):
        review.transition(final, DocStatus.DRAFT, at=NOW)
    assert (
        review.transition(final, DocStatus.DRAFT, at=NOW, reason="Wrong impact count.").header.status
        is DocStatus.DRAFT
    )


def test_status_changes_and_sign_offs_go_to_the_audit_trail(db, ready):
    created = storage.create(db=db, doc=ready)
    in_review = review.transition(ready, DocStatus.IN_REVIEW, at=NOW)
    saved = audit.save_status_change(
        db=db, doc_id=created.id, before=ready, after=in_review, expected_version=created.version, by="author"
    )
    final = review.transition(
        in_review,
        DocStatus.FINAL,
        at=NOW,
        signer="Dana Example",
        all_gates=review.gates(in_review, today=TODAY),
    )
    saved = audit.save_status_change(
        db=db, doc_id=created.id, before=in_review, after=final, expected_version=saved.version, by="ic"
    )
    reopened = review.transition(final, DocStatus.DRAFT, at=NOW, reason="Impact recount.")
    audit.save_status_change(
        db=db,
        doc_id=created.id,
        before=final,
        after=reopened,
        expected_version=saved.version,
        by="author",
        reason="Impact recount.",
    )
    rows = [
        (e.action, e.from_status, e.to_status, e.reason, e.version)
        for e in audit.trail(db=db, doc_id=created.id)
    ]
    assert rows == [
        ("status", "draft", "in review", "", 2),
        ("status", "in review", "final", "", 3),
        ("sign-off", "", "", "", 3),
        ("reopen", "final", "draft", "Impact recount.", 4),
    ]
    assert "incident commander: Dana Example" in audit.trail(db=db, doc_id=created.id)[2].detail


def test_a_stale_status_change_is_refused_and_leaves_no_trail(db, ready):
    created = storage.create(db=db, doc=ready)
    storage.save(db=db, doc_id=created.id, doc=ready, expected_version=created.version)
    with pytest.raises(storage.ConflictError):
        audit.save_status_change(
            db=db,
            doc_id=created.id,
            before=ready,
            after=review.transition(ready, DocStatus.IN_REVIEW, at=NOW),
            expected_version=created.version,
            by="author",
        )
    assert audit.trail(db=db, doc_id=created.id) == []


def test_without_a_causal_tree_factors_need_a_linked_item_or_a_rationale(ready):
    rca = ready.root_cause.model_copy(update={"causal_tree": type(ready.root_cause.causal_tree)()})
    loose = ContributingFactor(id="f9", text="Friday deploys.")
    doc = ready.model_copy(
        update={"root_cause": rca, "contributing_factors": [*ready.contributing_factors, loose]}
    )
    assert "Friday deploys." in _failed(doc)["coverage"]
    accepted = loose.model_copy(update={"accepted_rationale": "Low risk; business need."})
    doc = doc.model_copy(update={"contributing_factors": [*ready.contributing_factors, accepted]})
    assert "coverage" not in _failed(doc)
