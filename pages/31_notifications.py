"""My notifications: which notices the signed-in user gets from `debrief notify`, and how."""

import streamlit as st

from components import notify_prefs, session, shell

shell.ensure()
st.title("My notifications")
st.caption(
    "Debrief tells people when they are mentioned, asked to review, near a deadline or owning action "
    "items due this week. Choose what reaches you and how."
)
identity = session.user()
st.markdown(f"Preferences of `{identity.replace('`', chr(39))}`")
notify_prefs.form(identity, "my-prefs")
