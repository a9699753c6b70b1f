"""Open comment threads as a gate before Final, and the incident commander's written override of it
(kept in the audit trail), shown on the Review step."""

from __future__ import annotations

import streamlit as st

import storage
from components import session
from exports.escape import md_inline
from postmortem import review
from storage import comments


def gates(doc_id: int) -> list[review.Gate]:
    """The threads gate, counted now: threads change without a new document version."""
    return [review.threads_gate(comments.blocking_count(db=session.db(), doc_id=doc_id))]


def _override(doc_id: int) -> None:
    key = f"threads-override:{doc_id}"
    try:
        comments.override(db=session.db(), doc_id=doc_id, reason=st.session_state.get(f"{key}:reason", ""))
    except (ValueError, storage.PermissionDenied) as problem:
        st.session_state[f"{key}:error"] = str(problem)
        return
    st.session_state[f"{key}:reason"] = ""
    st.toast("Override recorded in the audit trail.", icon=":material/edit_note:")


def show_override(stored: storage.Stored, final_next: bool) -> None:
    """Under the status buttons: the latest override, and (while Final is next and threads are open)
    the form for the incident commander to let Final go ahead anyway."""
    key, conn = f"threads-override:{stored.id}", session.db()
    last = comments.latest_override(db=conn, doc_id=stored.id)
    if last:
        st.caption(
            f"Open threads overridden by `{last.by}` at {last.at[:16].replace('T', ' ')} UTC: "
            f"{md_inline(last.reason)}"
        )
    blocking = comments.blocking_count(db=conn, doc_id=stored.id)
    if not final_next or not blocking:
        return
    allowed = session.can(storage.Permission.SIGN_OFF, stored.id)
    with st.expander(
        f"Go ahead with {blocking} open thread{'' if blocking == 1 else 's'} (incident commander)"
    ):
        st.text_area("Why Final may go ahead with open questions", key=f"{key}:reason", disabled=not allowed)
        st.button(
            "Record the override",
            key=f"{key}:send",
            on_click=_override,
            args=(stored.id,),
            disabled=not allowed,
            help=None if allowed else "Only the incident commander (a reviewer or admin).",
        )
    error = st.session_state.pop(f"{key}:error", None)
    if error:
        st.error(md_inline(error), icon=":material/block:")
