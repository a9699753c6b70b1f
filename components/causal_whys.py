"""The 5 Whys tab: the problem, the chain of answers, where it stops, and hanging it in the causal tree."""

from __future__ import annotations

import streamlit as st

import storage
from components import causal_state as state
from components import fields, table
from postmortem import causal


def show(stored: storage.Stored) -> None:
    st.caption(
        "Start from what customers saw and ask why, about five times. Stop at a cause you can act on "
        "that is not itself a symptom; if you stop earlier, say why."
    )
    fields.text_area(
        stored,
        "root_cause.five_whys.problem",
        "The problem",
        height=68,
        placeholder="Why did the API return errors for 22 minutes?",
    )
    table.editor(
        stored,
        table.TableSpec(
            path="root_cause.five_whys.steps",
            label="5 Whys",
            required="answer",
            columns=(
                table.Column("question", st.column_config.TextColumn("Why?", width="large")),
                table.Column("answer", st.column_config.TextColumn("Because…", width="large", required=True)),
            ),
        ),
    )
    fields.text_area(stored, "root_cause.five_whys.stop_reason", "Why the chain stops here", height=68)
    _as_branch(stored)


def _as_branch(stored: storage.Stored) -> None:
    state.show_errors(stored.id)
    warning = causal.chain_end_warning(stored.doc)
    if warning:
        st.warning(warning, icon=":material/warning:")
    answered = [s for s in stored.doc.root_cause.five_whys.steps if s.answer.strip()]
    if not answered:
        return
    tree = stored.doc.root_cause.causal_tree
    key = f"causal:{stored.id}:hybrid-under:v{stored.version}"
    labels = causal.depth_labels(tree)
    if labels:
        st.selectbox(
            "Hang the chain under",
            list(labels),
            format_func=labels.get,
            key=key,
            help="The box the first answer explains; the outcome when the chain starts from what "
            "customers saw.",
        )
    st.button(
        f"Add this chain ({len(answered)} answers) to the causal tree as a branch",
        key=f"causal:{stored.id}:hybrid",
        on_click=_hybrid,
        args=(stored.id, key),
        help="Hybrid method: the chain becomes one branch; add the other conditions as branches beside it.",
    )


def _hybrid(doc_id: int, key: str) -> None:
    parent_id = st.session_state.get(key)
    try:
        state.doc_edit(doc_id, "Causal tree", lambda doc: causal.five_whys_as_branch(doc, parent_id))
    except causal.TreeError as error:
        st.session_state[f"causal:{doc_id}:error"] = str(error)
    else:
        st.toast("The chain is in the causal tree.")
