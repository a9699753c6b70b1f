"""The action-item Owner column under one rule: chosen from a list of the contacts (people and teams)
and of roles, where a role the author types under the table joins the list.

The column is a list from the first item on, so it never changes kind under the author's hands.
"""

from __future__ import annotations

import streamlit as st

import storage
from postmortem.models import PostMortem

RULE = (
    "One owner per item, chosen from the list: the people and teams on the People and links step, and "
    "roles such as 'payments on-call'. Type a role below to add it to the list."
)


def _roles_key(doc_id: int) -> str:
    return f"actions:owner_roles:{doc_id}"


def options(doc: PostMortem, doc_id: int) -> list[str]:
    """Contacts' names, owners already in use and roles typed in this session, each once, sorted."""
    typed = st.session_state.get(_roles_key(doc_id), [])
    return sorted(
        {c.name for c in doc.contacts} | {i.owner for i in doc.action_items if i.owner} | set(typed),
        key=str.casefold,
    )


def column(doc: PostMortem, doc_id: int):
    return st.column_config.SelectboxColumn("Owner", options=options(doc, doc_id), help=RULE)


def _add_role(doc_id: int, key: str) -> None:
    role = " ".join(str(st.session_state.get(key, "")).split())[:200]
    if role:
        roles = st.session_state.setdefault(_roles_key(doc_id), [])
        if role not in roles:
            roles.append(role)
        st.toast(f"'{role}' is now in the Owner list.", icon=":material/person_add:")
    st.session_state[key] = ""


def role_box(stored: storage.Stored, read_only: bool) -> None:
    """The rule in words and a box to add a role to the Owner list (kept once an item uses it)."""
    st.caption(RULE)
    if read_only:
        return
    key = f"actions:new_role:{stored.id}"
    box, add = st.columns([4, 1], vertical_alignment="bottom")
    box.text_input("Owner role to add", key=key, placeholder="e.g. database on-call")
    add.button(
        "Add to the Owner list",
        icon=":material/person_add:",
        key=f"actions:add_role:{stored.id}",
        on_click=_add_role,
        args=(stored.id, key),
    )
