"""The list of post-mortems on Home: one page of rows, each title a link that opens the document."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

import storage
from components import config
from components.steps import STEPS
from exports.escape import md_inline
from postmortem.deadlines import never_overdue
from postmortem.models import Severity, TriggerKind
from postmortem.severity import deadline_from

COLUMNS = ("Incident", "Title", "Severity", "Status", "Deadline", "Last saved (UTC)")
WIDTHS = (1.3, 3.4, 0.8, 1.0, 2.0, 1.4, 0.5)
# A page link keeps its label on one line and cuts it; in this list a long title wraps instead, and is
# underlined so it reads as the link it is.
_WRAP_TITLES = (
    "<style>.st-key-home-list [data-testid='stPageLink-NavLink'] * "
    "{ white-space: normal !important; overflow: visible !important; text-decoration: underline; }</style>"
)


def deadline_text(row: storage.Listed, today: date) -> str:
    """The whole deadline in words: the date and how it stands. A signed document is never overdue."""
    closed = datetime.fromisoformat(row.closed_at) if row.closed_at else None
    due = deadline_from(
        Severity(row.severity), TriggerKind(row.trigger), bool(row.novel), closed, config.holiday_country()
    )
    if due is None:
        return "Not set: the incident has no close time" if closed is None else "None for this severity"
    if never_overdue(row.status):
        return f"{due:%d %b %Y} · done ({row.status})"
    days = (due - today).days
    if days < 0:
        return f"{due:%d %b %Y} · {-days} day{'s' if days != -1 else ''} overdue"
    if days == 0:
        return f"{due:%d %b %Y} · due today"
    return f"{due:%d %b %Y} · {days} day{'s' if days != 1 else ''} left"


def _row(row: storage.Listed, today: date, on_bin, can_edit: bool) -> None:
    cells = st.columns(WIDTHS, vertical_alignment="center")
    cells[0].markdown(md_inline(row.incident_id))
    # Labels and help are Markdown: user text goes in escaped, shown as typed.
    cells[1].page_link(
        STEPS[0].script,
        label=md_inline(row.title) or "(untitled)",
        query_params={"doc": str(row.id)},
        help=f"Open {md_inline(row.incident_id)}",
    )
    cells[2].markdown(md_inline(row.severity))
    cells[3].markdown(md_inline(row.status))
    deadline = deadline_text(row, today)
    cells[4].markdown((":red[" + md_inline(deadline) + "]") if "overdue" in deadline else md_inline(deadline))
    cells[5].markdown(row.updated_at[:16].replace("T", " "))
    cells[6].button(
        "",
        icon=":material/delete:",
        key=f"home:bin:{row.id}",
        help=f"Move {md_inline(row.incident_id)} to the bin",
        on_click=on_bin,
        args=(row,),
        disabled=not can_edit,
    )


def show(rows: list[storage.Listed], on_bin, can_edit) -> None:
    """The rows as a table whose titles open the document; `on_bin(row)` moves one to the bin."""
    today = date.today()
    st.html(_WRAP_TITLES)
    with st.container(key="home-list"):
        head = st.columns(WIDTHS)
        for cell, name in zip(head, COLUMNS, strict=False):
            cell.markdown(f"**{name}**")
        for row in rows:
            _row(row, today, on_bin, can_edit(row.id))
