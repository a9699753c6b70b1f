"""The Review step's workflow: gates before Final, the rubric, the Allspaw test, status and audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

import storage
from components import comment_gate, findings, icons, review_findings, session
from components.version_cache import per_version
from exports.escape import md_block, md_inline
from postmortem import review
from postmortem.models import DocStatus
from storage import audit

_LABELS = {
    DocStatus.IN_REVIEW: "Send for review",
    DocStatus.FINAL: "Mark final (incident commander signs off)",
    DocStatus.PUBLISHED: "Publish",
    DocStatus.DRAFT: "Back to draft",
}


def gates_for(stored: storage.Stored) -> list[review.Gate]:
    # Gates and rubric depend only on the stored version and the day: worked out once per version.
    cached = per_version(
        stored,
        "gates",
        lambda: review.gates(stored.doc, today=date.today(), open_findings=findings.open_findings(stored)),
    )
    return cached + comment_gate.gates(stored.id)


def show_gates(stored: storage.Stored, all_gates: list[review.Gate]) -> None:
    blocking = review.blockers(all_gates)
    if blocking:
        st.error(f"**{len(blocking)} gate(s) block Final.**", icon=icons.BLOCKS)
    else:
        st.success("Every gate before Final is passed.", icon=icons.PASSED)
    for gate in all_gates:
        icon = icons.PASSED if gate.ok else (icons.BLOCKS if gate.blocking else ":material/warning:")
        left, right = st.columns([3, 1])
        # The detail quotes the document (an action item's title, a factor): user text, so escaped.
        detail = f"  \n{md_block(gate.detail)}" if not gate.ok and gate.detail else ""
        left.markdown(f"{icon} **{gate.title}**{detail}")
        if not gate.ok and gate.section not in ("", "review"):
            step = review_findings.step_for(gate.section)
            right.page_link(step.script, label=f"Fix on {step.title}", query_params={"doc": str(stored.id)})


def show_rubric(stored: storage.Stored, all_gates: list[review.Gate]) -> None:
    parts = per_version(
        stored, "rubric", lambda: review.rubric(stored.doc, all_gates, findings.open_findings(stored))
    )
    st.metric(
        "Review score",
        f"{review.score(parts)} / 100",
        help="One point per reviewer question answered and per red flag absent.",
    )
    st.table(
        [
            {"": "yes" if p.ok else "no", "Check": p.question, "Kind": p.source, "Evidence": p.note}
            for p in parts
        ]
    )


def _record_allspaw(doc_id: int) -> None:
    key = f"allspaw:{doc_id}"
    role, fair = st.session_state[f"{key}:role"], st.session_state[f"{key}:fair"]
    comment = st.session_state[f"{key}:comment"]
    session.commit(
        doc_id,
        "Allspaw test",
        lambda doc: review.record_allspaw(
            doc, role=role, fair=fair == "Yes", comment=comment, by=session.user(), at=datetime.now(UTC)
        ),
        comment,
        saver=audit.save_allspaw,
    )


def show_allspaw(stored: storage.Stored) -> None:
    doc, key = stored.doc, f"allspaw:{stored.id}"
    st.caption(
        "Ask the person in the role closest to the trigger: does this document represent your experience "
        "fairly? A no blocks Final until the document is rewritten and asked again."
    )
    if doc.allspaw:
        a = doc.allspaw
        st.markdown(
            f"{icons.PASSED if a.fair else icons.BLOCKS} **{md_inline(a.role)}**: {'yes' if a.fair else 'no'}"
            f"{' · ' + md_inline(a.comment) if a.comment else ''} ({md_inline(a.by)}, "
            f"{a.at:%Y-%m-%d %H:%M} UTC)"
        )
    why_not = session.read_only_reason(stored, storage.Permission.SIGN_OFF)
    with st.form(key, border=True):
        st.text_input(
            "Role closest to the trigger",
            value=doc.allspaw.role if doc.allspaw else doc.header.author_role,
            key=f"{key}:role",
            disabled=bool(why_not),
        )
        st.radio(
            "Does the document represent their experience fairly?",
            ["Yes", "No"],
            horizontal=True,
            key=f"{key}:fair",
            disabled=bool(why_not),
        )
        st.text_area("Comment (required for no)", key=f"{key}:comment", height=68, disabled=bool(why_not))
        st.form_submit_button(
            "Record the answer",
            on_click=_record_allspaw,
            args=(stored.id,),
            disabled=bool(why_not),
            help=why_not or None,
        )
    for line in session.errors_for(stored.id, "Allspaw test"):
        st.error(line, icon=icons.BLOCKS)


def _change_status(doc_id: int, to: str) -> None:
    key = f"status:{doc_id}"
    conn = session.db()
    current = storage.get(db=conn, doc_id=doc_id)
    stored_gates = review.gates(
        current.doc, today=date.today(), open_findings=findings.open_findings(current)
    ) + comment_gate.gates(doc_id)
    reason = st.session_state.get(f"{key}:reason", "")
    try:
        after = review.transition(
            current.doc,
            DocStatus(to),
            at=datetime.now(UTC),
            all_gates=stored_gates,
            signer=st.session_state.get(f"{key}:signer", ""),
            reason=reason,
        )
        saved = audit.save_status_change(
            db=conn,
            doc_id=doc_id,
            before=current.doc,
            after=after,
            expected_version=session.base_version(doc_id),
            by=session.user(),
            reason=reason,
        )
    except review.TransitionError as error:
        st.session_state[f"{key}:error"] = str(error)
        return
    except storage.ConflictError:
        st.session_state[f"{key}:error"] = "Someone else saved this post-mortem; look again, then retry."
        return
    except storage.PermissionDenied:
        st.session_state[f"{key}:error"] = (
            "Your role cannot make this status change; a reviewer or admin can."
        )
        return
    st.session_state.pop(f"{key}:error", None)
    session.open_doc(doc_id)  # widgets redraw from the new version (read-only or editable again)
    st.toast(f"Status: {saved.doc.header.status}", icon=icons.PASSED)


def show_status(stored: storage.Stored, all_gates: list[review.Gate]) -> None:
    status, key = stored.doc.header.status, f"status:{stored.id}"
    flow = " → ".join(f"**{s}**" if s is status else str(s) for s in DocStatus)
    st.markdown(f"Status: {flow}")
    if review.is_read_only(stored.doc):
        st.info(
            "This post-mortem is read-only. Reopening it needs a reason and makes a new revision.",
            icon=icons.LOCKED,
        )
    options = review.NEXT[status]
    if DocStatus.FINAL in options:
        st.text_input("Incident commander (signs off)", key=f"{key}:signer")
    if review.is_read_only(stored.doc):
        st.text_input("Reason for reopening", key=f"{key}:reason")
    columns = st.columns(len(options))
    blocked = bool(review.blockers(all_gates))
    for column, to in zip(columns, options, strict=True):
        permitted = session.can(audit.permission_for_status(status, to), stored.id)
        column.button(
            _LABELS[to],
            key=f"{key}:{to.value}",
            on_click=_change_status,
            args=(stored.id, to.value),
            type="primary" if to is not DocStatus.DRAFT else "secondary",
            disabled=not permitted,
            help=None if permitted else "Your role cannot make this change; a reviewer or admin can.",
        )
    if DocStatus.FINAL in options and blocked:
        st.caption(
            "Final is refused while a gate above shows the blocked mark; pressing it lists what blocks it."
        )
    comment_gate.show_override(stored, DocStatus.FINAL in options)
    error = st.session_state.pop(f"{key}:error", None)
    if error:
        st.error(error, icon=icons.BLOCKS)


def trail_rows(entries: list[audit.Entry]) -> list[dict]:
    """Audit rows as a table: one line per change, newest last."""
    return [
        {
            "When (UTC)": e.at[:19].replace("T", " "),
            "Version": e.version,
            "What": e.action,
            "Detail": f"{e.from_status} → {e.to_status}" if e.action in ("status", "reopen") else e.detail,
            "Who": e.by,
            "Reason": e.reason,
            "Document": e.doc_id,
        }
        for e in entries
    ]


def show_trail(stored: storage.Stored) -> None:
    """Status changes and sign-offs first; every edit, deletion, share and export below them."""
    conn = session.db()
    entries = audit.trail(db=conn, doc_id=stored.id)
    if not entries:
        st.caption("No status changes or sign-offs yet.")
    for e in entries:
        what = f"{e.from_status} → {e.to_status}" if e.action in ("status", "reopen") else e.detail
        st.markdown(
            f"- {e.at[:16].replace('T', ' ')} UTC · v{e.version} · {e.action} · {md_inline(what)} · "
            f"{md_inline(e.by)}" + (f" · reason: {md_inline(e.reason)}" if e.reason else "")
        )
    # Read only while open: a long-lived document's every edit is thousands of rows.
    every = st.expander("Every change", key=f"audit:every:{stored.id}", on_change="rerun")
    if every.open:
        everything = audit.trail(db=conn, doc_id=stored.id, actions=None)
        every.caption(f"{len(everything)} change{'' if len(everything) == 1 else 's'}, oldest first.")
        every.dataframe(
            trail_rows(everything),
            hide_index=True,
            column_order=["When (UTC)", "Version", "What", "Detail", "Who"],
            placeholder="",
        )
