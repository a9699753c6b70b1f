"""Export: the whole document as Markdown to share, and as JSON to move or archive losslessly."""

import re

import streamlit as st

from components import page
from components.exports import cached_render

SLUG = "export"
stored = page.step(SLUG, "Download the document for the owning team. Other audiences arrive in a later release.")
name = re.sub(r"[^A-Za-z0-9._-]+", "-", stored.doc.header.incident_id).strip("-") or "postmortem"
markdown = cached_render(stored, "team", "md")
left, right = st.columns(2)
left.download_button("Download Markdown", markdown, file_name=f"{name}.md", mime="text/markdown",
                     icon="📄", type="primary", width="stretch")
right.download_button("Download JSON", cached_render(stored, "team", "json"), file_name=f"{name}.json",
                      mime="application/json", icon="🗂️", width="stretch")
st.subheader("Preview")
with st.container(border=True, height=600):
    st.markdown(markdown.decode("utf-8"))
page.footer(SLUG, stored)
