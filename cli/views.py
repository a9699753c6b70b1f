"""The command line's plain-text views: what a person reads in a terminal. Pure functions of the data
the commands fetched; the commands live beside them, one module per family."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from cli.text import plain
from postmortem.models import Anchor, PostMortem
from postmortem.searchable import plain_snippet
from postmortem.severity import deadline_for, verdict_for
from postmortem.timeline import anchor_times, durations, format_duration, missing_anchors

# --- Plain-text views -------------------------------------------------------------------------


def _when(value: datetime | str | None) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value else "–"


def _columns(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Left-aligned columns; the last one is left unpadded so long titles do not pad every line."""
    rows = [[plain(cell) for cell in row] for row in rows]
    widths = [max(len(str(r[i])) for r in [list(headers), *rows]) for i in range(len(headers) - 1)]
    lines = []
    for row in [list(headers), *rows]:
        lines.append("  ".join([c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]).rstrip())
    return "\n".join(lines)


def format_list(rows: Sequence[Any], deleted: bool = False, prog: str = "debrief") -> str:
    """The `list` table: number, incident ID, severity, status, last change, title."""
    if not rows:
        if deleted:
            return "The bin is empty."
        return (
            f"No post-mortems yet. Start one with '{prog} new --title ...' "
            f"or load examples with '{prog} demo'."
        )
    return _columns(
        ["#", "Incident ID", "Severity", "Status", "Updated (UTC)", "Title"],
        [[str(r.id), r.incident_id, r.severity, r.status, _when(r.updated_at), r.title] for r in rows],
    )


def format_actions(rows: Sequence[Any], total: int) -> str:
    """The `actions` table: incident, due date, status, priority, owner, action; then how many."""
    if not rows:
        return "No action items match."
    table = _columns(
        ["Incident ID", "Due", "Status", "Priority", "Owner", "Action"],
        [[r.incident_id, r.due or "–", r.status, r.priority or "–", r.owner or "–", r.title] for r in rows],
    )
    shown = f"{len(rows)} of {total}" if total > len(rows) else f"{total}"
    return f"{table}\n\n{shown} action item{'s' if total != 1 else ''}."


def format_search(hits: Sequence[Any], total: int) -> str:
    """The `search` view: one line per post-mortem, then where it matched and the passage."""
    if not hits:
        return "No post-mortem matches."
    lines = [f"{len(hits)} of {total} post-mortem{'s' if total != 1 else ''}, best match first:"]
    for hit in hits:
        when = hit.incident_at[:10] if hit.incident_at else "no date"
        lines.append(f"#{hit.id}  {plain(hit.incident_id)}  {hit.severity}  {when}  {plain(hit.title)}")
        lines.append(f"    {plain(hit.section)}: {plain(plain_snippet(hit.snippet))}")
    return "\n".join(lines)


def format_revisions(rows: Sequence[Any]) -> str:
    """The `revisions` table: version, when, by whom, the title at the time."""
    return _columns(
        ["Version", "Saved (UTC)", "By", "Title"],
        [[str(r.version), _when(r.saved_at), r.saved_by or "–", r.title or ""] for r in rows],
    )


def format_summary(doc: PostMortem, doc_id: int, version: int, updated_at: str, country: str) -> str:
    """The `show` view: the header, key times, durations, summary and how full each section is;
    the deadline skips the public holidays of `country`."""
    heading = _heading(doc, doc_id, version, updated_at, country)
    return "\n\n".join([heading, _times(doc), _summary(doc), _counts(doc)])


def _heading(doc: PostMortem, doc_id: int, version: int, updated_at: str, country: str) -> str:
    h = doc.header
    verdict = verdict_for(h.severity, h.trigger, h.novel_failure_class)
    due = deadline_for(doc, country)
    due_text = f" Due {due.isoformat()}." if due else ""
    novel = "yes" if h.novel_failure_class else "no"
    lines = [
        f"{plain(h.incident_id)}  {plain(h.title)}",
        f"  #{doc_id} · version {version} · updated {_when(updated_at)} UTC",
        f"  {h.severity} · {h.status} · {h.trigger} · new class of failure: {novel}",
        f"  Post-mortem {verdict.requirement.value}: {verdict.reason}{due_text}",
        f"  Services: {plain(', '.join(h.services)) or '–'}",
        f"  Failure class: {plain(h.failure_class) or '–'}",
    ]
    return "\n".join(lines)


def _times(doc: PostMortem) -> str:
    found = anchor_times(doc)
    lines = ["Key times (UTC)"] + [f"  {a.value.capitalize():<26}{_when(found.get(a))}" for a in Anchor]
    lines.append("Durations")
    for d in durations(doc):
        target = (
            f"  (Sev1 target {format_duration(d.target)}: {'met' if d.within_target else 'missed'})"
            if d.within_target is not None
            else ""
        )
        lines.append(f"  {d.name:<26}{format_duration(d.value)}{target}")
    missing = missing_anchors(doc)
    if missing:
        lines.append(f"  Anchors still to mark: {', '.join(missing)}")
    return "\n".join(lines)


def _summary(doc: PostMortem) -> str:
    text = plain(doc.summary) or "(no summary yet)"
    return "Summary\n" + textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="  ")


def _counts(doc: PostMortem) -> str:
    open_items = sum(1 for item in doc.action_items if not item.status.is_closed)
    counts = [
        ("Timeline events", len(doc.timeline)),
        ("Interviews", len(doc.interviews)),
        ("Went well", len(doc.went_well)),
        ("Went wrong", len(doc.went_wrong)),
        ("Contributing factors", len(doc.contributing_factors)),
        ("Action items", f"{len(doc.action_items)} ({open_items} open)"),
        ("Lessons", len(doc.lessons)),
        ("Contacts", len(doc.contacts)),
        ("Links", len(doc.links)),
        ("Sign-offs", len(doc.sign_offs)),
    ]
    return "Sections\n" + "\n".join(f"  {name:<26}{value}" for name, value in counts)
