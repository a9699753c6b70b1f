"""The side panel of the causal-tree builder: edit, link, add, move and delete the selected node."""

from __future__ import annotations

import zlib
from typing import Any

import streamlit as st

import storage
from components import causal_state as state
from components import disclosure, session
from exports.escape import md_inline
from postmortem import causal, causal_tree
from postmortem.models import CausalNode, CausalTree, NodeKind, Relation

KINDS = [NodeKind.ROOT_CAUSE, NodeKind.CONTRIBUTING, NodeKind.CONDITION]
BELOW, BESIDE = "below it", "beside it"
RELATION_WORDS = {Relation.AND: "all of them were needed", Relation.OR: "any one was enough"}


def _key(doc_id: int, node_id: str, field: str) -> str:
    return session.widget_key(doc_id, f"causal:{node_id}:{field}")


def _save_field(doc_id: int, node_id: str, field: str, key: str) -> None:
    value = st.session_state[key]
    if field == "text" and not str(value).strip():
        st.session_state[f"causal:{doc_id}:error"] = "A box needs some text; delete it instead."
        return
    state.tree_edit(doc_id, "Causal tree", causal.update, node_id, **{field: value})


def _bound(widget, stored: storage.Stored, node: CausalNode, field: str, label: str, value: Any, **kwargs):
    key = _key(stored.id, node.id, field)
    if key not in st.session_state:
        st.session_state[key] = value
    return widget(label, key=key, on_change=_save_field, args=(stored.id, node.id, field, key), **kwargs)


def _add(doc_id: int, node_id: str, key: str, where_key: str) -> None:
    text = st.session_state[key].strip()
    if not text:
        return
    operation = causal.add_sibling if st.session_state.get(where_key) == BESIDE else causal.add_child
    state.tree_edit(doc_id, "Causal tree", operation, node_id, text)
    st.session_state[key] = ""


def _link_actions(doc_id: int, node_id: str, key: str) -> None:
    positions = st.session_state[key]
    state.doc_edit(doc_id, "Action items", lambda doc: causal.set_addressing(doc, node_id, positions))


def _move(doc_id: int, node_id: str, key: str) -> None:
    if st.session_state.get(key):
        state.tree_edit(doc_id, "Causal tree", causal.move, node_id, st.session_state[key])


def _delete(doc_id: int, node_id: str, before: CausalTree) -> None:
    state.tree_edit(doc_id, "Causal tree", causal.delete, node_id)
    st.session_state[f"causal:{doc_id}:undo"] = before
    state.select(doc_id, None)


def _undo(doc_id: int) -> None:
    before = st.session_state.pop(f"causal:{doc_id}:undo")
    state.doc_edit(doc_id, "Causal tree", lambda doc: causal.with_tree(doc, before))


def _jump(doc_id: int, key: str, node_ids: tuple[str, ...]) -> None:
    if st.session_state.get(key) in node_ids:
        state.select(doc_id, st.session_state[key])


def show(stored: storage.Stored, node: CausalNode, cover: causal.Coverage) -> None:
    doc, doc_id = stored.doc, stored.id
    tree = doc.root_cause.causal_tree
    is_outcome = node.parent_id is None
    edit, arrange = st.columns([3, 2], gap="large")
    with arrange:
        _navigator(doc_id, tree, node)
        if st.session_state.get(f"causal:{doc_id}:undo") is not None:
            st.button(
                "Undo the delete",
                key=f"causal:{doc_id}:undo-button",
                on_click=_undo,
                args=(doc_id,),
                icon=":material/undo:",
            )
        _add_boxes(doc_id, node, is_outcome)
        if not is_outcome:
            _move_and_delete(stored, tree, node)
    with edit:
        _edit_box(stored, node, cover, is_outcome)


def _said(tree: CausalTree, node: CausalNode, is_outcome: bool) -> str:
    kind = "Outcome" if is_outcome else node.kind.value.capitalize()
    has_causes = any(n.parent_id == node.id for n in tree.nodes)
    together = RELATION_WORDS[node.relation] if has_causes else "none below it yet"
    return f"**{kind}** · its causes: {together}  \n{md_inline(node.text)}"


def _edit_box(stored: storage.Stored, node: CausalNode, cover: causal.Coverage, is_outcome: bool) -> None:
    """The selected box in words, then its fields. The fields are folded until asked for, and stay open
    from box to box once opened: a click that only selects then redraws one paragraph, not a form."""
    if not is_outcome:
        _addressed(node, cover)
    box = disclosure.expander("Edit this box", key=f"causal:{stored.id}:edit-open", icon=":material/edit:")
    if box is None:
        st.markdown(_said(stored.doc.root_cause.causal_tree, node, is_outcome))
        return
    with box:
        _fields(stored, node, is_outcome)
    _notes(stored, node, is_outcome)


def _fields(stored: storage.Stored, node: CausalNode, is_outcome: bool) -> None:
    _bound(st.text_area, stored, node, "text", "Outcome" if is_outcome else "Factor", node.text, height=80)
    if not is_outcome:
        _bound(
            st.selectbox,
            stored,
            node,
            "kind",
            "Kind",
            node.kind,
            options=KINDS,
            format_func=lambda k: k.value.capitalize(),
        )
    _bound(
        st.radio,
        stored,
        node,
        "relation",
        "Its causes together",
        node.relation,
        options=list(Relation),
        horizontal=True,
        format_func=RELATION_WORDS.get,
        help="AND: every factor below had to be present. OR: any one sufficed.",
    )
    if not is_outcome:
        _addressing(stored, node)


