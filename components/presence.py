"""Who else has this post-mortem open: a heartbeat every few seconds while a step is shown.

The heartbeat runs in a fragment, so it redraws only the "Also open by" line, never the step's
widgets. Identities are shown because they are the tool's users, not people in the narrative.

A reload starts a new Streamlit session, so a session's own id would leave its old self behind as
"you, in another window". Each browser tab therefore names itself once (an id kept in the tab's
sessionStorage, which a reload keeps) and beats under that name; a closed tab stops beating and
drops out after one heartbeat interval and a little slack.
"""

from __future__ import annotations

import time
import uuid

import streamlit as st

from components import config, session
from exports.escape import md_inline
from storage import presence

_KEY = "debrief:presence-key"
_TAB = "debrief:presence-tab"
# Also, the sidebar's step links get the open post-mortem's "?doc=": Streamlit's own navigation links
# carry none, so a step opened in a new tab (middle click, "open in new tab") found no document. A click
# in the app is routed by Streamlit, not by the href, so it is unchanged.
_TAB_JS = """
export default function ({ data, setStateValue }) {
  let id = sessionStorage.getItem("debrief-tab");
  if (!id) {
    id = Date.now().toString(36) + Math.random().toString(36).slice(2);
    sessionStorage.setItem("debrief-tab", id);
  }
  if (data.known !== id) setStateValue("tab", id);
  const doc = Number.isInteger(data.doc) ? String(data.doc) : null;
  const sidebar = document.querySelector('[data-testid=stSidebar]');
  if (!doc || !sidebar) return;
  const mark = () => {
    for (const link of sidebar.querySelectorAll('[data-testid=stSidebarNav] a[href]')) {
      const url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || url.searchParams.get("doc") === doc) continue;
      url.searchParams.set("doc", doc);
      link.href = url.toString();
    }
  };
  mark();
  const observer = new MutationObserver(mark);
  observer.observe(sidebar, { subtree: true, childList: true, attributes: true, attributeFilter: ["href"] });
  return () => observer.disconnect();
}
"""
_TAB_COMPONENT = st.components.v2.component("debrief_tab_id", js=_TAB_JS, isolate_styles=False)
_LAST = "debrief:presence-last"
_QUIET = 5.0  # a full rerun within this many seconds of the last heartbeat writes none


def interval() -> float:
    """Seconds between heartbeats ($DEBRIEF_PRESENCE_SECONDS): 15 by default, well inside presence.GONE_AFTER."""
    return config.settings().presence_seconds


def _session_key() -> str:
    return st.session_state.setdefault(_KEY, uuid.uuid4().hex)


def gone_after() -> float:
    """Seconds of silence after which a tab counts as closed: one heartbeat and some slack for a busy server."""
    return interval() + max(2.0, interval() / 4)


def adopt_tab_id(tab_id: str) -> None:
    """Beat under the tab's own id from now on, and forget the row this session wrote before it knew it."""
    tab_id = str(tab_id)[:64]
    if tab_id and st.session_state.get(_KEY) != tab_id:
        if _KEY in st.session_state:
            presence.leave(db=session.db(), session_key=st.session_state[_KEY])
        st.session_state[_KEY] = tab_id
        st.session_state.pop(_LAST, None)


def _tab_reported() -> None:
    adopt_tab_id((st.session_state.get(_TAB) or {}).get("tab") or "")


def _beat(doc_id: int, step: str) -> None:
    # Every rerun draws this line, but a burst of reruns (typing, a table edit) writes one heartbeat.
    now, last = time.time(), st.session_state.get(_LAST)
    if last is None or last[0] != (doc_id, step) or now - last[1] >= min(_QUIET, interval() / 2):
        presence.heartbeat(
            db=session.db(),
            session_key=_session_key(),
            doc_id=doc_id,
            identity=session.user(),
            step=step,
            now=now,
        )
        st.session_state[_LAST] = ((doc_id, step), now)


def describe(others: list[presence.Presence], me: str) -> str:
    """ "Also open by: sre-on-call@example.com (editing Timeline), …" as escaped Markdown, one entry per identity
    (`others` newest first); "" when alone."""
    latest: dict[str, presence.Presence] = {}
    for (
        p
    ) in others:  # newest first: keep each identity's latest step (a reload leaves its old session behind)
        latest.setdefault(p.identity, p)
    if not latest:
        return ""
    names = [
        ("you, in another window" if p.identity == me else md_inline(p.identity))
        + f" (editing {md_inline(p.step)})"
        for p in latest.values()
    ]
    return ":material/group: **Also open by:** " + ", ".join(names)


def _line(doc_id: int, step: str) -> None:
    _beat(doc_id, step)
    others = presence.others(
        db=session.db(), doc_id=doc_id, session_key=_session_key(), gone_after=gone_after()
    )
    text = describe(others, session.user())
    if text:
        st.caption(text)


def name_this_tab(doc_id: int) -> None:
    """Learn the browser tab's own id, and give the sidebar's links `doc_id`. Drawn at the foot of a step:
    the rerun its first report starts must come after the step's fields are in the browser, or the first
    page after a server start shows them empty."""
    # In a fragment, the report reruns only this fragment: a full rerun here overtook a click in the sidebar
    # made right after a page load, and the app stayed on the old step.
    st.fragment(_tab_component)(doc_id)


def _tab_component(doc_id: int) -> None:
    _TAB_COMPONENT(
        key=_TAB,
        data={"known": st.session_state.get(_KEY), "doc": doc_id},
        on_tab_change=_tab_reported,
        height=0,
    )


def show(doc_id: int, step: str) -> None:
    """Keep this session's presence on `doc_id` fresh and show who else is there."""
    st.fragment(run_every=interval())(_line)(doc_id, step)
