"""Severity policy as data: whether a post-mortem is needed, its deadline and who reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache

import holidays
import numpy as np

from postmortem.errors import DebriefError
from postmortem.models import PostMortem, RcaMethod, Severity, SeverityChange, TriggerKind

FIRST_DRAFT_BUSINESS_DAYS = 3


class Requirement(StrEnum):
    MANDATORY = "mandatory"
    RECOMMENDED = "recommended"
    OPTIONAL = "optional"
    SKIP = "not needed"


class Audience(StrEnum):
    TEAM = "owning team"
    ENGINEERING = "all engineering"
    EXECUTIVES = "executives"
    SRE = "SRE"


@dataclass(frozen=True)
class Policy:
    requirement: Requirement
    deadline_business_days: int | None
    distribution: tuple[Audience, ...]


POLICY: dict[Severity, Policy] = {
    Severity.SEV0: Policy(Requirement.MANDATORY, 5, (Audience.ENGINEERING, Audience.EXECUTIVES)),
    Severity.SEV1: Policy(Requirement.MANDATORY, 5, (Audience.ENGINEERING, Audience.EXECUTIVES)),
    Severity.SEV2: Policy(Requirement.MANDATORY, 7, (Audience.ENGINEERING,)),
    Severity.SEV3: Policy(Requirement.OPTIONAL, None, (Audience.TEAM,)),
    Severity.SEV4: Policy(Requirement.SKIP, None, ()),
    Severity.NEAR_MISS: Policy(Requirement.RECOMMENDED, None, (Audience.TEAM, Audience.SRE)),
}

# Triggers that call for a post-mortem whatever the severity says.
ALWAYS_MANDATORY = {TriggerKind.DATA_LOSS: "Any loss of data calls for a post-mortem."}


@dataclass(frozen=True)
class Verdict:
    requirement: Requirement
    reason: str
    deadline_business_days: int | None
    distribution: tuple[Audience, ...]

    @property
    def required(self) -> bool:
        return self.requirement is Requirement.MANDATORY


def verdict_for(severity: Severity, trigger: TriggerKind, novel: bool = False) -> Verdict:
    """Whether this incident needs a post-mortem, and why, in one sentence."""
    policy = POLICY[severity]
    requirement, reason = policy.requirement, _REASONS[policy.requirement].format(sev=severity)
    distribution = policy.distribution
    if trigger in ALWAYS_MANDATORY and requirement is not Requirement.MANDATORY:
        requirement, reason = Requirement.MANDATORY, ALWAYS_MANDATORY[trigger]
    elif severity is Severity.SEV3 and novel:
        requirement = Requirement.MANDATORY
        reason = "Sev3, but it showed a class of failure the team had not seen before."
    elif severity is Severity.SEV4 and trigger is TriggerKind.NEAR_MISS:
        requirement, reason = (
            Requirement.RECOMMENDED,
            "A Sev4 that nearly became worse is worth learning from.",
        )
        distribution = POLICY[Severity.NEAR_MISS].distribution
    days = policy.deadline_business_days
    if requirement is Requirement.MANDATORY and days is None:
        days = POLICY[Severity.SEV2].deadline_business_days
    if requirement is not Requirement.SKIP and not distribution:
        distribution = (Audience.TEAM,)  # a post-mortem worth writing is worth someone reading
    return Verdict(requirement, reason, days, distribution)


_REASONS = {
    Requirement.MANDATORY: "{sev} incidents always get a post-mortem.",
    Requirement.RECOMMENDED: "Near misses are cheap lessons: a post-mortem is recommended.",
    Requirement.OPTIONAL: "{sev}: optional, unless it showed a new class of failure.",
    Requirement.SKIP: "{sev}: usually not needed, unless it was nearly much worse.",
}


@lru_cache(maxsize=64)
def _holiday_dates(country: str, first_year: int, last_year: int) -> tuple[np.datetime64, ...]:
    calendar = holidays.country_holidays(country, years=range(first_year, last_year + 1))
    return tuple(np.datetime64(day, "D") for day in sorted(calendar))


def add_business_days(start: date, days: int, country: str) -> date:
    """The date `days` business days after `start`, skipping weekends and the country's holidays."""
    holiday_list = list(_holiday_dates(country, start.year - 1, start.year + 1 + abs(days) // 200))
    # Counting forward from a weekend or holiday starts at the business day before it, so the
    # first business day after `start` is day 1 (rolling forward would make it day 0).
    roll = "backward" if days > 0 else "forward"
    moved = np.busday_offset(np.datetime64(start, "D"), days, roll=roll, holidays=holiday_list)
    return moved.astype(date)


def business_days_between(start: date, end: date, country: str) -> int:
    """Business days from `start` up to `end` (negative when `end` is earlier), skipping weekends and
    the country's holidays: how far off a due date is, in the days people can work on it."""
    first, last = min(start, end), max(start, end)
    holiday_list = list(_holiday_dates(country, first.year - 1, last.year + 1))
    return int(np.busday_count(np.datetime64(start, "D"), np.datetime64(end, "D"), holidays=holiday_list))


def deadline_from(
    severity: Severity,
    trigger: TriggerKind,
    novel: bool,
    closed_at: datetime | None,
    country: str,
) -> date | None:
    """When the post-mortem is due: business days from the incident's close, or None."""
    days = verdict_for(severity, trigger, novel).deadline_business_days
    if closed_at is None or days is None:
        return None
    return add_business_days(closed_at.date(), days, country)


def deadline_for(doc: PostMortem, country: str) -> date | None:
    h = doc.header
    return deadline_from(h.severity, h.trigger, h.novel_failure_class, h.times.closed_at, country)


def first_draft_due(doc: PostMortem, country: str) -> date | None:
    closed = doc.header.times.closed_at
    return add_business_days(closed.date(), FIRST_DRAFT_BUSINESS_DAYS, country) if closed else None


class SeverityChangeError(DebriefError, ValueError):
    """Lowering a severity without a written reason."""


def change_severity(doc: PostMortem, new: Severity, at: datetime, reason: str = "") -> PostMortem:
    """A copy of the document at the new severity, with the change recorded."""
    old = doc.header.severity
    if new == old:
        return doc
    if new.rank > old.rank and not reason.strip():
        raise SeverityChangeError(
            f"Lowering the severity from {old} to {new} needs a reason that reviewers can read."
        )
    change = SeverityChange(from_severity=old, to_severity=new, at=at, reason=reason.strip())
    header = doc.header.model_copy(
        update={"severity": new, "severity_changes": [*doc.header.severity_changes, change]}
    )
    return doc.model_copy(update={"header": header})


def was_lowered(doc: PostMortem) -> bool:
    """A red flag for reviewers: the severity went down after the fact."""
    return any(c.to_severity.rank > c.from_severity.rank for c in doc.header.severity_changes)


@dataclass(frozen=True)
class MethodAdvice:
    method: RcaMethod
    reasons: tuple[str, ...]


def recommend_method(
    severity: Severity,
    recurring: bool = False,
    several_factors: bool | None = None,
    short_on_time: bool = False,
    broad_audience: bool | None = None,
) -> MethodAdvice:
    """Which root-cause method fits, weighing the choosing table's signals, with the reasons."""
    tree, chain = [], []
    if severity.rank <= Severity.SEV2.rank:
        tree.append(f"{severity} incidents usually have several factors that lined up.")
    if several_factors:
        tree.append("You listed several contributing factors: a chain can follow only one of them.")
    elif several_factors is False:
        chain.append("There is one clear chain of cause.")
    if recurring:
        tree.append("This class of failure has happened before: a single chain missed something last time.")
    wide = severity.rank <= Severity.SEV1.rank if broad_audience is None else broad_audience
    if wide:
        tree.append("Executives or several teams will read it: a tree shows how the factors combine.")
    if short_on_time:
        chain.append("Time is short: 5 Whys fits in 15–30 minutes; a tree takes 60–90.")
    if tree and chain:
        return MethodAdvice(
            RcaMethod.HYBRID,
            (
                *tree,
                *chain,
                "Hybrid: run the 5 Whys for the main chain, then add the other factors as branches.",
            ),
        )
    if tree:
        return MethodAdvice(RcaMethod.CAUSAL_TREE, tuple(tree))
    return MethodAdvice(
        RcaMethod.FIVE_WHYS,
        (
            f"A {severity} with one clear chain: 5 Whys is quick and enough.",
            *chain,
            "Switch to a causal tree if you find more than one chain.",
        ),
    )
