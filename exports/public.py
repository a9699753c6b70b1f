"""The public status-page report: what customers saw, why, how it was fixed and what is changing.

Built only from fields a customer may read, and every text goes through the document's Redactor. It
never carries names, owners, ticket IDs, revenue, error budget, what went well or wrong, the factors,
nor any field or timeline event the author marked internal.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from exports.escape import md_cell, md_text
from exports.markdown import DASH, _empty, _table, _when
from exports.redact import Redactor, redactor_for
from postmortem.models import ActionStatus, Anchor, EventKind, PostMortem
from postmortem.timeline import format_duration

# Fields the author may keep out of the public report (the path stored in internal_fields, and its label).
INTERNAL_FIELD_CHOICES: dict[str, str] = {
    "summary": "Summary",
    "impact.description": "Impact description",
    "impact.customer_segments": "Customer segments",
    "root_cause.statement": "Root-cause statement",
    "fix_events": "How it was fixed (mitigation and resolution events)",
    "action_items": "Action items (what we are changing)",
    "impact.public_communication": "Public communication",
}

# The moments a customer notices, in our words; the header time each comes from.
_MOMENTS: list[tuple[str, str]] = [
    ("started_at", "The problem began."),
    ("detected_at", "We became aware of the problem and started working on it."),
    ("mitigated_at", "We applied a first fix."),
    ("impact_ended_at", "The service was working normally again for customers."),
    ("resolved_at", "The underlying problem was fully resolved."),
]
_FIX_ANCHORS = (Anchor.FIRST_MITIGATION, Anchor.IMPACT_ENDED, Anchor.RESOLUTION)


def is_internal(doc: PostMortem, path: str) -> bool:
    return path in doc.internal_fields


def public_facts(doc: PostMortem, redact: Redactor | None = None) -> dict[str, Any]:
    """The public report as plain, redacted values (the JSON export; the Markdown is drawn from it)."""
    redact = redact or redactor_for(doc)
    t = doc.header.times
    end = t.impact_ended_at or t.resolved_at
    shown = lambda path, text: "" if is_internal(doc, path) else redact(text)
    return {
        "title": redact(doc.header.title),
        "started_at": _iso(t.started_at), "ended_at": _iso(end),
        "duration": format_duration(end - t.started_at) if t.started_at and end else "",
        "affected": [] if is_internal(doc, "impact.customer_segments")
        else [redact(s) for s in doc.impact.customer_segments],
        "what_customers_saw": shown("impact.description", doc.impact.description),
        "what_happened": shown("summary", doc.summary),
        "timeline": _timeline(doc, redact),
        "cause": shown("root_cause.statement", doc.root_cause.statement),
        "how_it_was_fixed": [] if is_internal(doc, "fix_events") else [
            redact(e.text) for e in doc.timeline if e.anchor in _FIX_ANCHORS and not e.internal],
        "what_we_are_changing": [] if is_internal(doc, "action_items") else [
            redact(a.title) for a in doc.action_items if a.status is not ActionStatus.CANCELLED],
    }


def _iso(value: datetime | None) -> str:
    return value.isoformat().replace("+00:00", "Z") if value else ""


def _timeline(doc: PostMortem, redact: Redactor) -> list[dict[str, str]]:
    """Key moments in our words, plus the status updates customers could read (unless marked internal)."""
    rows = [(getattr(doc.header.times, name), text) for name, text in _MOMENTS if getattr(doc.header.times, name)]
    if not is_internal(doc, "impact.public_communication"):
        rows += [(e.at, redact(e.text)) for e in doc.timeline
                 if e.kind is EventKind.COMMUNICATION and not e.internal and _is_public_update(e.text)]
    return [{"at": _iso(at), "event": text} for at, text in sorted(rows, key=lambda r: r[0])]


def _is_public_update(text: str) -> bool:
    # A communication event is customer-visible when it was a status page or customer notice.
    lowered = text.casefold()
    return any(word in lowered for word in ("status page", "status-page", "customers were told", "customer notice"))


def public_markdown(doc: PostMortem, redact: Redactor | None = None) -> str:
    """The public report as Markdown, every text escaped after redaction."""
    f = public_facts(doc, redact)
    parts = [
        f"# Incident report: {md_cell(f['title'])}",
        ("We are sorry. This incident disrupted a service you rely on. This report explains what you may have "
        "seen, why it happened, how we fixed it and what we are changing so that it does not happen again."),
        "## What you may have seen",
        _table(["Customer impact", "Details"], [("Problem began (UTC)", _stamp(f["started_at"])), ("Back to normal (UTC)", _stamp(f["ended_at"])),
                          ("Duration", f["duration"] or DASH),
                          ("Who was affected", "; ".join(md_cell(s) for s in f["affected"]) or DASH)]),
    ]
    if f["what_customers_saw"]:
        parts.append(md_text(f["what_customers_saw"]))
    parts += ["## What happened", md_text(f["what_happened"]) or _empty("A summary will follow.")]
    rows = [(_stamp(r["at"]), md_cell(r["event"])) for r in f["timeline"]]
    parts += ["## Timeline (UTC)", _table(["Time (UTC)", "What happened"], rows) if rows
              else _empty("The times are still being confirmed.")]
    parts += ["## Why it happened",
              md_text(f["cause"]) or _empty("We are still confirming the cause and will update this report.")]
    parts += ["## How we fixed it", _bullets(f["how_it_was_fixed"]) or _empty("The fix is described above.")]
    parts += ["## What we are changing",
              _bullets(f["what_we_are_changing"]) or _empty("We will share the changes we are making soon.")]
    parts += ["## Questions", ("If you were affected and need help, please contact our support team. "
              "We are sorry for the disruption.")]
    return "\n\n".join(parts) + "\n"


def _bullets(texts: list[str]) -> str:
    return "\n".join(f"- {md_cell(t)}" for t in texts if t.strip())


def _stamp(iso: str) -> str:
    return _when(datetime.fromisoformat(iso)) if iso else DASH
