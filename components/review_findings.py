"""The Review step's list of every language finding, each linking to the step where it is fixed."""

from __future__ import annotations

import streamlit as st

import storage
from components import findings, icons
from components.steps import STEPS, Step
from exports.escape import md_inline
from postmortem.evidence.placement import field_named

# The first part of a finding's path names the section; the section names its wizard step.
_STEP_OF_SECTION = {
    "header": "header",
    "summary": "summary",
    "impact": "impact",
    "timeline": "timeline",
    "interviews": "timeline",
    "went_well": "went-well",
    "went_wrong": "went-wrong",
    "contributing_factors": "factors",
    "root_cause": "root-cause",
    "action_items": "actions",
    "lessons": "lessons",
    "where_we_got_lucky": "lessons",
    "imported": "appendix",
    "appendix": "appendix",
    "regulatory": "regulatory",
}


def _where(stored: storage.Stored, path: str) -> tuple[str, str]:
    """(a path whose first part names the section, the place as shown): an attachment's caption or
    alt text is named by its file, in the section it is attached in."""
    named = field_named(stored.doc, path)
    return (named[0], md_inline(named[1])) if named else (path, f"`{path}`")


def step_for(path: str) -> Step:
    slug = _STEP_OF_SECTION.get(path.split(".")[0], "review")
    return next(s for s in STEPS if s.slug == slug)


LIMIT = 10  # each finding draws a link and a line: a long document's dozens would slow every rerun


def show(stored: storage.Stored) -> None:
    """Open findings grouped by step, then the ones kept on purpose with their reasons."""
    found = findings.all_findings(stored)
    dismissed = findings.dismissals(stored.doc)
    open_ = sorted((f for f in found if f.key not in dismissed), key=lambda f: not f.blocking)
    if not open_:
        st.success("No open blameless-language findings.", icon=icons.PASSED)
    else:
        blocking = sum(f.blocking for f in open_)
        unsure = len(open_) - blocking
        st.caption(
            f"{blocking} blocking Final, {unsure} {'suggestion' if unsure == 1 else 'suggestions'}: where the "
            "check is unsure (of who a sentence's subject is, for instance) it suggests; suggestions are worth "
            "a look but do not hold back Final."
        )
    shown = open_
    if len(open_) > LIMIT:
        st.caption(f"{len(open_)} open findings.")
        if not st.toggle(f"Show all {len(open_)}", key=f"review-findings:all:{stored.id}"):
            shown = open_[:LIMIT]
    for finding in shown:
        section, where = _where(stored, finding.path)
        step = step_for(section)
        left, right = st.columns([1, 3])
        icon, word = findings.severity(finding)
        left.page_link(
            step.script, label=step.title, icon=":material/warning:", query_params={"doc": str(stored.id)}
        )
        right.markdown(
            f"{icon} **{findings.label(finding)}** · *{word}* · {where}  \n*Try:* {finding.rewrite}"
        )
    kept = [(f, dismissed[f.key]) for f in found if f.key in dismissed]
    if kept:
        st.markdown("**Kept on purpose** (reviewers: check each reason)")
        for finding, record in kept:
            st.markdown(
                f"- {findings.label(finding)} · {_where(stored, finding.path)[1]} — “{md_inline(record.reason)}” "
                f"({record.by}, {record.at:%Y-%m-%d %H:%M} UTC)"
            )
