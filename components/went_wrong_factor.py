"""Turn a went-wrong entry into a contributing factor, so it is not typed twice."""

from __future__ import annotations

import streamlit as st

import storage
from components import session
from postmortem.edit import with_value
from postmortem.models import ContributingFactor, FactorCategory


def _make_factor(doc_id: int, key: str, category_key: str) -> None:
    text = st.session_state.get(key)
    category = st.session_state.get(category_key) or FactorCategory.PROCESS.value
    if not text:
        return

    def change(doc):
        factors = [f.model_dump(mode="json") for f in doc.contributing_factors]
        new = ContributingFactor(text=text, category=FactorCategory(category)).model_dump(mode="json")
        return with_value(doc, "contributing_factors", [*factors, new])

    if session.commit(doc_id, "Contributing factors", change, shown_value=text):
        st.toast(
            "Added to the contributing factors; give it its rationale on that step.",
            icon=":material/playlist_add_check:",
        )


def show(stored: storage.Stored) -> None:
    """Pick a went-wrong entry not yet among the factors and make it one, with a category."""
    factors = {f.text.strip() for f in stored.doc.contributing_factors}
    candidates = [n.text for n in stored.doc.went_wrong if n.text.strip() not in factors]
    if not stored.doc.went_wrong or session.read_only(stored):
        return
    st.subheader("Make this a contributing factor")
    if not candidates:
        st.caption("Every entry above is already a contributing factor.")
        return
    key, category_key = f"went_wrong:to_factor:{stored.id}", f"went_wrong:to_factor_category:{stored.id}"
    pick, category, go = st.columns([3, 1.3, 2.2], vertical_alignment="bottom")
    pick.selectbox("Entry", candidates, key=key, help="Entries already listed as factors are left out.")
    category.selectbox("Category", [c.value for c in FactorCategory], key=category_key)
    go.button(
        "Make this a contributing factor",
        icon=":material/arrow_downward:",
        key=f"went_wrong:go:{stored.id}",
        on_click=_make_factor,
        args=(stored.id, key, category_key),
    )
