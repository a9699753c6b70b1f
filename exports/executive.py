"""The executive brief: one page with the summary, the impact, the action items and the deadline."""

from __future__ import annotations

from typing import Any

from exports.escape import md_cell, md_text
from exports.markdown import DASH, _cell, _cells, _empty, _table, _when
from postmortem.models import PostMortem
from postmortem.severity import deadline_for
from postmortem.timeline import format_duration


def executive_facts(doc: PostMortem) -> dict[str, Any]:
    """The brief as plain values (the JSON export)."""
    h, i, t = doc.header, doc.impact, doc.header.times
    deadline = deadline_for(doc)
    end = t.impact_ended_at or t.resolved_at
    return {
        "incident_id": h.incident_id, "title": h.title, "severity": h.severity.value, "status": h.status.value,
        "postmortem_due": deadline.isoformat() if deadline else None,
        "started_at": t.started_at.isoformat() if t.started_at else None,
        "impact_ended_at": end.isoformat() if end else None,
        "impact_duration": format_duration(end - t.started_at) if t.started_at and end else None,
        "services": list(h.services), "summary": doc.summary,
        "customers_affected": i.customers_affected, "customer_segments": list(i.customer_segments),
        "revenue": {"amount": str(i.revenue.amount), "currency": i.revenue.currency} if i.revenue else None,
        "error_budget_burned_pct": i.error_budget_burned_pct, "reportable": i.regulatory.reportable,
        "action_items": [{"action": a.title, "owner": a.owner, "due": a.due.isoformat() if a.due else None,
                          "status": a.status.value, "priority": a.priority.value if a.priority else None}
                         for a in doc.action_items],
    }


def executive_markdown(doc: PostMortem) -> str:
    """The brief as Markdown: short enough for one printed page."""
    h, i, t = doc.header, doc.impact, doc.header.times
    deadline = deadline_for(doc)
    end = t.impact_ended_at or t.resolved_at
    open_items = sum(1 for a in doc.action_items if not a.status.is_closed)
    key = [
        ("Severity", h.severity.value), ("Status", h.status.value),
        ("Post-mortem due", deadline.isoformat() if deadline else "no deadline yet (incident not closed)"),
        ("Incident window (UTC)", f"{_when(t.started_at)} to {_when(end)}" if t.started_at and end else DASH),
        ("Duration", format_duration(end - t.started_at) if t.started_at and end else DASH),
        ("Services", _cells(h.services)),
    ]
    impact = [
        ("Customers affected", f"{i.customers_affected:,}" if i.customers_affected is not None else DASH),
        ("Segments", _cells(i.customer_segments)),
        ("Revenue effect", f"{i.revenue.amount:,.2f} {i.revenue.currency}" if i.revenue else DASH),
        ("Error budget burned", f"{i.error_budget_burned_pct:g} %" if i.error_budget_burned_pct is not None
         else DASH),
        ("Reportable to a regulator", {True: "yes", False: "no", None: "not decided"}[i.regulatory.reportable]),
    ]
    actions = [(_cell(a.title), _cell(a.owner), a.due.isoformat() if a.due else DASH, a.status.value)
               for a in doc.action_items]
    return "\n\n".join([
        f"# Executive brief: {md_cell(h.incident_id)}: {md_cell(h.title)}",
        _table(["Incident", md_cell(h.incident_id)], key),
        "## Summary", md_text(doc.summary) or _empty("No summary written yet."),
        "## Impact", _table(["Measure", "Value"], impact),
        f"## Action items ({open_items} of {len(doc.action_items)} open)",
        _table(["Action", "Owner", "Due", "Status"], actions) if actions else _empty("No action items yet."),
    ]) + "\n"
