"""The review meeting on the Review step: a date inside the deadline, its agenda and invitation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

import storage
from components import config, icons
from exports.agenda import DEFAULT_HOUR, LENGTHS, agenda_ics, agenda_markdown, meeting_day
from postmortem import review
from postmortem.severity import deadline_for


def show_guidance(stored: storage.Stored) -> None:
    for item in review.guidance(stored.doc, today=date.today(), country=config.holiday_country()):
        st.warning(item.message, icon=icons.GUIDE)


def show(stored: storage.Stored) -> None:
    doc, key = stored.doc, f"meeting:{stored.id}"
    deadline = deadline_for(doc, config.holiday_country())
    today = date.today()
    suggested = meeting_day(deadline, today)
    left, middle, right = st.columns(3)
    day = left.date_input(
        "Day",
        value=suggested,
        min_value=min(today, suggested),
        max_value=deadline if deadline and deadline >= today else None,
        key=f"{key}:day",
    )
    at = middle.time_input("Start (UTC)", value=DEFAULT_HOUR.replace(tzinfo=None), key=f"{key}:time")
    length = right.selectbox("Length (minutes)", LENGTHS, key=f"{key}:length")
    start = datetime.combine(day, at, tzinfo=UTC)
    if deadline:
        st.caption(
            f"Due {deadline:%a %d %b %Y}; the meeting is dated inside the deadline."
            if deadline >= today
            else f"The deadline ({deadline:%d %b %Y}) has passed; meet as soon as you can."
        )
    name = doc.header.incident_id
    a, b = st.columns(2)
    # Built when pressed (a callable), not on every rerun: a long document's agenda lists every action.
    a.download_button(
        "Agenda (Markdown)",
        lambda: agenda_markdown(doc, start, length),
        f"{name}-review-agenda.md",
        "text/markdown",
        key=f"{key}:md",
        on_click="ignore",
    )
    b.download_button(
        "Invitation (.ics)",
        lambda: agenda_ics(doc, start, length),
        f"{name}-review.ics",
        "text/calendar",
        key=f"{key}:ics",
        on_click="ignore",
    )
