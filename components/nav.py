"""The app's st.Page objects and the sidebar navigation Streamlit draws from them.

Streamlit's own navigation draws the sidebar's links as one component. The sidebar used to draw them
with st.page_link, an element per link: with 23 links that was about 25 ms of the browser's work on
every step change (measured in Chromium, bench/README.md).

Pages are kept per session, not per process: st.navigation marks the page it is about to run on the
object itself, which two sessions must not share. Building a page from a file path resolves the path
on disk, so a page is rebuilt only when what the sidebar shows of it (title, icon, tooltip, shown or
hidden) changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components import home
from components.steps import HOME_BOOKMARK

PAGES_KEY = "debrief:pages"
HOME = "home"


@dataclass(frozen=True)
class Link:
    """One page as the sidebar lists it. A hidden page is still served at its URL; the page itself
    decides what its visitor may see."""

    script: str  # a path under pages/, or HOME
    title: str
    icon: str | None = None
    help: str | None = None
    visible: bool = True


def _build(link: Link) -> st.Page:
    visibility = "visible" if link.visible else "hidden"
    if link.script == HOME:
        return home.page()
    if link.script == HOME_BOOKMARK:
        return st.Page(HOME_BOOKMARK, title=link.title, url_path="home", visibility="hidden")
    return st.Page(link.script, title=link.title, icon=link.icon, help=link.help, visibility=visibility)


def _pages() -> dict[str, tuple[Link, st.Page]]:
    return st.session_state.setdefault(PAGES_KEY, {})


def _page_for(link: Link) -> st.Page:
    pages = _pages()
    known = pages.get(link.script)
    if known is None or known[0] != link:
        pages[link.script] = known = (link, _build(link))
    return known[1]


def page(script: str) -> st.Page:
    """The page of a script under pages/ (or HOME), for links and st.switch_page. Streamlit tells pages
    apart by their URL, so any version of it serves."""
    known = _pages().get(script)
    return known[1] if known else _page_for(Link(script, title=script))


def navigation(sections: dict[str, list[Link]]):
    """st.navigation over these sections, drawn in the sidebar; returns the page the URL asks for."""
    pages = {header: [_page_for(link) for link in links] for header, links in sections.items()}
    return st.navigation(pages, position="sidebar", expanded=True)
