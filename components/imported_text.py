"""The parts of an imported Markdown post-mortem that no section took, shown as written (read-only)."""

from __future__ import annotations

import streamlit as st

from exports.escape import md_inline
from postmortem.models import PostMortem


def show(doc: PostMortem) -> None:
    if not doc.imported:
        return
    st.subheader("Imported text")
    st.caption("Parts of the imported document that fit no section, kept as written. Move what matters into "
               "the steps above; the owning team's export keeps this text, the others leave it out.")
    for part in doc.imported:
        with st.expander(md_inline(part.heading) or "Untitled"):
            st.code(part.text, language=None, wrap_lines=True)
