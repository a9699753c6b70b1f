"""The sidebar: the list of post-mortems, then every wizard step with how complete its section is."""

from __future__ import annotations

import streamlit as st

import storage
from components import comments, nav, session
from components.steps import STEPS, TEAM_PAGES
from exports.escape import md_inline
from postmortem.completeness import Level
from storage.access import Permission

# Material icons draw from Streamlit's own font, so they show where no emoji font is installed; each link's
# tooltip says the state in words, so the shape is never the only way to tell.
ICONS = {
    Level.DONE: ":material/check_circle:",
    Level.STARTED: ":material/pending:",
    Level.EMPTY: ":material/radio_button_unchecked:",
}
STATE_WORDS = {Level.DONE: "Complete", Level.STARTED: "Started", Level.EMPTY: "Not started"}


def show(stored: storage.Stored | None) -> None:
    with st.sidebar:
        st.markdown("### :material/edit_note: Debrief")
        st.page_link(nav.page("home"), label="All post-mortems", icon=":material/home:")
        for team_page in TEAM_PAGES:
            if not team_page.needs or session.can(Permission(team_page.needs)):
                st.page_link(nav.page(team_page.script))
        if stored is None:
            st.caption("Open or start a post-mortem to see its steps.")
            return
        st.caption(f"**{md_inline(stored.doc.header.incident_id)}** · {md_inline(stored.doc.header.title)}")
        states = session.sections(stored)
        params = {"doc": str(stored.id)}
        open_threads = comments.open_counts(stored)
        for n, step in enumerate(STEPS, start=1):
            state = states.get(step.section) if step.section else None
            icon = ICONS[state.level] if state else ":material/fact_check:"
            tip = (
                f"{STATE_WORDS[state.level]}: {state.hint}" if state else "Checks and sign-off, not a section"
            )
            st.page_link(
                nav.page(step.script),
                label=f"{n}. {step.title}{comments.badge(open_threads, step.slug)}",
                icon=icon,
                help=tip,
                query_params=params,
            )
