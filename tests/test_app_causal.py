"""The causal-tree builder through AppTest: clicks (simulated as STACK.md §4 shows), panel edits, outline."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import app_for, stored

import storage
from components.session import widget_key
from postmortem import causal, causal_layout, causal_text, causal_tree
from postmortem.models import ActionItem, DocStatus, FiveWhys, WhyStep, new_postmortem

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def doc_id(db_path) -> int:
    doc = new_postmortem("INC-2026-0042", "Pool exhausted").model_copy(
        update={
            "action_items": [
                ActionItem(title="Alert at 80% pool use"),
                ActionItem(title="Test the error path"),
            ]
        }
    )
    doc = causal.with_tree(
        doc, causal_text.parse_outline(f"Checkout failed\n  Pool exhausted\n    {HOSTILE}\n  Alert late")
    )
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id


def on_root_cause(db_path, monkeypatch, doc_id, editing=True):
    """The Root cause step; with `editing`, "Edit this box" opened (it then stays open from box to box)."""
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/08_root_cause.py").run()
    if editing:
        at.session_state[f"causal:{doc_id}:edit-open"] = True
        at.run()
    return at


def tree(db_path, doc_id):
    return stored(db_path, doc_id).doc.root_cause.causal_tree


def node_id(db_path, doc_id, text):
    return next(n.id for n in tree(db_path, doc_id).nodes if n.text == text)


def graph(at):
    return next(
        e for e in at.get("component_instance") if e.proto.component_name == "streamlit_agraph.agraph"
    )


def click(at, node):
    """A click on a box, simulated as STACK.md §4 shows: the keyed component's value is the node id
    (its widget id ends with the key we gave it)."""
    key = graph(at).proto.id.split("-", 2)[2]
    assert key.startswith("causal-graph:")
    at.session_state[key] = node
    return at.run()


def test_a_click_leaves_the_graph_as_it_was_and_keeps_the_frame(db_path, monkeypatch, doc_id):
    """vis-network outlines a clicked box itself: the graph's arguments stay the same from click to
    click (the browser then redraws nothing); the box first selected, which vis has not selected,
    is marked in the data, and a box vis selects looks like a marked one."""
    at = on_root_cause(db_path, monkeypatch, doc_id)
    before = graph(at).proto.id
    outcome = causal_tree.root(tree(db_path, doc_id)).id
    assert style(at, outcome)["color"]["border"] == "#000000" and style(at, outcome)["borderWidth"] == 4
    alert = node_id(db_path, doc_id, "Alert late")
    at = click(at, alert)
    assert panel_text(at, "Factor").value == "Alert late"
    drawn = style(at, alert)
    assert drawn["color"]["border"] == "#d92d20"  # not marked in the data: still red, not addressed yet
    assert drawn["color"]["highlight"]["border"] == "#000000" and drawn["borderWidthSelected"] == 4
    assert style(at, outcome)["borderWidth"] == 1  # the first selection's mark is gone
    args = graph(at).proto.json_args
    at = click(at, node_id(db_path, doc_id, "Pool exhausted"))
    assert panel_text(at, "Factor").value == "Pool exhausted"
    assert graph(at).proto.json_args == args  # a second click changes nothing sent to the graph
    assert graph(at).proto.id == before  # same key: the browser updates the drawing in place
    next(s for s in at.selectbox if s.label == "Selected box").select(
        causal_tree.root(tree(db_path, doc_id)).id
    ).run()
    assert panel_text(at, "Outcome").value == "Checkout failed"
    assert graph(at).proto.id != before and style(at, outcome)["borderWidth"] == 4  # a fresh drawing, marked
    at = click(at, alert)  # the same box again, after choosing another in the list, counts
    assert panel_text(at, "Factor").value == "Alert late"


def style(at, node_id):
    """How the graph draws one box: the options' shared node look, then its group's."""
    args = json.loads(graph(at).proto.json_args)
    data, config = json.loads(args["data"]), json.loads(args["config"])
    node = next(n for n in data["nodes"] if n["id"] == node_id)
    return {**config["nodes"], **config["groups"][node["group"]], **node}


def open_tab(at, doc_id, label):
    """Lazy tabs draw only the open one; AppTest opens one by setting the tabs' keyed state."""
    at.session_state[f"root-cause:{doc_id}:tab"] = label
    return at.run()


def panel_text(at, label):
    return next(t for t in at.text_area if t.label == label)


