"""Review: section states, the gates before Final, language findings, the rubric, the Allspaw test,
the status workflow and the audit trail."""

import streamlit as st

from components import (
    exports,
    history,
    icons,
    markdown_view,
    page,
    review_findings,
    review_meeting,
    review_workflow,
    session,
)
from components.sidebar import ICONS as STATE_ICONS
from components.steps import STEPS

SLUG = "review"
stored = page.step(
    SLUG,
    "Each section's state at a glance, what stands between this draft and Final, "
    "and the sign-off. Open a step to fill what is missing.",
)
review_meeting.show_guidance(stored)
states = session.sections(stored)
for step in STEPS:
    if step.section is None:
        continue
    state = states[step.section]
    left, right = st.columns([1, 3])
    left.page_link(
        step.script, label=step.title, icon=STATE_ICONS[state.level], query_params={"doc": str(stored.id)}
    )
    right.write(state.hint)
with st.expander("Read the whole document, formatted as the exports show it", icon=icons.READ):
    markdown_view.show(exports.cached_render(stored, "team", "md").decode("utf-8"))

gates = review_workflow.gates_for(stored)
st.subheader("Status and sign-off")
review_workflow.show_status(stored, gates)
st.subheader("Gates before Final")
review_workflow.show_gates(stored, gates)
st.subheader("Blameless language")
review_findings.show(stored)
st.subheader("Allspaw test")
review_workflow.show_allspaw(stored)
st.subheader("Review rubric")
review_workflow.show_rubric(stored, gates)
st.subheader("Review meeting")
review_meeting.show(stored)
st.subheader("Audit trail")
review_workflow.show_trail(stored)

st.subheader("History")
history.show(stored)
page.footer(SLUG, stored)
