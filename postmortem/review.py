"""What stands between a draft and Final: quality gates, the review rubric and the status workflow.

Every gate is a finding a reviewer can act on: what is missing, where, and which step fixes it.
`blockers(...)` is what refuses Final; warnings are shown but do not block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from postmortem import language, regimes
from postmortem.completeness import _sentences
from postmortem.errors import DebriefError
from postmortem.models import (
    ActionItem,
    ActionStatus,
    AllspawCheck,
    ContactKind,
    DocStatus,
    PostMortem,
    Priority,
    Severity,
    SignOff,
    SignOffRole,
    TriggerKind,
)
from postmortem.severity import was_lowered
from postmortem.timeline import missing_anchors, written_durations

DEFAULT_SPRINT_DAYS = 14
PRIORITY_WINDOW_DAYS = {Priority.P1: 31, Priority.P2: 92}  # P0: one sprint, configurable
READ_ONLY = (DocStatus.FINAL, DocStatus.PUBLISHED)

# Acceptance criteria are testable when they carry a number, a threshold or an observable check.
_MEASURABLE = re.compile(
    r"\d|%|\b(?:alert|page|pages|test|tests|fails?|blocks?|rejects?|refuses?|returns?|"
    r"within|under|below|above|at most|at least|every|each|no longer|zero|none|"
    r"dashboard shows|runbook (?:has|lists)|ci|check|requires?|does not|do not|cannot|only|before|after|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|twice|daily|weekly|per)\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:improve|better|enhance|more robust|look into|investigate|consider|revisit|"
    r"strengthen|optimi[sz]e|increase awareness|be more careful)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Gate:
    id: str
    title: str
    ok: bool
    detail: str = ""  # what exactly is missing, when not ok
    blocking: bool = True  # False: a warning that does not refuse Final
    section: str = ""  # the document section that fixes it (first part of a path)


# --- action items ----------------------------------------------------------------------------


def is_vague(criteria: str) -> bool:
    """Criteria nobody could test: empty, very short, or 'improve X' with no measurable target."""
    text = criteria.strip()
    if len(text.split()) < 4:
        return True
    return not _MEASURABLE.search(text) or bool(_VAGUE.search(text) and not re.search(r"\d", text))


def _is_team(owner: str, doc: PostMortem) -> bool:
    teams = {c.name.strip().lower() for c in doc.contacts if c.kind is ContactKind.TEAM}
    name = owner.strip().lower()
    return name in teams or bool(re.search(r"\b(?:team|squad|group|guild|oncall|on-call|sre|ops)\b", name))


def _base_date(doc: PostMortem, today: date) -> date:
    closed = doc.header.times.closed_at
    return closed.date() if closed else today


def window_days(priority: Priority, sprint_days: int = DEFAULT_SPRINT_DAYS) -> int:
    return sprint_days if priority is Priority.P0 else PRIORITY_WINDOW_DAYS[priority]


def item_problems(
    item: ActionItem, doc: PostMortem, today: date, sprint_days: int = DEFAULT_SPRINT_DAYS
) -> list[str]:
    """What keeps one action item from being real: owner, due date, ticket, category, criteria, window."""
    problems = []
    if not item.owner.strip():
        problems.append("no owner")
    elif _is_team(item.owner, doc):
        problems.append(f"owner “{item.owner}” is a team, not one person")
    if item.due is None:
        problems.append("no due date")
    if not item.tracker.strip():
        problems.append("no tracker ticket")
    if item.category is None:
        problems.append("no category")
    if item.priority is None:
        problems.append("no priority")
    if is_vague(item.acceptance_criteria):
        problems.append("acceptance criteria are not testable (add a measurable target)")
    if item.due and item.priority:
        limit = _base_date(doc, today) + timedelta(days=window_days(item.priority, sprint_days))
        if item.due > limit:
            problems.append(
                f"due {item.due:%Y-%m-%d} is past the {item.priority} window (by {limit:%Y-%m-%d})"
            )
    return problems


def _live_items(doc: PostMortem) -> list[tuple[int, ActionItem]]:
    return [(n, i) for n, i in enumerate(doc.action_items, start=1) if i.status is not ActionStatus.CANCELLED]


def user_affecting(doc: PostMortem) -> bool:
    """An outage that reached users: not a near miss, and not recorded as affecting nobody."""
    if doc.header.trigger is TriggerKind.NEAR_MISS or doc.header.severity is Severity.NEAR_MISS:
        return False
    return doc.impact.customers_affected != 0


# --- coverage of contributing factors ------------------------------------------------------


def uncovered_factors(doc: PostMortem) -> list[str]:
    """Factors neither addressed by an action item nor accepted with a rationale."""
    try:
        from postmortem import causal

        tree_coverage = causal.coverage(doc)
        if tree_coverage.factors:
            nodes = causal.by_id(doc.root_cause.causal_tree)
            return [nodes[leaf].text for leaf in tree_coverage.unaddressed]
    except (ImportError, AttributeError):
        pass
    linked = {fid for _, item in _live_items(doc) for fid in item.factor_ids}
    return [
        f.text for f in doc.contributing_factors if f.id not in linked and not f.accepted_rationale.strip()
    ]


def images_without_alt(doc: PostMortem) -> list:
    """Attached images a screen reader could only announce as "image"."""
    return [a for a in doc.attachments if a.is_image and not a.alt.strip()]


def _tree_leaves(doc: PostMortem) -> list:
    try:
        from postmortem import causal

        return causal.leaves(doc.root_cause.causal_tree)
    except (ImportError, AttributeError):
        return []


# --- the gates -------------------------------------------------------------------------------


def _short(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _where(doc: PostMortem, path: str) -> str:
    if not path.startswith("attachments."):
        return path
    # Imported here: postmortem.evidence loads Pillow, which a document without files need not pay for.
    from postmortem.evidence.placement import field_named

    named = field_named(doc, path)  # an attachment's caption or alt text is named by its file
    return named[1] if named else path


def _open(findings: list[language.Finding], doc: PostMortem) -> str:
    """ "2 open: “x” in summary; “y” in Caption of graph.png. " (the first five)."""
    listed = "; ".join(f"“{f.text}” in {_where(doc, f.path)}" for f in findings[:5])
    return f"{len(findings)} open: {listed}{' …' if len(findings) > 5 else ''}. "


def gates(
    doc: PostMortem,
    *,
    today: date,
    open_findings: list[language.Finding] | None = None,
    sprint_days: int = DEFAULT_SPRINT_DAYS,
) -> list[Gate]:
    """Every gate before Final, passed or not, in the order a reviewer reads the document."""
    n = _sentences(doc.summary)
    went_well = len(doc.went_well)
    missing = missing_anchors(doc)
    items = _live_items(doc)
    bad_items = [(k, i, item_problems(i, doc, today, sprint_days)) for k, i in items]
    bad_items = [(k, i, p) for k, i, p in bad_items if p]
    uncovered = uncovered_factors(doc)
    findings = language.check(doc) if open_findings is None else open_findings
    blocking_findings = [f for f in findings if f.blocking]
    suggestions = [f for f in findings if not f.blocking]  # the check is unsure: shown, never gating
    urgent = any(i.priority in (Priority.P0, Priority.P1) for _, i in items)
    allspaw = doc.allspaw
    unlabelled = images_without_alt(doc)
    untagged = [
        name
        for name, value in (
            ("services affected", doc.header.services),
            ("failure class", doc.header.failure_class.strip()),
        )
        if not value
    ]
    return [
        Gate(
            "tags",
            "Services affected and failure class set, so the archive can find it",
            not untagged,
            "Missing: " + " and ".join(untagged) + "." if untagged else "",
            section="header",
        ),
        Gate(
            "summary",
            "Summary of 3–5 sentences",
            3 <= n <= 5,
            f"The summary has {n} sentence{'' if n == 1 else 's'}.",
            section="summary",
        ),
        Gate(
            "went-well",
            "At least one thing that went well",
            went_well >= 1,
            "Nothing recorded yet.",
            section="went_well",
        ),
        Gate(
            "went-well-3",
            "Three or more things that went well",
            went_well >= 3,
            f"{went_well} recorded; fewer than 3 is a red flag.",
            blocking=False,
            section="went_well",
        ),
        Gate(
            "anchors",
            "Timeline marks trigger, detection, mitigation and resolution",
            not missing,
            "Missing: " + ", ".join(missing) + "." if missing else "",
            section="timeline",
        ),
        # Issue 14: a title saying "31 minutes" over times recording 45 is a contradiction every audience sees.
        _regulatory_gate(doc),
        Gate(
            "durations-agree",
            "Durations written in the title and summary match the recorded times",
            not written_durations(doc),
            " ".join(w.message for w in written_durations(doc)),
            blocking=False,
            section="timeline",
        ),
        Gate(
            "actions-exist",
            "At least one action item",
            bool(items),
            "No action items.",
            section="action_items",
        ),
        Gate(
            "actions-real",
            "Every action item has one person as owner, a due date within its priority "
            "window, a ticket, a category and testable acceptance criteria",
            not bad_items,
            " ".join(f"A{k} “{_short(i.title)}”: {'; '.join(p)}." for k, i, p in bad_items),
            section="action_items",
        ),
        Gate(
            "p0-p1",
            "A user-affecting outage has a P0 or P1 action item",
            urgent or not user_affecting(doc),
            "No action item is P0 or P1.",
            section="action_items",
        ),
        Gate(
            "coverage",
            "Every contributing factor is addressed by an action item or accepted",
            not uncovered,
            "Not addressed: " + "; ".join(f"“{_short(t)}”" for t in uncovered) + ".",
            section="contributing_factors",
        ),
        Gate(
            "alt-text",
            "Every attached image says in words what it shows (alt text)",
            not unlabelled,
            "Missing for: " + "; ".join(f"“{_short(a.name)}”" for a in unlabelled) + "."
            if unlabelled
            else "",
            section="attachments",
        ),
        Gate(
            "language",
            "No open blameless-language finding",
            not blocking_findings,
            _open(blocking_findings, doc) + "Rewrite them or dismiss one with a reason.",
            section="review",
        ),
        Gate(
            "language-suggestions",
            "No open blameless-language suggestion",
            not suggestions,
            _open(suggestions, doc) + "Worth a second look; they do not hold back Final.",
            blocking=False,
            section="review",
        ),
        Gate(
            "allspaw",
            "Allspaw test passed",
            bool(allspaw and allspaw.fair),
            "Not recorded yet." if allspaw is None else f"The {allspaw.role} answered no: {allspaw.comment}",
            section="review",
        ),
    ]


def threads_gate(open_threads: int) -> Gate:
    """Open comment threads block Final; the count leaves out those the incident commander overrode."""
    return Gate(
        "threads",
        "No open comment threads",
        open_threads == 0,
        f"{open_threads} open thread{'' if open_threads == 1 else 's'}: resolve them on their steps, or "
        "the incident commander lets Final go ahead with a written reason.",
        section="review",
    )


def _regulatory_gate(doc: PostMortem) -> Gate:
    """A reportable post-mortem with a regime chosen is Final only once its report's required fields are filled."""
    regime = regimes.chosen(doc)
    missing = regimes.missing_required(doc, regime) if regime else []
    return Gate(
        "regulatory",
        "The regulatory report's required fields are filled",
        not missing,
        "Still empty: " + ", ".join(f.code for f in missing) + "." if missing else "",
        section="regulatory",
    )


