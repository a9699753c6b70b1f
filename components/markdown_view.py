"""Narrative Markdown shown the way the exports show it: the line under each narrative field that says it
takes Markdown, its Preview toggle, and the read-only views (Review step, Export preview).

The HTML comes from exports.mdtext, the parser every export uses: the author's own HTML never reaches the
page (it is turned into words), and link addresses that could run script are refused by markdown-it.
"""

from __future__ import annotations

import streamlit as st

from exports import mdtext

# Said once under each field the author can type in, in the autosave line (components/autosave.py).
HINT_HTML = (
    "Markdown works here: <code>**bold**</code>, <code>_italic_</code>, <code>`code`</code>, lists, tables "
    "and links; HTML tags are dropped, their words kept."
)

# Tables and code read like the rest of the app; the style applies to these views only.
_STYLE = """<style>
.debrief-md table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
.debrief-md th, .debrief-md td { border: 1px solid rgba(128,128,128,0.35); padding: 0.25rem 0.5rem;
  vertical-align: top; text-align: left; }
.debrief-md pre { background: rgba(128,128,128,0.12); padding: 0.5rem 0.75rem; border-radius: 0.4rem;
  overflow-x: auto; }
.debrief-md blockquote { border-left: 3px solid rgba(128,128,128,0.5); margin-left: 0; padding-left: 0.75rem; }
.debrief-md li.task-list-item { list-style: none; }
</style>"""


def show(markdown: str) -> None:
    """Narrative Markdown rendered as the exports render it: never raw syntax, never live HTML."""
    st.html(f'{_STYLE}<div class="debrief-md">{mdtext.html(markdown)}</div>')


def under_field(value: str, key: str) -> str:
    """Below a narrative text area: a Preview toggle; returns the field's value. (One element: the
    browser redraws each element on every rerun.)"""
    if st.toggle("Preview", key=f"{key}:preview", help="Show this field as the exports will show it."):
        with st.container(border=True):
            show(value) if (value or "").strip() else st.caption("Nothing written yet.")
    return value
