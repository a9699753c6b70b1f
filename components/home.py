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
from storage.doclist import HomeFilter, home_count, home_rows

PAGE_SIZE = 25
# Filters and page live in the URL (widgets bound to query parameters), so a reload or a shared link keeps them.
_PAGE = "page"


def page() -> st.Page:
    """Home as a navigation page: the default one, served at the app's root URL. Its url_path is only
    its identity (a default page answers at the root); /home is pages/00_home.py."""
    return st.Page(show, title="All post-mortems", icon=":material/home:", default=True, url_path="all")


def bookmark_page() -> st.Page:
    """Home at /home as well: the default page answers only at the root, and its links used to say /home.
    (Its own url_path must differ: Streamlit tells pages apart by it.)"""
    return st.Page(
        show, title="All post-mortems", icon=":material/home:", url_path="home", visibility="hidden"
    )


def _first_page() -> None:
    # Only when it moves: a page number set through session state makes Streamlit log a warning.
    if st.session_state.get(_PAGE, 1) != 1:
        st.session_state[_PAGE] = 1


def _filters() -> HomeFilter:
    status, severity, mine, overdue = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
    statuses = status.multiselect(
        "Status",
        [s.value for s in DocStatus],
        key="status",
        on_change=_first_page,
        placeholder="Any status",
        bind="query-params",
    )
    severities = severity.multiselect(
        "Severity",
        [s.value for s in Severity],
        key="severity",
        on_change=_first_page,
        placeholder="Any severity",
        bind="query-params",
    )
    only_mine = mine.toggle(
        "Mine",
        key="mine",
        on_change=_first_page,
        bind="query-params",
        help="Post-mortems you started or saved last.",
    )
    only_overdue = overdue.toggle(
        "Overdue",
        key="overdue",
        on_change=_first_page,
        bind="query-params",
        help="Past their deadline and not yet final or published.",
    )
    return HomeFilter(
        tuple(statuses),
        tuple(severities),
        session.user() if only_mine else None,
        overdue_cutoffs(date.today(), config.holiday_country()) if only_overdue else None,
    )


def _to_bin(row: storage.Listed) -> None:
    storage.delete(db=session.db(), doc_id=row.id)
    st.toast(f"{md_inline(row.incident_id)} moved to the bin; restore it below.", icon=":material/delete:")


def _listing(conn: storage.Database) -> None:
    filters = _filters()
    total = home_count(db=conn, filters=filters)
    if not total:
        st.info(
            "No post-mortems match these filters."
            if filters != HomeFilter()
            else "No post-mortems yet. Start one in the **New post-mortem** tab."
        )
        return
    summary, rows, pager = st.empty(), st.container(), st.container()
    pages = -(-total // PAGE_SIZE)
    if st.session_state.get(_PAGE, 1) > pages:  # past the end (documents binned meanwhile): the last page
        st.session_state[_PAGE] = pages
    with pager:
        number = st.pagination(pages, key=_PAGE, bind="query-params") if pages > 1 else 1
    first = (number - 1) * PAGE_SIZE
    listed = home_rows(db=conn, filters=filters, limit=PAGE_SIZE, offset=first)
    summary.caption(
        f"{total} post-mortem{'s' if total != 1 else ''} · showing {first + 1}–{first + len(listed)} "
        f"(page {number} of {pages}) · newest change first. Click a title to open it."
    )
    with rows:
        doclist.show(listed, on_bin=_to_bin, can_edit=lambda doc_id: session.can(Permission.EDIT, doc_id))


def _bin(conn: storage.Database) -> None:
    binned = storage.list_documents(db=conn, deleted=True)
    if binned:
        with st.expander(f"Bin ({len(binned)})", icon=":material/delete:"):
            for row in binned:
                if st.button(
                    f"Restore {md_inline(row.incident_id)} · {md_inline(row.title)}",
                    key=f"home:restore:{row.id}",
                    icon=":material/restore_from_trash:",
                    disabled=not session.can(Permission.EDIT, row.id),
                ):
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
            st.info(
                "Your role (viewer) can read post-mortems but not start them. An admin can make you an "
                "author.",
                icon=":material/visibility:",
            )