def blockers(all_gates: list[Gate]) -> list[Gate]:
    return [g for g in all_gates if g.blocking and not g.ok]


def warnings(all_gates: list[Gate]) -> list[Gate]:
    return [g for g in all_gates if not g.blocking and not g.ok]


# --- rubric ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RubricPart:
    question: str
    ok: bool
    note: str
    source: str  # "reviewer question" or "red flag"


def rubric(doc: PostMortem, all_gates: list[Gate], findings: list[language.Finding]) -> list[RubricPart]:
    """Google's reviewer questions and the red flags of FACTS §9, each passed or not, with why."""
    ok = {g.id: g.ok for g in all_gates}
    cats = language.categories_in(findings)
    factors = max(len(doc.contributing_factors), len(_tree_leaves(doc)))
    answered = sum(1 for s in doc.root_cause.five_whys.steps if s.answer)
    live = [i for _, i in _live_items(doc)]
    words = sum(len(t.split()) for _, _, t in language.narrative_fields(doc))
    q, r = "reviewer question", "red flag"
    return [
        RubricPart(
            "Key data kept (timeline events, links to chat and dashboards)?",
            len(doc.timeline) >= 3 and bool(doc.links),
            f"{len(doc.timeline)} events, {len(doc.links)} links",
            q,
        ),
        RubricPart(
            "Impact complete (who, how many, reportable)?",
            bool(doc.impact.description)
            and (
                doc.impact.customers_affected is not None or bool(doc.impact.customers_affected_note.strip())
            )
            and doc.impact.regulatory.reportable is not None,
            "description, count and regulatory answer",
            q,
        ),
        RubricPart(
            "Root cause deep enough?",
            doc.root_cause.method is not None and (answered >= 3 or factors >= 3),
            f"{answered} whys answered, {factors} factors",
            q,
        ),
        RubricPart(
            "Action plan right, priorities matching?",
            ok["actions-real"] and ok["p0-p1"] and ok["coverage"],
            "owners, tickets, windows, P0/P1 and coverage gates",
            q,
        ),
        RubricPart(
            "Shared with stakeholders?",
            bool(doc.header.reviewer_roles),
            ", ".join(doc.header.reviewer_roles) or "no reviewers named",
            q,
        ),
        RubricPart(
            "No blame language", not cats & {"should_have", "human_error", "hindsight"}, "open findings", r
        ),
        RubricPart("No names in the narrative", "names" not in cats, "open findings", r),
        RubricPart("No counterfactuals", "counterfactual" not in cats, "open findings", r),
        RubricPart("Every action has an owner", all(i.owner.strip() for i in live), f"{len(live)} items", r),
        RubricPart(
            "No generic “improve X” actions",
            not any(is_vague(i.acceptance_criteria) for i in live),
            "acceptance criteria with a measurable target",
            r,
        ),
        RubricPart("More than a single root cause", factors >= 2, f"{factors} contributing factors", r),
        RubricPart(
            "Three or more went-well items", len(doc.went_well) >= 3, f"{len(doc.went_well)} recorded", r
        ),
        RubricPart(
            "Severity not lowered after the fact",
            not was_lowered(doc),
            "see the severity history on the Header step",
            r,
        ),
        RubricPart("Allspaw test recorded", doc.allspaw is not None, "Review step", r),
        RubricPart(
            "Not sprawling", words <= 8000 and _sentences(doc.summary) <= 5, f"{words} words of narrative", r
        ),
    ]


