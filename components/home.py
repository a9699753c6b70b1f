"""Home: every post-mortem with its deadline, a way to open one, and a way to start one.

It is a function, not a file in pages/: Streamlit's older folder-based mode, which runs the first
request after a server start, would otherwise run it under a different page identity (see shell.py).
"""

import streamlit as st

import storage
from components import doclist, new_postmortem, session
from components.steps import STEPS
from exports.escape import md_inline
from storage.access import Permission


def page() -> st.Page:
    """Home as a navigation page (the default one)."""
    return st.Page(show, title="All post-mortems", icon="🏠", default=True, url_path="home")


def show() -> None:
    st.title("Post-mortems")
    st.caption("Blameless reviews that teach how the system produced the outcome, with fixes that get built.")

    conn = session.db()
    rows = storage.list_documents(db=conn)
    listing, creating = st.tabs(["All post-mortems", "New post-mortem"])

    with listing:
        if not rows:
            st.info("No post-mortems yet. Start one in the **New post-mortem** tab.")
        else:
            st.caption("Tick a row to open it or move it to the bin.")
        picked = doclist.show(rows, key="home:list") if rows else None
        if picked:
            left, right = st.columns([1, 1])
            if left.button(f"Open {picked.incident_id}", type="primary", key="home:open"):
                session.open_doc(picked.id)
                st.switch_page(STEPS[0].script, query_params={"doc": str(picked.id)})
            if right.button(f"Move {md_inline(picked.incident_id)} to the bin", key="home:delete",
                            disabled=not session.can(Permission.EDIT, picked.id)):
                storage.delete(db=conn, doc_id=picked.id)
                st.toast(f"{md_inline(picked.incident_id)} moved to the bin; restore it below.", icon="🗑️")
                st.rerun()
        binned = storage.list_documents(db=conn, deleted=True)
        if binned:
            with st.expander(f"Bin ({len(binned)})"):
                for row in binned:
                    if st.button(f"Restore {md_inline(row.incident_id)} · {md_inline(row.title)}", key=f"home:restore:{row.id}",
                                 disabled=not session.can(Permission.EDIT, row.id)):
                        storage.undelete(db=conn, doc_id=row.id)
                        st.rerun()

    with creating:
        if session.can(Permission.EDIT):
            new_postmortem.show()
        else:
            st.info("Your role (viewer) can read post-mortems but not start them. An admin can make you an "
                    "author.", icon="👀")
