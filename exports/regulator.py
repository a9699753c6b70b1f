"""The regulator's report: named accountability, sign-offs, the audit trail and a DORA final-report section.

It is a separate document: the blameless post-mortem stays as it is, and this report points to it. Field
names follow the final-report part of the DORA major-incident template (CIR 2025/302) in our words;
check them against the official text before filing. Whatever the post-mortem cannot supply is listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from exports.escape import md_block, md_cell, md_text
from exports.markdown import DASH, _cell, _empty, _table, _when
from postmortem.models import (
    ActionCategory,
    Anchor,
    ContactKind,
    FactorCategory,
    LinkKind,
    PostMortem,
    Severity,
    TriggerKind,
)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail: a saved version, from storage (the exports themselves read no database)."""

    at: str
    what: str
    by: str


def trail_from_revisions(revisions: Iterable[Any]) -> list[AuditEntry]:
    """Audit entries from saved versions (anything with version, saved_at and saved_by), oldest first.

    Autosave keeps a version per edit, so one person's saves on one day become one line.
    """
    entries: list[AuditEntry] = []
    group: list[Any] = []
    for r in sorted(revisions, key=lambda r: r.version):
        if group and (r.saved_by, str(r.saved_at)[:10]) != (group[0].saved_by, str(group[0].saved_at)[:10]):
            entries.append(_saves(group))
            group = []
        group.append(r)
    return entries + ([_saves(group)] if group else [])


def _saves(group: list[Any]) -> AuditEntry:
    first, last = group[0], group[-1]
    what = (f"Version {first.version} saved" if len(group) == 1
            else f"Versions {first.version} to {last.version} saved ({len(group)} saves)")
    return AuditEntry(str(first.saved_at)[:16].replace("T", " "), what, str(first.saved_by))


_CLASS_BY_CATEGORY = {
    FactorCategory.CODE: "system failure", FactorCategory.CONFIGURATION: "system failure",
    FactorCategory.CAPACITY: "system failure", FactorCategory.MONITORING: "system failure",
    FactorCategory.DEPENDENCY: "system failure", FactorCategory.PROCESS: "process failure",
    FactorCategory.DOCUMENTATION: "process failure", FactorCategory.ORGANISATION: "process failure",
    FactorCategory.EXTERNAL: "external event",
}


def root_cause_class(doc: PostMortem) -> str | None:
    """The DORA root-cause class, from the trigger and the most common factor category.

    Debrief never proposes 'human error': a blameless analysis looks for the conditions behind an action.
    """
    if doc.header.trigger == TriggerKind.SECURITY:
        return "malicious action"
    counted = Counter(_CLASS_BY_CATEGORY[f.category] for f in doc.contributing_factors)
    return counted.most_common(1)[0][0] if counted else None


