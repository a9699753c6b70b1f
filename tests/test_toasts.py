"""A save's toast reaches the author when a fragment widens its rerun to the whole page."""

from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest


def _save_read_again_and_widen() -> None:
    import streamlit as st

    from components import session, toasts

    st.session_state.runs = st.session_state.get("runs", 0) + 1
    if st.session_state.runs == 1:
        toasts.show("Saved · Timeline", icon=":material/check_circle:")
        session.current()  # what the timeline grid's fragment does after its save (components/timeline_table.py)
        toasts.rerun_whole_page()
    toasts.replay()  # as components/shell.start() does at the top of every whole-page run


def test_the_whole_page_run_shows_the_toast_of_the_save_that_asked_for_it(db_path, monkeypatch):
    # The browser drops what a run cut short by st.rerun() had drawn, toasts included; AppTest keeps
    # them. So the test records which run each toast came from.
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    shown: list[tuple[int, str]] = []
    real_toast = st.toast
    monkeypatch.setattr(
        st, "toast", lambda body, **kw: shown.append((st.session_state.runs, body)) or real_toast(body, **kw)
    )
    at = AppTest.from_function(_save_read_again_and_widen, default_timeout=30).run()
    assert not at.exception
    assert shown == [(1, "Saved · Timeline"), (2, "Saved · Timeline")]
    at.run()  # a later run of its own shows it no more
    assert shown[2:] == []