def test_graph_carries_every_node_as_data_with_user_text_inert(db_path, monkeypatch, doc_id):
    at = on_root_cause(db_path, monkeypatch, doc_id)
    assert not at.exception
    data = json.loads(json.loads(graph(at).proto.json_args)["data"])
    assert len(data["nodes"]) == 4 and len(data["edges"]) == 3
    hostile = next(n for n in data["nodes"] if n["label"] == "<img src=x\nonerror=alert(1)>")
    assert (
        "<" not in hostile["title"]
        and ">" not in hostile["title"]
        and hostile["title"].startswith("Contributing factor (not")
    )
    drawn = style(at, hostile["id"])
    assert drawn["shape"] == "box" and drawn["color"]["border"] == "#d92d20"  # not addressed yet
    assert drawn["shapeProperties"]["borderDashes"] and drawn["borderWidth"] == 4


def test_boxes_go_where_the_layout_puts_them_with_physics_off(db_path, monkeypatch, doc_id):
    long_text = " ".join(f"step{n}" for n in range(60))
    at = on_root_cause(db_path, monkeypatch, doc_id)
    at = click(at, node_id(db_path, doc_id, "Alert late"))
    panel_text(at, "Factor").input(long_text).run()
    args = json.loads(graph(at).proto.json_args)
    data, config = json.loads(args["data"]), json.loads(args["config"])
    assert config["physics"] == {"enabled": False} and config["layout"]["hierarchical"] == {"enabled": False}
    assert config["interaction"]["navigationButtons"] is True
    assert config["groups"] and {n["group"] for n in data["nodes"]} <= set(config["groups"])
    planned = causal_layout.layout(tree(db_path, doc_id), across=False)  # four boxes fit the page top down
    for node in data["nodes"]:
        box = planned[node["id"]]
        assert (node["x"], node["y"], config["nodes"]["fixed"]) == (box.x, box.y, True)
        assert node["label"] == "\n".join(box.lines)
    shown = next(n for n in data["nodes"] if n["label"].startswith("step0"))
    assert shown["label"].endswith("…") and shown["title"].endswith(long_text)  # the start, and all on hover
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert len(edges) == 3 and not any(e["dashes"] for e in edges.values())
    next(b for b in at.button_group if b.label == "Draw the tree").set_value("Left to right").run()
    across = causal_layout.layout(tree(db_path, doc_id), across=True)
    data = json.loads(json.loads(graph(at).proto.json_args)["data"])
    assert {n["id"]: (n["x"], n["y"]) for n in data["nodes"]} == {i: (b.x, b.y) for i, b in across.items()}


def test_clicking_a_node_selects_it_and_the_panel_edits_it(db_path, monkeypatch, doc_id):
    at = on_root_cause(db_path, monkeypatch, doc_id)
    assert panel_text(at, "Outcome").value == "Checkout failed"
    target = node_id(db_path, doc_id, "Alert late")
    at = click(at, target)
    assert panel_text(at, "Factor").value == "Alert late"
    panel_text(at, "Factor").input("Alert fired 9 minutes late").run()
    assert node_id(db_path, doc_id, "Alert fired 9 minutes late") == target
    next(s for s in at.selectbox if s.label == "Kind").select("Condition").run()
    assert causal_tree.nodes_get(tree(db_path, doc_id), target).kind.value == "condition"


def test_switching_between_two_factors_shows_each_ones_own_values(db_path, monkeypatch, doc_id):
    """Each selection shows the selected box's own text and kind, never the last box's."""
    at = on_root_cause(db_path, monkeypatch, doc_id)
    pool, alert = node_id(db_path, doc_id, "Pool exhausted"), node_id(db_path, doc_id, "Alert late")
    at = click(at, alert)
    next(s for s in at.selectbox if s.label == "Kind").select("Condition").run()
    at = click(at, pool)
    assert panel_text(at, "Factor").value == "Pool exhausted"
    assert next(s for s in at.selectbox if s.label == "Kind").value.value != "condition"
    at = click(at, alert)
    assert panel_text(at, "Factor").value == "Alert late"
    assert next(s for s in at.selectbox if s.label == "Kind").value.value == "condition"


def new_cause(at, text, where=None):
    if where:
        next(r for r in at.radio if r.label == "Add a cause").set_value(where).run()
    return next(t for t in at.text_input if t.label == "The new cause").input(text).run()


def test_causes_typed_in_a_row_are_siblings_and_the_selection_stays(db_path, monkeypatch, doc_id):
    at = on_root_cause(db_path, monkeypatch, doc_id)
    alert = node_id(db_path, doc_id, "Alert late")
    at = click(at, alert)
    for text in ("Threshold at 95%", "Pager rota out of date", "Alert routed to a muted channel"):
        at = new_cause(at, text)
        assert panel_text(at, "Factor").value == "Alert late"
    kids = [n.text for n in causal_tree.children_of(tree(db_path, doc_id))[alert]]
    assert kids == ["Threshold at 95%", "Pager rota out of date", "Alert routed to a muted channel"]
    at = new_cause(at, "Dashboards lacked pool use", where="beside it")
    beside = causal_tree.nodes_get(
        tree(db_path, doc_id), node_id(db_path, doc_id, "Dashboards lacked pool use")
    )
    assert beside.parent_id == causal_tree.root(tree(db_path, doc_id)).id
    assert panel_text(at, "Factor").value == "Alert late"


