"""Who else has this post-mortem open: a heartbeat every few seconds while a step is shown.

The heartbeat runs in a fragment, so it redraws only the "Also open by" line, never the step's
widgets. Identities are shown because they are the tool's users, not people in the narrative.
"""

from __future__ import annotations

import os
import time
import uuid

import streamlit as st

from components import session
from exports.escape import md_inline
from storage import presence

INTERVAL_ENV = "DEBRIEF_PRESENCE_SECONDS"
_KEY = "debrief:presence-key"
_LAST = "debrief:presence-last"
_QUIET = 5.0  # a full rerun within this many seconds of the last heartbeat writes none


def interval() -> float:
    """Seconds between heartbeats: 15 by default, well inside presence.GONE_AFTER."""
    raw = os.environ.get(INTERVAL_ENV, "")
    return float(raw) if raw.replace(".", "", 1).isdigit() and float(raw) > 0 else 15.0


def _session_key() -> str:
    return st.session_state.setdefault(_KEY, uuid.uuid4().hex)


def _beat(doc_id: int, step: str) -> None:
    # Every rerun draws this line, but a burst of reruns (typing, a table edit) writes one heartbeat.
    now, last = time.time(), st.session_state.get(_LAST)
    if last is None or last[0] != (doc_id, step) or now - last[1] >= _QUIET:
        presence.heartbeat(db=session.db(), session_key=_session_key(), doc_id=doc_id,
                           identity=session.user(), step=step, now=now)
        st.session_state[_LAST] = ((doc_id, step), now)


def describe(others: list[presence.Presence], me: str) -> str:
    """"Also open by: sre-on-call@example.com (editing Timeline), …" as escaped Markdown, one entry per identity
    (`others` newest first); "" when alone."""
    latest: dict[str, presence.Presence] = {}
    for p in others:  # newest first: keep each identity's latest step (a reload leaves its old session behind)
        latest.setdefault(p.identity, p)
    if not latest:
        return ""
    names = [("you, in another window" if p.identity == me else md_inline(p.identity))
             + f" (editing {md_inline(p.step)})" for p in latest.values()]
    return "👥 **Also open by:** " + ", ".join(names)


def _line(doc_id: int, step: str) -> None:
    _beat(doc_id, step)
    text = describe(presence.others(db=session.db(), doc_id=doc_id, session_key=_session_key()), session.user())
    if text:
        st.caption(text)


def show(doc_id: int, step: str) -> None:
    """Keep this session's presence on `doc_id` fresh and show who else is there."""
    st.fragment(run_every=interval())(_line)(doc_id, step)
