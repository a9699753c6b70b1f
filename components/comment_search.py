"""Search in comment threads, on the Archive page: only the post-mortems the reader may see, none in the bin
(storage.comments.search applies the same visibility rule as the archive)."""

from __future__ import annotations

import streamlit as st

from components import session
from components.steps import by_slug
from exports.escape import md_inline
from storage import comments


def show() -> None:
    with st.expander("Search comments"):
        query = st.text_input("Words in a comment", key="comment-search:query", max_chars=200)
        if not query.strip():
            return
        hits = comments.search(db=session.db(), query=query)
        if not hits:
            st.caption("No comment contains these words in the post-mortems you can see.")
        for hit in hits:
            step = by_slug(hit.step)
            st.page_link(
                step.script,
                label=f"{hit.incident_id} · {step.title} · {hit.target_label}",
                query_params={"doc": str(hit.doc_id)},
            )
            st.caption(md_inline(hit.body[:300]))
