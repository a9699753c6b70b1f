"""Rendered exports, cached per document version so a rerun does not render them again."""

from __future__ import annotations

import streamlit as st

import storage
from components import config
from exports.render import render
from postmortem.models import PostMortem


@st.cache_data(max_entries=64, show_spinner=False)
def _cached(db: str, doc_id: int, version: int, audience: str, fmt: str, _doc: PostMortem) -> bytes:
    return render(_doc, audience, fmt)


def cached_render(stored: storage.Stored, audience: str, fmt: str) -> bytes:
    """render() for one stored version; (database, id, version) identifies the document, so it is not hashed."""
    return _cached(str(config.db_path()), stored.id, stored.version, audience, fmt, stored.doc)
