"""The admin page's panels: users and roles, who may see which post-mortem, the whole audit trail.
Storage checks the admin role again on every call; these panels only decide what to draw."""

from __future__ import annotations

import streamlit as st

import storage
from components import review_workflow, session
from exports.escape import md_inline
from storage import audit, users
from storage.access import Permission, Role

ROLE_HELP = (
    "viewer: reads post-mortems that are not restricted · author: also starts post-mortems and edits "
    "their own and those shared with them · reviewer (incident commander): also signs off and sees "
    "names on every post-mortem · admin: everything, including this page"
)


def allowed() -> bool:
    return session.can(Permission.ADMIN)


def refusal() -> None:
    st.info(
        "This page is for admins: users, roles, who sees which post-mortem, the audit trail and backups. "
        "Ask an admin of this Debrief instance if you need one of these.",
        icon=":material/shield:",
    )


def _run(action, success: str, **kwargs) -> None:
    """One admin change; a refusal or a bad request is one line on the page, nothing half done."""
    try:
        action(db=session.db(), **kwargs)
    except (storage.PermissionDenied, storage.NotFoundError, ValueError) as error:
        st.session_state["admin:error"] = str(error)
        return
    st.session_state.pop("admin:error", None)
    st.toast(success, icon=":material/check_circle:")


def _show_error() -> None:
    error = st.session_state.pop("admin:error", None)
    if error:
        st.error(error, icon=":material/block:")


def users_panel() -> None:
    _show_error()
    people = users.list_users(db=session.db())
    if not people:
        st.caption(
            "Without sign-in (DEBRIEF_AUTH=none) everyone is the local admin. With sign-in, people appear "
            "here after they first sign in."
        )
        return
    st.dataframe(
        [
            {
                "Identity": u.identity,
                "Name": u.name,
                "Role": u.role,
                "Since (UTC)": u.created_at[:16].replace("T", " "),
                "Access": "switched off" if u.disabled else "on",
            }
            for u in people
        ],
        hide_index=True,
        placeholder="",
    )
    st.caption(ROLE_HELP)
    identities = [u.identity for u in people]
    with st.form("admin:role", border=True):
        left, right = st.columns(2)
        who = left.selectbox("User", identities, key="admin:role:user")
        role = right.selectbox("New role", [r.value for r in Role], key="admin:role:role")
        if st.form_submit_button("Change the role", type="primary"):
            _run(users.set_role, f"{who} is now {role}.", identity=who, role=role)
            st.rerun()
    with st.form("admin:access", border=True):
        who = st.selectbox("User", identities, key="admin:access:user")
        left, right = st.columns(2)
        if left.form_submit_button("Switch access off"):
            _run(users.set_disabled, f"Access switched off for {who}.", identity=who, disabled=True)
            st.rerun()
        if right.form_submit_button("Switch access on"):
            _run(users.set_disabled, f"Access switched on for {who}.", identity=who, disabled=False)
            st.rerun()


def documents_panel() -> None:
    _show_error()
    conn = session.db()
    docs = storage.list_documents(db=conn)
    if not docs:
        st.caption("No post-mortems yet.")
        return
    labels = {d.id: f"{d.incident_id} · {d.title}" for d in docs}
    doc_id = st.selectbox("Post-mortem", list(labels), format_func=labels.get, key="admin:doc")
    owner, restricted = users.access_of(db=conn, doc_id=doc_id)
    shared = users.shares(db=conn, doc_id=doc_id)
    st.markdown(
        f"Owner: **{md_inline(owner or '–')}** · "
        f"{':material/lock: restricted' if restricted else 'visible to every signed-in user'} · "
        f"shared with: {md_inline(', '.join(shared)) if shared else 'nobody'}"
    )
    label = (
        "Make it visible to everyone"
        if restricted
        else "Restrict it (owner, shares, reviewers and admins only)"
    )
    if st.button(label, key=f"admin:restrict:{doc_id}"):
        _run(users.set_restricted, "Saved.", doc_id=doc_id, restricted=not restricted)
        st.rerun()
    others = [
        u.identity for u in users.list_users(db=conn) if u.identity not in shared and u.identity != owner
    ]
    with st.form(f"admin:share:{doc_id}", border=True):
        who = st.selectbox(
            "Share with",
            others,
            key=f"admin:share:user:{doc_id}",
            help="They can see it even when restricted, and edit it if their role is author or above.",
        )
        if st.form_submit_button("Share", disabled=not others):
            _run(users.share, f"Shared with {who}.", doc_id=doc_id, identity=who)
            st.rerun()
    for identity in shared:
        if st.button(f"Stop sharing with {identity}", key=f"admin:unshare:{doc_id}:{identity}"):
            _run(users.unshare, f"No longer shared with {identity}.", doc_id=doc_id, identity=identity)
            st.rerun()


def trail_panel() -> None:
    conn = session.db()
    left, middle, right = st.columns(3)
    action = left.selectbox("What", ["(all)", *audit.actions(db=conn)], key="admin:trail:action")
    by = middle.text_input("Who (identity)", key="admin:trail:by").strip().lower()
    doc = right.number_input(
        "Post-mortem number", min_value=0, step=1, value=0, key="admin:trail:doc", help="0 for all"
    )
    entries = audit.whole_trail(
        db=conn, action="" if action == "(all)" else action, by=by, doc_id=doc or None
    )
    st.caption(f"{len(entries)} entries, newest first (at most 1,000). Nobody can change or remove an entry.")
    st.dataframe(review_workflow.trail_rows(entries), hide_index=True, placeholder="")


def notifications_panel() -> None:
    """Notices that could not be delivered yet (read-only): `notify` retries them after a backoff."""
    from storage import notices as sent_table  # imported here so this addition stays at the end of the file

    failed = sent_table.failures(db=session.db())
    if not failed:
        st.caption("Every notification so far was delivered.")
        return
    st.caption(f"{len(failed)} not delivered yet; each is tried again at the time shown.")
    st.dataframe(
        [
            {
                "Notice": d.subject,
                "Channel": d.channel,
                "To": d.target,
                "Attempts": d.attempts,
                "Last error": d.last_error,
                "Next attempt (UTC)": d.next_retry_at,
            }
            for d in failed
        ],
        hide_index=True,
        placeholder="",
    )
