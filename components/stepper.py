"""The progress stepper: every step, its completeness, reachable in one click."""

from __future__ import annotations

import streamlit as st

import storage
from components import nav, session
from components.steps import STEPS, neighbours
from postmortem.completeness import Level


def show(stored: storage.Stored, current: str) -> None:
    """A slim progress line above each step; the sidebar lists every step with its state."""
    states = session.sections(stored)
    done = sum(1 for state in states.values() if state.level is Level.DONE)
    number = [step.slug for step in STEPS].index(current) + 1
    st.progress(
        done / len(states), text=f"Step {number} of {len(STEPS)} · {done} of {len(states)} sections complete"
    )


def back_next(current: str, doc_id: int) -> None:
    """Links, not buttons: a click loads the next step in one run. A button that calls st.switch_page
    first reruns the whole current step (the click is a widget change), then runs the next one."""
    before, after = neighbours(current)
    params = {"doc": str(doc_id)}
    # One row, not three columns: each column is one more element for the browser to draw on every step.
    align = "distribute" if before and after else "right" if after else "left"
    row = st.container(horizontal=True, horizontal_alignment=align)
    if before:
        row.page_link(nav.page(before.script), label=f"← {before.title}", query_params=params)
    if after:
        row.page_link(nav.page(after.script), label=f"{after.title} →", query_params=params)
