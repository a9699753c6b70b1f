"""Action items from tables (with column names teams use), GitHub checklists and plain bullets."""

from __future__ import annotations

import re
from datetime import date

from postmortem.mdimport import headings, times
from postmortem.mdimport.draft import ActionDraft

COLUMNS = {
    "title": (
        "action",
        "action item",
        "action items",
        "item",
        "task",
        "description",
        "what",
        "title",
        "summary",
        "follow up",
        "remediation",
        "todo",
        "to do",
        "change",
    ),
    "owner": ("owner", "owners", "assignee", "assigned to", "who", "responsible", "dri", "person"),
    "due": ("due", "due date", "deadline", "target date", "eta", "by when", "when", "date", "target"),
    "priority": ("priority", "prio", "p", "importance"),
    "status": ("status", "state", "progress", "done"),
    "tracker": (
        "ticket",
        "tickets",
        "bug",
        "bugs",
        "issue",
        "issues",
        "tracker",
        "jira",
        "link",
        "id",
        "reference",
        "ref",
        "pr",
        "url",
        "tracking",
    ),
    "category": ("type", "category", "kind", "class", "action type"),
}
_PRIORITY = (
    ("P0", ("p0", "critical", "urgent", "highest", "blocker")),
    ("P1", ("p1", "high")),
    ("P2", ("p2", "p3", "p4", "medium", "low", "lowest", "normal")),
)
_STATUS = (
    ("cancelled", ("cancelled", "canceled", "won t fix", "wontfix", "dropped", "obsolete", "rejected")),
    (
        "done",
        ("done", "fixed", "closed", "complete", "completed", "resolved", "finished", "merged", "shipped"),
    ),
    ("in review", ("in review", "review", "reviewing")),
    ("in progress", ("in progress", "doing", "wip", "started", "ongoing", "in flight", "underway")),
    ("open", ("open", "todo", "to do", "not started", "new", "planned", "backlog", "pending")),
)
_CATEGORY = (
    ("prevent", ("prevent", "prevention", "preventive", "preventative")),
    ("detect", ("detect", "detection", "monitoring", "alerting")),
    ("mitigate", ("mitigate", "mitigation", "repair", "recover", "recovery")),
    ("respond", ("respond", "response", "incident response")),
    ("process", ("process", "policy", "procedure")),
)
_TICKET = re.compile(r"\b[A-Z][A-Z0-9]{1,9}-\d+\b|(?<![\w&])#\d+\b|https?://\S+")
_OWNER = re.compile(
    r"(?:\bowner|\bassignee|\bassigned to)\s*[:=]\s*(?P<name>[^,;)\]]+)|(?<![\w.])@(?P<handle>[\w.-]+)",
    re.IGNORECASE,
)
_DUE = re.compile(r"\b(?:due|by|deadline|eta)\s*:?\s*(?P<when>.{4,24})", re.IGNORECASE)
_P = re.compile(r"\bP([0-4])\b")


def column_roles(header: tuple[str, ...]) -> list[str | None]:
    """What each column holds, by its name; None for a column we have no field for."""
    roles: list[str | None] = []
    for name in header:
        words = headings.words_of(name)
        role = next((r for r, names in COLUMNS.items() if words in names), None)
        if role is None:
            role = next(
                (
                    r
                    for r, names in COLUMNS.items()
                    if any(f" {n} " in f" {words} " for n in names if len(n) > 3)
                ),
                None,
            )
        roles.append(role if role not in roles else None)
    if "title" not in roles and roles:
        first_free = next((i for i, r in enumerate(roles) if r is None), None)
        if first_free is not None:
            roles[first_free] = "title"
    return roles


