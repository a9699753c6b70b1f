"""The whole post-mortem as GitHub-flavoured Markdown: the ten sections, then the appendix.

Narrative fields are Markdown and pass through exports.escape: md_cell in headings and table cells (one
line, pipes escaped, so no cell can split a row), md_text in paragraphs and list items (normalised, no HTML,
the author's headings moved below the section's). Labels, headings, IDs, times and the empty-section lines
are our own words and are never escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from exports.escape import md_cell, md_text
from exports.mdtext import lead, parser
from postmortem.causal_text import to_mermaid
from postmortem.models import (
    ActionItem,
    ActionStatus,
    Anchor,
    ContactKind,
    ContributingFactor,
    EventKind,
    Interview,
    Note,
    PostMortem,
    TimelineEvent,
)
from postmortem.timeline import (
    ANCHOR_FIELDS,
    REQUIRED_ANCHORS,
    anchor_times,
    durations,
    format_duration,
    shown_time,
    spans,
)

DASH = "–"


def to_markdown(doc: PostMortem, *, names: bool = True) -> str:
    """GitHub-flavoured Markdown of the whole document, every user text escaped.

    names=False is the all-engineering version: people appear as their roles, without contact details.
    """
    parts = [
        _title(doc),
        _overview(doc),
        _summary(doc),
        _impact(doc),
        _timeline(doc),
        _notes("## 5. What went well", doc.went_well, "Nothing recorded yet as having gone well."),
        _notes("## 6. What went wrong", doc.went_wrong, "No conditions recorded yet."),
        _factors(doc),
        _root_cause(doc),
        _action_items(doc, names),
        _lessons(doc),
        _appendix(doc, names),
    ]
    return "\n\n".join(parts) + "\n"


# --- Building blocks --------------------------------------------------------------------------


def _cell(text: object) -> str:
    """User text for a table cell; an empty cell shows a dash so a gap reads as deliberate."""
    return md_cell(text) or DASH


def _cells(texts: Iterable[str]) -> str:
    return "; ".join(md_cell(t) for t in texts if t.strip()) or DASH


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GFM table; cells must already be escaped (or be our own words)."""
    lines = [_row(headers), _row(["---"] * len(headers))]
    lines += [_row(row) for row in rows]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _empty(sentence: str) -> str:
    return f"_{sentence}_"


def _indented(text: str) -> str:
    """Indent continuation lines so a multi-line text stays inside its list item."""
    return text.replace("\n", "\n  ")


def _after_label(label: str, markdown: str) -> str:
    """A bold label, then the text on the same line when it opens with a paragraph, else below it."""
    if not markdown:
        return f"{label} {DASH}"
    opens_with_paragraph = parser().parse(markdown)[0].type == "paragraph_open"
    return f"{label} {markdown}" if opens_with_paragraph else f"{label}\n\n{markdown}"


def _labelled(label: str, text: str, depth: int = 3) -> str:
    """A bold label and the user's Markdown, as one list item."""
    return "- " + _indented(_after_label(f"**{label}:**", md_text(text, depth=depth)))


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value else DASH


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not decided"}[value]


# --- 1. Overview ------------------------------------------------------------------------------


def _title(doc: PostMortem) -> str:
    return f"# {md_cell(doc.header.incident_id)}: {md_cell(doc.header.title)}"


def _overview(doc: PostMortem) -> str:
    h = doc.header
    rows = [
        ("Incident ID", _cell(h.incident_id)),
        ("Severity", h.severity.value),
        ("Status", h.status.value),
        ("What happened", h.trigger.value),
        ("New class of failure", _yes_no(h.novel_failure_class)),
        ("Services affected", _cells(h.services)),
        ("Failure class", _cell(h.failure_class)),
        ("Tags", _cells(h.tags)),
        ("Author (role)", _cell(h.author_role)),
        ("Reviewers (roles)", _cells(h.reviewer_roles)),
    ]
    parts = ["## 1. Overview", _table(["Field", "Value"], rows)]
    if h.severity_changes:
        parts += [
            "### Severity changes",
            _table(
                ["From", "To", "At (UTC)", "Reason"],
                [
                    (c.from_severity.value, c.to_severity.value, _when(c.at), _cell(c.reason))
                    for c in h.severity_changes
                ],
            ),
        ]
    return "\n\n".join(parts + [_key_times(doc), _durations(doc)])


def _key_times(doc: PostMortem) -> str:
    found = anchor_times(doc)
    # shown_time writes "about 17:30" for a time the author marked approximate (issue 14).
    rows = [
        (
            a.value.capitalize(),
            shown_time(doc, ANCHOR_FIELDS.get(a, ""), found[a]) if a in found else _missing_anchor(a),
        )
        for a in Anchor
    ]
    return "### Key times (UTC)\n\n" + _table(["Moment", "Time (UTC)"], rows)


