"""Section completeness for the stepper: empty, started or done, with a hint naming the first gap."""

from __future__ import annotations

from datetime import date

import pytest

from postmortem import completeness
from postmortem.completeness import SECTIONS, Level, all_sections
from postmortem.models import (
    ActionItem,
    ActionStatus,
    CausalNode,
    CausalTree,
    FiveWhys,
    Impact,
    Note,
    RcaMethod,
    Regulatory,
    RootCauseAnalysis,
    WhyStep,
    new_postmortem,
)
from tests.conftest import build_postmortem


def test_the_sample_is_complete_everywhere(doc):
    states = all_sections(doc)
    assert set(states) == set(SECTIONS)
    assert {name: s.level for name, s in states.items()} == dict.fromkeys(SECTIONS, Level.DONE)
    assert all(s.hint == "Complete." for s in states.values())


def test_a_blank_draft_is_empty_except_its_title():
    states = all_sections(new_postmortem("INC-1", "Only a title"))
    assert states.pop("header").level is Level.STARTED  # a title is required, so never empty
    assert {name: s.level for name, s in states.items()} == dict.fromkeys(states, Level.EMPTY)


@pytest.mark.parametrize(
    "summary, level, hint",
    [
        ("", Level.EMPTY, "Write the summary."),
        ("One sentence.", Level.STARTED, "Aim for 3–5 sentences (now 1)."),
        ("One. Two? Three!", Level.DONE, "Complete."),
        ("One. Two. Three. Four. Five.", Level.DONE, "Complete."),
        ("One. Two. Three. Four. Five. Six.", Level.STARTED, "Aim for 3–5 sentences (now 6)."),
        ("Version 1.2 shipped. It broke. We rolled back.", Level.DONE, "Complete."),
    ],
)
def test_summary_sentences(summary, level, hint):
    state = completeness.summary(build_postmortem(summary=summary))
    assert (state.level, state.hint) == (level, hint)


@pytest.mark.parametrize(
    "count, level", [(0, Level.EMPTY), (1, Level.STARTED), (2, Level.STARTED), (3, Level.DONE)]
)
def test_went_well_wants_three(count, level):
    state = completeness.went_well(build_postmortem(went_well=[Note(text=f"n{i}") for i in range(count)]))
    assert state.level is level


def test_timeline_names_missing_anchors(doc):
    state = completeness.timeline(
        build_postmortem(
            timeline=doc.timeline[:2],
            header=doc.header.model_copy(
                update={
                    "times": doc.header.times.model_copy(
                        update={"first_mitigation_at": None, "resolved_at": None}
                    )
                }
            ),
        )
    )
    assert state.level is Level.STARTED
    assert state.hint == "Mark these anchors: first mitigation attempt, full resolution."


def test_impact_needs_description_count_and_regulatory_answer():
    assert completeness.impact(build_postmortem(impact=Impact())).level is Level.EMPTY
    partial = completeness.impact(build_postmortem(impact=Impact(description="EU checkout failed")))
    assert (partial.level, partial.hint) == (Level.STARTED, "Estimate how many customers were affected.")
    answered = Impact(description="x", customers_affected=0, regulatory=Regulatory(reportable=False))
    assert completeness.impact(build_postmortem(impact=answered)).level is Level.DONE


@pytest.mark.parametrize(
    "rca, level, hint",
    [
        (RootCauseAnalysis(), Level.EMPTY, "Choose a method."),
        (RootCauseAnalysis(method=RcaMethod.FIVE_WHYS), Level.STARTED, "Answer the first why."),
        (
            RootCauseAnalysis(method=RcaMethod.FIVE_WHYS, five_whys=FiveWhys(steps=[WhyStep(answer="A")])),
            Level.STARTED,
            "State the conditions that aligned.",
        ),
        (
            RootCauseAnalysis(method=RcaMethod.CAUSAL_TREE),
            Level.STARTED,
            "Add the factors to the causal tree.",
        ),
        (RootCauseAnalysis(method=RcaMethod.HYBRID, statement="S"), Level.STARTED, "Answer the first why."),
        (
            RootCauseAnalysis(
                method=RcaMethod.CAUSAL_TREE,
                statement="S",
                causal_tree=CausalTree(
                    nodes=[CausalNode(id="o", text="Outage"), CausalNode(id="a", parent_id="o", text="A")]
                ),
            ),
            Level.STARTED,
            "0 of 1 factors addressed: link an action item or accept the rest.",
        ),
        (
            RootCauseAnalysis(
                method=RcaMethod.CAUSAL_TREE,
                statement="S",
                causal_tree=CausalTree(
                    nodes=[
                        CausalNode(id="o", text="Outage"),
                        CausalNode(
                            id="a", parent_id="o", text="A", accepted_rationale="Too costly for the risk"
                        ),
                    ]
                ),
            ),
            Level.DONE,
            "Complete.",
        ),
    ],
)
def test_root_cause(rca, level, hint):
    state = completeness.root_cause(build_postmortem(root_cause=rca))
    assert (state.level, state.hint) == (level, hint)


def _item(**fields):
    full = {
        "title": "Validate config",
        "owner": "lead",
        "due": date(2026, 3, 20),
        "tracker": "PAY-1",
        "category": "prevent",
        "priority": "P1",
    }
    return ActionItem(**{**full, **fields})


@pytest.mark.parametrize(
    "items, level",
    [
        ([], Level.EMPTY),
        ([_item()], Level.DONE),
        ([_item(), _item(owner="")], Level.STARTED),
        ([_item(tracker="")], Level.STARTED),
        ([_item(), _item(owner="", status=ActionStatus.CANCELLED, cancel_reason="Dup")], Level.DONE),
        ([_item(status=ActionStatus.CANCELLED, cancel_reason="Dup")], Level.EMPTY),  # nothing left to do
    ],
)
def test_action_items_need_every_field_except_on_cancelled_items(items, level):
    assert completeness.action_items(build_postmortem(action_items=items)).level is level


def test_lessons_contacts_and_links_hints():
    assert completeness.lessons(build_postmortem(where_we_got_lucky=[])).hint == "Note where you got lucky."
    assert completeness.appendix(build_postmortem(links=[])).hint.startswith("Link the chat transcript")
    assert completeness.appendix(build_postmortem(contacts=[], links=[])).level is Level.EMPTY
