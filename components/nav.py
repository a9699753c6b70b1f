"""The app's st.Page objects, built once per session and used by the navigation and every link.

Building a page from a file path resolves the path on disk, and so does a link given a path: with the
sidebar's 20-odd links that cost several milliseconds of every rerun. A Page object carries its script
hash, so a link to it costs nothing more. They are kept per session, not per process: st.navigation
marks the page it is about to run on the object itself, which two sessions must not share.
"""

from __future__ import annotations

import streamlit as st

from components import home
from components.steps import HOME_BOOKMARK, STEPS, TEAM_PAGES

_KEY = "debrief:pages"


def _build() -> dict[str, st.Page]:
    pages = {
        "home": home.page(),
        HOME_BOOKMARK: st.Page(HOME_BOOKMARK, title="All post-mortems", url_path="home", visibility="hidden"),
    }
    pages |= {step.script: st.Page(step.script, title=step.title) for step in STEPS}
    pages |= {p.script: st.Page(p.script, title=p.title, icon=p.icon) for p in TEAM_PAGES}
    return pages


def _pages() -> dict[str, st.Page]:
    if _KEY not in st.session_state:
        st.session_state[_KEY] = _build()
    return st.session_state[_KEY]


def page(script: str) -> st.Page:
    """The page of a script under pages/ (or "home"), as registered with st.navigation."""
    return _pages()[script]


def sections() -> dict[str, list[st.Page]]:
    """What st.navigation gets: every page, grouped."""
    pages = _pages()
    return {
        "Post-mortems": [pages["home"], pages[HOME_BOOKMARK]],
        "Write": [pages[step.script] for step in STEPS],
        "Across post-mortems": [pages[p.script] for p in TEAM_PAGES],
    }
