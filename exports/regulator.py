"""The regulator's report: named accountability, sign-offs, the audit trail and the chosen regime's report.

It is a separate document: the blameless post-mortem stays as it is, and this report points to it. The
regime's fields (postmortem.regimes, one TOML file per regime) are the author's answers or pre-filled from
a post-mortem field with exactly the same meaning; every required field still empty is listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exports.escape import md_block, md_cell, md_text
from exports.markdown import DASH, _cell, _empty, _table, _when
from postmortem.causal_text import to_outline
from postmortem.models import ContactKind, PostMortem
from postmortem.regimes import Filled, Regime, chosen, fill, missing_required, regimes


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
    what = (
        f"Version {first.version} saved"
        if len(group) == 1
        else f"Versions {first.version} to {last.version} saved ({len(group)} saves)"
    )
    return AuditEntry(str(first.saved_at)[:16].replace("T", " "), what, str(first.saved_by))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def report_regime(doc: PostMortem) -> tuple[Regime, str]:
    """The regime and stage of the report: the author's choice, else the DORA final report."""
    regime = chosen(doc) or regimes()["dora"]
    stage = doc.impact.regulatory.stage
    return regime, stage if stage in regime.stages else regime.stages[-1]


def regime_report(doc: PostMortem) -> dict[str, Any]:
    """The regime's fields as the regulator's systems read them: field codes and typed values."""
    regime, stage = report_regime(doc)
    filled = fill(doc, regime)
    return {
        "regime": regime.key,
        "stage": stage,
        "fields": {x.field.code: x.value for x in filled if x.value is not None},
        "sources": {x.field.code: x.origin for x in filled if x.value is not None},
        "missing_required": [f.code for f in missing_required(doc, regime, stage)],
        "problems": {x.field.code: x.problem for x in filled if x.problem},
    }


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
        duties += [
            f"signed off as {s.role.value}" for s in doc.sign_offs if s.name.casefold() == c.name.casefold()
        ]
        rows.append(
            {
                "role": c.role,
                "name": c.name,
                "team": c.team,
                "contact": c.contact,
                "accountable_for": "; ".join(duties),
            }
        )
    return rows


def derived_trail(doc: PostMortem) -> list[AuditEntry]:
    """What the document itself records about who did what when: severity changes, closures, sign-offs."""
    entries = [
        AuditEntry(_when(c.at), f"Severity changed from {c.from_severity} to {c.to_severity}: {c.reason}", "")
        for c in doc.header.severity_changes
    ]
    entries += [
        AuditEntry(_when(a.closed_at), f"Action item closed ({a.status.value}): {a.title}", a.owner)
        for a in doc.action_items
        if a.closed_at
    ]
    entries += [
        AuditEntry(_when(s.signed_at), f"Signed off as {s.role.value}", s.name) for s in doc.sign_offs
    ]
    return sorted(entries, key=lambda e: e.at)


def audit_trail(doc: PostMortem, trail: Sequence[AuditEntry] = ()) -> list[AuditEntry]:
    """The document's own records and the saved versions, in time order."""
    return sorted([*derived_trail(doc), *trail], key=lambda e: e.at)


def regulator_facts(doc: PostMortem, trail: Sequence[AuditEntry] = ()) -> dict[str, Any]:
    """The report as plain values (the JSON export)."""
    return {
        "incident_id": doc.header.incident_id,
        "title": doc.header.title,
        "accountability": accountability(doc),
        "sign_offs": [
            {"role": s.role.value, "name": s.name, "signed_at": _iso(s.signed_at)} for s in doc.sign_offs
        ],
        "action_items": [
            {
                "action": a.title,
                "owner": a.owner,
                "due": a.due.isoformat() if a.due else None,
                "status": a.status.value,
                "closed_at": _iso(a.closed_at),
            }
            for a in doc.action_items
        ],
        "audit_trail": [vars(e) for e in audit_trail(doc, trail)],
        "report": regime_report(doc),
    }


_LONG = 140  # a text longer than this is written out below the table, not in a cell


def _value_cell(filled: Filled) -> str:
    if filled.problem:
        return _empty(filled.problem)
    if filled.value is None:
        return _empty("missing")
    text = (
        "; ".join(filled.value)
        if isinstance(filled.value, list)
        else {True: "yes", False: "no"}.get(filled.value, str(filled.value))
        if isinstance(filled.value, bool)
        else str(filled.value)
    )
    return "see below" if len(text) > _LONG else _cell(text)


