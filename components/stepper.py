"""The progress stepper: every step, its completeness, reachable in one click."""

from __future__ import annotations

import streamlit as st

from components.steps import STEPS, Step, neighbours
from postmortem.completeness import Level, SectionState, all_sections
from postmortem.models import PostMortem

ICONS = {Level.DONE: "✅", Level.STARTED: "🟡", Level.EMPTY: "⚪"}


def _icon(step: Step, states: dict[str, SectionState]) -> str:
    return ICONS[states[step.section].level] if step.section else "📋"


def show(doc: PostMortem, current: str, doc_id: int) -> None:
    states = all_sections(doc)
    done = sum(1 for state in states.values() if state.level is Level.DONE)
    st.progress(done / len(states), text=f"{done} of {len(states)} sections complete")
    with st.container(horizontal=True, gap="small"):
        for n, step in enumerate(STEPS, start=1):
            label = f"{n}. {step.title}" if step.slug != current else f"**{n}. {step.title}**"
            hint = states[step.section].hint if step.section else None
            st.page_link(step.script, label=label, icon=_icon(step, states), help=hint,
                         query_params={"doc": str(doc_id)})


def back_next(current: str, doc_id: int) -> None:
    before, after = neighbours(current)
    params = {"doc": str(doc_id)}
    left, _, right = st.columns([1, 3, 1])
    if before and left.button(f"← {before.title}", key=f"back:{current}", width="stretch"):
        st.switch_page(before.script, query_params=params)
    if after and right.button(f"{after.title} →", key=f"next:{current}", type="primary", width="stretch"):
        st.switch_page(after.script, query_params=params)
