"""Step 10: the broader lessons, and where luck rather than design kept things from getting worse."""

import streamlit as st

from components import notes, page

SLUG = "lessons"
stored = page.step(
    SLUG,
    "What should the wider organisation take away: patterns, standards, "
    "runbooks or habits that reach beyond this incident?",
)
notes.editor(stored, "lessons", "Lessons learned", "Lesson")
st.subheader("Where we got lucky")
st.caption("Things that went our way by chance. Each one is a risk that design has not yet covered.")
notes.editor(stored, "where_we_got_lucky", "Where we got lucky", "Lucky break")
page.footer(SLUG, stored)
