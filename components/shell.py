"""The app's frame: page config, navigation, the open document and the sidebar.

app.py runs it on every rerun. A page script runs it itself when Streamlit started that page
without app.py: with a `pages/` folder beside app.py, the first run after a server start follows
the folder's file names (Streamlit's older multipage mode) until st.navigation is called once.
Page files are therefore named so both modes give the same URL (01_header.py → /header).
"""

from __future__ import annotations

import gc

import streamlit as st

from components import auth, db_check, errors, nav, session, sidebar, toasts

_RAN = "debrief:shell-ran"
_runs_before_freeze = 2  # the first run imports the page's modules after start(); freeze after it


def _freeze_startup_heap() -> None:
    """Once per process, after the first run has imported what a page needs: move the objects alive now
    (modules, classes, Streamlit's runtime) out of the collector's sight. The server runs without
    Streamlit's collection after each run (.streamlit/config.toml), so Python's own full collections
    are what remains; they then walk only what later runs made instead of the whole heap (a full
    collection of the whole heap took 30-60 ms when Streamlit ran one after every run)."""
    global _runs_before_freeze
    if _runs_before_freeze > 0:
        _runs_before_freeze -= 1
        if _runs_before_freeze == 0:
            gc.freeze()


def start() -> st.navigation:
    """Draw the frame and return the page that the URL asks for."""
    # The tab's icon stays an emoji: Streamlit draws an emoji favicon itself, but fetches a Material one
    # from Google's font servers, which a closed network cannot reach (and need not be told about).
    st.set_page_config(page_title="Debrief", page_icon="📝", layout="wide")
    db_check.ensure_usable()  # a database from a newer Debrief is refused before anything writes to it
    auth.gate()  # stops here with a sign-in or refusal page for anyone not signed in
    session.remember_requested_doc()
    # Here, not in session.current(): a fragment reads the document again after its save, and a replay
    # there would forget the save's toast before the whole-page run it asks for could show it.
    toasts.replay()
    stored = session.current()
    page = nav.navigation(sidebar.sections(stored))
    sidebar.show(stored)
    auth.sidebar_identity()
    st.session_state[_RAN] = True
    _freeze_startup_heap()
    return page


def ensure() -> None:
    """Called first by every page. If app.py did not run (the folder mode's first request), switch
    to st.navigation and run again: widgets drawn in this run would get other ids than in every later
    run, and the browser would show them empty after the first change."""
    if not st.session_state.pop(_RAN, False):
        with errors.shown():  # this run has no app.py around it to show a setting that cannot be used
            start()
            st.rerun()
        st.stop()  # start() raised an error meant for the user, and it is on the page