def _lookup(value: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    words = f" {headings.words_of(value)} "
    for result, names in table:
        if any(f" {name} " in words for name in names):
            return result
    return None


def priority(value: str) -> str | None:
    return _lookup(value, _PRIORITY)


def status(value: str) -> str | None:
    """A status word, or the marks teams put in a Status column instead (✅ done, 🚧 in progress)."""
    if _DONE_MARK.search(value):
        return "done"
    if _PROGRESS_MARK.search(value):
        return "in progress"
    return _lookup(value, _STATUS)


def category(value: str) -> str | None:
    return _lookup(value, _CATEGORY)


def from_row(
    roles: list[str | None], cells: tuple[str, ...], default_year: int | None
) -> tuple[ActionDraft | None, bool]:
    """The item of one table row, and whether every cell went into a field (False: a due date,
    priority, status or type we could not read, or cells beyond the header)."""
    values = {role: cell.strip() for role, cell in zip(roles, cells, strict=False) if role and cell.strip()}
    if not values.get("title"):
        return None, not any(c.strip() for c in cells)
    item = ActionDraft(
        title=values["title"],
        owner=values.get("owner", "").lstrip("@"),
        tracker=values.get("tracker", ""),
        due=_due(values.get("due", ""), default_year),
        priority=priority(values.get("priority", "")),
        category=category(values.get("category", "")),
        status=status(values.get("status", "")) or status(values.get("tracker", "")) or "open",
        note=values.get("status", "") or values.get("tracker", ""),
    )
    read = {
        "due": item.due,
        "priority": item.priority,
        "category": item.category,
        "status": status(values.get("status", "")),
    }
    understood = len(cells) <= len(roles) and all(read[k] is not None for k in read if values.get(k))
    return item, understood


def _due(text: str, default_year: int | None) -> date | None:
    return times.find_date(text, default_year) if text else None


_LEADING_PRIORITY = re.compile(
    r"^[*_`\[(]*(?P<word>critical|high|medium|low|P[0-4])[*_`\])]*\s*[:–—-]?\s+", re.IGNORECASE
)
_LEADING_TICKET = re.compile(
    r"^\[?(?P<id>#\d+|[A-Z][A-Z0-9]{1,9}-\d+)\]?(?:\((?P<url>https?://[^)\s]+)\))?\s*[:–—-]?\s+"
)
_DONE_MARK = re.compile(
    r"[✅✔☑]\ufe0f?|\((?:done|completed?|fixed|shipped)\)|\[(?:done|completed?)\]", re.IGNORECASE
)
_PROGRESS_MARK = re.compile(r"\((?:in progress|ongoing|wip)\)|🚧", re.IGNORECASE)
_OWNER_CLAUSE = re.compile(
    r"[\s,;(\[–—-]*\b(?:owner|owners|assignee|assigned to)\s*[:=]\s*"
    r"(?P<name>@?[\w.-]+(?: [A-Z][\w'-]+)*)"
    r"[)\]]?|\s*\((?P<handle>@[\w.-]+)\)",
    re.IGNORECASE,
)
# Words an action item usually starts with: lines that start this way are separate items even when
# the author wrote them as one paragraph without list markers.
ACTION_VERBS = frozenset(
    [
        "add",
        "adopt",
        "align",
        "allow",
        "ask",
        "audit",
        "automate",
        "build",
        "change",
        "check",
        "clarify",
        "clean",
        "communicate",
        "configure",
        "consider",
        "continue",
        "create",
        "define",
        "deploy",
        "develop",
        "disable",
        "document",
        "emphasize",
        "enable",
        "enforce",
        "ensure",
        "establish",
        "evaluate",
        "explore",
        "extend",
        "fix",
        "follow",
        "hire",
        "implement",
        "improve",
        "increase",
        "introduce",
        "investigate",
        "limit",
        "look",
        "make",
        "migrate",
        "minimize",
        "monitor",
        "move",
        "prevent",
        "prioritize",
        "publish",
        "reduce",
        "refactor",
        "remove",
        "replace",
        "require",
        "review",
        "rewrite",
        "rotate",
        "run",
        "schedule",
        "separate",
        "set",
        "setup",
        "share",
        "start",
        "stop",
        "teach",
        "test",
        "track",
        "train",
        "update",
        "upgrade",
        "use",
        "validate",
        "verify",
        "write",
    ]
)


def _wrapped_first_line(text: str) -> tuple[str, str]:
    """(first sentence, details). A bullet hard-wrapped in the source ('...has the\n  permissions to
    escalate.') goes on in lower case after a line with no closing punctuation: that is still its title."""
    lines = text.split("\n")
    count = 1
    while (
        count < len(lines)
        and lines[count - 1].rstrip()[-1:] not in ".!?:;"
        and lines[count].strip()[:1].islower()
    ):
        count += 1
    return "\n".join(lines[:count]), "\n".join(lines[count:])


def from_bullet(text: str, checked: bool | None, default_year: int | None) -> ActionDraft:
    """One bullet, checklist line or paragraph. The first line is the title and the lines under it
    (sub-bullets) its details; owner, ticket, due date, priority and a done mark are read where they
    are written in a recognisable way, and the owner clause leaves the title."""
    first, details = _wrapped_first_line(text.strip())
    title = " ".join(first.split())
    lead = _LEADING_PRIORITY.match(title)  # "**HIGH** Include crate downloads…"
    title = title[lead.end() :] if lead and title[lead.end() :].strip() else title
    ticket_first = _LEADING_TICKET.match(title)  # "[#2226](https://…): Add logging", "OPS-12: Add logging"
    if ticket_first and title[ticket_first.end() :].strip():
        title = title[ticket_first.end() :]
    owner = ""
    clause = _OWNER_CLAUSE.search(title)
    if clause:
        owner = (clause.group("name") or clause.group("handle")).lstrip("@")
        title = (title[: clause.start()] + title[clause.end() :]).strip(" ,;–—-")
    elif handle := _OWNER.search(title):  # "Fix the probe @sam": a handle anywhere names the owner
        owner = (handle.group("name") or handle.group("handle")).strip()
    mark = "done" if _DONE_MARK.search(title) else "in progress" if _PROGRESS_MARK.search(title) else None
    mark = mark or said_status(title, details)
    cancelled = _SAID_CANCELLED.search(f"{title}\n{details}") if mark == "cancelled" else None
    title = _PROGRESS_MARK.sub("", _DONE_MARK.sub("", title)).strip(" ,;–—-") or title
    ticket = _TICKET.search(text)
    tracker = (
        (ticket_first.group("url") or ticket_first.group("id"))
        if ticket_first
        else ticket.group(0).rstrip(").,]")
        if ticket
        else ""
    )
    due = _DUE.search(title)
    prio = _P.search(title)
    state = {True: "done", False: "open"}.get(checked) if checked is not None else None
    lead_priority = priority(lead.group("word")) if lead else None
    return ActionDraft(
        title=title,
        owner=owner,
        details=details.strip(),
        tracker=tracker,
        due=_due(due.group("when"), default_year) if due else None,
        priority=lead_priority or (("P0", "P1", "P2", "P2", "P2")[int(prio.group(1))] if prio else None),
        status=state if state == "done" else mark or state or "open",
        note=" ".join(cancelled.group(0).split()) if cancelled else "",
    )


# Items written as what the team already did or is doing ("We enabled branch protection", "The
# action has been disabled", a sub-bullet "This has been done"; "We are improving the docs"), as
# teams list what they did about an incident beside what is still to do.
# Verbs that tell of a plan rather than of work done ("We have scheduled", "Has been planned").
_PLANNED = (
    r"(?!(?:n|sp|f)eed\b"
    r"|(?:need|want|hop|intend|plann|schedul|propos|decid|agre|consider|discuss|expect|start|us)ed\b)"
)
# Words between "we" and the verb that make it a wish or a plan ("we need to have tested").
_NOT_YET = r"(?!(?:need|should|will|must|to|would|could|can|may|might|plan|want|hope|intend|shall)\b)"
_SAID_DONE = re.compile(
    rf"^[\W_]*(?:we\s+(?:have\s+)?(?:{_NOT_YET}[a-z]+\s+){{0,3}}?{_PLANNED}[a-z]{{2,}}ed\b"
    rf"|[^.]{{0,80}}?\b(?:has|have)\s+(?:now\s+|already\s+)?been\s+{_PLANNED}(?:[a-z]+ed|done)\b)",
    re.IGNORECASE,
)
_SAID_DONE_BELOW = re.compile(
    r"^[\W_]*(?:this|it|that)\s+(?:has\s+been|is|was)\s+(?:now\s+|already\s+)?"
    r"(?:done|completed|fixed|implemented)\b",
    re.IGNORECASE | re.MULTILINE,
)
_SAID_DOING = re.compile(
    r"^[\W_]*we\s+are\s+(?:now\s+|currently\s+)?(?!going\b)[a-z]{3,}ing\b", re.IGNORECASE
)


# "… took a vote on this and it was rejected": the item was considered and not taken up.
_SAID_CANCELLED = re.compile(
    r"[^.]*\b(?:(?:it|this|that|the\s+(?:idea|proposal|suggestion))\s+(?:was|has\s+been)"
    r"\s+(?:rejected|declined|dropped|abandoned)|decided\s+against)\b[^.]*\.?",
    re.IGNORECASE,
)


def said_status(title: str, details: str) -> str | None:
    """'done', 'in progress' or 'cancelled' when the item's own words say so; None when they do not."""
    if _SAID_CANCELLED.search(f"{title}\n{details}"):
        return "cancelled"
    if _SAID_DONE.match(title) or _SAID_DONE_BELOW.search(details):
        return "done"
    return "in progress" if _SAID_DOING.match(title) else None


def starts_like_action(line: str) -> bool:
    """'Add …', '**Hire** …': the line starts with a verb an action item usually starts with."""
    start = re.match(r"[\W_]*([A-Za-z]+)", line)
    return bool(start and start.group(1).lower() in ACTION_VERBS)


def paragraph_items(lines: list[str]) -> list[str]:
    """A paragraph in an action section: one item, or one per line when most lines start like an
    action ('Add …', 'Hire …'), as authors write a list without markers."""
    verbs = sum(1 for line in lines if starts_like_action(line))
    if len(lines) > 1 and verbs * 2 >= len(lines):
        return [line.strip() for line in lines if line.strip()]
    return [" ".join(line.strip() for line in lines)]