def score(parts: list[RubricPart]) -> int:
    return round(100 * sum(p.ok for p in parts) / len(parts)) if parts else 0


# --- workflow --------------------------------------------------------------------------------


class TransitionError(DebriefError, ValueError):
    """A status change the workflow refuses; the message says what to do instead."""


NEXT = {
    DocStatus.DRAFT: (DocStatus.IN_REVIEW,),
    DocStatus.IN_REVIEW: (DocStatus.FINAL, DocStatus.DRAFT),
    DocStatus.FINAL: (DocStatus.PUBLISHED, DocStatus.DRAFT),
    DocStatus.PUBLISHED: (DocStatus.DRAFT,),
}


def is_read_only(doc: PostMortem) -> bool:
    return doc.header.status in READ_ONLY


def transition(
    doc: PostMortem,
    to: DocStatus,
    *,
    at: datetime,
    all_gates: list[Gate] | None = None,
    signer: str = "",
    reason: str = "",
) -> PostMortem:
    """The document with its new status. Final needs no blockers and the incident commander's
    sign-off; reopening a final or published document needs a reason."""
    now = doc.header.status
    if to not in NEXT[now]:
        raise TransitionError(f"A {now} post-mortem cannot become {to}; next: {', '.join(NEXT[now])}.")
    update: dict = {}
    if to is DocStatus.FINAL:
        blocking = blockers(all_gates or [])
        if all_gates is None or blocking:
            raise TransitionError(
                "Final is blocked by: "
                + "; ".join(f"{g.title} ({g.detail.rstrip('.')})" if g.detail else g.title for g in blocking)
                + "."
                if blocking
                else "Final needs the gates checked first."
            )
        if not signer.strip():
            raise TransitionError("Final needs the incident commander's sign-off: enter their name.")
        update["sign_offs"] = [
            *doc.sign_offs,
            SignOff(role=SignOffRole.INCIDENT_COMMANDER, name=signer.strip(), signed_at=at),
        ]
    if now in READ_ONLY and to is DocStatus.DRAFT and not reason.strip():
        raise TransitionError(f"Reopening a {now} post-mortem needs a reason; it is kept in the audit trail.")
    header = doc.header.model_copy(update={"status": to})
    return doc.model_copy(update={**update, "header": header})


