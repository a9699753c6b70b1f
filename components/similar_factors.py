"""On the Contributing factors step: factors of other post-mortems that read like this one's, so a
pattern across incidents is seen (and its fixes compared) while the factors are written."""

from __future__ import annotations

import streamlit as st

import storage
from components import session
from components.steps import by_slug
from exports.escape import md_inline
from storage import related

MAX_FACTORS = 20  # each factor is one index query; a longer list shows its first twenty


def _found(stored: storage.Stored) -> list[related.SimilarFactor]:
    # Worked out once per stored version: the step reruns on every edit of its table.
    key = f"similar-factors:{stored.id}"
    cached = st.session_state.get(key)
    if cached and cached[0] == stored.version:
        return cached[1]
    factors = [(f.id, f.text) for f in stored.doc.contributing_factors[:MAX_FACTORS]]
    found = related.similar_factors(db=session.db(), doc_id=stored.id, factors=factors)
    st.session_state[key] = (stored.version, found)
    return found


def show(stored: storage.Stored) -> None:
    found = _found(stored)
    if not found:
        return
    texts = {f.id: f.text for f in stored.doc.contributing_factors}
    with st.expander(
        f"Similar factors in other post-mortems ({len(found)})", expanded=True, icon=":material/link:"
    ):
        st.caption(
            "The same condition in several incidents is a pattern: compare what was done about it there."
        )
        for factor_id in dict.fromkeys(s.factor_id for s in found):
            st.markdown(f"**{md_inline(texts.get(factor_id, ''))}**")
            for similar in (s for s in found if s.factor_id == factor_id):
                other = similar.other
                left, right = st.columns([1, 4])
                left.page_link(
                    by_slug("factors").script,
                    label=md_inline(other.incident_id),
                    icon=":material/description:",
                    query_params={"doc": str(other.id)},
                    help=other.title,
                )
                right.markdown(f"“{md_inline(similar.text)}”")
                right.caption(md_inline(other.title))
