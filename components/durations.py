"""Anchors found in the timeline and the durations derived from them, against the Sev1 targets."""

from __future__ import annotations

import streamlit as st

import storage
from components import session
from postmortem.models import Anchor
from postmortem.timeline import REQUIRED_ANCHORS, anchor_times, durations, format_duration, times_from_anchors


def _copy_to_header(doc_id: int) -> None:
    session.commit(doc_id, "Key times", lambda doc: doc.model_copy(
        update={"header": doc.header.model_copy(update={"times": times_from_anchors(doc)})}))


def show(stored: storage.Stored) -> None:
    anchors = anchor_times(stored.doc)
    cells = st.columns(4)
    for n, anchor in enumerate(Anchor):
        at = anchors.get(anchor)
        required = " (required)" if anchor in REQUIRED_ANCHORS else ""
        value = f"{at:%d %b %H:%M} UTC" if at else "not marked"
        cells[n % 4].markdown(f"{'✅' if at else '⚪'} **{anchor.value.capitalize()}**{required}  \n{value}")
    st.write("")
    metrics = st.columns(3)
    for column, duration in zip(metrics, durations(stored.doc), strict=True):
        target = f"target {format_duration(duration.target)}" if duration.target else "no target"
        verdict = {True: "within the Sev1 target", False: "over the Sev1 target", None: target}[duration.within_target]
        column.metric(duration.name, format_duration(duration.value), help=duration.help,
                      delta=verdict if duration.within_target is not None else None,
                      delta_color="normal" if duration.within_target else "inverse")
    if times_from_anchors(stored.doc) != stored.doc.header.times:
        st.button("Copy anchor times into the header", on_click=_copy_to_header, args=(stored.id,),
                  help="The header's key times will match the anchors marked in the timeline.")
