"""The list of post-mortems on Home: severity, status and how long until each is due."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

import storage
from components import config
from postmortem.models import Severity, TriggerKind
from postmortem.severity import deadline_from


def deadline_text(row: storage.Listed, today: date) -> str:
    closed = datetime.fromisoformat(row.closed_at) if row.closed_at else None
    due = deadline_from(Severity(row.severity), TriggerKind(row.trigger), bool(row.novel), closed,
                        config.holiday_country())
    if due is None:
        return "not set (no close time)" if closed is None else "no deadline"
    if row.status == "final":
        return f"{due:%d %b %Y} · published"
    days = (due - today).days
    if days < 0:
        return f"{due:%d %b %Y} · {-days} days overdue"
    return f"{due:%d %b %Y} · {days} days left"


def table(rows: list[storage.Listed], today: date) -> pd.DataFrame:
    return pd.DataFrame({
        "Incident": [r.incident_id for r in rows],
        "Title": [r.title for r in rows],
        "Severity": [r.severity for r in rows],
        "Status": [r.status for r in rows],
        "Deadline": [deadline_text(r, today) for r in rows],
        "Last saved (UTC)": [r.updated_at[:16].replace("T", " ") for r in rows],
    })


def show(rows: list[storage.Listed], key: str) -> storage.Listed | None:
    """The list as a table; returns the row the author selected, if any."""
    event = st.dataframe(table(rows, date.today()), hide_index=True, width="stretch", key=key,
                         on_select="rerun", selection_mode="single-row")
    picked = event.selection.rows if event else []
    return rows[picked[0]] if picked else None
