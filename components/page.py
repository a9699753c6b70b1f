"""What every wizard step draws first: the title, the stepper and any unsaved conflicting change."""

from __future__ import annotations

import streamlit as st

import storage
from components import auth, home, presence, session, shell, stepper
from components import comments as comments_panel
from components.steps import by_slug
from postmortem.review import is_read_only
from storage.access import Permission


def _conflict_banner() -> None:
    pending = session.pending_conflict()
    if pending is None:
        return
    with st.container(border=True):
        st.error(
            f"**Not saved: this post-mortem changed while you were editing.** Someone else saved "
            f"version {pending.their_version}. Your change to *{pending.label}* is kept below; "
            "apply it on top of their version, or discard it and see theirs.", icon="⚠️")
        if pending.shown_value:
            st.caption("Your text")
            st.code(pending.shown_value, language=None, wrap_lines=True)
        left, right = st.columns(2)
        left.button("Apply my change on top of theirs", on_click=session.apply_pending_on_latest,
                    type="primary", key="conflict:apply")
        right.button("Discard my change and load theirs", on_click=session.discard_pending,
                     key="conflict:discard")


def read_only_notice() -> None:
    role = auth.current_actor().role.value
    st.info(f"You can read this post-mortem; your role ({role}) cannot change it. An admin can share it with "
            "you or change your role.", icon="👀")


def step(slug: str, intro: str = "") -> storage.Stored:
    """Open the step: returns the stored document, or stops the page when none is open."""
    shell.ensure()
    current = by_slug(slug)
    stored = session.loaded()
    if stored is None:
        st.title(current.title)
        st.info("Open a post-mortem first, or start a new one.")
        st.page_link(home.page(), label="Go to the list of post-mortems", icon="🏠")
        st.stop()
    stepper.show(stored, slug)
    st.title(current.title)
    presence.show(stored.id, current.title)
    if intro:
        st.markdown(intro)
    _conflict_banner()
    if is_read_only(stored.doc) and slug != "review":
        st.info(f"This post-mortem is {stored.doc.header.status}: read-only. To change it, reopen it on the "
                "Review step with a reason.", icon="🔒")
    elif not session.can(Permission.EDIT, stored.id):
        read_only_notice()
    return stored


def footer(slug: str, stored: storage.Stored) -> None:
    comments_panel.show(slug, stored)
    st.divider()
    stepper.back_next(slug, stored.id)
