"""The causal-tree step: graph, panel for the selected node, coverage, in one fragment."""

from __future__ import annotations

import streamlit as st

import storage
from components import causal_graph, causal_panel, disclosure, session
from components import causal_state as state
from components.version_cache import per_version
from postmortem import causal, causal_layout, causal_tree
from postmortem.models import PostMortem

DOWN, ACROSS = "Top down", "Left to right"
FITS_TOP_DOWN = 1100  # px: wider than this, a top-down drawing shrinks below readable text
_FULL_RUN = "causal:full-run"


def mark_full_run() -> None:
    """Called by the page before the builder's fragment: the document the page read at the top of this
    run is then the current one. A click in the tree reruns the fragment alone, which reads it again."""
    st.session_state[_FULL_RUN] = True


def _checks(doc: PostMortem) -> tuple[causal.Coverage, list, list]:
    tree = doc.root_cause.causal_tree
    return causal.coverage(doc), causal.validate(tree), causal.factors_missing_from_tree(doc)


def _start(doc_id: int, key: str) -> None:
    text = st.session_state.get(key, "").strip()
    if text:
        state.tree_edit(doc_id, "Causal tree", causal.set_outcome, text)


def show(doc_id: int) -> None:
    """The builder; call it inside an st.fragment so edits rerun only the tree."""
    stored = session.loaded() if st.session_state.pop(_FULL_RUN, False) else session.fresh(doc_id)
    if stored is None:
        return
    doc = stored.doc
    tree = doc.root_cause.causal_tree
    state.show_errors(doc_id)
    if causal_tree.root(tree) is None:
        _empty(stored)
        return
    # Coverage, checks and layout depend on the stored version only: worked out once per version, not
    # on every click (a 30-box tree: about 10 ms of each rerun).
    cover, issues, missing = per_version(stored, "causal:checks", lambda: _checks(doc))
    _summary(doc_id, doc, cover, issues, missing)
    nodes = causal_tree.by_id(tree)
    across = _drawn_across(stored)
    boxes = per_version(stored, f"causal:layout:{across}", lambda: causal_layout.layout(tree, across=across))
    state.take_click(doc_id, nodes, across)
    if state.selected(doc_id) not in nodes:
        state.select(doc_id, causal_tree.root(tree).id)
    # The canvas takes the page's whole width; the panel for the selected box sits below it.
    causal_graph.show(
        tree,
        boxes,
        state.selected(doc_id),
        set(cover.unaddressed),
        key=state.graph_key(doc_id, across),
        across=across,
    )
    st.caption(
        "Click a box to see it below (Edit this box changes it). Zoom with the + and − buttons, drag to "
        "pan, hover a box for its "
        "whole text. Red dashed borders: factors no action item addresses yet. Dashed lines: any one of "
        "those causes sufficed (OR)."
    )
    causal_panel.show(stored, nodes[state.selected(doc_id)], cover)


def _drawn_across(stored: storage.Stored) -> bool:
    """Left to right unless the author chose otherwise, or the tree fits the page drawn top down."""
    key = f"causal:{stored.id}:direction"
    if key not in st.session_state:
        tree = stored.doc.root_cause.causal_tree
        down = per_version(stored, "causal:layout:False", lambda: causal_layout.layout(tree, across=False))
        wide, _ = causal_layout.extent(down)
        st.session_state[key] = DOWN if wide <= FITS_TOP_DOWN else ACROSS
    choice = st.segmented_control(
        "Draw the tree",
        [DOWN, ACROSS],
        key=key,
        required=True,
        help="Top down puts the outcome on top; left to right keeps a wide tree "
        "readable without zooming out.",
    )
    return choice == ACROSS


def _summary(doc_id: int, doc: PostMortem, cover: causal.Coverage, issues: list, missing: list) -> None:
    tree = doc.root_cause.causal_tree
    # One row, not three columns: each column is one more element the browser redraws on every click.
    row = st.container(horizontal=True, horizontal_alignment="distribute")
    row.metric(
        "Factors addressed",
        f"{len(cover.addressed)} of {len(cover.factors)}",
        help="A factor at the bottom of the tree is addressed when an action "
        "item names it (or a factor above it), or when it is accepted with a written reason.",
    )
    row.metric("Factors in the tree", len(tree.nodes) - 1)
    row.metric(
        "Contributing factors not in the tree",
        len(missing),
        help="Factors listed on the Contributing factors step that no box in the tree stands for.",
    )
    for issue in issues:
        (st.error if issue.level == "error" else st.warning)(issue.message)
    if not missing:
        return
    label = f"{len(missing)} contributing factors are missing from the tree"
    box = disclosure.expander(label, key=f"causal:{doc_id}:missing-open")
    if box is not None:
        with box:
            # One plain-text element, not one per factor: each element is its own message on every rerun.
            st.text("\n".join(f"• {' '.join(factor.text.split())}" for factor in missing))
            st.button(
                "Add them under the outcome",
                key=f"causal:{doc_id}:add-missing",
                on_click=state.doc_edit,
                args=(doc_id, "Causal tree", causal.add_missing_factors),
            )


def _empty(stored: storage.Stored) -> None:
    st.info(
        "Start with the outcome: what customers or the business experienced. Then add the factors "
        "that, together, produced it."
    )
    key = session.widget_key(stored.id, "causal:outcome")
    st.text_input(
        "Outcome",
        key=key,
        placeholder="e.g. Checkout API returned errors for 22 minutes",
        on_change=_start,
        args=(stored.id, key),
    )
    if stored.doc.contributing_factors:
        st.button(
            f"Start from the {len(stored.doc.contributing_factors)} contributing factors",
            key=f"causal:{stored.id}:from-factors",
            on_click=state.doc_edit,
            args=(stored.id, "Causal tree", causal.add_missing_factors),
        )
    st.caption("Or paste a tree written elsewhere into the Outline tab.")
