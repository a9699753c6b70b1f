"""Step 5: what went well, drawn out by prompts in eight groups."""

import streamlit as st

from components import notes, page
from postmortem.prompts import WENT_WELL_PROMPTS

SLUG = "went-well"
stored = page.step(SLUG, "What limited the damage, sped up recovery or is worth repeating elsewhere? "
                   "Concrete entries teach most: name the minutes saved and the numbers.")
count = len(stored.doc.went_well)
if count == 0:
    st.warning("Nothing recorded yet. At least one entry is required before the document can be final.")
elif count < 3:
    st.info(f"{count} recorded. Three or more make a fuller picture; five to seven is ideal.")
else:
    st.success(f"{count} recorded.")

notes.editor(stored, "went_well", "What went well", "What went well", groups=list(WENT_WELL_PROMPTS))

st.subheader("Prompts")
st.caption("Skim the groups; each question that brings something to mind deserves a row above. "
           "Avoid vague praise and praising that something did not happen.")
columns = st.columns(2)
for n, (group, prompts) in enumerate(WENT_WELL_PROMPTS.items()):
    with columns[n % 2].expander(f"{group} ({len(prompts)})"):
        for prompt in prompts:
            st.markdown(f"- {prompt}")
page.footer(SLUG, stored)
