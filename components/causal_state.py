"""Which causal-tree node is selected, and saving edits of the tree, for the builder's widgets."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import session
from postmortem import causal
from postmortem.models import PostMortem


def _key(doc_id: int) -> str:
    return f"causal:{doc_id}:selected"


def selected(doc_id: int) -> str | None:
    return st.session_state.get(_key(doc_id))


def select(doc_id: int, node_id: str | None, from_graph: bool = False) -> None:
    """Select a box. From anywhere but the graph, the graph gets a new key: a fresh drawing whose
    last click is forgotten, so clicking that box again counts."""
    st.session_state[_key(doc_id)] = node_id
    if not from_graph:
        st.session_state[_generation_key(doc_id)] = st.session_state.get(_generation_key(doc_id), 0) + 1


def _generation_key(doc_id: int) -> str:
    return f"causal:{doc_id}:graph-generation"


def graph_key(doc_id: int, across: bool) -> str:
    """The graph's widget key. It stays the same across edits and clicks, so the drawing is updated
    in place and keeps the author's zoom and pan; turning the drawing draws it afresh, fitted."""
    generation = st.session_state.get(_generation_key(doc_id), 0)
    return f"causal-graph:{doc_id}:{generation}:{'across' if across else 'down'}"


def take_click(doc_id: int, node_ids, across: bool) -> None:
    """Select the box last clicked in the graph, read before the graph is drawn so the drawing
    shows it; a click is acted on once (the graph keeps reporting its last click)."""
    key = graph_key(doc_id, across)
    clicked, acted_key = st.session_state.get(key), f"{key}:acted"
    if clicked in node_ids and clicked != st.session_state.get(acted_key):
        st.session_state[acted_key] = clicked
        select(doc_id, clicked, from_graph=True)


def doc_edit(doc_id: int, label: str, edit: Callable[[PostMortem], PostMortem]) -> bool:
    return session.commit(doc_id, label, edit)


def tree_edit(doc_id: int, label: str, operation: Callable, *args, **kwargs) -> None:
    """Run a tree operation on the latest document; a refused edit is shown, never raised.

    The selection stays where it was, so the author can add several causes to one box in a row."""

    def edit(doc: PostMortem) -> PostMortem:
        outcome = operation(doc.root_cause.causal_tree, *args, **kwargs)
        return causal.with_tree(doc, outcome[0] if isinstance(outcome, tuple) else outcome)

    try:
        session.commit(doc_id, label, edit)
    except causal.TreeError as error:
        st.session_state[f"causal:{doc_id}:error"] = str(error)


def pop_error(doc_id: int) -> str | None:
    return st.session_state.pop(f"causal:{doc_id}:error", None)


def show_errors(doc_id: int) -> None:
    """A refused tree edit, and a save the server refused (read-only, conflict), where the author looks."""
    error = pop_error(doc_id)
    if error:
        st.error(error, icon=":material/block:")
    for line in session.errors_for(doc_id, "Causal tree"):
        st.error(line, icon=":material/block:")
