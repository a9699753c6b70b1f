"""The Header step's failure class: a choice from the team's list, and a way to add a class to it."""

from __future__ import annotations

import streamlit as st

import storage
from components import fields, icons, session
from postmortem.edit import with_value
from storage import vocabulary

PATH = "header.failure_class"
LABEL = "Failure class"


def _keys(doc_id: int) -> tuple[str, str]:
    return f"failure-class:{doc_id}:new", f"failure-class:{doc_id}:error"


def _add(doc_id: int) -> None:
    new_key, error_key = _keys(doc_id)
    try:
        name = vocabulary.add_failure_class(db=session.db(), name=st.session_state.get(new_key, ""))
    except (ValueError, storage.PermissionDenied) as error:
        st.session_state[error_key] = str(error)
        return
    st.session_state.pop(error_key, None)
    st.session_state[new_key] = ""
    if session.commit(doc_id, LABEL, lambda doc: with_value(doc, PATH, name), name):
        st.session_state.pop(session.widget_key(doc_id, PATH), None)  # redraw the choice from the document
    st.toast(f"“{name}” added to the failure classes.", icon=":material/label:")


def show(stored: storage.Stored) -> None:
    current = stored.doc.header.failure_class
    options = ["", *vocabulary.all_failure_classes(db=session.db(), current=current)]
    fields.selectbox(
        stored,
        PATH,
        LABEL,
        options,
        format_func=lambda v: v or "Not set yet",
        help="The kind of failure, from the team's list, so the archive can find every past "
        "incident of the same kind. Required before Final.",
    )
    new_key, error_key = _keys(stored.id)
    why_not = session.read_only_reason(stored)
    with st.popover("Add a failure class", icon=icons.ADD, disabled=bool(why_not), help=why_not or None):
        st.text_input(
            "Name of the new class",
            key=new_key,
            max_chars=80,
            placeholder="e.g. Queue backlog",
            help="It joins the list for every post-mortem.",
        )
        st.button(
            "Add it and use it here", key=f"failure-class:{stored.id}:add", on_click=_add, args=(stored.id,)
        )
    if st.session_state.get(error_key):
        st.error(st.session_state[error_key], icon=icons.BLOCKS)
