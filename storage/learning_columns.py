"""The learning dashboard's columns on `documents` (migration m008), refreshed on every save."""

from __future__ import annotations

from typing import Any

from postmortem.learning_facts import facts_from_body


def values(data: dict[str, Any], columns: set[str]) -> dict[str, Any]:
    """One document's learning columns, for the projection's single update of its row; none for a
    database migrated only up to an earlier step."""
    return facts_from_body(data) if "went_well_count" in columns else {}
