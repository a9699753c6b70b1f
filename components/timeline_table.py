"""The timeline as an editable table, ordered by time, with anchors and decision-point marks."""

from __future__ import annotations

import streamlit as st

import storage
from components import table
from postmortem.models import Anchor, EventKind, EventSource

CHOICE = st.column_config.SelectboxColumn


def _show(items: list[dict]) -> list[dict]:
    return [{**item, "is_decision": item.get("decision") is not None} for item in items]


def _save(rows: list[dict]) -> list[dict]:
    saved = []
    for row in rows:
        row = dict(row)
        is_decision = row.pop("is_decision", False)
        if is_decision:
            row["decision"] = row.get("decision") or {}
        else:
            row["decision"] = None
        saved.append(row)
    return saved


SPEC = table.TableSpec(
    path="timeline", label="Timeline", required="text", before_show=_show, before_save=_save,
    columns=(
        table.Column("at", st.column_config.DatetimeColumn("Time (UTC)", format="YYYY-MM-DD HH:mm", required=True,
                                                           step=60), "datetime"),
        table.Column("text", st.column_config.TextColumn("What happened", width="large", required=True)),
        table.Column("anchor", CHOICE("Anchor", options=[a.value for a in Anchor],
                                      help="Marks the key moments: trigger, detection, mitigation, resolution…"),
                     "choice"),
        table.Column("kind", CHOICE("Kind", options=[k.value for k in EventKind], required=True),
                     "choice", "observation"),
        table.Column("actor_role", st.column_config.TextColumn("Who (role)", help="A role, never a name.")),
        table.Column("source", CHOICE("Source", options=[s.value for s in EventSource], required=True),
                     "choice", "other"),
        table.Column("is_decision", st.column_config.CheckboxColumn(
            "Decision point", help="Tick to record the options, the information at hand, and reversibility."),
                     "bool", False),
        table.Column("internal", st.column_config.CheckboxColumn(
            "Internal only", help="Left out of the public status-page version."), "bool", False),
    ),
)


def show(stored: storage.Stored) -> None:
    st.caption("Add rows at the bottom; they are sorted by time when saved. Select rows to delete them. "
               "A new row is saved once it has a time and a description.")
    table.editor(stored, SPEC)
