"""The texts each audience needs that the engineering narrative cannot stand in for: the resolution,
the summary in business terms, and what customers read in the public report."""

from __future__ import annotations

import streamlit as st

import storage
from components import fields
from exports.escape import md_inline
from exports.public import NEEDS_WHAT_TO_DO, missing_public_text

_STATED = {"Not stated": None, "No data was lost": False, "Data was lost": True}


def resolution_and_business_summary(stored: storage.Stored) -> None:
    """On the Summary step: what actually fixed it, and the summary for executives."""
    fields.text_area(
        stored,
        "resolution",
        "Resolution: what actually fixed it",
        height=110,
        help="The action that ended customer impact and what made the fix complete; not the "
        "attempts that did not help. The executive brief, the public report and the "
        "regulator's resolution summary use it.",
    )
    fields.text_area(
        stored,
        "business_summary",
        "Summary in business terms (optional)",
        height=110,
        help="For the executive brief: customers, money and time, without system names. "
        "The summary above stands in while this is empty.",
    )


def data_lost(stored: storage.Stored) -> None:
    """On the Impact step: whether data was lost, stated, so no report ever has to guess it."""
    fields.bind(
        st.radio,
        stored,
        "impact.data_lost",
        "Was any data lost?",
        options=list(_STATED),
        horizontal=True,
        to_widget=lambda v: next(k for k, x in _STATED.items() if x is v),
        from_widget=lambda label: _STATED[label],
    )


def customer_texts(stored: storage.Stored) -> None:
    """On the Export step: the public report's texts, written for customers, and each change's wording."""
    doc = stored.doc
    missing = missing_public_text(doc)
    with st.expander(
        "Text for customers (public report)", icon=":material/campaign:", expanded=bool(missing)
    ):
        fields.text_input(
            stored,
            "public.title",
            "Title for customers",
            help="The internal title often names systems; this one says what customers noticed.",
        )
        fields.text_area(
            stored,
            "public.what_customers_saw",
            "What customers saw",
            height=90,
            help="In customers' words: what stopped working for them, and when.",
        )
        fields.text_area(
            stored,
            "public.what_happened",
            "What happened and why",
            height=90,
            help="Without system, host or team names: the public report never uses the "
            "engineering summary or root-cause statement.",
        )
        required = doc.header.trigger in NEEDS_WHAT_TO_DO
        fields.text_area(
            stored,
            "public.what_to_do",
            "What customers should do" + (" (required)" if required else ""),
            height=70,
            help="Steps customers should take themselves, such as changing a password.",
        )
        st.markdown("**What we are changing**: public wording per action item; items left empty stay out.")
        for n, item in enumerate(doc.action_items):
            # A label renders Markdown: the item's title is escaped so it shows as typed.
            fields.text_input(
                stored, f"action_items.{n}.public_text", f"A{n + 1}: {md_inline(item.title)}", max_chars=500
            )
        if not doc.action_items:
            st.caption("No action items yet.")


def public_gate(stored: storage.Stored) -> bool:
    """The warning shown above the public report while text for customers is missing; True when complete."""
    missing = missing_public_text(stored.doc)
    if missing:
        st.warning(
            "The public report is not ready to publish: it marks these parts as not written yet. "
            "Write them under *Text for customers*:\n" + "\n".join(f"- {m}" for m in missing),
            icon=":material/block:",
        )
    return not missing
