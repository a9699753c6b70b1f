"""Home: one page of post-mortems at a time, filtered, each opened by its title, and a way to start one.

It is a function, not a file in pages/: Streamlit's older folder-based mode, which runs the first
request after a server start, would otherwise run it under a different page identity (see shell.py).
Filtering, counting and paging happen in SQL (storage.doclist), so Home costs the same at 20,000
documents as at three.
"""

from datetime import date

import streamlit as st

import storage
from components import config, doclist, new_postmortem, session
from exports.escape import md_inline
from postmortem.deadlines import overdue_cutoffs
from postmortem.models import DocStatus, Severity
from storage.access import Permission
from storage.doclist import HomeFilter, home_page

PAGE_SIZE = 25
_PAGE = "home:page"


def page() -> st.Page:
    """Home as a navigation page (the default one)."""
    return st.Page(show, title="All post-mortems", icon=":material/home:", default=True, url_path="home")


def _first_page() -> None:
    st.session_state[_PAGE] = 0


def _filters() -> HomeFilter:
    status, severity, mine, overdue = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
    statuses = status.multiselect("Status", [s.value for s in DocStatus], key="home:status", on_change=_first_page,
                                  placeholder="Any status")
    severities = severity.multiselect("Severity", [s.value for s in Severity], key="home:severity",
                                      on_change=_first_page, placeholder="Any severity")
    only_mine = mine.toggle("Mine", key="home:mine", on_change=_first_page,
                            help="Post-mortems you started or saved last.")
    only_overdue = overdue.toggle("Overdue", key="home:overdue", on_change=_first_page,
                                  help="Past their deadline and not yet final or published.")
    return HomeFilter(tuple(statuses), tuple(severities), session.user() if only_mine else None,
                      overdue_cutoffs(date.today(), config.holiday_country()) if only_overdue else None)


def _to_bin(row: storage.Listed) -> None:
    storage.delete(db=session.db(), doc_id=row.id)
    st.toast(f"{md_inline(row.incident_id)} moved to the bin; restore it below.", icon=":material/delete:")


def _turn(by: int) -> None:
    st.session_state[_PAGE] = max(0, st.session_state.get(_PAGE, 0) + by)


def _pager(total: int) -> None:
    pages = max(1, -(-total // PAGE_SIZE))
    if pages == 1:
        return
    current = st.session_state.get(_PAGE, 0)
    back, where, ahead = st.columns([1, 2, 1], vertical_alignment="center")
    back.button("Newer", icon=":material/chevron_left:", key="home:newer", disabled=current == 0,
                on_click=_turn, args=(-1,))
    where.caption(f"Page {current + 1} of {pages}")
    ahead.button("Older", icon=":material/chevron_right:", icon_position="right", key="home:older",
                 disabled=current >= pages - 1, on_click=_turn, args=(1,))


def _listing(conn: storage.Database) -> None:
    filters = _filters()
    listed = home_page(db=conn, filters=filters, limit=PAGE_SIZE, offset=st.session_state.get(_PAGE, 0) * PAGE_SIZE)
    if listed.total and not listed.rows:  # the page ran past the end (documents binned elsewhere)
        _first_page()
        listed = home_page(db=conn, filters=filters, limit=PAGE_SIZE)
    if not listed.total:
        st.info("No post-mortems match these filters." if filters != HomeFilter() else
                "No post-mortems yet. Start one in the **New post-mortem** tab.")
        return
    first = st.session_state.get(_PAGE, 0) * PAGE_SIZE
    st.caption(f"{listed.total} post-mortem{'s' if listed.total != 1 else ''} · showing {first + 1}–"
               f"{first + len(listed.rows)} · newest change first. Click a title to open it.")
    doclist.show(listed.rows, on_bin=_to_bin, can_edit=lambda doc_id: session.can(Permission.EDIT, doc_id))
    _pager(listed.total)


def _bin(conn: storage.Database) -> None:
    binned = storage.list_documents(db=conn, deleted=True)
    if binned:
        with st.expander(f"Bin ({len(binned)})", icon=":material/delete:"):
            for row in binned:
                if st.button(f"Restore {md_inline(row.incident_id)} · {md_inline(row.title)}",
                             key=f"home:restore:{row.id}", icon=":material/restore_from_trash:",
                             disabled=not session.can(Permission.EDIT, row.id)):
                    storage.undelete(db=conn, doc_id=row.id)
                    st.rerun()


def show() -> None:
    st.title("Post-mortems")
    st.caption("Blameless reviews that teach how the system produced the outcome, with fixes that get built.")
    conn = session.db()
    listing, creating = st.tabs(["All post-mortems", "New post-mortem"])
    with listing:
        _listing(conn)
        _bin(conn)
    with creating:
        if session.can(Permission.EDIT):
            new_postmortem.show()
        else:
            st.info("Your role (viewer) can read post-mortems but not start them. An admin can make you an "
                    "author.", icon=":material/visibility:")