def test_the_selector_shows_each_boxs_depth(db_path, monkeypatch, doc_id):
    at = on_root_cause(db_path, monkeypatch, doc_id)
    selector = next(s for s in at.selectbox if s.label == "Selected box")
    assert selector.options == [
        "Outcome: Checkout failed",
        "1  Pool exhausted",
        f"{causal_tree.EM_SPACE}1.1  {HOSTILE}",
        "2  Alert late",
    ]


def test_linking_an_action_item_changes_coverage(db_path, monkeypatch, doc_id):
    at = on_root_cause(db_path, monkeypatch, doc_id)
    assert next(m for m in at.metric if m.label == "Factors addressed").value == "0 of 2"
    at = click(at, node_id(db_path, doc_id, "Alert late"))
    next(m for m in at.multiselect if m.label == "Action items that address it").select(0).run()
    assert stored(db_path, doc_id).doc.action_items[0].factor_ids == [node_id(db_path, doc_id, "Alert late")]
    assert next(m for m in at.metric if m.label == "Factors addressed").value == "1 of 2"


def open_popover(at, doc_id, node, which):
    """Open the "Move under…" or "Delete…" popover of a box, as a click on it does."""
    at.session_state[f"causal:{doc_id}:{node}:{which}-open"] = True
    return at.run()


def test_move_then_delete_with_subtree_then_undo(db_path, monkeypatch, doc_id):
    at = on_root_cause(db_path, monkeypatch, doc_id)
    pool = node_id(db_path, doc_id, "Pool exhausted")
    alert = node_id(db_path, doc_id, "Alert late")
    at = click(at, pool)
    assert "New parent" not in [s.label for s in at.selectbox]  # a closed popover draws nothing inside
    at = open_popover(at, doc_id, pool, "move")
    move_to = next(s for s in at.selectbox if s.label == "New parent")
    assert move_to.value is None and move_to.options == ["2  Alert late"]
    move_to.select(alert)
    next(b for b in at.button if b.label == "Move").click().run()
    assert causal_tree.nodes_get(tree(db_path, doc_id), pool).parent_id == alert
    # The popover offers the tree as it is now: the new parent is no longer a place to move to.
    assert next(s for s in at.selectbox if s.label == "New parent").options == ["Outcome: Checkout failed"]
    at = click(at, alert)
    at = open_popover(at, doc_id, alert, "delete")
    next(b for b in at.button if b.label == "Delete").click().run()
    assert [n.text for n in tree(db_path, doc_id).nodes] == ["Checkout failed"]
    next(b for b in at.button if b.label == "Undo the delete").click().run()
    assert len(tree(db_path, doc_id).nodes) == 4


def test_the_outline_is_the_current_tree(db_path, monkeypatch, doc_id):
    at = on_root_cause(db_path, monkeypatch, doc_id)
    at = click(at, node_id(db_path, doc_id, "Alert late"))
    at = new_cause(at, "Threshold at 95%")
    at = open_tab(at, doc_id, "Outline")
    outline = next(t for t in at.text_area if t.label == "Outline")
    assert outline.value == causal_text.to_outline(tree(db_path, doc_id))
    assert outline.value.endswith("  Alert late\n    Threshold at 95%")
    assert not at.get("component_instance")  # the graph is not drawn behind a closed tab


def test_outline_editor_shows_the_changes_then_applies_a_pasted_tree(db_path, monkeypatch, doc_id):
    at = open_tab(on_root_cause(db_path, monkeypatch, doc_id), doc_id, "Outline")
    outline = next(t for t in at.text_area if t.label == "Outline")
    at = outline.input(
        "Checkout failed\n├── Pool exhausted\n│   └── Leak on error path [root cause]\n"
        "└── Alert late (any of)"
    ).run()
    texts = [t.value for t in at.text]
    assert texts == [
        "+ Leak on error path [root cause]",
        "Alert late  →  Alert late (any of)",
        f"− {HOSTILE}",
    ]
    apply = next(b for b in at.button if b.label.startswith("Apply"))
    assert apply.disabled and apply.label == "Apply 3 changes"  # added, removed, re-marked
    assert len(tree(db_path, doc_id).nodes) == 4  # nothing removed without saying yes
    next(c for c in at.checkbox if c.label == "Yes, remove this box").check().run()
    next(b for b in at.button if b.label == "Apply 3 changes").click().run()
    shape = [(n.text, d) for n, d in causal_tree.walk(tree(db_path, doc_id))]
    assert shape == [
        ("Checkout failed", 0),
        ("Pool exhausted", 1),
        ("Leak on error path", 2),
        ("Alert late", 1),
    ]
    assert node_id(db_path, doc_id, "Pool exhausted") == next(
        n.id
        for n in storage.get_revision(
            db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id, version=1
        ).root_cause.causal_tree.nodes
        if n.text == "Pool exhausted"
    )


