"""Archive: every post-mortem, found by words from any section, service, severity, failure class,
status, tag, author role or incident date; each result opens in the wizard."""

import streamlit as st

from components import archive, comment_search, session, shell
from storage import search

shell.ensure()
st.title("Archive")
st.caption(
    "Every post-mortem the team has written, searchable across all sections. Find past incidents "
    "on the services you own, then open one to read it."
)
db = session.db()
query = archive.filters(db)
archive.results(search.search(db=db, query=query))
comment_search.show()
