"""Step 8: root-cause analysis: a causal tree of the factors that aligned, 5 Whys, or both."""

import streamlit as st

from components import causal_builder, causal_panel, fields, method_advice, page, table

SLUG = "root-cause"
stored = page.step(SLUG, "Incidents rarely have one cause. Draw the factors that together produced the "
                   "outcome, tie each to an action item, or follow one chain with 5 Whys.")
method_advice.show(stored)
tree_tab, outline_tab, whys_tab = st.tabs(["Causal tree", "Outline", "5 Whys"])


@st.fragment
def tree_fragment() -> None:
    # A fragment: editing the tree reruns only the tree, not the whole step.
    causal_builder.show(stored.id)


with tree_tab:
    tree_fragment()
with outline_tab:
    causal_panel.outline_editor(stored)
with whys_tab:
    st.caption("Start from what customers saw and ask why, about five times. Stop at a cause you can act on "
               "that is not itself a symptom; if you stop earlier, say why.")
    fields.text_area(stored, "root_cause.five_whys.problem", "The problem", height=68,
                     placeholder="Why did the API return errors for 22 minutes?")
    table.editor(stored, table.TableSpec(
        path="root_cause.five_whys.steps", label="5 Whys", required="answer",
        columns=(
            table.Column("question", st.column_config.TextColumn("Why?", width="large")),
            table.Column("answer", st.column_config.TextColumn("Because…", width="large", required=True)),
        )))
    fields.text_area(stored, "root_cause.five_whys.stop_reason", "Why the chain stops here", height=68)
    causal_panel.five_whys_tools(stored)

st.subheader("The conditions that aligned")
fields.text_area(stored, "root_cause.statement", "Statement", height=120,
                 help="In a few sentences, the set of conditions that together produced the outcome.")
page.footer(SLUG, stored)
