"""The Export step's opt-in "Open questions" appendix: the owning team's document with the open comment
threads at the end. Off unless asked for; no other audience gets threads at all."""

from __future__ import annotations

import streamlit as st

import storage
from components import config, session
from components.audited_download import ExportOf, audited
from exports.open_questions import from_threads
from exports.render import MEDIA_TYPES, file_name, render
from storage import audit, comments


def show(stored: storage.Stored) -> None:
    conn = session.db()
    if not audit.may_export(db=conn, doc_id=stored.id, audience="team"):
        return
    questions = from_threads(comments.threads(db=conn, doc_id=stored.id))
    wanted = st.checkbox(
        f"Add an “Open questions” appendix to the owning team's document ({len(questions)} open "
        "thread" + ("" if len(questions) == 1 else "s") + ")",
        key=f"export:{stored.id}:questions",
        help="Comment threads never appear in any export unless you ask here, and then only in "
        "the owning team's Markdown and Word documents.",
    )
    if not wanted:
        return
    doc, export, country = stored.doc, ExportOf.current(stored), config.holiday_country()
    left, right = st.columns(2)
    for column, fmt, label in (
        (left, "md", "Markdown with open questions"),
        (right, "docx", "Word with open questions"),
    ):
        column.download_button(
            label,
            audited(
                lambda fmt=fmt: render(doc, "team", fmt, country=country, open_questions=questions),
                export,
                "team",
                fmt,
            ),
            file_name=file_name(doc, "team-open-questions", fmt),
            mime=MEDIA_TYPES[fmt],
            key=f"export:{stored.id}:questions:{fmt}",
            on_click="ignore",  # see components/audited_download.py
        )
