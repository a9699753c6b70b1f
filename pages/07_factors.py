"""Step 7: the contributing factors that, together, produced the outcome."""

import streamlit as st

from components import attachments, page, similar_factors, table
from postmortem.models import FactorCategory

SLUG = "factors"
stored = page.step(
    SLUG,
    "List each condition that made the incident more likely or worse. Most "
    "incidents need several to line up. Each factor is later addressed by an action "
    "item, or accepted with a written reason.",
)
SPEC = table.TableSpec(
    path="contributing_factors",
    label="Contributing factors",
    required="text",
    columns=(
        table.Column("text", st.column_config.TextColumn("Factor", width="large", required=True)),
        table.Column(
            "category",
            st.column_config.SelectboxColumn(
                "Category", options=[c.value for c in FactorCategory], required=True
            ),
            "choice",
            "process",
        ),
        table.Column(
            "accepted_rationale",
            st.column_config.TextColumn("Accepted because (if no action will address it)", width="medium"),
        ),
    ),
)
table.editor(stored, SPEC)
similar_factors.show(stored)
attachments.panel(stored, "factors")
page.footer(SLUG, stored)