def _notes(stored: storage.Stored, node: CausalNode, is_outcome: bool) -> None:
    doc = stored.doc
    # Drawn only while open: the evidence list offers every timeline event (23 KB with 300 of them), which
    # every click on a box would otherwise send again.
    notes = disclosure.expander("Notes and evidence", key=_key(stored.id, node.id, "notes-open"))
    if notes is None:
        return
    with notes:
        _bound(st.text_area, stored, node, "notes", "Notes", node.notes, height=68)
        events = {e.id: f"{e.at:%d %b %H:%M} · {' '.join(e.text.split())[:60]}" for e in doc.timeline}
        _bound(
            st.multiselect,
            stored,
            node,
            "evidence",
            "Timeline events that show it",
            [e for e in node.evidence if e in events],
            options=list(events),
            format_func=events.get,
        )
        if not is_outcome and doc.contributing_factors:
            factors = {f.id: " ".join(f.text.split())[:80] for f in doc.contributing_factors}
            _bound(
                st.selectbox,
                stored,
                node,
                "factor_id",
                "Stands for contributing factor",
                node.factor_id if node.factor_id in factors else None,
                options=list(factors),
                format_func=factors.get,
                index=None,
                placeholder="none",
            )


def _navigator(doc_id: int, tree: CausalTree, node: CausalNode) -> None:
    """Select a box from a list: the keyboard path to every box, in tree order, numbered by depth."""
    labels = causal_tree.depth_labels(tree)
    # Keyed by the selection and the labels: when either changes, a fresh box shows them. (A kept
    # widget whose options changed reports a stale value and would jump to it.)
    key = f"causal:{doc_id}:jump:{node.id}:{zlib.crc32(repr(labels).encode())}"
    st.selectbox(
        "Selected box",
        list(labels),
        format_func=labels.get,
        key=key,
        on_change=_jump,
        args=(doc_id, key, tuple(labels)),
        index=list(labels).index(node.id) if node.id in labels else 0,
        help="Numbered like an outline: 1.2 is the second cause of the first cause.",
    )


def _addressed(node: CausalNode, cover: causal.Coverage) -> None:
    how = cover.addressed.get(node.id)
    if node.id in cover.factors:
        (st.success if how else st.warning)(
            f"Addressed: {how}."
            if how
            else "Not addressed yet: link an action item, or accept it with a reason (Edit this box)."
        )


def _addressing(stored: storage.Stored, node: CausalNode) -> None:
    doc = stored.doc
    items = {n: f"A{n + 1} · {' '.join(item.title.split())[:70]}" for n, item in enumerate(doc.action_items)}
    key = _key(stored.id, node.id, f"actions:v{stored.version}")
    st.multiselect(
        "Action items that address it",
        list(items),
        format_func=items.get,
        key=key,
        default=causal.addressing(doc, node.id),
        on_change=_link_actions,
        args=(stored.id, node.id, key),
        placeholder="Add action items on the Action items step first" if not items else "Choose",
    )
    _bound(
        st.text_area,
        stored,
        node,
        "accepted_rationale",
        "Or accepted without action, because…",
        node.accepted_rationale,
        height=68,
    )


def _add_boxes(doc_id: int, node: CausalNode, is_outcome: bool) -> None:
    """One box to type a cause in and a choice of where it goes; the selection stays on this box,
    so several causes typed in a row become siblings, not a chain."""
    where_key = f"causal:{doc_id}:add-where"
    if is_outcome or where_key not in st.session_state:
        st.session_state[where_key] = BELOW
    st.radio(
        "Add a cause",
        [BELOW, BESIDE],
        key=where_key,
        horizontal=True,
        disabled=is_outcome,
        help="Below: a cause of the selected box. Beside: another cause of the same effect.",
    )
    text_key = session.widget_key(doc_id, f"causal:{node.id}:new-cause")
    st.text_input(
        "The new cause",
        key=text_key,
        placeholder="Type and press Enter",
        on_change=_add,
        args=(doc_id, node.id, text_key, where_key),
    )


def _move_and_delete(stored: storage.Stored, tree: CausalTree, node: CausalNode) -> None:
    doc_id = stored.id
    below = causal_tree.descendants(tree, node.id)
    labels = causal_tree.depth_labels(tree)
    parents = {
        i: label for i, label in labels.items() if i != node.id and i not in below and i != node.parent_id
    }
    row = st.container(horizontal=True)
    # Both popovers draw their content only while open (on_change="rerun"): a click on a box then
    # sends two buttons, not a list of every box and a confirmation.
    move = row.popover(
        "Move under…",
        width="stretch",
        disabled=not parents,
        key=f"causal:{doc_id}:{node.id}:move-open",
        on_change="rerun",
    )
    if move.open:
        _move_form(move, doc_id, node, parents, labels, stored.version)
    delete = row.popover(
        "Delete…", width="stretch", key=f"causal:{doc_id}:{node.id}:delete-open", on_change="rerun"
    )
    if not delete.open:
        return
    with delete:
        extra = f" and the {len(below)} factors below it" if below else ""
        st.write(
            f"Delete this factor{extra}? You can undo it here, and every earlier version stays in History."
        )
        st.button(
            "Delete",
            type="primary",
            key=f"causal:{doc_id}:{node.id}:delete",
            on_click=_delete,
            args=(doc_id, node.id, tree),
        )


def _move_form(box, doc_id: int, node: CausalNode, parents: dict, labels: dict, version: int) -> None:
    # Keyed by the version: the choices are always those of the tree as it is now.
    key = f"causal:{doc_id}:{node.id}:move-to:v{version}"
    with box:
        st.caption(f"Now under: {labels.get(node.parent_id, '').strip()}")
        st.selectbox(
            "New parent",
            list(parents),
            format_func=parents.get,
            key=key,
            index=None,
            placeholder="Choose a box",
        )
        st.button("Move", key=f"{key}:go", on_click=_move, args=(doc_id, node.id, key))