def _missing_anchor(anchor: Anchor) -> str:
    return "not recorded yet (required)" if anchor in REQUIRED_ANCHORS else DASH


def _durations(doc: PostMortem) -> str:
    rows = []
    for d in durations(doc):
        verdict = {True: " (met)", False: " (missed)", None: ""}[d.within_target]
        target = f"{format_duration(d.target)}{verdict}" if d.target else DASH
        rows.append((d.name, format_duration(d.value), target))
    spans_ = spans(doc)
    rows += [
        ("Customer impact", format_duration(spans_.impact), DASH),
        ("Incident, start to full resolution", format_duration(spans_.incident), DASH),
    ]
    if spans_.downtime is not None:
        rows.append(("Service fully unavailable", format_duration(spans_.downtime), DASH))
    return "### Durations\n\n" + _table(["Measure", "Duration", f"{doc.header.severity} target"], rows)


# --- 2-3. Summary and impact ------------------------------------------------------------------


def _summary(doc: PostMortem) -> str:
    text = "## 2. Summary\n\n" + (md_text(doc.summary) or _empty("No summary written yet."))
    if doc.resolution.strip():  # what actually fixed it (issue 14), beside the summary
        text += "\n\n### Resolution\n\n" + md_text(doc.resolution)
    return text


def _impact(doc: PostMortem) -> str:
    i = doc.impact
    count = f"{i.customers_affected:,}" if i.customers_affected is not None else DASH
    revenue = f"{i.revenue.amount:,.2f} {i.revenue.currency}" if i.revenue else DASH
    budget = f"{i.error_budget_burned_pct:g} %" if i.error_budget_burned_pct is not None else DASH
    rows = [
        ("Customers affected", count),
        ("Customer segments", _cells(i.customer_segments)),
        ("Revenue effect", revenue),
        ("SLO", _cell(i.slo)),
        ("Error budget burned", budget),
        ("Internal teams blocked", _cells(i.internal_teams_blocked)),
        ("Public communication", _cell(i.public_communication)),
        ("Reportable to a regulator", _yes_no(i.regulatory.reportable)),
        ("Regulatory regimes", _cells(i.regulatory.regimes)),
        ("Regulatory notes", _cell(i.regulatory.notes)),
    ]
    description = md_text(i.description) or _empty("No description of the impact yet.")
    return "\n\n".join(["## 3. Impact", description, _table(["Measure", "Value"], rows)])


# --- 4. Timeline, decision points, interviews -------------------------------------------------

_TIMELINE_HEADERS = ["Time (UTC)", "Anchor", "Kind", "Event", "Actor (role)", "Source", "Decision"]


def _timeline(doc: PostMortem) -> str:
    if not doc.timeline:
        body = _empty("No timeline events recorded yet.")
    else:
        labels = _decision_labels(doc)
        body = _table(
            _TIMELINE_HEADERS, [_event_row(n, e, labels) for n, e in enumerate(doc.timeline, start=1)]
        )
        body += _event_details(doc.timeline)
    return "\n\n".join(["## 4. Timeline", body, _decisions(doc), _interviews(doc.interviews)])


def _event_details(events: list[TimelineEvent]) -> str:
    """Events written with lists, code or more than one paragraph, in full below the table (a table cell
    holds one line: a command in it could not be copied as written)."""
    longer = [(n, e) for n, e in enumerate(events, start=1) if lead(e.text)[1]]
    if not longer:
        return ""
    blocks = [f"**E{n} · {_when(e.at)} UTC**\n\n{md_text(e.text, depth=3)}" for n, e in longer]
    return "\n\n### Event details\n\n" + "\n\n".join(blocks)


def _decision_labels(doc: PostMortem) -> dict[str, str]:
    """D1, D2, … for the events that record a decision, in time order."""
    decided = [e for e in doc.timeline if e.decision is not None]
    return {e.id: f"D{n}" for n, e in enumerate(decided, start=1)}


def _event_row(number: int, event: TimelineEvent, labels: dict[str, str]) -> list[str]:
    mark = labels.get(event.id) or ("yes" if event.kind is EventKind.DECISION else "")
    anchor = event.anchor.value if event.anchor else ""
    opening, more = lead(event.text)
    text = " ".join(filter(None, [md_cell(opening), f"_(in full under E{number} below)_" if more else ""]))
    return [
        _when(event.at),
        anchor,
        event.kind.value,
        text or DASH,
        _cell(event.actor_role),
        event.source.value,
        mark,
    ]


