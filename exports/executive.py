"""The executive brief: one printed page that lets a reader decide.

Business-terms summary, impact in customers, money and minutes, how it was fixed, the three most
important open actions with their owner's role and due date, then how many more there are and where
they stand, severity and the post-mortem's deadline. Long texts are cut at a sentence so the page stays one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from exports.escape import md_cell, md_text
from exports.markdown import DASH, _cell, _empty, _table, owner_roles
from postmortem.models import ActionItem, PostMortem
from postmortem.severity import deadline_for
from postmortem.timeline import shown_duration, shown_time, spans

TOP_ACTIONS = 3
# Characters of a narrative the page has room for; the rest stays in the full post-mortem.
SUMMARY_ROOM = 600
RESOLUTION_ROOM = 300
_PRIORITY_ORDER = {"P0": 0, "P1": 1, "P2": 2}


def clipped(text: str, room: int) -> str:
    """The text cut at the last sentence end that fits in `room` characters, marked as cut."""
    text = text.strip()
    if len(text) <= room:
        return text
    cut = text[:room]
    end = max(cut.rfind(". "), cut.rfind(".\n"))
    return (
        cut[: end + 1] if end > room // 3 else cut.rsplit(" ", 1)[0] + " …"
    ) + " (continued in the post-mortem)"


def _short(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 1].rsplit(" ", 1)[0] + " …"


def business_summary(doc: PostMortem) -> str:
    """The summary written for the business, or the summary while that is empty."""
    return doc.business_summary.strip() or doc.summary.strip()


def top_actions(doc: PostMortem) -> list[ActionItem]:
    """Open action items, most important first: priority, then the nearest due date."""
    open_items = [a for a in doc.action_items if not a.status.is_closed]
    return sorted(
        open_items,
        key=lambda a: (
            _PRIORITY_ORDER.get(a.priority.value if a.priority else "", 3),
            a.due.isoformat() if a.due else "9999",
        ),
    )


def _rest(doc: PostMortem, shown: list[ActionItem]) -> tuple[int, str]:
    """How many action items the page does not list, and their statuses counted ("4 open, 2 done")."""
    ids = {a.id for a in shown}
    rest = [a for a in doc.action_items if a.id not in ids]
    counts = Counter(a.status.value for a in rest)
    return len(rest), ", ".join(f"{n} {status}" for status, n in counts.most_common())


def _window(doc: PostMortem) -> str:
    s = spans(doc)
    if not s.impact_start or not s.impact_end:
        return "not recorded yet"
    return (
        f"{shown_time(doc, 'impact_started_at', s.impact_start)} to "
        f"{shown_time(doc, 'impact_ended_at', s.impact_end)}"
    )


def executive_facts(doc: PostMortem, country: str) -> dict[str, Any]:
    """The brief as plain values (the JSON export); the deadline skips `country`'s public holidays."""
    h, i, s = doc.header, doc.impact, spans(doc)
    deadline = deadline_for(doc, country)
    roles = owner_roles(doc)
    top = top_actions(doc)[:TOP_ACTIONS]
    more, statuses = _rest(doc, top)
    return {
        "incident_id": h.incident_id,
        "title": h.title,
        "severity": h.severity.value,
        "status": h.status.value,
        "postmortem_due": deadline.isoformat() if deadline else None,
        "customer_impact_began_at": s.impact_start.isoformat() if s.impact_start else None,
        "customer_impact_ended_at": s.impact_end.isoformat() if s.impact_end else None,
        "customer_impact_minutes": int(s.impact.total_seconds() // 60) if s.impact is not None else None,
        "incident_minutes": int(s.incident.total_seconds() // 60) if s.incident is not None else None,
        "approximate_times": list(h.times.approximate),
        "summary": business_summary(doc),
        "resolution": doc.resolution,
        "customers_affected": i.customers_affected,
        "revenue": {"amount": float(i.revenue.amount), "currency": i.revenue.currency} if i.revenue else None,
        "reportable": i.regulatory.reportable,
        "top_actions": [
            {
                "action": a.title,
                "owner_role": roles.get(a.owner, ""),
                "due": a.due.isoformat() if a.due else None,
                "status": a.status.value,
                "priority": a.priority.value if a.priority else None,
            }
            for a in top
        ],
        "more_actions": more,
        "more_actions_by_status": statuses,
    }


def executive_markdown(doc: PostMortem, country: str) -> str:
    """The brief as Markdown, short enough for one printed page whatever the document holds; the deadline
    skips `country`'s public holidays."""
    h, i, s = doc.header, doc.impact, spans(doc)
    deadline = deadline_for(doc, country)
    roles = owner_roles(doc)
    key = [
        ("Severity", h.severity.value),
        ("Status", h.status.value),
        ("Post-mortem due", deadline.isoformat() if deadline else "no deadline yet (incident not closed)"),
        ("Customer impact (UTC)", _window(doc)),
    ]
    impact = [
        ("Customers affected", f"{i.customers_affected:,}" if i.customers_affected is not None else DASH),
        ("Money", f"{i.revenue.amount:,.2f} {i.revenue.currency} revenue effect" if i.revenue else DASH),
        (
            "Minutes of customer impact",
            shown_duration(doc, s.impact, "impact_started_at", "impact_ended_at")
            if s.impact is not None
            else "not recorded yet",
        ),
        ("Incident, start to full resolution", shown_duration(doc, s.incident, "started_at", "resolved_at")),
        (
            "Reportable to a regulator",
            {True: "yes", False: "no", None: "not decided"}[i.regulatory.reportable],
        ),
    ]
    top = top_actions(doc)[:TOP_ACTIONS]
    rows = [
        (
            _cell(_short(a.title, 100)),
            _cell(_short(roles.get(a.owner, ""), 40)),
            a.due.isoformat() if a.due else DASH,
            a.priority.value if a.priority else DASH,
        )
        for a in top
    ]
    more, statuses = _rest(doc, top)
    summary = business_summary(doc)
    parts = [
        f"# Executive brief: {md_cell(h.incident_id)}: {md_cell(h.title)}",
        _table(["Incident", md_cell(h.incident_id)], key),
        "## In business terms",
        md_text(clipped(summary, SUMMARY_ROOM)) or _empty("No summary written yet."),
        "## Impact",
        _table(["Measure", "Value"], impact),
        "## How it was fixed",
        md_text(clipped(doc.resolution, RESOLUTION_ROOM)) or _empty("The resolution is not written yet."),
        "## The most important open actions",
        _table(["Action", "Owner (role)", "Due", "Priority"], rows)
        if rows
        else _empty("No open action items."),
    ]
    if more:
        parts.append(f"And {more} more action {'item' if more == 1 else 'items'}: {statuses}.")
    return "\n\n".join(parts) + "\n"
