"""What-went-well prompts as buttons: clicking one opens a row that starts from it, to answer and add."""

from __future__ import annotations

import streamlit as st

import storage
from components import session
from postmortem.edit import with_value
from postmortem.models import Note

_PICKED = "went_well:prompt:{doc_id}"


def _answer_key(doc_id: int) -> str:
    return f"went_well:answer:{doc_id}"


def _pick(doc_id: int, group: str, prompt: str) -> None:
    st.session_state[_PICKED.format(doc_id=doc_id)] = (group, prompt)
    st.session_state[_answer_key(doc_id)] = ""


def _add(doc_id: int, group: str) -> None:
    answer = st.session_state.get(_answer_key(doc_id), "").strip()
    if not answer:
        return

    def change(doc):
        return with_value(
            doc,
            "went_well",
            [
                *(n.model_dump(mode="json") for n in doc.went_well),
                Note(text=answer, group=group).model_dump(mode="json"),
            ],
        )

    if session.commit(doc_id, "What went well", change, shown_value=answer):
        st.session_state.pop(_PICKED.format(doc_id=doc_id), None)


def _started_row(stored: storage.Stored) -> None:
    picked = st.session_state.get(_PICKED.format(doc_id=stored.id))
    if not picked:
        return
    group, prompt = picked
    with st.container(border=True):
        st.text_area(
            f"{prompt} ({group})",
            key=_answer_key(stored.id),
            height=90,
            placeholder="What happened, with the minutes saved or the numbers.",
        )
        add, cancel = st.columns([1, 1])
        add.button(
            "Add to what went well",
            icon=":material/add:",
            type="primary",
            key=f"went_well:add:{stored.id}",
            on_click=_add,
            args=(stored.id, group),
        )
        cancel.button(
            "Close this prompt",
            icon=":material/close:",
            key=f"went_well:close:{stored.id}",
            on_click=lambda: st.session_state.pop(_PICKED.format(doc_id=stored.id), None),
        )


def show(stored: storage.Stored, prompts: dict[str, tuple[str, ...]]) -> None:
    """The prompt groups; a click on a prompt starts a row with it (disabled when the document is read-only)."""
    _started_row(stored)
    read_only = session.read_only(stored)
    columns = st.columns(2)
    for n, (group, questions) in enumerate(prompts.items()):
        with columns[n % 2].expander(f"{group} ({len(questions)})"):
            for m, prompt in enumerate(questions):
                st.button(
                    prompt,
                    key=f"went_well:prompt:{stored.id}:{n}:{m}",
                    type="tertiary",
                    disabled=read_only,
                    on_click=_pick,
                    args=(stored.id, group, prompt),
                    icon=":material/edit_note:",
                )
