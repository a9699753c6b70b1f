"""The interview worksheet: one conversation per participant, by role, mergeable into the timeline."""

from __future__ import annotations

import streamlit as st

import storage
from components import disclosure, session, table
from postmortem.models import Interview
from postmortem.prompts import INTERVIEW_PROMPTS
from postmortem.timeline import merge_interview

ROWS = table.TableSpec(
    path="",
    label="Interview notes",
    required="observed",
    columns=(
        table.Column(
            "at",
            st.column_config.DatetimeColumn("Time (UTC)", format="YYYY-MM-DD HH:mm", step=60),
            "datetime",
        ),
        table.Column("observed", st.column_config.TextColumn("What they observed", width="medium")),
        table.Column("did", st.column_config.TextColumn("What they did", width="medium")),
        table.Column("knew", st.column_config.TextColumn("What they knew then", width="medium")),
    ),
)


def _add(doc_id: int, key: str) -> None:
    role = st.session_state[key].strip()
    if role and session.commit(
        doc_id,
        "Interviews",
        lambda doc: doc.model_copy(update={"interviews": [*doc.interviews, Interview(role=role)]}),
        role,
    ):
        st.session_state[key] = ""
        saved = session.latest(doc_id)
        if saved is not None:  # open the new interview
            st.session_state[f"interviews:{doc_id}"] = len(saved.doc.interviews) - 1


def _merge(doc_id: int, interview_id: str) -> None:
    session.commit(doc_id, "Timeline", lambda doc: merge_interview(doc, interview_id))


def _prompts(doc_id: int) -> None:
    box = disclosure.expander("Interview prompts", key=f"interviews:{doc_id}:prompts-open")
    if box is None:
        return
    with box:
        st.caption(
            "About twenty minutes, one person at a time, in neutral words. Ask about what they saw and "
            "knew then, not what is known now."
        )
        # One element per group, not per line: the browser redraws each element on every rerun.
        for group, prompts in INTERVIEW_PROMPTS.items():
            st.markdown(f"**{group}**\n\n" + "\n".join(f"- {prompt}" for prompt in prompts))


def show(stored: storage.Stored) -> None:
    _prompts(stored.id)
    interviews = stored.doc.interviews
    if interviews:
        labels = {n: f"Interview {n + 1}: {i.role} · {len(i.rows)} rows" for n, i in enumerate(interviews)}
        n = st.selectbox(
            f"Interview ({len(interviews)})",
            list(labels),
            format_func=labels.get,
            key=f"interviews:{stored.id}",
            # None open until chosen (or just added): the worksheet is a grid, costly on every visit.
            index=None,
            placeholder="Choose an interview to see and add its notes",
        )
        if n is not None and n in labels:
            _one(stored, n, interviews[n])
    key = session.widget_key(stored.id, "new-interview")
    st.text_input(
        "Add an interview with… (role, not name)",
        key=key,
        placeholder="e.g. database on-call engineer",
        on_change=_add,
        args=(stored.id, key),
    )


def _one(stored: storage.Stored, n: int, interview: Interview) -> None:
    st.caption("One row per moment: what they saw, what they did, what they knew then.")
    spec = table.TableSpec(
        path=f"interviews.{n}.rows", label=f"Interview {n + 1}", required=ROWS.required, columns=ROWS.columns
    )
    table.editor(stored, spec)
    pending = sum(1 for row in interview.rows if row.at and not row.merged_event_id)
    st.button(
        f"Merge {pending} dated rows into the timeline",
        key=f"merge:{stored.id}:{interview.id}",
        disabled=pending == 0,
        on_click=_merge,
        args=(stored.id, interview.id),
        help="Each row with a time becomes a timeline event, sourced 'interview', by this role.",
    )
