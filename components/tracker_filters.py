"""The tracker's filter bar: what to show and in which order, kept in session state between reruns."""

from __future__ import annotations

import streamlit as st

import storage
from components import config, session
from postmortem.models import ActionCategory, ActionStatus, Priority, Severity
from storage import access, tracker

ANY = "Any"
QUICK = {
    "Open": "still_open",
    "Overdue": "overdue",
    "Due in 7 days": "due_within_days",
    "Unchanged 30 days": "untouched_days",
}
_QUICK_VALUES = {"still_open": True, "overdue": True, "due_within_days": 7, "untouched_days": 30}


@st.cache_data(ttl=60, show_spinner=False)
def _names(db_file: str, identity: str) -> tuple[list[str], list[str]]:
    """Owners and services to pick from. Listing them reads every item, so they are kept a minute per
    database and per person (what each may see differs); a name added meanwhile shows up after that."""
    conn = session.db()
    return tracker.owners(db=conn), tracker.services(db=conn)


def _choice(column, label: str, options: list[str], key: str) -> str:
    picked = column.selectbox(label, [ANY, *options], key=f"tracker:{key}")
    return "" if picked == ANY else picked


def show(conn: storage.Database) -> tuple[tracker.Filters, str]:
    """Draw the bar; returns the filters and the sort label."""
    top = st.columns([3, 2, 2, 2], vertical_alignment="bottom")
    text = top[0].text_input("Search", key="tracker:text", placeholder="Words in the action, ticket or owner")
    owners, services = _names(str(config.db_path()), access.actor_of(conn).identity)
    owner = _choice(top[1], "Owner", owners, "owner")
    statuses = top[2].multiselect(
        "Status", [s.value for s in ActionStatus], key="tracker:statuses", placeholder="Any status"
    )
    sort = top[3].selectbox(
        "Sort by",
        list(tracker.SORTS),
        key="tracker:sort",
        help="Items without a due date or priority come first: they still need one.",
    )
    bottom = st.columns([1, 1, 1, 1, 4], vertical_alignment="bottom")
    priority = _choice(bottom[0], "Priority", [p.value for p in Priority], "priority")
    category = _choice(bottom[1], "Category", [c.value for c in ActionCategory], "category")
    service = _choice(bottom[2], "Service", services, "service")
    severity = _choice(bottom[3], "Severity", [s.value for s in Severity], "severity")
    quick = (
        bottom[4].pills(
            "Only", list(QUICK), selection_mode="multi", key="tracker:quick", label_visibility="collapsed"
        )
        or []
    )
    flags = {QUICK[label]: _QUICK_VALUES[QUICK[label]] for label in quick}
    filters = tracker.Filters(
        text=text.strip(),
        owner=owner,
        statuses=tuple(statuses),
        priority=priority,
        category=category,
        service=service,
        severity=severity,
        **flags,
    )
    return filters, sort
