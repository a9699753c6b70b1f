"""errors.describe: one line per problem, naming the field as the wizard labels it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from postmortem.errors import describe
from postmortem.models import PostMortem

HEADER = {"incident_id": "INC-1", "title": "t"}


def _lines(data) -> list[str]:
    with pytest.raises(ValidationError) as error:
        PostMortem.model_validate(data)
    return describe(error.value)


@pytest.mark.parametrize(
    "data, line",
    [
        ({}, "Header: is required"),
        ({"header": {"incident_id": "INC-1"}}, "Header › Title: is required"),
        ({"header": {**HEADER, "title": ""}}, "Header › Title: cannot be empty"),
        ({"header": {**HEADER, "title": "x" * 201}}, "Header › Title: is too long (at most 200 characters)"),
        (
            {"header": {**HEADER, "incident_id": "INC 1"}},
            "Header › Incident ID: has characters that are not allowed here",
        ),
        (
            {"header": {**HEADER, "severity": "Sev9"}},
            "Header › Severity: must be one of: 'Sev0', 'Sev1', 'Sev2', 'Sev3', 'Sev4' or 'Near miss'",
        ),
        (
            {"header": {**HEADER, "times": {"started_at": "2026-03-04T10:15"}}},
            "Header › Key times › Started: needs a time zone (for example 2026-03-04T10:15Z)",
        ),
        (
            {"header": {**HEADER, "times": {"detected_at": "yesterday"}}},
            "Header › Key times › Detected: is not a date and time (use 2026-03-04 10:15)",
        ),
        (
            {
                "header": {
                    **HEADER,
                    "times": {"first_signal_at": "2026-03-04T10:00Z", "detected_at": "2026-03-04T09:00Z"},
                }
            },
            "Header › Key times: Detection cannot come before the first signal.",
        ),
        ({"header": HEADER, "summary": "x" * 100_001}, "Summary: is too long (at most 100,000 characters)"),
        (
            {"header": HEADER, "impact": {"customers_affected": -1}},
            "Impact › Customers affected: cannot be below 0",
        ),
        (
            {"header": HEADER, "impact": {"customers_affected": "many"}},
            "Impact › Customers affected: must be a whole number",
        ),
        (
            {"header": HEADER, "impact": {"error_budget_burned_pct": 20_000}},
            "Impact › SLO error budget burned (%): cannot be above 10000",
        ),
        (
            {"header": HEADER, "impact": {"revenue": {"amount": "12.345"}}},
            "Impact › Revenue › Amount: can have at most 2 decimal places",
        ),
        (
            {"header": HEADER, "impact": {"revenue": {"amount": "lots"}}},
            "Impact › Revenue › Amount: must be a number",
        ),
        (
            {"header": HEADER, "impact": {"revenue": {"amount": 1, "currency": "usd"}}},
            "Impact › Revenue › Currency (ISO code): has characters that are not allowed here",
        ),
        (
            {
                "header": HEADER,
                "timeline": [{"at": "2026-03-04T10:00Z", "text": "a"}, {"at": "soon", "text": "b"}],
            },
            "Timeline › row 2 › Time (UTC): is not a date and time (use 2026-03-04 10:15)",
        ),
        ({"header": HEADER, "timeline": [{"text": "b"}]}, "Timeline › row 1 › Time (UTC): is required"),
        (
            {"header": HEADER, "timeline": [{"at": "2026-03-04T10:00Z", "text": "a", "anchor": "lunch"}]},
            "Timeline › row 1 › Anchor: must be one of: 'trigger', 'first signal', 'customer impact began', "
            "'detection', 'escalation', 'first mitigation attempt', 'mitigated', 'customer impact ended', "
            "'full resolution' or 'incident closed'",
        ),
        (
            {"header": HEADER, "action_items": [{"title": "a", "status": "cancelled"}]},
            "Action items › row 1: A cancelled action item needs a written reason.",
        ),
        (
            {"header": HEADER, "action_items": [{"title": "a", "due": "next week"}]},
            "Action items › row 1 › Due date: is not a date (use 2026-03-04)",
        ),
        (
            {"header": HEADER, "action_items": [{"title": "a", "due": "2026-03-04T10:30:00"}]},
            "Action items › row 1 › Due date: is not a date (use 2026-03-04)",
        ),
        (
            {"header": HEADER, "action_items": [{"title": ""}]},
            "Action items › row 1 › Title: cannot be empty",
        ),
        (
            {"header": HEADER, "action_items": [{"id": "a", "title": "x"}, {"id": "a", "title": "y"}]},
            "Action items: Two rows share the id 'a'; each row needs its own.",
        ),
        ({"header": HEADER, "contacts": [{"name": ""}]}, "Contacts › row 1 › Name: cannot be empty"),
        ({"header": HEADER, "links": [{"url": ""}]}, "Links › row 1 › URL: cannot be empty"),
        (
            {"header": HEADER, "went_well": [{"text": "a", "mood": "good"}]},
            "What went well › row 1 › mood: is not a field Debrief knows",
        ),
        ({"header": HEADER, "bogus": 1}, "bogus: is not a field Debrief knows"),
        (
            {"header": {**HEADER, "services": ["x" * 501]}},
            "Header › Services affected › row 1: is too long (at most 500 characters)",
        ),
        (
            {"header": {**HEADER, "novel_failure_class": "perhaps"}},
            "Header › New class of failure: must be yes or no",
        ),
    ],
)
def test_describe_names_the_field_in_the_wizards_terms(data, line):
    assert _lines(data) == [line]


def test_one_line_per_problem():
    lines = _lines({"header": {"incident_id": "bad id", "title": ""}, "impact": {"customers_affected": -5}})
    assert lines == [
        "Header › Incident ID: has characters that are not allowed here",
        "Header › Title: cannot be empty",
        "Impact › Customers affected: cannot be below 0",
    ]


def test_invalid_json_is_described_at_document_level():
    with pytest.raises(ValidationError) as error:
        PostMortem.model_validate_json("{")
    [line] = describe(error.value)
    assert line.startswith("Document: Invalid JSON")


def test_lines_never_leak_pydantic_jargon():
    lines = _lines(
        {
            "header": {"incident_id": "INC-1", "title": "t", "times": {"started_at": "2026-03-04T10:15"}},
            "action_items": [{"title": "a", "status": "cancelled"}],
        }
    )
    for line in lines:
        assert "Value error" not in line and "pydantic" not in line and "function-" not in line
