"""Shared fixtures: a fresh database per test and a small, complete sample post-mortem."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import storage
from postmortem.models import (
    ActionCategory,
    ActionItem,
    Anchor,
    CausalNode,
    CausalTree,
    Contact,
    ContributingFactor,
    Header,
    Impact,
    IncidentTimes,
    Link,
    LinkKind,
    Money,
    NodeKind,
    Note,
    PostMortem,
    Priority,
    RcaMethod,
    Regulatory,
    RootCauseAnalysis,
    Severity,
    TimelineEvent,
)

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    """A UTC time `minutes` after the sample incident started."""
    return T0 + timedelta(minutes=minutes)


def build_postmortem(
    incident_id: str = "INC-2026-0001", title: str = "Checkout errors after a config push", **sections: Any
) -> PostMortem:
    """A post-mortem with every section filled in; keyword arguments replace whole sections."""
    header = sections.pop("header", None) or Header(
        incident_id=incident_id,
        title=title,
        severity=Severity.SEV1,
        services=["checkout", "payments"],
        failure_class="bad config push",
        author_role="payments on-call engineer",
        times=IncidentTimes(
            started_at=at(0),
            first_signal_at=at(2),
            detected_at=at(5),
            first_mitigation_at=at(12),
            impact_ended_at=at(25),
            resolved_at=at(90),
            closed_at=at(120),
        ),
    )
    fields: dict[str, Any] = {
        "summary": "A config push broke checkout. About 1,200 customers saw errors. "
        "We rolled the push back. Config pushes are now validated before they ship.",
        "impact": Impact(
            description="Checkout failed for EU customers.",
            customers_affected=1200,
            revenue=Money(amount=Decimal("4500.00")),
            regulatory=Regulatory(reportable=False),
        ),
        "timeline": [
            TimelineEvent(at=at(0), text="Config push reached production", anchor=Anchor.TRIGGER),
            TimelineEvent(at=at(2), text="Error rate alert fired", anchor=Anchor.FIRST_SIGNAL),
            TimelineEvent(at=at(5), text="On-call acknowledged the page", anchor=Anchor.DETECTION),
            TimelineEvent(at=at(12), text="Rollback started", anchor=Anchor.FIRST_MITIGATION),
            TimelineEvent(at=at(25), text="Error rate back to normal", anchor=Anchor.IMPACT_ENDED),
            TimelineEvent(at=at(90), text="Config store repaired", anchor=Anchor.RESOLUTION),
        ],
        "went_well": [
            Note(text="The alert fired within two minutes."),
            Note(text="Rollback was one command."),
            Note(text="Status page went out quickly."),
        ],
        "went_wrong": [Note(text="The config schema accepted an empty region list.")],
        "contributing_factors": [ContributingFactor(id="f-config", text="No validation of config pushes.")],
        "root_cause": RootCauseAnalysis(
            method=RcaMethod.CAUSAL_TREE,
            statement="An unvalidated push met a service that trusted its config.",
            causal_tree=CausalTree(
                nodes=[
                    CausalNode(id="outcome", text="Checkout failed for EU customers", kind=NodeKind.OUTCOME),
                    CausalNode(
                        id="n-config",
                        parent_id="outcome",
                        text="No validation of config pushes.",
                        factor_id="f-config",
                    ),
                ]
            ),
        ),
        "action_items": [
            ActionItem(
                title="Validate config pushes",
                owner="payments lead",
                due=date(2026, 3, 20),
                tracker="PAY-101",
                category=ActionCategory.PREVENT,
                priority=Priority.P0,
                factor_ids=["n-config"],
            )
        ],
        "lessons": [Note(text="Config is code and needs the same checks.")],
        "where_we_got_lucky": [Note(text="It happened outside peak hours.")],
        "contacts": [Contact(name="Dana Example", role="incident commander")],
        "links": [Link(url="https://chat.example/incident-1", kind=LinkKind.CHAT)],
    }
    fields.update(sections)
    return PostMortem(header=header, **fields)


@pytest.fixture
def sample() -> Callable[..., PostMortem]:
    """The sample builder, for tests that want variations of it."""
    return build_postmortem


@pytest.fixture
def doc() -> PostMortem:
    return build_postmortem()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "x.db"


@pytest.fixture
def db(db_path):
    """A fresh, migrated database in a temp file, closed after the test."""
    database = storage.connect(db_path, actor=storage.LOCAL)
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _settings_read_afresh():
    """The app reads its settings once per server process (components/config.py); to the app, each
    test is a new server, so the environment a test sets is read again."""

    def forget() -> None:
        config = sys.modules.get("components.config")  # not imported by the domain's tests
        if config is not None:
            config.settings.clear()

    forget()
    yield
    forget()
