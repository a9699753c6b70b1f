"""The sidebar: the navigation (home, every wizard step with how complete its section is, the pages
about all post-mortems), then which post-mortem is open."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

import storage
from components import comments, session
from components.nav import HOME, Link
from components.steps import HOME_BOOKMARK, STEPS, TEAM_PAGES
from exports.escape import md_inline
from postmortem.completeness import Level, SectionState
from storage.access import Permission

# Material icons draw from Streamlit's own font, so they show where no emoji font is installed; each link's
# tooltip says the state in words, so the shape is never the only way to tell.
ICONS = {
    Level.DONE: ":material/check_circle:",
    Level.STARTED: ":material/pending:",
    Level.EMPTY: ":material/radio_button_unchecked:",
}
STATE_WORDS = {Level.DONE: "Complete", Level.STARTED: "Started", Level.EMPTY: "Not started"}
CHECKS_ICON, CHECKS_TIP = ":material/fact_check:", "Checks and sign-off, not a section"
HOME_HEADER, STEPS_HEADER, TEAM_HEADER = "Debrief", "This post-mortem", "Across post-mortems"


def step_links(states: Mapping[str, SectionState] | None, open_threads: Mapping[str, int]) -> list[Link]:
    """Every wizard step, numbered, with its section's state as icon and tooltip. Without an open
    post-mortem (`states` None) the steps are hidden from the list but still answer at their URL."""
    links = []
    for n, step in enumerate(STEPS, start=1):
        state = (states or {}).get(step.section) if step.section else None
        links.append(
            Link(
                step.script,
                title=f"{n}. {step.title}{comments.badge(open_threads, step.slug)}",
                icon=ICONS[state.level] if state else CHECKS_ICON,
                help=f"{STATE_WORDS[state.level]}: {state.hint}" if state else CHECKS_TIP,
                visible=states is not None,
            )
        )
    return links


def team_links(may: Callable[[Permission], bool]) -> list[Link]:
    """The pages about all post-mortems; one the user may not use is not listed (it checks again)."""
    return [
        Link(p.script, title=p.title, icon=p.icon, visible=not p.needs or may(Permission(p.needs)))
        for p in TEAM_PAGES
    ]


def sections(stored: storage.Stored | None) -> dict[str, list[Link]]:
    """What the navigation lists, grouped, for this user and this open post-mortem."""
    states = session.sections(stored) if stored else None
    threads = comments.open_counts(stored) if stored else {}
    return {
        HOME_HEADER: [
            Link(HOME, title="All post-mortems", icon=":material/home:"),
            Link(HOME_BOOKMARK, title="All post-mortems", visible=False),
        ],
        steps_header(stored.doc.header.incident_id if stored else ""): step_links(states, threads),
        TEAM_HEADER: team_links(session.can),
    }


def steps_header(incident_id: str) -> str:
    """The steps are listed under the open post-mortem's identifier (as text: the header is Markdown),
    unless that would merge them into another section."""
    shown = " ".join(incident_id.split())
    return md_inline(shown) if shown and shown not in (HOME_HEADER, TEAM_HEADER) else STEPS_HEADER


def show(stored: storage.Stored | None) -> None:
    """Below the navigation: the open post-mortem's identifier and title, as text."""
    with st.sidebar:
        if stored is None:
            st.caption("Open or start a post-mortem to see its steps.")
            return
        st.caption(f"**{md_inline(stored.doc.header.incident_id)}** · {md_inline(stored.doc.header.title)}")
