"""Review: how complete each section is, with a link to fix each gap, and the document's history."""

import streamlit as st

from components import history, page, review_findings
from components.steps import STEPS
from postmortem.completeness import Level, all_sections

SLUG = "review"
stored = page.step(SLUG, "Each section's state at a glance. Open a step to fill what is missing.")
states = all_sections(stored.doc)
for step in STEPS:
    if step.section is None:
        continue
    state = states[step.section]
    icon = {Level.DONE: "✅", Level.STARTED: "🟡", Level.EMPTY: "⚪"}[state.level]
    left, right = st.columns([1, 3])
    left.page_link(step.script, label=step.title, icon=icon, query_params={"doc": str(stored.id)})
    right.write(state.hint)

st.subheader("Blameless language")
review_findings.show(stored)

st.subheader("History")
history.show(stored)
page.footer(SLUG, stored)
