"""The public status-page report: text written for customers, and nothing internal.

What customers saw, what happened and why, what they should do and how each change reads for them are
written by the author for customers (the engineering summary and root-cause statement are never used) (PostMortem.public, ActionItem.public_text); where they are not written yet, the report
says so and the Export step shows a gate, instead of filling the gap with boilerplate. The window is
when customers were affected (customer impact began to ended), never the trigger. Every text goes
through the document's Redactor. It never carries names, owners, ticket IDs, money, error budget, what
went well or wrong, the factors, nor any field or timeline event the author marked internal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from exports.escape import md_cell, md_text
from exports.markdown import DASH, _empty, _table
from exports.redact import Redactor, redactor_for
from postmortem.models import ActionStatus, EventKind, PostMortem, TriggerKind
from postmortem.timeline import anchored_values, shown_duration, shown_time, spans

# Fields the author may keep out of the public report (the path stored in internal_fields, and its label).
INTERNAL_FIELD_CHOICES: dict[str, str] = {
    "summary": "Summary",
    "impact.customer_segments": "Customer segments",
    "root_cause.statement": "Root-cause statement",
    "impact.public_communication": "Public communication",
    # Kept so documents that marked them still open; the report no longer draws on these fields.
    "impact.description": "Impact description",
    "fix_events": "How it was fixed (mitigation and resolution events)",
    "action_items": "Action items (what we are changing)",
}

# The moments a customer notices, in our words; the key time each comes from.
_MOMENTS: list[tuple[str, str]] = [
    ("impact_started_at", "Customers began to see the problem."),
    ("detected_at", "We became aware of the problem and started working on it."),
    ("mitigated_at", "We brought the problem under control."),
    ("impact_ended_at", "The service was working normally again for customers."),
    ("resolved_at", "The underlying problem was fully resolved."),
]
# Incidents after which customers may have to act themselves: the report must say what to do.
NEEDS_WHAT_TO_DO = (TriggerKind.SECURITY, TriggerKind.DATA_LOSS)


def is_internal(doc: PostMortem, path: str) -> bool:
    return path in doc.internal_fields


def missing_public_text(doc: PostMortem) -> list[str]:
    """The parts of the public report the author has not written for customers yet (the Export gate)."""
    missing = []
    if not doc.public.title.strip():
        missing.append("A title for customers")
    if not doc.public.what_customers_saw.strip():
        missing.append("What customers saw")
    if not doc.public.what_happened.strip():
        missing.append("What happened and why")
    if doc.header.trigger in NEEDS_WHAT_TO_DO and not doc.public.what_to_do.strip():
        missing.append(f"What customers should do (required after a {doc.header.trigger.value} incident)")
    if not doc.resolution.strip():
        missing.append("How we fixed it (the Resolution)")
    if not _changes(doc):
        missing.append("What we are changing (public wording on at least one action item)")
    return missing


def public_title(doc: PostMortem, redact: Redactor) -> str:
    """The title written for customers, else the internal title with its internal names replaced."""
    if doc.public.title.strip():
        return redact(doc.public.title.strip())
    title = redact(doc.header.title)
    # A replacement at the start ("docs.rs outage" -> "an internal system outage") must still read as a title
    return title[:1].upper() + title[1:]


def _changes(doc: PostMortem) -> list[str]:
    return [
        a.public_text
        for a in doc.action_items
        if a.public_text.strip() and a.status is not ActionStatus.CANCELLED
    ]


def public_facts(
    doc: PostMortem, redact: Redactor | None = None, public_domains: Sequence[str] = ()
) -> dict[str, Any]:
    """The public report as plain, redacted values (the JSON export; the Markdown is drawn from it)."""
    redact = redact or redactor_for(doc, public_domains)
    s = spans(doc)
    return {
        "title": public_title(doc, redact),
        "impact_began_at": _iso(s.impact_start),
        "impact_ended_at": _iso(s.impact_end),
        "impact_minutes": int(s.impact.total_seconds() // 60) if s.impact is not None else None,
        "approximate_times": [
            f for f in ("impact_started_at", "impact_ended_at") if f in doc.header.times.approximate
        ],
        "affected": []
        if is_internal(doc, "impact.customer_segments")
        else [redact(x) for x in doc.impact.customer_segments],
        "what_customers_saw": redact(doc.public.what_customers_saw),
        "what_to_do": redact(doc.public.what_to_do),
        "what_happened": redact(doc.public.what_happened),
        "timeline": _timeline(doc, redact),
        "how_we_fixed_it": redact(doc.resolution),
        "what_we_are_changing": [redact(text) for text in _changes(doc)],
        "not_written_yet": missing_public_text(doc),
    }


def _iso(value: datetime | None) -> str:
    return value.isoformat().replace("+00:00", "Z") if value else ""


def _timeline(doc: PostMortem, redact: Redactor) -> list[dict[str, str]]:
    """Key moments in our words, plus the status updates customers could read (unless marked internal)."""
    values = anchored_values(doc)
    rows = [
        (values[field], shown_time(doc, field, values[field]), text)
        for field, text in _MOMENTS
        if values.get(field)
    ]
    if not is_internal(doc, "impact.public_communication"):
        rows += [
            (e.at, shown_time(doc, "", e.at), redact(e.text))
            for e in doc.timeline
            if e.kind is EventKind.COMMUNICATION and not e.internal and _is_public_update(e.text)
        ]
    return [
        {"at": _iso(at), "shown": shown, "event": text}
        for at, shown, text in sorted(rows, key=lambda r: r[0])
    ]


def _is_public_update(text: str) -> bool:
    # A communication event is customer-visible when it was a status page or customer notice.
    lowered = text.casefold()
    return any(
        word in lowered for word in ("status page", "status-page", "customers were told", "customer notice")
    )


def _missing(what: str) -> str:
    return _empty(f"Not written yet: {what}. Write it for customers before this report is published.")


def _window(doc: PostMortem) -> list[tuple[str, str]]:
    s = spans(doc)
    return [
        (
            "Customers affected from (UTC)",
            shown_time(doc, "impact_started_at", s.impact_start) if s.impact_start else "not confirmed yet",
        ),
        (
            "Back to normal (UTC)",
            shown_time(doc, "impact_ended_at", s.impact_end) if s.impact_end else "not confirmed yet",
        ),
        (
            "Duration",
            shown_duration(doc, s.impact, "impact_started_at", "impact_ended_at")
            if s.impact is not None
            else DASH,
        ),
    ]


def public_markdown(
    doc: PostMortem, redact: Redactor | None = None, public_domains: Sequence[str] = ()
) -> str:
    """The public report as Markdown, every text escaped after redaction."""
    f = public_facts(doc, redact, public_domains)
    affected = ("Who was affected", "; ".join(md_cell(x) for x in f["affected"]) or DASH)
    parts = [
        f"# Incident report: {md_cell(f['title'])}",
        "This report explains what customers saw, why it happened, how we fixed it and what we are changing.",
        "## What you may have seen",
        _table(["Customer impact", "Details"], [*_window(doc), affected]),
        md_text(f["what_customers_saw"]) or _missing("what customers saw"),
    ]
    if f["what_to_do"] or doc.header.trigger in NEEDS_WHAT_TO_DO:
        parts += ["## What you should do", md_text(f["what_to_do"]) or _missing("what customers should do")]
    parts += ["## What happened and why", md_text(f["what_happened"]) or _missing("what happened and why")]
    rows = [(r["shown"], md_cell(r["event"])) for r in f["timeline"]]
    parts += [
        "## Timeline (UTC)",
        _table(["Time (UTC)", "What happened"], rows)
        if rows
        else _empty("The times are still being confirmed."),
    ]
    parts += ["## How we fixed it", md_text(f["how_we_fixed_it"]) or _missing("how we fixed it")]
    changes = "\n".join(f"- {md_cell(text)}" for text in f["what_we_are_changing"])
    parts += ["## What we are changing", changes or _missing("what we are changing")]
    parts += ["## Questions", "If you were affected and need help, please contact our support team."]
    return "\n\n".join(parts) + "\n"