def _dhm(value: timedelta | None) -> str | None:
    """A duration as DD:HH:MM, the template's format."""
    if value is None:
        return None
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 1440:02d}:{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _person(doc: PostMortem, role_word: str) -> str | None:
    for c in doc.contacts:
        if c.kind is ContactKind.PERSON and role_word in c.role.casefold():
            return f"{c.name} ({c.role}{', ' + c.contact if c.contact else ''})"
    return None


def _anchor_text(doc: PostMortem, anchor: Anchor) -> str | None:
    return next((e.text for e in doc.timeline if e.anchor is anchor), None)


def dora_fields(doc: PostMortem) -> list[tuple[str, str | None]]:
    """(field, value) pairs of the final report; None where the post-mortem holds no answer."""
    h, i, t = doc.header, doc.impact, doc.header.times
    recovered = t.impact_ended_at or t.resolved_at
    duration = recovered - t.started_at if recovered and t.started_at else None
    major_at = next((c.at for c in h.severity_changes if c.to_severity in (Severity.SEV0, Severity.SEV1)), None)
    prevent = [a for a in doc.action_items if a.category is ActionCategory.PREVENT]
    addressed = (max((a.closed_at for a in prevent if a.closed_at), default=None)
                 if prevent and all(a.status.is_closed for a in prevent) else None)
    whys = [f"{n}. {s.question} {s.answer}".strip() for n, s in enumerate(doc.root_cause.five_whys.steps, 1)]
    narrative = "\n".join(x for x in [doc.root_cause.statement, *whys] if x.strip()) or None
    related = [link.label or link.url for link in doc.links if link.kind is LinkKind.POSTMORTEM]
    cost = f"{i.revenue.amount / 1000:,.1f} thousand {i.revenue.currency} revenue effect" if i.revenue else None
    return [
        ("Incident reference", h.incident_id),
        ("Financial entity and LEI", None),
        ("Primary contact", _person(doc, "incident commander")),
        ("Secondary contact", _person(doc, (h.author_role or "author").casefold())),
        ("Reporting currency", i.revenue.currency if i.revenue else None),
        ("Detected at (UTC)", _iso(t.detected_at)),
        ("Classified as major at (UTC)", _iso(major_at)),
        ("How the incident was discovered", _anchor_text(doc, Anchor.DETECTION)),
        ("Occurred at (UTC)", _iso(t.started_at)),
        ("Services recovered at (UTC)", _iso(recovered)),
        ("Duration (DD:HH:MM)", _dhm(duration)),
        ("Service downtime (DD:HH:MM)", _dhm(duration)),
        ("Clients affected", f"{i.customers_affected:,}" if i.customers_affected is not None else None),
        ("Clients affected, share of all clients", None),
        ("Financial counterparts affected", None),
        ("Transactions affected", None),
        ("Member States affected", None),
        ("Data losses", "yes: the incident lost data" if h.trigger is TriggerKind.DATA_LOSS else None),
        ("Critical services affected", "; ".join(h.services) or None),
        ("Reputational impact", i.public_communication or None),
        ("Temporary actions taken", _anchor_text(doc, Anchor.FIRST_MITIGATION)),
        ("Root-cause class", root_cause_class(doc)),
        ("Root-cause subclass", None),
        ("Root-cause narrative", narrative),
        ("Resolution summary", "; ".join(f"{a.title} ({a.status.value})" for a in doc.action_items) or None),
        ("Root cause addressed at (UTC)", _iso(addressed)),
        ("Incident resolved at (UTC)", _iso(t.resolved_at)),
        ("Why the permanent fix date moved", None),
        ("Gross direct and indirect costs (thousands)", cost),
        ("Financial recoveries (thousands)", None),
        ("Recurring incidents with the same root cause", "; ".join(related) or None),
        ("Other authorities informed", "; ".join(i.regulatory.regimes) or None),
    ]


def accountability(doc: PostMortem) -> list[dict[str, str]]:
    """Each person in the contacts table with what they are accountable for in this incident."""
    numbers = {a.id: f"A{n}" for n, a in enumerate(doc.action_items, start=1)}
    rows = []
    for c in doc.contacts:
        if c.kind is not ContactKind.PERSON:
            continue
        duties = []
        if c.role and c.role.casefold() == doc.header.author_role.casefold():
            duties.append("wrote the post-mortem")
        if c.role and c.role.casefold() in {r.casefold() for r in doc.header.reviewer_roles}:
            duties.append("reviewed it")
        owned = [numbers[a.id] for a in doc.action_items if a.owner.strip().casefold() == c.name.casefold()]
        if owned:
            duties.append("owns " + ", ".join(owned))
        duties += [f"signed off as {s.role.value}" for s in doc.sign_offs if s.name.casefold() == c.name.casefold()]
        rows.append({"role": c.role, "name": c.name, "team": c.team, "contact": c.contact,
                     "accountable_for": "; ".join(duties)})
    return rows


def derived_trail(doc: PostMortem) -> list[AuditEntry]:
    """What the document itself records about who did what when: severity changes, closures, sign-offs."""
    entries = [AuditEntry(_when(c.at), f"Severity changed from {c.from_severity} to {c.to_severity}: {c.reason}",
                          "") for c in doc.header.severity_changes]
    entries += [AuditEntry(_when(a.closed_at), f"Action item closed ({a.status.value}): {a.title}", a.owner)
                for a in doc.action_items if a.closed_at]
    entries += [AuditEntry(_when(s.signed_at), f"Signed off as {s.role.value}", s.name) for s in doc.sign_offs]
    return sorted(entries, key=lambda e: e.at)


def audit_trail(doc: PostMortem, trail: Sequence[AuditEntry] = ()) -> list[AuditEntry]:
    """The document's own records and the saved versions, in time order."""
    return sorted([*derived_trail(doc), *trail], key=lambda e: e.at)


def regulator_facts(doc: PostMortem, trail: Sequence[AuditEntry] = ()) -> dict[str, Any]:
    """The report as plain values (the JSON export)."""
    fields = dora_fields(doc)
    return {
        "incident_id": doc.header.incident_id, "title": doc.header.title,
        "accountability": accountability(doc),
        "sign_offs": [{"role": s.role.value, "name": s.name, "signed_at": _iso(s.signed_at)} for s in doc.sign_offs],
        "action_items": [{"action": a.title, "owner": a.owner, "due": a.due.isoformat() if a.due else None,
                          "status": a.status.value, "closed_at": _iso(a.closed_at)} for a in doc.action_items],
        "audit_trail": [vars(e) for e in audit_trail(doc, trail)],
        "dora_final_report": {name: value for name, value in fields},
        "dora_unfilled": [name for name, value in fields if value is None],
    }


_BELOW = ("Root-cause narrative", "Resolution summary")  # too long for a table cell: written out below it


def _dora_value(name: str, value: str | None) -> str:
    if value is None:
        return _empty("not in the post-mortem")
    return "see below" if name in _BELOW else _cell(value)


def _narrative(doc: PostMortem) -> str:
    """The conditions that aligned, then the 5 Whys chain, each why on its own line."""
    rca = doc.root_cause
    parts = [md_text(rca.statement, depth=3)] if rca.statement.strip() else []
    parts += [f"- **Why {n}:** {md_cell(s.question)} **Because:** {md_cell(s.answer)}"
              for n, s in enumerate(rca.five_whys.steps, start=1)]
    tree = getattr(rca, "causal_tree", None)
    if tree is not None and getattr(tree, "nodes", None):
        from postmortem.causal import to_outline  # the causal tree, as an indented outline

        parts += ["**Causal tree:**", md_block(to_outline(tree))]
    return "\n\n".join(parts) or _empty("No root-cause narrative written yet.")


def regulator_markdown(doc: PostMortem, trail: Sequence[AuditEntry] = ()) -> str:
    """The report as Markdown."""
    h = doc.header
    fields = dora_fields(doc)
    people = [(_cell(p["role"]), _cell(p["name"]), _cell(p["team"]), _cell(p["contact"]), _cell(p["accountable_for"]))
              for p in accountability(doc)]
    signs = [(s.role.value, _cell(s.name), _when(s.signed_at)) for s in doc.sign_offs]
    actions = [(f"A{n}", _cell(a.title), _cell(a.owner), a.due.isoformat() if a.due else DASH, a.status.value,
                _when(a.closed_at)) for n, a in enumerate(doc.action_items, start=1)]
    audit = [(_cell(e.at), _cell(e.what), _cell(e.by)) for e in audit_trail(doc, trail)]
    unfilled = [name for name, value in fields if value is None]
    return "\n\n".join([
        f"# Regulatory report: {md_cell(h.incident_id)}: {md_cell(h.title)}",
        ("This report names the people accountable for the response and for the follow-up work. It sits beside "
        f"the blameless post-mortem {md_cell(h.incident_id)}, which stays unchanged and remains the record of "
        "how the incident unfolded and why."),
        "## Named accountability",
        _table(["Role", "Name", "Team", "Contact", "Accountable for"], people) if people
        else _empty("No people are listed in the contacts table yet."),
        "## Sign-offs",
        _table(["Role", "Name", "Signed at (UTC)"], signs) if signs else _empty("Nobody has signed off yet."),
        "## Action items and owners",
        _table(["#", "Action", "Owner", "Due", "Status", "Closed at (UTC)"], actions) if actions
        else _empty("No action items yet."),
        "## Audit trail",
        _table(["When (UTC)", "What", "By"], audit) if audit else _empty("Nothing recorded yet."),
        "## DORA major-incident final report",
        ("Filled from the post-mortem. Field names follow the final-report template (CIR 2025/302); amounts "
        "are in thousands of the reporting currency and times are UTC. Check them against the official text "
        "before filing."),
        _table(["Field", "Value"], [(name, _dora_value(name, value)) for name, value in fields]),
        "### Root-cause narrative", _narrative(doc),
        "### Resolution", "\n".join(f"- {md_cell(a.title)} ({a.status.value}"
                                    f"{', due ' + a.due.isoformat() if a.due and not a.status.is_closed else ''})"
                                    for a in doc.action_items) or _empty("No action items yet."),
        "### Fields to complete before filing",
        "\n".join(f"- {name}" for name in unfilled) if unfilled else _empty("Every field is filled."),
    ]) + "\n"