def _regime_section(doc: PostMortem) -> list[str]:
    regime, stage = report_regime(doc)
    stage_words = md_cell(stage.replace("_", " "))  # the stored stage is data: shown as typed
    filled = fill(doc, regime)
    rows = [
        (f"{x.field.code}", md_cell(x.field.label), _value_cell(x), md_cell(x.origin) or DASH) for x in filled
    ]
    long = [x for x in filled if isinstance(x.value, str) and len(x.value) > _LONG and not x.problem]
    missing = missing_required(doc, regime, stage)
    chosen_note = (
        ""
        if chosen(doc)
        else (
            " No regime is chosen for this post-mortem yet (mark it reportable and pick "
            "one on the Regulatory report step); the DORA fields are shown."
        )
    )
    return [
        f"## {md_cell(regime.name)}: {stage_words}",
        (
            "Field codes and labels follow the regime's template; times are UTC and amounts are in thousands of the "
            "reporting currency. A value is either the author's answer or pre-filled from a post-mortem field with the "
            "same meaning, named beside it. Check every field against the official text before filing."
            + chosen_note
        ),
        _table(["Code", "Field", "Value", "Source"], rows),
        *[f"### {x.field.code} {md_cell(x.field.label)}\n\n{md_text(x.value, depth=3)}" for x in long],
        f"### Required fields still empty for the {stage_words}",
        "\n".join(f"- {f.code} {md_cell(f.label)}" for f in missing)
        if missing
        else _empty("Every required field is filled."),
    ]


def _narrative(doc: PostMortem) -> str:
    """The conditions that aligned, then the 5 Whys chain, each why on its own line."""
    rca = doc.root_cause
    parts = [md_text(rca.statement, depth=3)] if rca.statement.strip() else []
    parts += [
        f"- **Why {n}:** {md_cell(s.question)} **Because:** {md_cell(s.answer)}"
        for n, s in enumerate(rca.five_whys.steps, start=1)
    ]
    tree = getattr(rca, "causal_tree", None)
    if tree is not None and getattr(tree, "nodes", None):
        parts += ["**Causal tree:**", md_block(to_outline(tree))]
    return "\n\n".join(parts) or _empty("No root-cause narrative written yet.")


def regulator_markdown(doc: PostMortem, trail: Sequence[AuditEntry] = ()) -> str:
    """The report as Markdown."""
    h = doc.header
    people = [
        (
            _cell(p["role"]),
            _cell(p["name"]),
            _cell(p["team"]),
            _cell(p["contact"]),
            _cell(p["accountable_for"]),
        )
        for p in accountability(doc)
    ]
    signs = [(s.role.value, _cell(s.name), _when(s.signed_at)) for s in doc.sign_offs]
    actions = [
        (
            f"A{n}",
            _cell(a.title),
            _cell(a.owner),
            a.due.isoformat() if a.due else DASH,
            a.status.value,
            _when(a.closed_at),
        )
        for n, a in enumerate(doc.action_items, start=1)
    ]
    audit = [(_cell(e.at), _cell(e.what), _cell(e.by)) for e in audit_trail(doc, trail)]
    return (
        "\n\n".join(
            [
                f"# Regulatory report: {md_cell(h.incident_id)}: {md_cell(h.title)}",
                (
                    "This report names the people accountable for the response and for the follow-up work. It sits beside "
                    f"the blameless post-mortem {md_cell(h.incident_id)}, which stays unchanged and remains the record of "
                    "how the incident unfolded and why."
                ),
                "## Named accountability",
                _table(["Role", "Name", "Team", "Contact", "Accountable for"], people)
                if people
                else _empty("No people are listed in the contacts table yet."),
                "## Sign-offs",
                _table(["Role", "Name", "Signed at (UTC)"], signs)
                if signs
                else _empty("Nobody has signed off yet."),
                "## Action items and owners",
                _table(["#", "Action", "Owner", "Due", "Status", "Closed at (UTC)"], actions)
                if actions
                else _empty("No action items yet."),
                "## Audit trail",
                _table(["When (UTC)", "What", "By"], audit) if audit else _empty("Nothing recorded yet."),
                *_regime_section(doc),
                "## Root-cause narrative",
                _narrative(doc),
            ]
        )
        + "\n"
    )
