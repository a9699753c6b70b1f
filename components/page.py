"""What every wizard step draws first: the title, the stepper and any unsaved conflicting change."""

from __future__ import annotations

import streamlit as st

import storage
from components import auth, conflict, nav, presence, session, shell, stepper
from components import comments as comments_panel
from components.steps import by_slug
from postmortem.review import is_read_only
from storage.access import Permission


def read_only_notice() -> None:
    role = auth.current_actor().role.value
    st.info(
        f"You can read this post-mortem; your role ({role}) cannot change it. An admin can share it with "
        "you or change your role.",
        icon=":material/visibility:",
    )


def step(slug: str, intro: str = "") -> storage.Stored:
    """Open the step: returns the stored document, or stops the page when none is open."""
    shell.ensure()
    current = by_slug(slug)
    stored = session.loaded()
    if stored is None:
        st.title(current.title)
        st.info("Open a post-mortem first, or start a new one.")
        st.page_link(nav.page("home"), label="Go to the list of post-mortems", icon=":material/home:")
        st.stop()
    stepper.show(stored, slug)
    st.title(current.title)
    presence.show(stored.id, current.title)
    if intro:
        st.markdown(intro)
    conflict.show()
    if is_read_only(stored.doc) and slug != "review":
        st.info(
            f"This post-mortem is {stored.doc.header.status}: read-only. To change it, reopen it on the "
            "Review step with a reason.",
            icon=":material/lock:",
        )
    elif not session.can(Permission.EDIT, stored.id):
        read_only_notice()
    return stored


def footer(slug: str, stored: storage.Stored) -> None:
    comments_panel.show(slug, stored)
    st.divider()
    stepper.back_next(slug, stored.id)
    presence.name_this_tab(stored.id)
