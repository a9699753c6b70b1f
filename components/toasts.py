"""Toasts of saves, kept for one more run when a fragment has to widen to the whole page.

A toast shown in a run that then calls st.rerun() is dropped from the page before anyone could read
it. The saves record theirs here; a fragment that reruns the whole page hands them to that run.
"""

from __future__ import annotations

import streamlit as st

_SHOWN = "debrief:toasts"  # shown in this run, by a save
_AGAIN = "debrief:toasts-again"  # to show once more: the run that showed them was cut short


def show(text: str, icon: str) -> None:
    st.toast(text, icon=icon)
    st.session_state.setdefault(_SHOWN, []).append((text, icon))


def rerun_whole_page() -> None:
    """From a fragment: draw the whole page again, keeping the toasts this run showed."""
    st.session_state[_AGAIN] = st.session_state.pop(_SHOWN, [])
    st.rerun(scope="app")


def forget() -> None:
    """The toasts this run showed stay on the page; a later rerun need not show them again."""
    st.session_state.pop(_SHOWN, None)


def replay() -> None:
    """At the top of a whole-page run: the toasts a cut-short run could not show."""
    forget()
    for text, icon in st.session_state.pop(_AGAIN, []):
        st.toast(text, icon=icon)
