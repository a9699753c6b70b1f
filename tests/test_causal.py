"""The causal tree: shape checks, edits, coverage, outline both ways, hybrid, renderings."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem import causal, causal_text, causal_tree
from postmortem.models import (
    ActionItem,
    ActionStatus,
    CausalNode,
    CausalTree,
    ContributingFactor,
    FiveWhys,
    NodeKind,
    Relation,
    RootCauseAnalysis,
    WhyStep,
)
from tests.conftest import build_postmortem

SOURCE_TREE = """Outcome: API returned 500s for 22 minutes
├── Connection pool exhausted
│   ├── Batch job leaked connections (code defect) [root cause]
│   │   ├── Early-return bypassed context manager
│   │   └── Test suite did not cover error path
│   └── Pool size set conservatively for cost reasons
│       └── Capacity planning predates current traffic shape
├── Alert fired late (any of)
│   ├── Threshold set at pool 95% (no warn at 80%)
│   └── Escalation path stale (rotated owner)
└── Mitigation took 12 minutes
    ├── Runbook missing pool-restart command
    └── New on-call had not shadowed a database incident"""


def tree_of(text: str = SOURCE_TREE) -> CausalTree:
    return causal_text.parse_outline(text)


def node(tree: CausalTree, text: str) -> CausalNode:
    return next(n for n in tree.nodes if n.text.startswith(text))


def doc_with(tree: CausalTree, **sections):
    doc = build_postmortem(**sections)
    return causal.with_tree(doc, tree)


# --- Parsing and shape --------------------------------------------------------------------------


def test_the_source_documents_tree_parses_with_its_shape():
    tree = tree_of()
    assert causal_tree.root(tree).text == "API returned 500s for 22 minutes"
    assert causal_tree.root(tree).kind is NodeKind.OUTCOME
    branches = causal_tree.children_of(tree)[causal_tree.root(tree).id]
    assert [b.text for b in branches] == [
        "Connection pool exhausted",
        "Alert fired late",
        "Mitigation took 12 minutes",
    ]
    assert node(tree, "Batch job").kind is NodeKind.ROOT_CAUSE
    assert node(tree, "Alert fired").relation is Relation.OR
    assert node(tree, "Capacity planning").parent_id == node(tree, "Pool size").id
    assert len(causal_tree.leaves(tree)) == 7 and causal.validate(tree) == []


@pytest.mark.parametrize(
    "text, expected_depths",
    [
        ("Outcome\n  A\n    B\n  C", [0, 1, 2, 1]),
        ("Outcome\n\tA\n\t\tB\n\tC", [0, 1, 2, 1]),
        ("Outcome\n- A\n  - B\n- C", [0, 1, 2, 1]),
        ("Outcome\n* A\n    * B\n* C", [0, 1, 2, 1]),
        ("Outcome\n1. A\n   1. B\n2. C", [0, 1, 2, 1]),
        ("Outcome\n├── A\n│   └── B\n└── C", [0, 1, 2, 1]),
        ("\n\nOutcome\n\n  A\n", [0, 1]),
    ],
)
def test_outline_indentation_styles(text, expected_depths):
    assert [d for _, d in causal_tree.walk(causal_text.parse_outline(text))] == expected_depths


def test_outline_round_trip_keeps_ids_text_kind_and_relation():
    tree = tree_of()
    again = causal_text.parse_outline(causal_text.to_outline(tree), tree)
    assert [(n.id, n.text, n.kind, n.relation, n.parent_id) for n in again.nodes] == [
        (n.id, n.text, n.kind, n.relation, n.parent_id) for n in tree.nodes
    ]


def test_editing_the_outline_keeps_links_of_unchanged_lines():
    tree = tree_of()
    linked = node(tree, "Runbook missing")
    tree = causal.update(tree, linked.id, notes="kept", evidence=["e1"])
    edited = causal_text.to_outline(tree).replace("Alert fired late", "Alert fired after 9 minutes")
    again = causal_text.parse_outline(edited, tree)
    kept = node(again, "Runbook missing")
    assert (kept.id, kept.notes, kept.evidence) == (linked.id, "kept", ["e1"])
    assert node(again, "Alert fired after").id == node(tree, "Alert fired late").id  # reworded, same box


def test_a_rewritten_line_is_a_new_box_and_the_diff_says_so():
    tree = tree_of()
    edited = causal_text.to_outline(tree).replace(
        "Runbook missing pool-restart command", "Nobody owned the pager"
    )
    edited = "\n".join(line for line in edited.splitlines() if "Test suite" not in line)
    edited = edited.replace("      Capacity planning predates", "    Capacity planning predates")
    again = causal_text.parse_outline(edited, tree)
    diff = causal_text.tree_diff(tree, again)
    assert [n.text for n in diff.added] == ["Nobody owned the pager"]
    assert sorted(n.text for n in diff.removed) == [
        "Runbook missing pool-restart command",
        "Test suite did not cover error path",
    ]
    assert [n.text for n in diff.moved] == ["Capacity planning predates current traffic shape"]
    assert diff.count == 4 and not diff.empty


def test_the_diff_of_an_unchanged_outline_is_empty_and_rewording_is_a_change():
    tree = tree_of()
    assert causal_text.tree_diff(tree, causal_text.parse_outline(causal_text.to_outline(tree), tree)).empty
    reworded = causal_text.parse_outline(
        causal_text.to_outline(tree).replace("Alert fired late (any of)", "Alert fired late"), tree
    )
    ((before, after),) = causal_text.tree_diff(tree, reworded).changed
    assert (before.relation, after.relation) == (Relation.OR, Relation.AND)


def test_depth_labels_number_the_boxes_like_an_outline():
    labels = list(causal_tree.depth_labels(tree_of()).values())
    assert labels[0] == "Outcome: API returned 500s for 22 minutes"
    assert labels[1] == "1  Connection pool exhausted"
    assert labels[2] == f"{causal_tree.EM_SPACE}1.1  Batch job leaked connections (code defect)"
    assert labels[3] == f"{causal_tree.EM_SPACE * 2}1.1.1  Early-return bypassed context manager"
    assert labels[-1] == f"{causal_tree.EM_SPACE}3.2  New on-call had not shadowed a database incident"


def test_empty_outline_is_an_empty_tree():
    assert causal_text.parse_outline("  \n\n").nodes == []


@pytest.mark.parametrize(
    "nodes, message",
    [
        ([CausalNode(id="a", text="A"), CausalNode(id="b", text="B")], "exactly one outcome"),
        ([CausalNode(id="a", text="A"), CausalNode(id="b", text="B", parent_id="zzz")], "no longer exists"),
        (
            [
                CausalNode(id="a", text="A"),
                CausalNode(id="b", text="B", parent_id="c"),
                CausalNode(id="c", text="C", parent_id="b"),
            ],
            "loop",
        ),
        (
            [
                CausalNode(id="r", text="R"),
                CausalNode(id="a", text="A", parent_id="r"),
                CausalNode(id="b", text="B", parent_id="a"),
                CausalNode(id="c", text="C", parent_id="b"),
                CausalNode(id="d", text="D", parent_id="c"),
            ],
            "levels below the outcome",
        ),
    ],
)
def test_validation_names_what_is_wrong(nodes, message):
    issues = causal.validate(CausalTree(nodes=nodes))
    assert any(message in issue.message for issue in issues), issues


def test_three_levels_is_fine_and_four_is_only_a_warning():
    tree = causal_text.parse_outline("O\n  A\n    B\n      C")
    assert causal.validate(tree) == []
    deeper = causal_text.parse_outline("O\n  A\n    B\n      C\n        D")
    assert [i.level for i in causal.validate(deeper)] == ["warning"]


def test_duplicate_node_ids_are_refused_by_the_model():
    with pytest.raises(ValueError, match="share an id"):
        CausalTree(nodes=[CausalNode(id="a", text="A"), CausalNode(id="a", text="B", parent_id="a")])


# --- Edits --------------------------------------------------------------------------------------


def test_add_child_sibling_update_move_delete():
    tree = causal.set_outcome(CausalTree(), "Outage")
    top = causal_tree.root(tree).id
    tree, a = causal.add_child(tree, top, "A")
    tree, b = causal.add_sibling(tree, a, "B")
    tree, c = causal.add_child(tree, a, "C", NodeKind.CONDITION)
    assert (
        causal_tree.nodes_get(tree, b).parent_id == top
        and causal_tree.nodes_get(tree, c).kind is NodeKind.CONDITION
    )
    tree = causal.update(tree, a, text="A2", relation=Relation.OR)
    assert (
        causal_tree.nodes_get(tree, a).text == "A2" and causal_tree.nodes_get(tree, a).relation is Relation.OR
    )
    tree = causal.move(tree, a, b)
    assert causal_tree.nodes_get(tree, a).parent_id == b and causal_tree.nodes_get(tree, c).parent_id == a
    tree = causal.delete(tree, a)
    assert {n.id for n in tree.nodes} == {top, b}


@pytest.mark.parametrize(
    "operation",
    [
        lambda t, ids: causal.move(t, ids["A"], ids["C"]),  # under its own descendant
        lambda t, ids: causal.move(t, ids["A"], ids["A"]),  # under itself
        lambda t, ids: causal.move(t, ids["O"], ids["A"]),  # the outcome
        lambda t, ids: causal.add_sibling(t, ids["O"], "x"),  # sibling of the outcome
        lambda t, ids: causal.update(t, "missing", text="x"),  # unknown node
    ],
)
def test_edits_that_would_break_the_tree_are_refused(operation):
    tree = causal_text.parse_outline("O\n  A\n    C\n  B")
    ids = {n.text: n.id for n in tree.nodes}
    with pytest.raises(causal.TreeError):
        operation(tree, ids)


def test_set_outcome_creates_the_root_once():
    tree = causal.set_outcome(CausalTree(), "First")
    tree = causal.set_outcome(tree, "Renamed")
    assert [n.text for n in tree.nodes] == ["Renamed"]


# --- Coverage -----------------------------------------------------------------------------------


def test_coverage_counts_leaves_addressed_directly_through_a_parent_or_accepted():
    tree = tree_of()
    tree = causal.update(
        tree, node(tree, "Threshold").id, accepted_rationale="Cost of a second alert is too high"
    )
    doc = doc_with(
        tree,
        action_items=[
            ActionItem(title="Test the error path", factor_ids=[node(tree, "Test suite").id]),
            ActionItem(title="Rewrite the runbook", factor_ids=[node(tree, "Mitigation took").id]),
            ActionItem(
                title="Cancelled idea",
                factor_ids=[node(tree, "Early-return").id],
                status=ActionStatus.CANCELLED,
                cancel_reason="Superseded",
            ),
        ],
    )
    cover = causal.coverage(doc)
    assert cover.summary == "4 of 7 factors addressed"
    assert cover.addressed[node(tree, "Test suite").id] == "A1"
    assert cover.addressed[node(tree, "Runbook").id].startswith("through")
    assert cover.addressed[node(tree, "Threshold").id] == "accepted"
    assert set(cover.unaddressed) == {
        node(tree, "Early-return").id,
        node(tree, "Capacity").id,
        node(tree, "Escalation").id,
    }


def test_set_addressing_links_and_unlinks_action_items():
    tree = tree_of()
    target = node(tree, "Capacity").id
    doc = doc_with(tree, action_items=[ActionItem(title="One"), ActionItem(title="Two")])
    doc = causal.set_addressing(doc, target, [1])
    assert causal.addressing(doc, target) == [1]
    doc = causal.set_addressing(doc, target, [0])
    assert causal.addressing(doc, target) == [0] and doc.action_items[1].factor_ids == []


def test_contributing_factors_missing_from_the_tree_are_found_and_added():
    tree = tree_of()
    doc = doc_with(
        tree,
        contributing_factors=[
            ContributingFactor(id="f1", text="Connection pool exhausted"),  # same text as a node
            ContributingFactor(id="f2", text="No canary for batch jobs"),
        ],
    )
    assert [f.id for f in causal.factors_missing_from_tree(doc)] == ["f2"]
    added = causal.add_missing_factors(doc)
    new = node(added.root_cause.causal_tree, "No canary")
    assert new.factor_id == "f2" and new.parent_id == causal_tree.root(tree).id
    assert causal.factors_missing_from_tree(added) == []


# --- 5 Whys and hybrid --------------------------------------------------------------------------


def whys(*answers: str):
    return RootCauseAnalysis(
        five_whys=FiveWhys(problem="Why did checkout fail?", steps=[WhyStep(answer=a) for a in answers])
    )


@pytest.mark.parametrize(
    "last, warns",
    [
        ("Because of human error", True),
        ("Because the engineer forgot the flag", True),
        ("Because the team needs more training", True),
        ("Because the test suite does not exercise the exhaustion path", False),
        ("Because the deploy tool has no pre-flight check", False),
    ],
)
def test_chain_ending_on_a_person_or_training_warns(last, warns):
    doc = build_postmortem(root_cause=whys("Pool exhausted", last))
    assert (causal.chain_end_warning(doc) is not None) is warns


def test_hybrid_turns_the_chain_into_a_branch():
    doc = build_postmortem(root_cause=whys("Pool exhausted", "Job leaked connections", "No test of the path"))
    tree = causal.five_whys_as_branch(doc).root_cause.causal_tree
    assert [(n.text, d) for n, d in causal_tree.walk(tree)] == [
        ("Why did checkout fail?", 0),
        ("Pool exhausted", 1),
        ("Job leaked connections", 2),
        ("No test of the path", 3),
    ]
    assert node(tree, "No test").kind is NodeKind.ROOT_CAUSE


def test_hybrid_hangs_the_chain_under_any_box():
    doc = doc_with(
        tree_of(), root_cause=whys("Threshold copied from another service", "No review of alert rules")
    )
    alert = node(doc.root_cause.causal_tree, "Alert fired late")
    tree = causal.five_whys_as_branch(doc, alert.id).root_cause.causal_tree
    first = node(tree, "Threshold copied")
    assert first.parent_id == alert.id and node(tree, "No review").parent_id == first.id
    with pytest.raises(causal.TreeError):
        causal.five_whys_as_branch(doc, "no-such-box")


def test_hybrid_without_answers_is_refused():
    with pytest.raises(causal.TreeError):
        causal.five_whys_as_branch(build_postmortem(root_cause=whys()))


# --- Renderings and safety ----------------------------------------------------------------------

HOSTILE = '<img src=x onerror=alert(1)> "quoted" [x](javascript:alert(1)) | pipe `tick` {brace}'


def test_text_rendering_draws_the_source_shape():
    text = causal_text.to_text(tree_of())
    assert text.splitlines()[0] == "Outcome: API returned 500s for 22 minutes [all of]"
    assert "│   │   └── Test suite did not cover error path" in text
    assert text.splitlines()[-1] == "    └── New on-call had not shadowed a database incident"


def test_mermaid_is_a_top_down_graph_with_our_own_ids_and_inert_labels():
    tree = causal_text.parse_outline(f"{HOSTILE}\n  {HOSTILE}\n  second")
    mermaid = causal_text.to_mermaid(tree, unaddressed={tree.nodes[2].id})
    assert mermaid.startswith("graph TD")
    labels = re.findall(r'\["(.*?)"\]', mermaid)
    assert len(labels) == 3
    for label in labels[:2]:
        assert not set('<>"[]`{}|') & set(label)
    assert "n1 -->|all of| n2" in mermaid and "class n3 open" in mermaid


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=12), st.randoms())
def test_any_outline_text_parses_into_a_valid_tree(lines, rnd):
    text = "\n".join("  " * rnd.randint(0, 4) + line.replace("\n", " ") for line in lines)
    tree = causal_text.parse_outline(text)
    assert [i for i in causal.validate(tree) if i.level == "error"] == []
    assert len(causal_text.to_mermaid(tree).splitlines()) >= 1


def test_png_draws_the_tree_and_nothing_for_an_empty_one():
    from exports.tree_image import png

    image = png(tree_of(), {node(tree_of(), "Runbook").id})
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) > 5_000
    assert png(CausalTree()) is None
    assert png(causal_text.parse_outline(f"{HOSTILE}\n  \x00\x07 control")) is not None


def test_the_png_is_the_app_layout_drawn_left_to_right():
    import io
    from pathlib import Path

    from PIL import Image

    from exports.tree_image import LEGEND_HEIGHT, MARGIN, png
    from postmortem import causal_layout

    tree = causal_text.parse_outline(
        (Path(__file__).parent / "data" / "xid_wraparound_tree.txt").read_text("utf-8")
    )
    width, height = causal_layout.extent(causal_layout.layout(tree, across=True))
    image = Image.open(io.BytesIO(png(tree)))
    assert image.size == (int(width + 2 * MARGIN), int(height + 2 * MARGIN + LEGEND_HEIGHT))
    assert image.width < 1000  # four columns: it fits a portrait page at a readable size
