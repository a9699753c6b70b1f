"""Which root-cause method fits this incident, with the reasons, and the method recorded."""

from __future__ import annotations

import streamlit as st

import storage
from components import disclosure, fields
from postmortem.models import RcaMethod
from postmortem.severity import recommend_method

_LEFT = {
    "short": "Less than 30 minutes for the analysis",
    "recurring": "This kind of failure has happened before",
}
_RIGHT = {"broad": "Executives or several teams will read it"}


def _key(doc_id: int, name: str) -> str:
    return f"method:{doc_id}:{name}"


def _keep(doc_id: int, name: str) -> None:
    # The answers outlive the folded questions: Streamlit forgets a widget's value once it is not drawn.
    st.session_state[_key(doc_id, f"{name}:kept")] = st.session_state[_key(doc_id, name)]


def _questions(doc_id: int, answers: dict[str, bool]) -> None:
    for column, questions in zip(st.columns(2), (_LEFT, _RIGHT), strict=True):
        for name, label in questions.items():
            column.checkbox(
                label, value=answers[name], key=_key(doc_id, name), on_change=_keep, args=(doc_id, name)
            )


def show(stored: storage.Stored) -> None:
    doc = stored.doc
    defaults = {"short": False, "recurring": False, "broad": doc.header.severity.rank <= 1}
    answers = {name: st.session_state.get(_key(stored.id, f"{name}:kept"), d) for name, d in defaults.items()}
    several = len(doc.contributing_factors) > 1 or None
    advice = recommend_method(
        doc.header.severity, answers["recurring"], several, answers["short"], answers["broad"]
    )
    # Drawn only while open: folded, the questions and reasons are one element instead of a dozen.
    # Folded at first, even with no method chosen: the caption under "Method used" says the suggestion.
    # (An expander that starts open reports its state on its first draw, in the same batch of widget
    # updates as whatever the author clicks next inside the tree's fragment.)
    box = disclosure.expander("Which method fits?", key=_key(stored.id, "open"))
    if box is not None:
        with box:
            _questions(stored.id, answers)
            reasons = "\n".join(f"- {reason}" for reason in advice.reasons)
            st.markdown(f"**Suggested: {advice.method.value}**\n\n{reasons}")
    fields.selectbox(
        stored,
        "root_cause.method",
        "Method used",
        [m.value for m in RcaMethod],
        placeholder="Choose a method",
    )
    if doc.root_cause.method is None:
        st.caption(f"Not chosen yet; the suggestion is {advice.method.value}.")
