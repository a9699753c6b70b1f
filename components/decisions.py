"""The three questions for every decision point in the timeline."""

from __future__ import annotations

import streamlit as st

import storage
from components import fields
from exports.escape import md_inline

REVERSIBLE = {"Not recorded": None, "Yes, it could be undone": True, "No, it could not be undone": False}


def show(stored: storage.Stored) -> None:
    points = [(n, e) for n, e in enumerate(stored.doc.timeline) if e.decision is not None]
    if not points:
        st.caption("No decision points yet: tick “Decision point” on a timeline row to add one.")
        return
    for n, event in points:
        with st.expander(f"{event.at:%d %b %H:%M} UTC · {md_inline(event.text[:80])}"):
            base = f"timeline.{n}.decision"
            fields.text_area(stored, f"{base}.options", "Options on the table", height=80)
            fields.text_area(stored, f"{base}.information_available", "Information available at the time",
                             height=80)
            fields.bind(st.radio, stored, f"{base}.reversible", "Could the step be undone?",
                        options=list(REVERSIBLE), horizontal=True,
                        to_widget=lambda v: next(k for k, x in REVERSIBLE.items() if x is v),
                        from_widget=lambda label: REVERSIBLE[label])
