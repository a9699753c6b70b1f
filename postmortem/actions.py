"""Rules for action items that apply whenever one is edited."""

from __future__ import annotations

from datetime import datetime

from postmortem.models import ActionStatus


def stamp_closed_at(item: dict, now: datetime) -> dict:
    """Record when an item closed (done or cancelled), and forget it when the item is reopened."""
    closed = ActionStatus(item.get("status") or "open").is_closed
    if closed and not item.get("closed_at"):
        return {**item, "closed_at": now.isoformat()}
    if not closed and item.get("closed_at"):
        return {**item, "closed_at": None}
    return item
