"""Step 3: who and what was affected, in numbers where possible."""

import streamlit as st

from components import attachments, audience_texts, fields, page
from postmortem.edit import get_path

SLUG = "impact"
stored = page.step(SLUG, "Who felt this and how much? Estimates are fine; say how you estimated.")
REPORTABLE = {"Not yet known": None, "Yes": True, "No": False}

fields.text_area(stored, "impact.description", "What customers and colleagues experienced", height=120)
left, right = st.columns(2)
with left:
    fields.number(
        stored,
        "impact.customers_affected",
        "Customers affected",
        min_value=0,
        step=1,
        from_widget=lambda v: int(v) if v is not None else None,
        help="A number where you have one; leave it empty when only the note below can say who.",
    )
    fields.checkbox(stored, "impact.customers_affected_estimated", "The number is an estimate")
    fields.text_input(
        stored,
        "impact.customers_affected_note",
        "How counted, or who",
        placeholder="e.g. all US Cloud customers; about 40,000 from the billing export",
    )
    fields.tags(stored, "impact.customer_segments", "Customer segments", help="e.g. EU, enterprise, mobile")
    fields.tags(stored, "impact.internal_teams_blocked", "Internal teams blocked")
with right:
    currency = (get_path(stored.doc, "impact.revenue") or {}).get("currency", "USD")
    fields.number(
        stored,
        "impact.revenue",
        "Revenue impact (estimate)",
        min_value=0.0,
        step=100.0,
        to_widget=lambda v: float(v["amount"]) if v else None,
        from_widget=lambda v: {"amount": round(v, 2), "currency": currency} if v is not None else None,
    )
    if stored.doc.impact.revenue is not None:
        fields.text_input(
            stored,
            "impact.revenue.currency",
            "Currency (ISO code)",
            max_chars=3,
            from_widget=lambda v: v.strip().upper(),
        )
    fields.number(
        stored,
        "impact.error_budget_burned_pct",
        "SLO error budget burned (%)",
        min_value=0.0,
        step=1.0,
        help="Share of this period's error budget the incident used.",
    )
    fields.text_input(stored, "impact.slo", "Which SLO")
audience_texts.data_lost(stored)
fields.text_area(
    stored,
    "impact.public_communication",
    "Public communication made",
    help="Status-page posts, customer e-mails, social posts: when and what.",
)

st.subheader("Regulatory and compliance")
fields.bind(
    st.radio,
    stored,
    "impact.regulatory.reportable",
    "Reportable to a regulator?",
    options=list(REPORTABLE),
    horizontal=True,
    to_widget=lambda v: next(k for k, x in REPORTABLE.items() if x is v),
    from_widget=lambda label: REPORTABLE[label],
)
fields.tags(
    stored,
    "impact.regulatory.regimes",
    "Regimes that may apply",
    suggestions=["DORA", "GDPR", "HIPAA", "SEC 8-K"],
)
fields.text_area(stored, "impact.regulatory.notes", "Notes for compliance", height=80)
attachments.panel(stored, "impact")
page.footer(SLUG, stored)