def record_allspaw(
    doc: PostMortem, *, role: str, fair: bool, comment: str, by: str, at: datetime
) -> PostMortem:
    if not role.strip():
        raise ValueError("Name the role closest to the trigger.")
    if not fair and not comment.strip():
        raise ValueError("Say what the document gets wrong about their experience.")
    return doc.model_copy(
        update={"allspaw": AllspawCheck(role=role, fair=fair, comment=comment, by=by, at=at)}
    )


# --- guidance: the source's troubleshooting cases, where they apply ---------------------------


@dataclass(frozen=True)
class Guidance:
    case: str
    message: str


def guidance(doc: PostMortem, *, today: date, country: str) -> list[Guidance]:
    """What the troubleshooting table says about this document today, case by case."""
    from postmortem.severity import deadline_for, first_draft_due

    out = []
    draft_due = first_draft_due(doc, country)
    drafted = bool(doc.summary.strip() or doc.timeline or doc.went_wrong)
    if draft_due and today > draft_due and not drafted:
        out.append(
            Guidance(
                "no-first-draft",
                f"No first draft {draft_due:%a %d %b}, three business days after the "
                "incident closed. Start with the timeline: hold short interviews by role, then "
                "write the summary last.",
            )
        )
    if not doc.went_well:
        out.append(
            Guidance(
                "went-well-empty",
                "“What went well” is empty. It is the section most often skipped; "
                "walk through the prompts on its step and aim for three or more concrete entries.",
            )
        )
    deadline = deadline_for(doc, country)
    if deadline and today > deadline and not is_read_only(doc):
        out.append(
            Guidance(
                "deadline-passed",
                f"The deadline was {deadline:%a %d %b %Y}. Schedule the review "
                "meeting now and publish what is known; a late post-mortem is a red flag.",
            )
        )
    if doc.recurrences:
        again = ", ".join(
            r.incident_id + (f" ({r.occurred_on:%d %b %Y})" if r.occurred_on else "") for r in doc.recurrences
        )
        out.append(
            Guidance(
                "recurred",
                f"This failure happened again: {again}. Check which action items are "
                "still open, and whether the analysis found contributing factors or only a trigger; "
                "a causal tree often shows what a first pass did not.",
            )
        )
    lowered = [c for c in doc.header.severity_changes if c.to_severity.rank > c.from_severity.rank]
    for change in lowered:
        out.append(
            Guidance(
                "severity-lowered",
                f"Severity was lowered from {change.from_severity} to "
                f"{change.to_severity} on {change.at:%d %b %Y}"
                + (f" (“{change.reason}”)" if change.reason else "")
                + ". Reviewers: check the impact supports it, not the wish to skip a post-mortem.",
            )
        )
    return out
