"""Step 9: action items that are real: one owner, a due date, a ticket, and a testable finish line."""

from datetime import UTC, datetime

import streamlit as st

from components import action_links, action_owner, page, session, table
from postmortem.actions import stamp_closed_at
from postmortem.models import ActionCategory, ActionStatus, Priority

SLUG = "actions"
stored = page.step(
    SLUG,
    "Each item needs one person who owns it, a due date (P0 within a sprint, P1 "
    "within a month, P2 within a quarter), a ticket in your tracker, and acceptance "
    "criteria someone could check: a threshold, a test, a runbook step.",
)
TEXT, CHOICE = st.column_config.TextColumn, st.column_config.SelectboxColumn
owner = action_owner.column(stored.doc, stored.id)

links = action_links.choices(stored.doc)
items = [item.model_dump(mode="json") for item in stored.doc.action_items]
SPEC = table.TableSpec(
    path="action_items",
    label="Action items",
    required="title",
    before_show=lambda rows: action_links.to_labels(rows, links),
    before_save=lambda rows: [
        stamp_closed_at(row, datetime.now(UTC)) for row in action_links.to_ids(rows, links, items)
    ],
    columns=(
        table.Column("title", TEXT("Action", width="large", required=True)),
        table.Column("owner", owner),
        table.Column("due", st.column_config.DateColumn("Due", format="YYYY-MM-DD"), "date"),
        table.Column("priority", CHOICE("Priority", options=[p.value for p in Priority]), "choice"),
        table.Column("category", CHOICE("Category", options=[c.value for c in ActionCategory]), "choice"),
        table.Column("tracker", TEXT("Ticket (ID or URL)")),
        table.Column("acceptance_criteria", TEXT("Done when…", width="large")),
        table.Column(
            "addresses",
            st.column_config.MultiselectColumn(
                "Addresses",
                options=list(links),
                help="Causal-tree boxes (T) and contributing factors (C) this "
                "item deals with; the Root cause step counts them.",
            ),
            "list",
        ),
        table.Column(
            "status",
            CHOICE("Status", options=[s.value for s in ActionStatus], required=True),
            "choice",
            "open",
        ),
        table.Column("cancel_reason", TEXT("Reason if cancelled")),
        table.Column(
            "closed_at",
            st.column_config.DatetimeColumn("Closed at (UTC)", disabled=True, format="YYYY-MM-DD HH:mm"),
            "datetime",
        ),
    ),
)
table.editor(stored, SPEC)
action_owner.role_box(stored, session.read_only(stored))
with st.expander("Categories"):
    st.markdown(
        "- **prevent**: makes the trigger less likely\n- **detect**: shortens the time to notice\n"
        "- **mitigate**: shortens the time to end impact\n- **respond**: improves how people respond\n"
        "- **process**: changes a policy or practice"
    )
page.footer(SLUG, stored)
