"""Action items across every post-mortem: filter them, change a status, review them weekly, export them."""

import streamlit as st

from components import session, shell, tracker_filters, tracker_views

shell.ensure()
st.title("Action items")
st.caption(
    "Every post-mortem's action items in one place: a post-mortem teaches only as much as its "
    "fixes get built."
)
conn = session.db()
filters, sort = tracker_filters.show(conn)
total = tracker_views.counts(conn, filters)
view = (
    st.segmented_control(
        "View",
        tracker_views.VIEWS,
        default=tracker_views.VIEWS[0],
        key="tracker:view",
        label_visibility="collapsed",
    )
    or tracker_views.VIEWS[0]
)
if view == "Weekly review":
    tracker_views.weekly_review(conn, filters)
elif view == "Needs attention":
    tracker_views.needs_attention(conn, filters)
else:
    tracker_views.all_items(conn, filters, sort, total)
st.divider()
tracker_views.csv_download(filters, sort)
