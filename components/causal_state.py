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


def select(doc_id: int, node_id: str | None) -> None:
    st.session_state[_key(doc_id)] = node_id


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
