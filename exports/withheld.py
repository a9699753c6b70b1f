"""What each audience's document leaves out, in short phrases, so nothing is withheld or leaked by surprise."""

from __future__ import annotations

from collections.abc import Sequence

from exports import evidence
from exports.public import INTERNAL_FIELD_CHOICES, public_markdown
from exports.redact import redactor_for
from postmortem.models import ContactKind, EventKind, PostMortem

# The Redactor counts by plural kind; one of a kind reads better in the singular.
_SINGULAR = {
    "e-mail addresses": "e-mail address",
    "links": "link",
    "ticket IDs": "ticket ID",
    "amounts of money": "amount of money",
    "chat channels": "chat channel",
    "names of people": "name of a person",
    "team names": "team name",
    "internal names": "internal name",
    "host names": "host name",
    "machine names": "machine name",
    "IP addresses": "IP address",
    "chat handles": "chat handle",
}


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _sections(doc: PostMortem, names: list[tuple[str, int]]) -> list[str]:
    """Whole sections left out, with how many entries each held (empty ones are not worth mentioning)."""
    return [f"{label} ({count})" for label, count in names if count]


def withheld(doc: PostMortem, audience: str, public_domains: Sequence[str] = ()) -> list[str]:
    """What the audience's document does not show that the full document does."""
    files = evidence.withheld(doc, audience)
    if audience == "public":
        return _public(doc, public_domains) + files
    return _BY_AUDIENCE[audience](doc) + files


def _team(doc: PostMortem) -> list[str]:
    return []


def _engineering(doc: PostMortem) -> list[str]:
    persons = [c for c in doc.contacts if c.kind is ContactKind.PERSON]
    owners = {a.owner for a in doc.action_items if a.owner}
    out = []
    if persons:
        out.append(_n(len(persons), "name") + " in contacts (shown as roles)")
        with_contact = sum(1 for c in persons if c.contact)
        if with_contact:
            out.append(_n(with_contact, "personal contact detail"))
    if owners:
        out.append(_n(len(owners), "action-item owner name") + " (shown as roles)")
    if doc.sign_offs:
        out.append(_n(len(doc.sign_offs), "sign-off name") + " (roles and times kept)")
    if doc.imported:
        out.append(_n(len(doc.imported), "part") + " of imported text (it may name people)")
    return out


def _executive(doc: PostMortem) -> list[str]:
    return _sections(
        doc,
        [
            ("timeline events", len(doc.timeline)),
            ("interviews", len(doc.interviews)),
            ("what went well", len(doc.went_well)),
            ("what went wrong", len(doc.went_wrong)),
            ("contributing factors", len(doc.contributing_factors)),
            ("5 Whys steps", len(doc.root_cause.five_whys.steps)),
            ("lessons", len(doc.lessons)),
            ("contacts", len(doc.contacts)),
            ("links", len(doc.links)),
            ("imported text", len(doc.imported)),
        ],
    ) + (["action-item trackers and acceptance criteria"] if doc.action_items else [])


def _public(doc: PostMortem, public_domains: Sequence[str] = ()) -> list[str]:
    redact = redactor_for(doc, public_domains)
    public_markdown(doc, redact)  # counts what the redactor replaced in this very document
    out = [
        _n(count, _SINGULAR.get(kind, kind), kind) + " replaced"
        for kind, count in sorted(redact.counts.items())
        if count
    ]
    internal_events = sum(1 for e in doc.timeline if e.internal)
    if internal_events:
        out.append(_n(internal_events, "timeline event") + " marked internal")
    shown_kinds = sum(1 for e in doc.timeline if not e.internal and e.kind is EventKind.COMMUNICATION)
    other = len(doc.timeline) - internal_events - shown_kinds
    if other > 0:
        out.append(_n(other, "other timeline event") + " (only the key moments customers noticed are shown)")
    internal_text = [
        label
        for label, text in (
            ("summary", doc.summary),
            ("impact description", doc.impact.description),
            ("root-cause statement", doc.root_cause.statement),
        )
        if text.strip()
    ]
    if internal_text:
        out.append("the " + ", ".join(internal_text) + " (the report uses the text written for customers)")
    unworded = sum(1 for a in doc.action_items if not a.public_text.strip())
    if unworded:
        out.append(_n(unworded, "action item") + " without public wording")
    out += [f"{INTERNAL_FIELD_CHOICES.get(path, path)} (marked internal)" for path in doc.internal_fields]
    i = doc.impact
    figures = [
        ("customer count", i.customers_affected is not None),
        ("revenue", i.revenue is not None),
        ("error budget", i.error_budget_burned_pct is not None),
        ("SLO", bool(i.slo)),
        ("internal teams blocked", bool(i.internal_teams_blocked)),
        ("regulatory notes", bool(i.regulatory.notes or i.regulatory.regimes)),
    ]
    out += [label for label, present in figures if present]
    out += _sections(
        doc,
        [
            ("names in contacts", len(doc.contacts)),
            ("action-item owners, dates and trackers", len(doc.action_items)),
            ("sign-offs", len(doc.sign_offs)),
            ("what went well", len(doc.went_well)),
            ("what went wrong", len(doc.went_wrong)),
            ("contributing factors", len(doc.contributing_factors)),
            ("5 Whys steps", len(doc.root_cause.five_whys.steps)),
            ("interviews", len(doc.interviews)),
            ("lessons", len(doc.lessons)),
            ("links", len(doc.links)),
            ("imported text", len(doc.imported)),
        ],
    )
    if getattr(getattr(doc.root_cause, "causal_tree", None), "nodes", None):
        out.append("the causal tree")
    return out


def _regulator(doc: PostMortem) -> list[str]:
    return _sections(
        doc,
        [
            ("timeline detail", len(doc.timeline)),
            ("interviews", len(doc.interviews)),
            ("what went well", len(doc.went_well)),
            ("what went wrong", len(doc.went_wrong)),
            ("lessons", len(doc.lessons)),
            ("imported text", len(doc.imported)),
        ],
    ) + ["the blameless narrative (kept in the post-mortem beside this report)"]


_BY_AUDIENCE = {
    "team": _team,
    "engineering": _engineering,
    "exec": _executive,
    "public": _public,
    "regulator": _regulator,
}
