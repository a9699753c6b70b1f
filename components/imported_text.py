"""The parts of an imported Markdown post-mortem that no section took, shown as written, each with its
language findings and a way to remove it once its content has moved into the steps."""

from __future__ import annotations

import streamlit as st

import storage
from components import findings, markdown_view, session
from exports.escape import md_inline
from postmortem.models import PostMortem
from postmortem.review import is_read_only


def _remove(doc_id: int, part_id: str) -> None:
    session.commit(
        doc_id,
        "Imported text",
        lambda doc: doc.model_copy(update={"imported": [p for p in doc.imported if p.id != part_id]}),
    )


def show(stored: storage.Stored) -> None:
    doc: PostMortem = stored.doc
    if not doc.imported:
        return
    st.subheader("Imported text")
    st.caption(
        "Parts of the imported document that fit no section, kept as written. Move what matters into "
        "the steps above, then remove the part here; every earlier version stays in History. The "
        "owning team's export keeps this text, the others leave it out."
    )
    for i, part in enumerate(doc.imported):
        with st.expander(md_inline(part.heading) or "Untitled"):
            markdown_view.show(part.text)  # formatted as the team's export shows it
            findings.show(stored, f"imported.{i}.text")
            st.button(
                "Remove this part",
                key=session.widget_key(stored.id, f"imported:{part.id}:remove"),
                on_click=_remove,
                args=(stored.id, part.id),
                disabled=is_read_only(doc),
            )
