"""Rules for action items that apply whenever one is edited."""

from __future__ import annotations

from datetime import datetime

from postmortem.edit import with_value
from postmortem.errors import DebriefError
from postmortem.models import ActionStatus, PostMortem


def stamp_closed_at(item: dict, now: datetime) -> dict:
    """Record when an item closed (done or cancelled), and forget it when the item is reopened."""
    closed = ActionStatus(item.get("status") or "open").is_closed
    if closed and not item.get("closed_at"):
        return {**item, "closed_at": now.isoformat()}
    if not closed and item.get("closed_at"):
        return {**item, "closed_at": None}
    return item


class CancelReasonMissing(DebriefError, ValueError):
    """Cancelling an action item without saying why."""


def with_status(
    doc: PostMortem, item_id: str, status: ActionStatus, now: datetime, reason: str = ""
) -> PostMortem:
    """A validated copy of `doc` with one item moved to `status` (closed_at stamped or cleared).
    Cancelling needs a written reason: raises CancelReasonMissing when there is none."""
    position = next((n for n, item in enumerate(doc.action_items) if item.id == item_id), None)
    if position is None:
        raise LookupError(f"{doc.header.incident_id} has no action item {item_id!r} any more.")
    item = doc.action_items[position].model_dump(mode="json")
    item["status"] = ActionStatus(status).value
    if status is ActionStatus.CANCELLED:
        item["cancel_reason"] = reason.strip() or item.get("cancel_reason", "")
        if not item["cancel_reason"]:
            raise CancelReasonMissing(
                "Cancelling an action item needs a written reason: say why it is no longer worth doing."
            )
    return with_value(doc, f"action_items.{position}", stamp_closed_at(item, now))
