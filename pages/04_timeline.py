"""Step 4: the timeline, its anchors and durations, decision points, and the interview worksheet."""

import streamlit as st

from components import attachments, chat_import, decisions, durations, interviews, page, timeline_table
from postmortem.review import is_read_only

SLUG = "timeline"
stored = page.step(
    SLUG,
    "Reconstruct what happened minute by minute, in UTC, from logs, chat and "
    "interviews. Mark the key moments as anchors, and the moments when someone had to choose.",
)
chat_import.show(stored, read_only=is_read_only(stored.doc))
timeline_table.show(stored)
st.subheader("Anchors and durations")
durations.show(stored)
st.subheader("Decision points")
decisions.show(stored)
st.subheader("Interviews")
interviews.show(stored)
attachments.panel(stored, "timeline")
page.footer(SLUG, stored)
