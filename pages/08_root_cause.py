"""Step 8: root-cause analysis. A 5 Whys chain for now; the causal tree joins it later."""

import streamlit as st

from components import fields, page, table
from postmortem.models import RcaMethod
from postmortem.severity import recommend_method

SLUG = "root-cause"
stored = page.step(SLUG)
advice = recommend_method(stored.doc.header.severity)
st.info(f"**Suggested method: {advice.method.value}.** " + " ".join(advice.reasons))
fields.selectbox(stored, "root_cause.method", "Method used", [m.value for m in RcaMethod],
                 placeholder="Choose a method")

st.subheader("5 Whys")
st.caption("Start from what customers saw and ask why, about five times. Stop at a cause you can act on "
           "that is not itself a symptom. A person or 'training' is never the end of the chain: ask "
           "what made their action reasonable at the time.")
fields.text_area(stored, "root_cause.five_whys.problem", "The problem", height=68,
                 placeholder="Why did the API return errors for 22 minutes?")
table.editor(stored, table.TableSpec(
    path="root_cause.five_whys.steps", label="5 Whys", required="answer",
    columns=(
        table.Column("question", st.column_config.TextColumn("Why?", width="large")),
        table.Column("answer", st.column_config.TextColumn("Because…", width="large", required=True)),
    )))
fields.text_area(stored, "root_cause.five_whys.stop_reason", "Why the chain stops here", height=68)

st.subheader("The conditions that aligned")
fields.text_area(stored, "root_cause.statement", "Statement", height=120,
                 help="In a few sentences, the set of conditions that together produced the outcome.")
page.footer(SLUG, stored)
