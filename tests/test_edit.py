"""Editing one field by its dotted path, with the whole document re-validated."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from postmortem.edit import get_path, with_value
from postmortem.models import PostMortem, Severity
from tests.conftest import build_postmortem

SAMPLE = build_postmortem()


def _paths(value, prefix=""):
    """Every dotted path into a JSON-shaped value, leaves and containers alike."""
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for n, child in enumerate(value):
            yield from _paths(child, f"{prefix}.{n}")


ALL_PATHS = list(_paths(SAMPLE.model_dump(mode="json")))


@pytest.mark.parametrize(
    "path, expected",
    [
        ("summary", SAMPLE.summary),
        ("header.title", "Checkout errors after a config push"),
        ("header.severity", "Sev1"),
        ("header.times.detected_at", "2026-03-04T10:05:00Z"),
        ("header.services", ["checkout", "payments"]),
        ("header.services.1", "payments"),
        ("impact.revenue.amount", "4500.00"),
        ("timeline.0.text", "Config push reached production"),
        ("timeline.2.anchor", "detection"),
        ("action_items.0.due", "2026-03-20"),
        ("went_well.2.text", "Status page went out quickly."),
    ],
)
def test_get_path_returns_json_shaped_values(path, expected):
    assert get_path(SAMPLE, path) == expected


def test_get_path_of_an_unknown_field_raises():
    with pytest.raises(KeyError):
        get_path(SAMPLE, "impact.nope")
    with pytest.raises(IndexError):
        get_path(SAMPLE, "timeline.99.text")


@pytest.mark.parametrize(
    "path, value, check",
    [
        ("summary", "New summary.", lambda d: d.summary == "New summary."),
        ("header.severity", "Sev0", lambda d: d.header.severity is Severity.SEV0),
        (
            "header.times.closed_at",
            "2026-03-04T16:00:00+02:00",
            lambda d: d.header.times.closed_at.isoformat() == "2026-03-04T14:00:00+00:00",
        ),
        ("header.services.0", "cart", lambda d: d.header.services == ["cart", "payments"]),
        ("timeline.1.text", "Alert fired (edited)", lambda d: d.timeline[1].text == "Alert fired (edited)"),
        (
            "timeline.0.at",
            "2026-03-04T12:00:00Z",  # moved to the end: the timeline re-sorts
            lambda d: d.timeline[-1].text == "Config push reached production",
        ),
        ("impact.revenue.amount", "10.5", lambda d: d.impact.revenue.amount == Decimal("10.50")),
        ("impact.revenue", None, lambda d: d.impact.revenue is None),
        ("went_well", [], lambda d: d.went_well == []),
        ("action_items.0.status", "done", lambda d: d.action_items[0].status.value == "done"),
    ],
)
def test_with_value_sets_nested_paths_and_lists(path, value, check):
    changed = with_value(SAMPLE, path, value)
    assert check(changed)
    assert changed != SAMPLE


def test_with_value_fills_an_optional_section_that_is_still_empty():
    blank = build_postmortem(impact=SAMPLE.impact.model_copy(update={"revenue": None}))
    changed = with_value(blank, "impact.revenue.amount", "99.99")
    assert changed.impact.revenue.amount == Decimal("99.99")
    assert changed.impact.revenue.currency == "USD"
    event = with_value(SAMPLE, "timeline.0.decision.options", "Roll back or fix forward")
    assert event.timeline[0].decision.options == "Roll back or fix forward"


@pytest.mark.parametrize(
    "path, value",
    [
        ("header.title", ""),
        ("header.severity", "Sev7"),
        ("header.times.detected_at", "2026-03-04T09:00:00Z"),  # before the first signal
        ("header.times.closed_at", "2026-03-04T14:00:00"),  # no time zone
        ("impact.customers_affected", -3),
        ("action_items.0.status", "cancelled"),  # no reason given
        ("summary", "x" * 100_001),
        ("impact.nonsense", 1),
        ("timeline.0", {"text": "no time"}),
    ],
)
def test_invalid_value_raises_and_leaves_the_original_untouched(path, value):
    doc = build_postmortem()
    before = doc.model_dump_json()
    with pytest.raises(ValidationError):
        with_value(doc, path, value)
    assert doc.model_dump_json() == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_PATHS))
def test_setting_a_path_to_its_own_value_changes_nothing(path):
    assert with_value(SAMPLE, path, get_path(SAMPLE, path)) == SAMPLE


@settings(deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=300)
)
def test_any_text_set_in_a_note_reads_back_as_validated(text):
    changed = with_value(SAMPLE, "went_well.0.text", text)
    assert get_path(changed, "went_well.0.text") == changed.went_well[0].text
    assert changed.went_well[0].id == SAMPLE.went_well[0].id
    assert PostMortem.model_validate_json(changed.model_dump_json()) == changed
    assert with_value(changed, "went_well.0.text", changed.went_well[0].text) == changed