def test_an_empty_tree_starts_from_the_outcome(db_path, monkeypatch):
    doc_id = storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-1", "T")
    ).id
    at = on_root_cause(db_path, monkeypatch, doc_id)
    at.text_input(key=widget_key(doc_id, "causal:outcome")).input("Orders were lost").run()
    assert [n.text for n in tree(db_path, doc_id).nodes] == ["Orders were lost"]


def test_a_final_document_refuses_tree_edits_on_the_server(db_path, monkeypatch, doc_id):
    conn = storage.connect(db_path, actor=storage.LOCAL)
    current = storage.get(db=conn, doc_id=doc_id)
    final = current.doc.model_copy(
        update={"header": current.doc.header.model_copy(update={"status": DocStatus.FINAL})}
    )
    storage.save(db=conn, doc_id=doc_id, doc=final, expected_version=current.version)
    at = on_root_cause(db_path, monkeypatch, doc_id)
    before = stored(db_path, doc_id)
    at = click(at, node_id(db_path, doc_id, "Alert late"))
    new_cause(at, "Sneaky edit")
    after = stored(db_path, doc_id)
    assert (after.version, after.doc) == (before.version, before.doc)
    assert any("read-only" in e.value for e in at.error)


def test_a_five_whys_chain_hangs_under_the_box_the_author_picks(db_path, monkeypatch, doc_id):
    conn = storage.connect(db_path, actor=storage.LOCAL)
    current = storage.get(db=conn, doc_id=doc_id)
    whys = FiveWhys(
        problem="Why was the alert late?",
        steps=[
            WhyStep(answer="Threshold copied from a batch service"),
            WhyStep(answer="Alert rules have no review"),
        ],
    )
    doc = current.doc.model_copy(
        update={"root_cause": current.doc.root_cause.model_copy(update={"five_whys": whys})}
    )
    storage.save(db=conn, doc_id=doc_id, doc=doc, expected_version=current.version)
    at = open_tab(on_root_cause(db_path, monkeypatch, doc_id), doc_id, "5 Whys")
    alert = node_id(db_path, doc_id, "Alert late")
    next(s for s in at.selectbox if s.label == "Hang the chain under").select(alert).run()
    next(b for b in at.button if b.label.startswith("Add this chain (2 answers)")).click().run()
    first = node_id(db_path, doc_id, "Threshold copied from a batch service")
    assert causal_tree.nodes_get(tree(db_path, doc_id), first).parent_id == alert
    assert (
        causal_tree.nodes_get(
            tree(db_path, doc_id), node_id(db_path, doc_id, "Alert rules have no review")
        ).parent_id
        == first
    )
    assert not at.exception


def test_the_outline_says_where_a_moved_box_goes_and_applies_without_asking_when_nothing_is_removed(
    db_path, monkeypatch, doc_id
):
    at = open_tab(on_root_cause(db_path, monkeypatch, doc_id), doc_id, "Outline")
    alert = node_id(db_path, doc_id, "Alert late")
    moved = f"Checkout failed\n  Pool exhausted\n    {HOSTILE}\n    Alert late"
    at = next(t for t in at.text_area if t.label == "Outline").input(moved).run()
    assert [t.value for t in at.text] == ["↷ Alert late  ⟶ under: Pool exhausted"]
    assert not [c for c in at.checkbox if c.label.startswith("Yes, remove")]
    next(b for b in at.button if b.label == "Apply 1 change").click().run()
    assert causal_tree.nodes_get(tree(db_path, doc_id), alert).parent_id == node_id(
        db_path, doc_id, "Pool exhausted"
    )
    assert next(t for t in at.text_area if t.label == "Outline").value == moved


def test_edit_fields_are_folded_until_asked_for_and_stay_open_from_box_to_box(db_path, monkeypatch, doc_id):
    at = on_root_cause(db_path, monkeypatch, doc_id, editing=False)
    at = click(at, node_id(db_path, doc_id, "Alert late"))
    assert not [t for t in at.text_area if t.label == "Factor"]  # folded: the box in words instead
    said = " ".join(m.value for m in at.markdown)
    assert "**Contributing factor** · its causes: none below it yet  \nAlert late" in said
    at.session_state[f"causal:{doc_id}:edit-open"] = True
    at = click(at.run(), node_id(db_path, doc_id, "Pool exhausted"))
    assert panel_text(at, "Factor").value == "Pool exhausted"  # opened once, open for the next box too
