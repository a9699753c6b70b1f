"""The causal-tree step: graph, side panel for the selected node, coverage, in one fragment."""

from __future__ import annotations

import streamlit as st

import storage
from components import causal_graph, causal_panel, session
from components import causal_state as state
from postmortem import causal
from postmortem.models import PostMortem


def _start(doc_id: int, key: str) -> None:
    text = st.session_state.get(key, "").strip()
    if text:
        state.tree_edit(doc_id, "Causal tree", causal.set_outcome, text)


def show(doc_id: int) -> None:
    """The builder; call it inside an st.fragment so edits rerun only the tree."""
    stored = session.current()
    if stored is None:
        return
    doc = stored.doc
    tree = doc.root_cause.causal_tree
    error = state.pop_error(doc_id)
    if error:
        st.error(error, icon="⛔")
    if causal.root(tree) is None:
        _empty(stored)
        return
    cover = causal.coverage(doc)
    _summary(doc_id, doc, cover)
    nodes = causal.by_id(tree)
    if state.selected(doc_id) not in nodes:
        state.select(doc_id, causal.root(tree).id)
    graph, panel = st.columns([2, 1], gap="medium")
    with graph:
        clicked = causal_graph.show(tree, state.selected(doc_id), set(cover.unaddressed), key=f"causal-graph:{doc_id}")
        if clicked in nodes:
            state.select(doc_id, clicked)
        st.caption("Click a box to edit it. Red dashed borders: factors no action item addresses yet.")
    with panel:
        causal_panel.show(stored, nodes[state.selected(doc_id)], cover)


def _summary(doc_id: int, doc: PostMortem, cover: causal.Coverage) -> None:
    tree = doc.root_cause.causal_tree
    issues = causal.validate(tree)
    left, middle, right = st.columns(3)
    left.metric("Factors addressed", f"{len(cover.addressed)} of {len(cover.factors)}", help="A factor at the bottom of the tree is addressed when an action "
                "item names it (or a factor above it), or when it is accepted with a written reason.")
    middle.metric("Factors in the tree", len(tree.nodes) - 1)
    missing = causal.factors_missing_from_tree(doc)
    right.metric("Contributing factors not in the tree", len(missing),
                 help="Factors listed on the Contributing factors step that no box in the tree stands for.")
    for issue in issues:
        (st.error if issue.level == "error" else st.warning)(issue.message)
    if missing:
        with st.expander(f"{len(missing)} contributing factors are missing from the tree"):
            for factor in missing:
                st.text(f"• {factor.text}")
            st.button("Add them under the outcome", key=f"causal:{doc_id}:add-missing",
                      on_click=state.doc_edit, args=(doc_id, "Causal tree", causal.add_missing_factors))


def _empty(stored: storage.Stored) -> None:
    st.info("Start with the outcome: what customers or the business experienced. Then add the factors "
            "that, together, produced it.")
    key = session.widget_key(stored.id, "causal:outcome")
    st.text_input("Outcome", key=key, placeholder="e.g. Checkout API returned errors for 22 minutes",
                  on_change=_start, args=(stored.id, key))
    if stored.doc.contributing_factors:
        st.button(f"Start from the {len(stored.doc.contributing_factors)} contributing factors",
                  key=f"causal:{stored.id}:from-factors", on_click=state.doc_edit,
                  args=(stored.id, "Causal tree", causal.add_missing_factors))
    st.caption("Or paste a tree written elsewhere into the Outline tab.")

