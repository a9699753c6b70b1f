"""Tables of short notes (went well, went wrong, lessons, luck) bound to a list in the document."""

from __future__ import annotations

import streamlit as st

import storage
from components import table

TEXT = st.column_config.TextColumn


def spec(path: str, label: str, text_label: str, groups: list[str] | None = None) -> table.TableSpec:
    columns = [table.Column("text", TEXT(text_label, width="large", required=True, max_chars=100_000))]
    if groups:
        columns.append(
            table.Column("group", st.column_config.SelectboxColumn("Group", options=groups), "text", "")
        )
    return table.TableSpec(path=path, label=label, columns=tuple(columns), required="text")


def editor(
    stored: storage.Stored, path: str, label: str, text_label: str, groups: list[str] | None = None
) -> None:
    """An editable list of notes: add a row at the bottom, edit in place, select rows to delete."""
    table.editor(stored, spec(path, label, text_label, groups))
