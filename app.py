"""Debrief: the entry point wires the page config and the navigation; every page lives in pages/."""

import streamlit as st

from components.steps import HOME, STEPS

st.set_page_config(page_title="Debrief", page_icon="📝", layout="wide")

navigation = st.navigation({
    "Post-mortems": [st.Page(HOME, title="All post-mortems", icon="🏠", url_path="home", default=True)],
    "Write": [st.Page(step.script, title=step.title, url_path=step.slug) for step in STEPS],
})
navigation.run()
