"""Action items as a CSV file that Jira's or Linear's CSV importer takes (README: "Action items as CSV").

Pure: a list of items (any objects with the attributes of `Item`) in, UTF-8 bytes out. Every cell a
spreadsheet could read as a formula (= + - @, tab, carriage return first) gets a leading apostrophe;
Linear's importer strips it again, Jira keeps the text as typed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Protocol

FLAVOURS = ("jira", "linear")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Jira's default priority scheme, and its CSV importer's default date format (dd/MMM/yy h:mm a).
JIRA_PRIORITY = {"P0": "Highest", "P1": "High", "P2": "Medium"}
JIRA_STATUS = {
    "open": "To Do",
    "in progress": "In Progress",
    "in review": "In Review",
    "done": "Done",
    "cancelled": "Done",
}
JIRA_RESOLUTION = {"done": "Done", "cancelled": "Won't Do"}
# Linear's priority names and default workflow states, as its own CSV export writes them.
LINEAR_PRIORITY = {"P0": "Urgent", "P1": "High", "P2": "Medium"}
LINEAR_STATUS = {
    "open": "Todo",
    "in progress": "In Progress",
    "in review": "In Review",
    "done": "Done",
    "cancelled": "Canceled",
}


class Item(Protocol):
    incident_id: str
    doc_title: str
    title: str
    owner: str
    due: str | None
    priority: str | None
    category: str | None
    status: str
    tracker: str
    closed_at: str | None
    services: str  # JSON list, as stored on the document


def safe_cell(value: object) -> str:
    """The cell's text, with a leading apostrophe where a spreadsheet would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _services(item: Item) -> list[str]:
    try:
        return [str(s) for s in json.loads(item.services or "[]")]
    except ValueError:
        return []


def _labels(item: Item) -> list[str]:
    return ["post-mortem", item.incident_id, *([item.category] if item.category else []), *_services(item)]


def _description(item: Item, criteria: str) -> str:
    lines = [f"Done when: {criteria}"] if criteria else []
    lines.append(f"From post-mortem {item.incident_id}: {item.doc_title}")
    if item.tracker:
        lines.append(f"Ticket: {item.tracker}")
    return "\n".join(lines)


def _jira_date(day: str | None) -> str:
    return date.fromisoformat(day).strftime("%d/%b/%y 12:00 AM") if day else ""


def _jira_label(label: str) -> str:
    return re.sub(r"\s+", "-", label.strip())  # Jira labels cannot hold spaces


def _jira(items: Sequence[Item], criteria: Callable[[Item], str]) -> list[list[str]]:
    labels = [[_jira_label(label) for label in _labels(item)] for item in items]
    width = max((len(row) for row in labels), default=1)
    header = [
        "Summary",
        "Issue Type",
        "Description",
        "Assignee",
        "Priority",
        "Due date",
        "Status",
        "Resolution",
        *(["Labels"] * width),
    ]
    rows = [
        [
            item.title,
            "Task",
            _description(item, criteria(item)),
            item.owner,
            JIRA_PRIORITY.get(item.priority or "", ""),
            _jira_date(item.due),
            JIRA_STATUS.get(item.status, ""),
            JIRA_RESOLUTION.get(item.status, ""),
            *names,
            *([""] * (width - len(names))),
        ]
        for item, names in zip(items, labels, strict=True)
    ]
    return [header, *rows]


def _iso(stamp: str | None) -> str:
    return datetime.fromisoformat(stamp).isoformat() if stamp else ""


def _linear(items: Sequence[Item], criteria: Callable[[Item], str]) -> list[list[str]]:
    header = [
        "Title",
        "Description",
        "Status",
        "Priority",
        "Assignee",
        "Labels",
        "Due Date",
        "Completed",
        "Canceled",
    ]
    rows = [
        [
            item.title,
            _description(item, criteria(item)),
            LINEAR_STATUS.get(item.status, ""),
            LINEAR_PRIORITY.get(item.priority or "", "No priority"),
            item.owner,
            ", ".join(label.replace(",", " ") for label in _labels(item)),
            item.due or "",
            _iso(item.closed_at) if item.status == "done" else "",
            _iso(item.closed_at) if item.status == "cancelled" else "",
        ]
        for item in items
    ]
    return [header, *rows]


def render(
    items: Sequence[Item], flavour: str = "jira", criteria: Callable[[Item], str] = lambda item: ""
) -> bytes:
    """The items as CSV for `flavour` ("jira" or "linear"); `criteria` gives each item's acceptance criteria."""
    if flavour not in FLAVOURS:
        raise ValueError(f"Unknown CSV flavour {flavour!r}; choose one of: {', '.join(FLAVOURS)}.")
    table = (_jira if flavour == "jira" else _linear)(items, criteria)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(table[0])
    writer.writerows([safe_cell(cell) for cell in row] for row in table[1:])
    return out.getvalue().encode("utf-8")


def file_name(flavour: str, today: date) -> str:
    return f"action-items-{flavour}-{today.isoformat()}.csv"
