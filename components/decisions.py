"""The three questions for every decision point in the timeline, one decision at a time."""

from __future__ import annotations

import streamlit as st

import storage
from components import fields

REVERSIBLE = {"Not recorded": None, "Yes, it could be undone": True, "No, it could not be undone": False}


def _answered(event) -> int:
    decision = event.decision
    return sum(
        [bool(decision.options), bool(decision.information_available), decision.reversible is not None]
    )


def show(stored: storage.Stored) -> None:
    points = [(n, e) for n, e in enumerate(stored.doc.timeline) if e.decision is not None]
    if not points:
        st.caption("No decision points yet: tick “Decision point” on a timeline row to add one.")
        return
    # One decision's questions at a time, and none until one is chosen: the Timeline's first view is the
    # grid, and every widget drawn below it is paid for by each visit to the step.
    labels = {n: f"{e.at:%d %b %H:%M} UTC · {e.text[:80]} ({_answered(e)}/3 answered)" for n, e in points}
    open_questions = sum(1 for _, e in points if _answered(e) < 3)
    picked = st.selectbox(
        f"Decision points: {len(points)}"
        + (
            f", {open_questions} with questions still open" if open_questions else ", every question answered"
        ),
        list(labels),
        format_func=labels.get,
        key=f"decisions:{stored.id}",
        index=None,
        placeholder="Choose one to answer its three questions",
    )
    if picked is None or picked not in labels:
        return
    base = f"timeline.{picked}.decision"
    fields.text_area(stored, f"{base}.options", "Options on the table", height=80)
    fields.text_area(stored, f"{base}.information_available", "Information available at the time", height=80)
    fields.bind(
        st.radio,
        stored,
        f"{base}.reversible",
        "Could the step be undone?",
        options=list(REVERSIBLE),
        horizontal=True,
        to_widget=lambda v: next(k for k, x in REVERSIBLE.items() if x is v),
        from_widget=lambda label: REVERSIBLE[label],
    )
