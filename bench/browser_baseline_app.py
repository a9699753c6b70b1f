"""The browser bench's baseline: the smallest Streamlit app with one widget of each kind Debrief's
actions use (a text area left with Tab, a text input sent with Enter, a button, an editable grid,
a page switch). `python -m bench browser` starts it the same way as Debrief and times the same
kind of action in both, so each ratio shows what Debrief adds on top of Streamlit itself.

Every widget echoes what the server received into a caption, so the bench can see that a click
reached the script (not only that a run happened).
"""

import json

import pandas as pd
import streamlit as st


def widgets() -> None:
    st.title("Widgets")
    note = st.text_area("Note", key="note")
    st.caption(f"Note received: {note}")
    item = st.text_input("Item", key="item")
    st.caption(f"Item received: {item}")
    if st.button("Count"):
        st.session_state.clicks = st.session_state.get("clicks", 0) + 1
    st.caption(f"Clicks received: {st.session_state.get('clicks', 0)}")
    rows = pd.DataFrame({"Event": [f"Row {n}" for n in range(5)]})
    st.data_editor(
        rows,
        key="grid",
        num_rows="dynamic",
        hide_index=True,
        column_config={"Event": st.column_config.TextColumn("Event", required=True)},
    )
    st.caption(f"Grid received: {json.dumps(st.session_state.get('grid', {}), default=str)}")
    if st.button("Second →", type="primary"):
        st.switch_page(SECOND)


def second() -> None:
    st.title("Second")
    if st.button("← Widgets"):
        st.switch_page(WIDGETS)


WIDGETS = st.Page(widgets, title="Widgets", default=True)  # the default page is served at /
SECOND = st.Page(second, title="Second", url_path="second")
st.navigation([WIDGETS, SECOND]).run()
