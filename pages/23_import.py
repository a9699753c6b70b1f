"""Import Markdown: post-mortems written elsewhere (wiki pages, SRE-style templates, a repository of
them) become Debrief drafts, with each heading's section shown and changeable before anything is stored."""

import streamlit as st

from components import md_import, md_import_batch, shell

shell.ensure()
st.title("Import Markdown")
st.caption(
    "Bring in post-mortems written elsewhere. Each heading goes to the section it names; text that "
    "fits no section is kept as written in the appendix, so nothing is lost."
)
found, tz = md_import.sources()
if not found:
    st.info("Choose one or more .md files, or paste a post-mortem above.")
elif len(found) == 1:
    md_import.single(found[0], tz)
else:
    md_import_batch.many(found, tz)
