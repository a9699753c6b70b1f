"""A form that stays folded behind one button until the author asks for it.

A folded form sends nothing to the browser: on the Timeline the pickers of the upload and comment
forms list every event (about 50 KB for 300 events), and every step pays for their widgets on each
rerun. One click unfolds it (a callback, so the same run draws it); it stays open until closed.
"""

from __future__ import annotations

import streamlit as st


def _set(key: str, value: bool) -> None:
    st.session_state[key] = value


def unfolded(key: str, label: str, icon: str, *, help: str | None = None) -> bool:
    """True when the form under `key` is open; otherwise draws the button that opens it."""
    if st.session_state.get(key):
        return True
    st.button(label, key=f"{key}:open", icon=icon, help=help, on_click=_set, args=(key, True))
    return False


def close_button(key: str, label: str = "Close") -> None:
    st.button(label, key=f"{key}:close", icon=":material/close:", on_click=_set, args=(key, False))


def fold(key: str) -> None:
    """Close the form (from a callback, e.g. after a successful submit)."""
    st.session_state[key] = False


def expander(label: str, key: str, *, icon: str | None = None):
    """An expander whose content is drawn only while it is open: Streamlit reruns when it is opened or
    closed (on_change="rerun"), and a closed one sends the browser its label alone. Returns the
    container to draw into, or None while it is closed. It starts closed: one that starts open reports
    its state on its first draw, in the same batch of widget updates as the author's next click."""
    box = st.expander(label, key=key, icon=icon, on_change="rerun")
    return box if box.open else None