def _decisions(doc: PostMortem) -> str:
    labels = _decision_labels(doc)
    blocks = [_decision(e, labels[e.id]) for e in doc.timeline if e.decision is not None]
    return "### Decision points\n\n" + ("\n\n".join(blocks) or _empty("No decision points marked yet."))


def _decision(event: TimelineEvent, label: str) -> str:
    d = event.decision
    assert d is not None  # only called for events that record a decision
    return "\n".join(
        [
            f"**{label} · {_when(event.at)} UTC:** {md_cell(event.text)}",
            "",
            _labelled("Options on the table", d.options),
            _labelled("What was known then", d.information_available),
            f"- **Could it be undone:** {_yes_no(d.reversible)}",
        ]
    )


def _interviews(interviews: list[Interview]) -> str:
    blocks = [_interview(n, i) for n, i in enumerate(interviews, start=1)]
    return "### Interviews\n\n" + ("\n\n".join(blocks) or _empty("No interviews recorded yet."))


def _interview(number: int, interview: Interview) -> str:
    parts = [f"#### Interview {number}: {md_cell(interview.role)}"]
    if interview.held_at:
        parts.append(f"_Held {_when(interview.held_at)} UTC._")
    if interview.notes:
        parts.append(md_text(interview.notes, depth=4))
    rows = [(_when(r.at), _cell(r.observed), _cell(r.did), _cell(r.knew)) for r in interview.rows]
    if rows:
        parts.append(_table(["Time (UTC)", "What they observed", "What they did", "What they knew"], rows))
    return "\n\n".join(parts)


# --- 5-7. Went well, went wrong, contributing factors -----------------------------------------


def _notes(heading: str, notes: list[Note], when_empty: str) -> str:
    if not notes:
        return f"{heading}\n\n{_empty(when_empty)}"
    return f"{heading}\n\n" + "\n".join(_note(n) for n in notes)


def _note(note: Note) -> str:
    text = md_text(note.text) or DASH
    return "- " + _indented(_after_label(f"**{md_cell(note.group)}:**", text) if note.group.strip() else text)


def _factors(doc: PostMortem) -> str:
    if not doc.contributing_factors:
        return "## 7. Contributing factors\n\n" + _empty("No contributing factors recorded yet.")
    actions = _action_numbers(doc.action_items)
    rows = [_factor_row(n, f, actions) for n, f in enumerate(doc.contributing_factors, start=1)]
    headers = ["#", "Factor", "Category", "Addressed by", "Accepted without action because"]
    return "## 7. Contributing factors\n\n" + _table(headers, rows)


def _action_numbers(items: list[ActionItem]) -> dict[str, list[str]]:
    """For each factor id, the numbers (A1, A2, …) of the action items that address it."""
    numbers: dict[str, list[str]] = {}
    for n, item in enumerate(items, start=1):
        for factor_id in item.factor_ids:
            numbers.setdefault(factor_id, []).append(f"A{n}")
    return numbers


def _factor_row(number: int, factor: ContributingFactor, actions: dict[str, list[str]]) -> list[str]:
    addressed = ", ".join(actions.get(factor.id, [])) or DASH
    return [
        f"F{number}",
        _cell(factor.text),
        factor.category.value,
        addressed,
        _cell(factor.accepted_rationale),
    ]


# --- 8-9. Root-cause analysis and action items ------------------------------------------------


def _root_cause(doc: PostMortem) -> str:
    rca = doc.root_cause
    method = f"**Method:** {rca.method.value}" if rca.method else _empty("No method chosen yet.")
    return "\n\n".join(
        [
            "## 8. Root-cause analysis",
            method,
            _five_whys(doc),
            causal_tree_section(doc),
            "### Conditions that aligned",
            md_text(rca.statement, depth=3) or _empty("No statement written yet."),
        ]
    )


def causal_tree_section(doc: PostMortem) -> str:
    """The causal tree as Mermaid. Drawn by postmortem.causal_text.to_mermaid;
    until a tree has nodes it says so in our words."""
    tree = getattr(doc.root_cause, "causal_tree", None)
    if tree is None or not getattr(tree, "nodes", None):
        return "### Causal tree\n\n" + _empty("No causal tree yet.")
    return "### Causal tree\n\n```mermaid\n" + to_mermaid(tree).replace("```", "` ` `") + "\n```"


