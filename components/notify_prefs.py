"""A form for one person's notification preferences: which notices, over which channel, one by one or
gathered in a daily digest. "My notifications" shows it for the signed-in user; the Admin page for
anyone. Storage checks that the editor is that person or an admin."""

from __future__ import annotations

import streamlit as st

import storage
from channels.settings import Settings, from_settings
from components import session
from exports.escape import md_inline
from postmortem.errors import SettingsError
from postmortem.notify_prefs import (
    CHANNELS,
    TOPICS,
    PrefsError,
    kinds_of,
    looks_like_address,
    parse,
    topics_of,
)
from postmortem.settings import Settings as AppSettings
from storage import notices, users


def configured() -> Settings:
    """The channels the admin set up for `debrief notify` (the same variables it reads)."""
    try:
        return from_settings(AppSettings.load())
    except SettingsError:
        return Settings()  # the notify run names the bad variable; this page only offers channels


def _channel_label(name: str, config: Settings) -> str:
    on = name == "none" or (name == "email" and config.smtp) or name in config.chat_channels
    return CHANNELS[name] if on else f"{CHANNELS[name]}: not set up on this instance"


def _save(identity: str, key: str) -> None:
    state = st.session_state
    try:
        prefs = parse(
            kinds=kinds_of([t for i, t in enumerate(TOPICS) if state[f"{key}:topic:{i}"]]),
            channel=state[f"{key}:channel"],
            daily_digest=state[f"{key}:digest"],
            address=state[f"{key}:address"],
        )
        notices.set_prefs(session.db(), identity, prefs)
    except (PrefsError, storage.PermissionDenied) as problem:
        state[f"{key}:note"] = (True, str(problem))
        return
    state[f"{key}:note"] = (False, "Preferences saved; the next notification run follows them.")


def form(identity: str, key: str) -> None:
    """The preferences of `identity`, drawn from storage, saved with one button."""
    prefs, config = notices.get_prefs(session.db(), identity), configured()
    on = topics_of(prefs)
    with st.form(f"{key}:form"):
        st.markdown("**Tell me about**")
        for i, topic in enumerate(TOPICS):
            st.checkbox(topic, value=topic in on, key=f"{key}:topic:{i}")
        st.radio(
            "Send them by",
            list(CHANNELS),
            index=list(CHANNELS).index(prefs.channel),
            format_func=lambda name: _channel_label(name, config),
            key=f"{key}:channel",
            help="A chat choice posts in the team's channel with your name on the message. When the "
            "channel you chose is not set up, notices go to the shared channels instead.",
        )
        st.toggle(
            "One daily digest instead of each notice",
            value=prefs.daily_digest,
            key=f"{key}:digest",
            help="Everything for you that day in one message, sent by the first notify run of the day.",
        )
        st.text_input(
            "E-mail address for notices",
            value=prefs.address,
            key=f"{key}:address",
            placeholder="an e-mail address",
            help=(
                f"Leave it empty to use {identity}."
                if looks_like_address(identity)
                else "Your sign-in name is not an address: give the one your notices should go to."
            ),
        )
        st.form_submit_button("Save preferences", type="primary", on_click=_save, args=(identity, key))
    note = st.session_state.pop(f"{key}:note", None)
    if note:
        # An error can quote what was typed: escaped, it stays text.
        st.error(md_inline(note[1])) if note[0] else st.success(note[1])


def others_panel() -> None:
    """Admins: see and change anyone's preferences (someone away, or a shared mailbox)."""
    people = [u.identity for u in users.list_users(db=session.db())]
    if not people:
        st.caption("Nobody has signed in yet.")
        return
    chosen = notices.all_prefs(session.db())
    if chosen:
        st.caption("Choices people made (anyone else gets the defaults):")
        st.dataframe(
            [
                {
                    "User": identity,
                    "Channel": prefs.channel,
                    "Daily digest": prefs.daily_digest,
                    "Address": prefs.address,
                    "Notices": ", ".join(topics_of(prefs)) if prefs.channel != "none" else "none",
                }
                for identity, prefs in chosen
            ],
            hide_index=True,
        )
    who = st.selectbox("Whose preferences", people, key="admin:prefs:who")
    form(who, f"admin:prefs:{who}")
