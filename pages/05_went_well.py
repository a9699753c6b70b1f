"""Step 5: what went well, drawn out by prompts in eight groups."""

import streamlit as st

from components import notes, page, went_well_prompts
from postmortem.prompts import WENT_WELL_PROMPTS

SLUG = "went-well"
stored = page.step(
    SLUG,
    "What limited the damage, sped up recovery or is worth repeating elsewhere? "
    "Concrete entries teach most: name the minutes saved and the numbers.",
)
count = len(stored.doc.went_well)
if count == 0:
    st.warning("Nothing recorded yet. At least one entry is required before the document can be final.")
elif count < 3:
    st.info(f"{count} recorded. Three or more make a fuller picture; five to seven is ideal.")
else:
    st.success(f"{count} recorded.")

notes.editor(stored, "went_well", "What went well", "What went well", groups=list(WENT_WELL_PROMPTS))

st.subheader("Prompts")
st.caption(
    "Click a question that brings something to mind: it opens a row to answer, added with its group. "
    "Avoid vague praise and praising that something did not happen."
)
went_well_prompts.show(stored, WENT_WELL_PROMPTS)
page.footer(SLUG, stored)
