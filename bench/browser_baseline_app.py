"""The browser bench's baseline: for each kind of action Debrief's bench times, a page of the smallest
Streamlit app with only the widget it needs: a text area left with Tab (/), an editable grid
(/grid), a button that switches page (/first to /second), and a graph of boxes to click with the text
input whose Enter adds a box (/graph). `python -m bench browser` starts it the same way as Debrief
and times the same action in both, so each ratio shows what Debrief adds on top of Streamlit itself.

Every widget echoes what the server received into a caption, so the bench can see that a click
reached the script (not only that a run happened).
"""

import json
import os

import pandas as pd
import streamlit as st
from streamlit_agraph import _agraph

# Inert content, for measuring what page size alone costs (bench/browser_page_size.py); none by default.
PARAGRAPHS = int(os.environ.get("BASELINE_PARAGRAPHS", "0"))
EXTRA_PAGES = int(os.environ.get("BASELINE_EXTRA_PAGES", "0"))


def _padding() -> None:
    for n in range(PARAGRAPHS):
        st.markdown(f"Paragraph {n}: a few words of **static** text.")


def note() -> None:
    st.title("Note")
    text = st.text_area("Note", key="note")
    st.caption(f"Note received: {text}")
    _padding()


def grid() -> None:
    st.title("Grid")
    rows = pd.DataFrame({"Event": [f"Row {n}" for n in range(5)]})
    st.data_editor(
        rows,
        key="grid",
        num_rows="dynamic",
        hide_index=True,
        column_config={"Event": st.column_config.TextColumn("Event", required=True)},
    )
    st.caption(f"Grid received: {json.dumps(st.session_state.get('grid', {}), default=str)}")


def first() -> None:
    st.title("First")
    _padding()
    if st.button("Second →", type="primary"):
        st.switch_page(SECOND)


def second() -> None:
    st.title("Second")
    _padding()
    if st.button("← First"):
        st.switch_page(FIRST)


FACTOR_FILL = "#e0ecff"  # the bench finds boxes to click by this fill (Debrief's contributing factor)


def _box(node_id: str, label: str, x: int, y: int, fill: str) -> dict:
    # Selected or hovered, the box keeps its fill (as Debrief's do): the bench finds boxes by it.
    look = {"background": fill, "border": "#1849a9"}
    color = {**look, "highlight": {**look, "border": "#000000"}, "hover": {**look, "border": "#000000"}}
    return {"id": node_id, "label": label, "x": x, "y": y, "shape": "box", "color": color}


def _add_box() -> None:
    st.session_state.boxes.append(st.session_state.box)
    st.session_state.box = ""  # the field empties for the next box, as Debrief's does


def graph() -> None:
    """The causal-tree actions' counterpart: a keyed graph (as Debrief keys its own, so an added box
    updates the drawing in place) with two boxes to click between, and a field whose Enter adds a box."""
    st.title("Graph")
    added = st.session_state.setdefault("boxes", [])
    st.text_input("Box", key="box", on_change=_add_box)
    nodes = [_box("a", "First", -150, 0, FACTOR_FILL), _box("b", "Second", 150, 0, FACTOR_FILL)]
    nodes += [
        _box(f"n{n}", text[:20], -250 + 100 * (n % 6), 120 + 60 * (n // 6), "#eeeeee")
        for n, text in enumerate(added)
    ]
    options = {"height": "500px", "width": "100%", "physics": {"enabled": False}, "nodes": {"fixed": True}}
    clicked = _agraph(
        data=json.dumps({"nodes": nodes, "edges": []}), config=json.dumps(options), key="graph", default=None
    )
    st.caption(f"Graph received: {clicked}")
    st.caption(f"Boxes received: {json.dumps(added)}")


NOTE = st.Page(note, title="Note", default=True)  # the default page is served at /
GRID = st.Page(grid, title="Grid", url_path="grid")
FIRST = st.Page(first, title="First", url_path="first")
SECOND = st.Page(second, title="Second", url_path="second")
GRAPH = st.Page(graph, title="Graph", url_path="graph")
EXTRA = [st.Page(first, title=f"Page {n}", url_path=f"page{n}") for n in range(EXTRA_PAGES)]
st.navigation([NOTE, GRID, FIRST, SECOND, GRAPH, *EXTRA]).run()