def _five_whys(doc: PostMortem) -> str:
    whys = doc.root_cause.five_whys
    parts = ["### 5 Whys"]
    if whys.problem:
        parts.append(_after_label("**Problem:**", md_text(whys.problem, depth=3)))
    if whys.steps:
        rows = [(str(n), _cell(s.question), _cell(s.answer)) for n, s in enumerate(whys.steps, start=1)]
        parts.append(_table(["#", "Why?", "Because"], rows))
    if whys.stop_reason:
        parts.append(_after_label("**Why the chain stops here:**", md_text(whys.stop_reason, depth=3)))
    if len(parts) == 1:
        parts.append(_empty("No 5 Whys chain written yet."))
    return "\n\n".join(parts)


_ACTION_HEADERS = [
    "#",
    "Action",
    "Owner",
    "Due",
    "Tracker",
    "Category",
    "Priority",
    "Status",
    "Acceptance criteria",
    "Factors",
]


def _action_items(doc: PostMortem, names: bool = True) -> str:
    if not doc.action_items:
        return "## 9. Action items\n\n" + _empty("No action items yet.")
    factors = {f.id: f"F{n}" for n, f in enumerate(doc.contributing_factors, start=1)}
    rows = [_action_row(n, item, factors) for n, item in enumerate(doc.action_items, start=1)]
    if not names:
        roles = owner_roles(doc)
        rows = [
            row[:2] + [_cell(roles.get(item.owner, ""))] + row[3:]
            for row, item in zip(rows, doc.action_items, strict=False)
        ]
    return "## 9. Action items\n\n" + _table(_ACTION_HEADERS, rows)


def _action_row(number: int, item: ActionItem, factors: dict[str, str]) -> list[str]:
    status = item.status.value
    if item.status is ActionStatus.CANCELLED:
        status += ": " + md_cell(item.cancel_reason)
    linked = ", ".join(factors[i] for i in item.factor_ids if i in factors) or DASH
    return [
        f"A{number}",
        _cell(item.title),
        _cell(item.owner),
        item.due.isoformat() if item.due else DASH,
        _cell(item.tracker),
        item.category.value if item.category else DASH,
        item.priority.value if item.priority else DASH,
        status,
        _cell(item.acceptance_criteria),
        linked,
    ]


# --- 10. Lessons, and the appendix ------------------------------------------------------------


def _lessons(doc: PostMortem) -> str:
    return "\n\n".join(
        [
            _notes("## 10. Lessons learned", doc.lessons, "No lessons written yet."),
            _notes("### Where we got lucky", doc.where_we_got_lucky, "Nothing noted yet about luck."),
        ]
    )


def owner_roles(doc: PostMortem) -> dict[str, str]:
    """Each action-item owner's role from the contacts table, for documents that name roles only."""
    by_name = {c.name.strip().casefold(): c.role or c.team for c in doc.contacts}
    return {
        item.owner: by_name.get(item.owner.strip().casefold()) or ("role not listed" if item.owner else "")
        for item in doc.action_items
    }


def _appendix(doc: PostMortem, names: bool = True) -> str:
    links = [(link.kind.value, _cell(link.label), _cell(link.url)) for link in doc.links]
    if names:
        contacts = _table(
            ["Name", "Kind", "Role", "Team", "Contact"],
            [
                (_cell(c.name), c.kind.value, _cell(c.role), _cell(c.team), _cell(c.contact))
                for c in doc.contacts
            ],
        )
        signs = _table(
            ["Role", "Name", "Signed at (UTC)"],
            [(s.role.value, _cell(s.name), _when(s.signed_at)) for s in doc.sign_offs],
        )
    else:  # roles only: a team's name and channel are kept, a person's name and address are not
        contacts = _table(
            ["Role", "Kind", "Team", "Contact"],
            [
                (
                    _cell(c.role),
                    c.kind.value,
                    _cell(c.team),
                    _cell(c.contact) if c.kind is ContactKind.TEAM else DASH,
                )
                for c in doc.contacts
            ],
        )
        signs = _table(
            ["Role", "Signed at (UTC)"], [(s.role.value, _when(s.signed_at)) for s in doc.sign_offs]
        )
    return "\n\n".join(
        [
            "## Appendix",
            "### Contacts",
            contacts if doc.contacts else _empty("No contacts listed yet."),
            "### Links",
            _table(["Kind", "Label", "URL"], links) if links else _empty("No links added yet."),
            "### Sign-offs",
            signs if doc.sign_offs else _empty("Nobody has signed off yet."),
            *(_imported(doc) if names else []),
        ]
    )


def _imported(doc: PostMortem) -> list[str]:
    """Text an import kept as written; only in the owning team's document, since it may name people."""
    if not doc.imported:
        return []
    parts = ["### Imported text"]
    for part in doc.imported:
        parts += [f"#### {md_cell(part.heading) or 'Untitled'}", md_text(part.text, depth=4)]
    return parts
