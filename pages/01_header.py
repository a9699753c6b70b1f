"""Step 1: what the incident was, how severe, which services, and when each key moment happened."""

from datetime import UTC, datetime

import streamlit as st

from components import archive, config, failure_class, fields, page, recurrence, session
from postmortem.models import Severity, TriggerKind
from postmortem.severity import change_severity, deadline_for, verdict_for

SLUG = "header"


def record_severity(doc_id: int) -> None:
    new = Severity(st.session_state[f"severity:{doc_id}:new"])
    reason = st.session_state[f"severity:{doc_id}:reason"]
    session.commit(doc_id, "Severity", lambda d: change_severity(d, new, datetime.now(UTC), reason), reason)


stored = page.step(SLUG)
doc = stored.doc
recurrence.undo_banner()

left, right = st.columns(2)
with left:
    fields.text_input(stored, "header.title", "Title")
    fields.text_input(stored, "header.incident_id", "Incident ID")
    fields.selectbox(stored, "header.trigger", "What happened", [t.value for t in TriggerKind])
    st.markdown(f"Status: **{doc.header.status}** · changed on the Review step, with sign-off")
with right:
    fields.tags(
        stored,
        "header.services",
        "Services affected",
        archive.choices("service"),
        help="Pick from the services other post-mortems name, or type a new one and press Enter.",
    )
    failure_class.show(stored)
    fields.tags(stored, "header.tags", "Tags")
    fields.checkbox(stored, "header.novel_failure_class", "A class of failure we had not seen before")
recurrence.show(stored)

st.subheader("Severity")
verdict = verdict_for(doc.header.severity, doc.header.trigger, doc.header.novel_failure_class)
due = deadline_for(doc, config.holiday_country())
st.markdown(
    f"**{doc.header.severity}** · post-mortem {verdict.requirement.value} · "
    + (f"due **{due:%a %d %b %Y}**" if due else "no deadline until the incident has a close time")
)
why_not = session.read_only_reason(stored)
with st.form(f"severity:{stored.id}", border=True):
    st.selectbox(
        "Change severity to",
        list(Severity),
        index=list(Severity).index(doc.header.severity),
        key=f"severity:{stored.id}:new",
        disabled=bool(why_not),
    )
    st.text_input(
        "Reason (required when lowering)", key=f"severity:{stored.id}:reason", disabled=bool(why_not)
    )
    st.form_submit_button(
        "Record severity change",
        on_click=record_severity,
        args=(stored.id,),
        disabled=bool(why_not),
        help=why_not or None,
    )
fields.show_errors(stored.id, "Severity")
for change in doc.header.severity_changes:
    st.caption(
        f"{change.at:%Y-%m-%d %H:%M} UTC · {change.from_severity} → {change.to_severity}"
        + (" · reason recorded" if change.reason else "")
    )

st.subheader("Key times")
st.caption("All times are UTC. Timeline events marked as anchors fill these in on the Timeline step.")
a, b = st.columns(2)
with a:
    fields.utc_datetime(stored, "header.times.started_at", "Started")
    fields.utc_datetime(stored, "header.times.first_signal_at", "First signal")
    fields.utc_datetime(stored, "header.times.detected_at", "Detected")
    fields.utc_datetime(stored, "header.times.mitigated_at", "Mitigated")
with b:
    fields.utc_datetime(stored, "header.times.impact_ended_at", "Customer impact ended")
    fields.utc_datetime(stored, "header.times.resolved_at", "Resolved")
    fields.utc_datetime(stored, "header.times.closed_at", "Closed")

st.subheader("Roles")
fields.text_input(
    stored, "header.author_role", "Author (role)", help="A role, e.g. 'payments on-call engineer'."
)
fields.tags(stored, "header.reviewer_roles", "Reviewers (roles)")
page.footer(SLUG, stored)
