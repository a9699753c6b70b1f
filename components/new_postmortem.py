"""Starting a post-mortem: what happened and how bad first, then what the policy asks for."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st
from pydantic import ValidationError

import storage
from components import session
from components.steps import STEPS
from postmortem.errors import describe
from postmortem.models import Severity, TriggerKind, new_postmortem
from postmortem.severity import recommend_method, verdict_for

KEY = "new:"


def _policy(severity: Severity, trigger: TriggerKind, novel: bool) -> None:
    verdict = verdict_for(severity, trigger, novel)
    advice = recommend_method(severity)
    days = verdict.deadline_business_days
    box = st.success if verdict.required else st.info
    box(f"**Post-mortem {verdict.requirement.value}.** {verdict.reason}")
    left, middle, right = st.columns(3)
    left.metric(
        "Deadline",
        f"{days} business days" if days else "none",
        help="Counted from the incident's close, "
        "skipping weekends and public holidays. First draft within 3 business days.",
    )
    middle.metric("Share with", ", ".join(a.value for a in verdict.distribution) or "nobody beyond the team")
    right.metric("Root-cause method", advice.method.value, help=" ".join(advice.reasons))


def show() -> None:
    """The new post-mortem form; on success the new document is opened at its Header step."""
    trigger = st.selectbox(
        "What happened?", list(TriggerKind), key=KEY + "trigger", format_func=lambda t: t.value.capitalize()
    )
    severity = st.selectbox(
        "How severe was it?",
        list(Severity),
        index=2,
        key=KEY + "severity",
        help="Set it as it stands now; you can raise it later, and lower it with a reason.",
    )
    novel = st.checkbox("It showed a class of failure we had not seen before", key=KEY + "novel")
    _policy(severity, trigger, novel)
    suggested = storage.next_incident_id(db=session.db(), year=datetime.now(UTC).year)
    with st.form(KEY + "form", border=False):
        incident_id = st.text_input("Incident ID", value=suggested, help="Letters, digits, dots, dashes.")
        title = st.text_input("Title", placeholder="e.g. Checkout errors after connection-pool exhaustion")
        if st.form_submit_button("Create post-mortem", type="primary"):
            _create(incident_id, title, trigger, severity, novel)


def _create(incident_id: str, title: str, trigger: TriggerKind, severity: Severity, novel: bool) -> None:
    try:
        doc = new_postmortem(
            incident_id.strip(), title.strip(), trigger=trigger, severity=severity, novel_failure_class=novel
        )
        stored = storage.create(db=session.db(), doc=doc, by=session.user())
    except ValidationError as error:
        for line in describe(error):
            st.error(line)
        return
    except (storage.DuplicateError, storage.PermissionDenied) as error:
        st.error(str(error))
        return
    session.open_doc(stored.id)
    st.switch_page(STEPS[0].script, query_params={"doc": str(stored.id)})
