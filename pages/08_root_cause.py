"""Step 8: root-cause analysis: a causal tree of the factors that aligned, 5 Whys, or both."""

import streamlit as st

from components import attachments, causal_builder, causal_outline, causal_whys, fields, method_advice, page

SLUG = "root-cause"
stored = page.step(
    SLUG,
    "Incidents rarely have one cause. Draw the factors that together produced the "
    "outcome, tie each to an action item, or follow one chain with 5 Whys.",
)
method_advice.show(stored)
# Lazy tabs: only the open one is drawn, so the graph never mounts in a hidden, zero-width frame
# (it came back as two huge cut-off boxes) and the Outline is written from the tree as it is now.
tree_tab, outline_tab, whys_tab = st.tabs(
    ["Causal tree", "Outline", "5 Whys"], on_change="rerun", key=f"root-cause:{stored.id}:tab"
)


@st.fragment
def tree_fragment() -> None:
    # A fragment: editing the tree reruns only the tree, not the whole step.
    causal_builder.show(stored.id)


if tree_tab.open:
    with tree_tab:
        causal_builder.mark_full_run()
        tree_fragment()
if outline_tab.open:
    with outline_tab:
        causal_outline.show(stored)
if whys_tab.open:
    with whys_tab:
        causal_whys.show(stored)

st.subheader("The conditions that aligned")
fields.text_area(
    stored,
    "root_cause.statement",
    "Statement",
    height=120,
    help="In a few sentences, the set of conditions that together produced the outcome.",
)
attachments.panel(stored, "root_cause")
page.footer(SLUG, stored)
