"""Which root-cause method fits this incident, with the reasons, and the method recorded."""

from __future__ import annotations

import streamlit as st

import storage
from components import fields
from postmortem.models import RcaMethod
from postmortem.severity import recommend_method


def show(stored: storage.Stored) -> None:
    doc = stored.doc
    with st.expander("Which method fits?", expanded=doc.root_cause.method is None):
        left, right = st.columns(2)
        short = left.checkbox("Less than 30 minutes for the analysis", key=f"method:{stored.id}:short")
        recurring = left.checkbox(
            "This kind of failure has happened before", key=f"method:{stored.id}:recurring"
        )
        broad = right.checkbox(
            "Executives or several teams will read it",
            key=f"method:{stored.id}:broad",
            value=doc.header.severity.rank <= 1,
        )
        several = len(doc.contributing_factors) > 1 or None
        advice = recommend_method(doc.header.severity, recurring, several, short, broad)
        right.markdown(f"**Suggested: {advice.method.value}**")
        for reason in advice.reasons:
            st.markdown(f"- {reason}")
    fields.selectbox(
        stored,
        "root_cause.method",
        "Method used",
        [m.value for m in RcaMethod],
        placeholder="Choose a method",
    )
    if doc.root_cause.method is None:
        st.caption(f"Not chosen yet; the suggestion is {advice.method.value}.")
