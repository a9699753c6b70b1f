"""When a post-mortem counts as overdue, put as close dates so a list can filter thousands in SQL.

A document is overdue when it is not signed (final or published) and its deadline, a number of
business days after the incident closed, is before today. For each severity, trigger and novelty
that number is fixed, so "overdue" is "closed before a cutoff date" for that combination.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from postmortem.models import DocStatus, Severity, TriggerKind
from postmortem.severity import add_business_days, verdict_for

SIGNED = frozenset({DocStatus.FINAL.value, DocStatus.PUBLISHED.value})  # done: never overdue


def never_overdue(status: str) -> bool:
    return status in SIGNED


@lru_cache(maxsize=64)
def closed_before(days: int, today: date, country: str) -> date:
    """The earliest close date whose deadline (`days` business days later) is not yet past on `today`:
    a document closed before it is overdue."""
    cutoff = today
    # Deadlines only move forward with the close date, so step back until one falls before today.
    while add_business_days(cutoff - timedelta(days=1), days, country) >= today:
        cutoff -= timedelta(days=1)
    return cutoff


def overdue_cutoffs(today: date, country: str) -> list[tuple[str, str, int, str]]:
    """(severity, trigger, novel, closed-before date) for every combination that has a deadline."""
    found = []
    for severity in Severity:
        for trigger in TriggerKind:
            for novel in (0, 1):
                days = verdict_for(severity, trigger, bool(novel)).deadline_business_days
                if days is not None:
                    found.append(
                        (
                            severity.value,
                            trigger.value,
                            novel,
                            closed_before(days, today, country).isoformat(),
                        )
                    )
    return found
