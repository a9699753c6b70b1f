"""The tracker's table: one page of items, the status column editable in place.

A status change is saved inside the item's post-mortem, based on the version the row was read at:
if the post-mortem changed since, nothing is saved and the page says so. Cancelling asks for the
written reason the document model requires before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
import streamlit as st
from pydantic import ValidationError

import storage
from components import config, session
from exports.escape import md_inline
from postmortem.actions import CancelReasonMissing
from postmortem.errors import describe
from postmortem.models import ActionStatus
from postmortem.severity import business_days_between
from storage import tracker

_GENERATION = "tracker:generation"  # part of the editor's key: a fresh editor after every change
_PENDING = "tracker:pending-cancel"
_MESSAGE = "tracker:message"
ROW_HEIGHT = 35  # Streamlit's table row, px


@dataclass(frozen=True)
class Target:
    doc_id: int
    item_id: str
    version: int
    incident_id: str
    title: str


def link(item: tracker.TrackedItem) -> str:
    """The item's post-mortem, opened on its Action items step; the fragment carries the label shown."""
    return f"actions?doc={item.doc_id}#{item.incident_id}"


def due_text(item: tracker.TrackedItem, today: date) -> str:
    """How far off the due date is, in business days (weekends and the configured holidays skipped)."""
    if item.status in tracker.CLOSED:
        return "–"
    if not item.due:
        return "no due date"
    days = business_days_between(today, date.fromisoformat(item.due), config.holiday_country())
    if days < 0:
        return f"overdue by {-days}"
    return "today" if days == 0 else f"in {days}"


def frame(items: list[tracker.TrackedItem], today: date | None = None) -> pd.DataFrame:
    today = today or datetime.now(UTC).date()
    return pd.DataFrame(
        {
            "post_mortem": [link(i) for i in items],
            "title": [i.title for i in items],
            "owner": [i.owner or "–" for i in items],
            "due": pd.to_datetime(pd.Series([i.due for i in items], dtype="object")).dt.date,
            "when": [due_text(i, today) for i in items],
            "priority": [i.priority or "–" for i in items],
            "category": [i.category or "–" for i in items],
            "status": [i.status for i in items],
            "changed": pd.to_datetime(
                pd.Series([i.touched_at for i in items], dtype="object"), utc=True, format="ISO8601"
            ).dt.date,
            "ticket": [i.tracker for i in items],
        },
        index=pd.RangeIndex(len(items)),
    )


COLUMNS = {
    "post_mortem": st.column_config.LinkColumn(
        "Post-mortem",
        display_text=r"#(.+)$",
        width=120,
        help="Opens the post-mortem on its Action items step.",
    ),
    "title": st.column_config.TextColumn("Action", width=300),
    "owner": st.column_config.TextColumn("Owner", width=115),
    "due": st.column_config.DateColumn("Due", format="YYYY-MM-DD", width=95),
    "when": st.column_config.TextColumn(
        "Business days",
        width=110,
        help="Business days until the due date (weekends and public holidays "
        "not counted), or how many it is past.",
    ),
    "priority": st.column_config.TextColumn("Priority", width=65),
    "category": st.column_config.TextColumn("Category", width=80),
    "status": st.column_config.SelectboxColumn(
        "Status ✎",
        options=[s.value for s in ActionStatus],
        required=True,
        help="Change it here: saved in the post-mortem at once.",
        width=110,
    ),
    "changed": st.column_config.DateColumn("Last changed", format="YYYY-MM-DD", width=100),
    "ticket": st.column_config.TextColumn("Ticket", width=90),
}


READ_ONLY_COLUMNS = {**COLUMNS, "status": st.column_config.TextColumn("Status", width=110)}


def height(rows: int) -> int:
    """Tall enough for every row, so the page scrolls instead of the table."""
    return ROW_HEIGHT * (rows + 1) + 3


def show(items: list[tracker.TrackedItem], key: str = "tracker:table") -> None:
    """Draw the page of items; a changed status is saved through the change handler."""
    if _PENDING not in st.session_state:
        _messages()
    generation = st.session_state.get(_GENERATION, 0)
    targets = [Target(i.doc_id, i.item_id, i.version, i.incident_id, i.title) for i in items]
    editor_key = f"{key}:{generation}"
    st.data_editor(
        frame(items),
        key=editor_key,
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        height=height(len(items)),
        column_config=COLUMNS,
        disabled=[c for c in COLUMNS if c != "status"],
        on_change=_changed,
        args=(editor_key, targets),
        placeholder="",
    )
    _pending_cancel()


def _changed(editor_key: str, targets: list[Target]) -> None:
    edits = st.session_state[editor_key].get("edited_rows", {})
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1
    for position, change in edits.items():
        if change.get("status"):
            change_status(targets[int(position)], change["status"])


def change_status(target: Target, status: str, reason: str = "") -> bool:
    """Save one item's new status; on refusal, leave a message for the next run. True when saved."""
    label = f"{target.incident_id} · {target.title}"
    try:
        tracker.set_status(
            db=session.db(),
            doc_id=target.doc_id,
            item_id=target.item_id,
            status=status,
            expected_version=target.version,
            reason=reason,
            by=session.user(),
        )
    except CancelReasonMissing:
        st.session_state[_PENDING] = target  # ask for the reason below the table
        return False
    except storage.ConflictError as error:
        _say(
            "warning",
            f"Not saved: **{md_inline(target.incident_id)}** changed since this list was shown "
            f"(it is now at version {error.actual}). Nothing was overwritten; the list shows its "
            "latest state, so change the status again if it still needs it.",
        )
        return False
    except (ValidationError, LookupError, storage.NotFoundError, storage.PermissionDenied) as error:
        text = "; ".join(describe(error)) if isinstance(error, ValidationError) else str(error)
        _say("error", f"Not saved ({md_inline(label)}): {md_inline(text)}")
        return False
    st.session_state.pop(_PENDING, None)
    st.toast(f"Saved · {label[:80]} → {status}", icon=":material/check_circle:")
    return True


def _say(kind: str, text: str) -> None:
    st.session_state[_MESSAGE] = (kind, text)


def _messages() -> None:
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        getattr(st, message[0])(message[1])


def _pending_cancel() -> None:
    target: Target | None = st.session_state.get(_PENDING)
    if target is None:
        return
    with st.container(border=True):
        _messages()
        st.warning(
            f"Cancelling **{md_inline(target.title)}** ({md_inline(target.incident_id)}) needs a written "
            "reason that reviewers can read. Nothing is saved until you give one.",
            icon=":material/edit:",
        )
        st.text_area(
            "Why is this item no longer worth doing?",
            key="tracker:cancel-reason",
            placeholder="e.g. Replaced by the platform-wide rate limiter (OPS-512).",
        )
        left, right = st.columns(2)
        left.button(
            "Cancel the item with this reason",
            type="primary",
            key="tracker:cancel-confirm",
            on_click=_confirm_cancel,
            args=(target,),
        )
        right.button(
            "Keep its current status",
            key="tracker:cancel-drop",
            on_click=lambda: st.session_state.pop(_PENDING, None),
        )


def _confirm_cancel(target: Target) -> None:
    reason = st.session_state.get("tracker:cancel-reason", "").strip()
    if not reason:
        _say("error", "Write a reason before cancelling: what made this item no longer worth doing?")
        return
    if change_status(target, ActionStatus.CANCELLED.value, reason):
        st.session_state.pop("tracker:cancel-reason", None)
