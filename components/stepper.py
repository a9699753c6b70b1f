"""The progress stepper: every step, its completeness, reachable in one click."""

from __future__ import annotations

import streamlit as st

import storage
from components import session
from components.steps import STEPS, neighbours
from postmortem.completeness import Level


def show(stored: storage.Stored, current: str) -> None:
    """A slim progress line above each step; the sidebar lists every step with its state."""
    states = session.sections(stored)
    done = sum(1 for state in states.values() if state.level is Level.DONE)
    number = [step.slug for step in STEPS].index(current) + 1
    st.progress(done / len(states), text=f"Step {number} of {len(STEPS)} · {done} of {len(states)} sections complete")


def back_next(current: str, doc_id: int) -> None:
    before, after = neighbours(current)
    params = {"doc": str(doc_id)}
    left, _, right = st.columns([1, 3, 1])
    if before and left.button(f"← {before.title}", key=f"back:{current}", width="stretch"):
        st.switch_page(before.script, query_params=params)
    if after and right.button(f"{after.title} →", key=f"next:{current}", type="primary", width="stretch"):
        st.switch_page(after.script, query_params=params)
