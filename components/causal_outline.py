"""The Outline tab: the tree as indented text, always the current one; applying it shows what changes."""

from __future__ import annotations

import streamlit as st

import storage
from components import causal_state as state
from components import session
from postmortem import causal, causal_text, causal_tree
from postmortem.models import CausalNode

HOW_TO = (
    "One line per box; indent a cause two spaces under what it caused. The first line is the outcome. "
    "Mark a kind with [root cause] or [condition] at the end of a line, and add (any of) when any one "
    "cause below was enough. Lines drawn with ├── and └── work too."
)


def show(stored: storage.Stored) -> None:
    """Edit the tree as text, or paste one written elsewhere; nothing changes until the author applies."""
    tree = stored.doc.root_cause.causal_tree
    state.show_errors(stored.id)
    key = session.widget_key(stored.id, "causal:outline")
    current = causal_text.to_outline(tree)
    _follow_the_tree(key, current)
    st.caption(HOW_TO)
    text = st.text_area("Outline", key=key, height=320)
    parsed = causal_text.parse_outline(text, tree)
    problems = [i.message for i in causal.validate(parsed) if i.level == "error"]
    if not text.strip():
        problems.append(
            "An empty outline would remove the whole tree; delete boxes on the Causal tree tab instead."
        )
    for problem in problems:
        st.error(problem)
    diff = causal_text.tree_diff(tree, parsed)
    if diff.empty:
        st.caption("The outline matches the tree.")
        return
    _show_diff(diff, causal_tree.by_id(parsed))
    confirmed = True
    if diff.removed:
        what = "this box" if len(diff.removed) == 1 else f"these {len(diff.removed)} boxes"
        confirmed = st.checkbox(f"Yes, remove {what}", key=f"{key}:confirm-removal:{hash(text)}")
    label = "Apply 1 change" if diff.count == 1 else f"Apply {diff.count} changes"
    if st.button(label, type="primary", key=f"{key}:apply", disabled=bool(problems) or not confirmed) and (
        state.doc_edit(
            stored.id,
            "Causal tree",
            lambda doc: causal.with_tree(doc, causal_text.parse_outline(text, doc.root_cause.causal_tree)),
        )
    ):
        session.reset_widgets(stored.id)
        st.rerun()


def _follow_the_tree(key: str, current: str) -> None:
    """Show the tree as it is now, unless the author has typed changes of their own (those stay)."""
    base_key = f"{key}:base"
    if key not in st.session_state or st.session_state[key] == st.session_state.get(base_key):
        st.session_state[key] = st.session_state[base_key] = current
    elif st.session_state[base_key] != current:
        st.info(
            "The tree changed since you began editing this outline. The changes listed below are "
            "against the tree as it is now."
        )
        if st.button("Start again from the current tree", key=f"{key}:restart"):
            st.session_state[key] = st.session_state[base_key] = current
            st.rerun()


def _show_diff(diff: causal_text.TreeDiff, after: dict[str, CausalNode]) -> None:
    st.markdown(f"**Applying this outline changes {'1 box' if diff.count == 1 else f'{diff.count} boxes'}:**")
    # User text goes through st.text, never Markdown: a label cannot format or link anything.
    _listing("Added", "+", diff.added)
    if diff.moved:
        st.markdown(f"Moved under another box ({len(diff.moved)})")
        st.text("\n".join(f"↷ {_one(n)}  ⟶ under: {_one(after[n.parent_id])}" for n in diff.moved))
    if diff.changed:
        st.markdown(f"Reworded or re-marked ({len(diff.changed)})")
        st.text("\n".join(f"{_one(before)}  →  {_one(after)}" for before, after in diff.changed))
    if diff.removed:
        st.warning(
            f"Removed ({len(diff.removed)}): these boxes, and their links to action items and "
            "evidence, leave the tree. Every earlier version stays in History.",
            icon=":material/delete:",
        )
        st.text("\n".join(f"− {_one(n)}" for n in diff.removed))


def _listing(title: str, mark: str, nodes: tuple[CausalNode, ...]) -> None:
    if nodes:
        st.markdown(f"{title} ({len(nodes)})")
        st.text("\n".join(f"{mark} {_one(n)}" for n in nodes))


def _one(node: CausalNode) -> str:
    return causal_text.outline_line(node)
