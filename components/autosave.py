"""Save a narrative field while the author types, not only when they leave it.

A tiny component (components v2, no iframe) watches one of our text areas: about a second after the
last key it commits the text through the text area itself, so the field's usual save runs (validation,
conflicts, merges). Until that save lands it shows "Unsaved changes" under the field and keeps a draft
in this browser tab, which a reload sends back to be merged into the saved text. "Saved" shows only
once something typed in this page has been saved: a field nobody touched says nothing about it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

from components import markdown_view, session

DELAY_MS = 1000
NOTE = (
    "This field saves about a second after your last key; until then a draft in this tab survives a reload."
)
_HTML = (
    '<div class="debrief-autosave" data-state="saved" style="font-size:0.85rem;opacity:0.75;'
    'margin-top:-0.6rem"><span class="state"></span>' + NOTE + "<br>" + markdown_view.HINT_HTML + "</div>"
)
_STYLE = (
    "<style>.debrief-autosave.unsaved .state { color: #b45309; font-weight: 600; }"
    " .debrief-autosave code { font-size: 0.78rem; }</style>"
)
_COMPONENT = st.components.v2.component(
    "debrief_autosave",
    html=_STYLE + _HTML,
    js=(Path(__file__).with_name("autosave.js")).read_text(encoding="utf-8"),
    isolate_styles=False,
)


def container_class(widget_key: str) -> str:
    """The CSS class Streamlit gives a keyed widget's container (st-key-<key>, other characters as '-')."""
    return "st-key-" + "".join(
        c if c.isascii() and (c.isalnum() or c in "_-") else "-" for c in widget_key.strip()
    )


def text_hash(text: str) -> int:
    """FNV-1a (32 bit) over the text's UTF-16 code units: what autosave.js computes for a JavaScript string."""
    h = 0x811C9DC5
    for unit in memoryview(text.encode("utf-16-le")).cast("H"):
        h = ((h ^ unit) * 0x01000193) & 0xFFFFFFFF
    return h


def _restore(doc_id: int, label: str, path: str, key: str) -> None:
    draft: Any = (st.session_state.get(key) or {}).get("draft") or {}
    if (
        isinstance(draft, dict)
        and isinstance(draft.get("value"), str)
        and isinstance(draft.get("version"), int)
    ):
        session.restore_draft(doc_id, label, path, version=draft["version"], value=draft["value"])


def watch(doc_id: int, version: int, path: str, label: str, widget_key: str, saved: str) -> None:
    """Autosave the text area keyed `widget_key` (the field at `path`, whose text at `version` is `saved`)."""
    key = f"autosave:{widget_key}"
    _COMPONENT(
        key=key,
        data={
            "container": container_class(widget_key),
            "saved_hash": text_hash(saved),
            "version": version,
            "delay_ms": DELAY_MS,
            "draft": f"{doc_id}:{path}",
        },
        on_draft_change=partial(_restore, doc_id, label, path, key),
    )
