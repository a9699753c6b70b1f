"""Anchors found in the timeline, the times only the author knows, and the durations derived from them.

Times that contradict each other never raise here: each conflict is shown at the time that causes it,
with what to change and a button that changes it.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

import storage
from components import disclosure, fields, session
from postmortem.models import Anchor
from postmortem.timeline import (
    REQUIRED_ANCHORS,
    TIME_LABELS,
    anchor_conflicts,
    anchor_times,
    durations,
    fix_for,
    format_duration,
    spans,
    times_from_anchors,
    title_with_recorded_duration,
    with_time,
    written_durations,
)


def _copy_to_header(doc_id: int) -> None:
    session.commit(
        doc_id,
        "Key times",
        lambda doc: doc.model_copy(
            update={"header": doc.header.model_copy(update={"times": times_from_anchors(doc)})}
        ),
    )


def _set_time(doc_id: int, field: str, at: datetime) -> None:
    session.commit(doc_id, TIME_LABELS[field], lambda doc: with_time(doc, field, at))


def _fix_title(doc_id: int) -> None:
    def change(doc):
        title = title_with_recorded_duration(doc)
        return (
            doc
            if title is None
            else doc.model_copy(update={"header": doc.header.model_copy(update={"title": title})})
        )

    session.commit(doc_id, "Title", change)


def _written(stored: storage.Stored) -> None:
    """Lengths written in the title or summary that the recorded times contradict, with a fix for the title."""
    for found in written_durations(stored.doc):
        st.warning(found.message, icon=":material/timer:")
    fixed = title_with_recorded_duration(stored.doc)
    if fixed and not session.read_only(stored):
        st.button(
            f"Change the title to: {fixed}",
            key=f"titlefix:{stored.id}",
            on_click=_fix_title,
            args=(stored.id,),
            help="The recorded times are right and the title is not.",
        )
        fields.show_errors(stored.id, "Title")


def _anchor_table(stored: storage.Stored) -> None:
    """The ten anchors in time order, read left to right: one element (a table), not a column each."""
    anchors = anchor_times(stored.doc)
    cells = []
    for anchor in Anchor:
        at = anchors.get(anchor)
        icon = ":material/check_circle:" if at else ":material/radio_button_unchecked:"
        required = " *(required)*" if anchor in REQUIRED_ANCHORS else ""
        cells.append(
            f"{icon} **{anchor.value.capitalize()}**{required} | {f'{at:%d %b %H:%M}' if at else 'not marked'}"
        )
    rows = ["| Anchor | Time (UTC) | Anchor | Time (UTC) |", "|---|---|---|---|"]
    rows += [f"| {left} | {right} |" for left, right in zip(cells[::2], cells[1::2], strict=True)]
    st.markdown("\n".join(rows))


def _author_times(stored: storage.Stored) -> None:
    """Times a timeline row rarely marks: when customers were first affected, and full unavailability.
    Folded (drawn only when opened); its label says what is set."""
    times = stored.doc.header.times
    began = f"{times.impact_started_at:%d %b %H:%M} UTC" if times.impact_started_at else "not set"
    box = disclosure.expander(
        f"Customer impact began ({began}), full unavailability, approximate times",
        key=f"durations:{stored.id}:more-open",
        icon=":material/more_time:",
    )
    if box is None:
        fields.show_errors(stored.id, "Key times")
        return
    with box:
        _author_time_fields(stored)


def _author_time_fields(stored: storage.Stored) -> None:
    left, middle, right = st.columns(3)
    with left:
        fields.utc_datetime(
            stored,
            "header.times.impact_started_at",
            TIME_LABELS["impact_started_at"],
            help="The first moment a customer was affected; often later than the trigger. "
            "The public report's window and the customer impact duration start here.",
        )
    with middle:
        fields.utc_datetime(
            stored,
            "header.times.unavailable_from",
            TIME_LABELS["unavailable_from"],
            help="Optional: only if the service was not available at all for a while.",
        )
    with right:
        fields.utc_datetime(stored, "header.times.unavailable_to", TIME_LABELS["unavailable_to"])
    fields.bind(
        st.multiselect,
        stored,
        "header.times.approximate",
        "Times known only roughly",
        options=list(TIME_LABELS),
        format_func=TIME_LABELS.get,
        help="Every document shows these as 'about 17:30'.",
    )
    fields.show_errors(stored.id, "Key times")


def _conflicts(stored: storage.Stored) -> bool:
    """Each pair of times out of order, with a button that moves the later one; True when there are any."""
    found = anchor_conflicts(stored.doc)
    for n, conflict in enumerate(found):
        st.error(conflict.advice, icon=":material/schedule:")
        fix = fix_for(stored.doc, conflict)
        if fix is None:
            st.caption(
                "Both times come from timeline rows marked as anchors: change the time of one of those rows."
            )
        elif not session.read_only(stored):
            field, at = fix
            st.button(
                f"Set {TIME_LABELS[field]} to {at:%d %b %H:%M} UTC",
                key=f"timefix:{stored.id}:{n}",
                on_click=_set_time,
                args=(stored.id, field, at),
            )
            fields.show_errors(stored.id, TIME_LABELS[field])
    return bool(found)


def show(stored: storage.Stored) -> None:
    _anchor_table(stored)
    _author_times(stored)
    severity = stored.doc.header.severity
    # One row, not four columns: each column is one more element the browser draws on every visit.
    row = st.container(horizontal=True, horizontal_alignment="distribute")
    for duration in durations(stored.doc):
        target = f"target {format_duration(duration.target)}" if duration.target else "no target"
        verdict = {True: f"within the {severity} target", False: f"over the {severity} target", None: target}[
            duration.within_target
        ]
        row.metric(
            duration.name,
            format_duration(duration.value),
            help=duration.help,
            delta=verdict if duration.within_target is not None else None,
            delta_color="normal" if duration.within_target else "inverse",
        )
    row.metric(
        "Customer impact",
        format_duration(spans(stored.doc).impact),
        help="From customer impact began to customer impact ended.",
    )
    if _conflicts(stored):
        return
    _written(stored)
    if times_from_anchors(stored.doc) != stored.doc.header.times:
        st.button(
            "Copy anchor times into the header",
            on_click=_copy_to_header,
            args=(stored.id,),
            help="The header's key times will match the anchors marked in the timeline.",
        )
