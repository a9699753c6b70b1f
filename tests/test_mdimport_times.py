"""The new header times as teams write them: customer impact began (apart from the trigger), the first
mitigation attempt (apart from impact under control), full downtime, rough times; and the incident's
kind and the customers' steps, which the public report needs for security and data-loss incidents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from postmortem.mdimport import import_markdown
from postmortem.models import TriggerKind


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def header_times(text: str) -> dict:
    times = import_markdown(text).doc.header.times.model_dump()
    return {k: v for k, v in times.items() if v and k != "approximate"}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a key: value list with the trigger and the customer impact apart
        (
            "- Date: 2025-01-14\n- Trigger time: 13:50 UTC\n- Customer impact began: 14:02 UTC\n- Impact ended: 14:33 UTC\n",
            {
                "started_at": at(2025, 1, 14, 13, 50),
                "impact_started_at": at(2025, 1, 14, 14, 2),
                "impact_ended_at": at(2025, 1, 14, 14, 33),
            },
        ),
        # bold labels, as in the SRE-book template
        (
            "**Start of impact:** 2025-01-14 14:02 UTC\n**End of impact:** 2025-01-14 14:33 UTC\n",
            {"impact_started_at": at(2025, 1, 14, 14, 2), "impact_ended_at": at(2025, 1, 14, 14, 33)},
        ),
        # an outage window in a two-column table
        (
            "| Field | Value |\n|---|---|\n| Date | 2025-01-14 |\n| Outage window | 14:02–14:33 UTC |\n",
            {"impact_started_at": at(2025, 1, 14, 14, 2), "impact_ended_at": at(2025, 1, 14, 14, 33)},
        ),
        # the first attempt and the mitigation that held, each under its own key
        (
            "- Date: 2025-01-14\n- Detected: 14:05 UTC\n- First mitigation attempt: 14:10 UTC\n- Mitigated: 14:25 UTC\n",
            {
                "detected_at": at(2025, 1, 14, 14, 5),
                "first_mitigation_at": at(2025, 1, 14, 14, 10),
                "mitigated_at": at(2025, 1, 14, 14, 25),
            },
        ),
        # a downtime window is the fully unavailable window, not the impact
        (
            "- Date: 2025-01-14\n- Impact window: 14:02–14:33 UTC\n- Downtime: 14:10–14:20 UTC\n",
            {
                "impact_started_at": at(2025, 1, 14, 14, 2),
                "impact_ended_at": at(2025, 1, 14, 14, 33),
                "unavailable_from": at(2025, 1, 14, 14, 10),
                "unavailable_to": at(2025, 1, 14, 14, 20),
            },
        ),
    ],
)
def test_key_value_lines_fill_the_time_they_name(lines, expected):
    assert header_times(f"# Checkout outage\n\n{lines}\n## Summary\n\nCheckout failed.\n") == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The bad config rollout started at 13:50 UTC. Customer impact began at 14:02 UTC.",
            {"started_at": at(2026, 1, 14, 13, 50), "impact_started_at": at(2026, 1, 14, 14, 2)},
        ),
        ("Users started seeing errors at 14:02 UTC.", {"impact_started_at": at(2026, 1, 14, 14, 2)}),
        (
            "We attempted to roll back at 14:10 UTC; the fix was mitigated at 14:25 UTC.",
            {"first_mitigation_at": at(2026, 1, 14, 14, 10), "mitigated_at": at(2026, 1, 14, 14, 25)},
        ),
    ],
)
def test_sentences_tell_impact_from_trigger_and_an_attempt_from_mitigation(sentence, expected):
    assert header_times(f"# Checkout outage\n\nDate: 2026-01-14\n\n## Summary\n\n{sentence}\n") == expected


def test_timeline_entries_name_the_first_attempt_and_the_mitigation():
    text = (
        "# Site down\n\nDate: 2021-05-26\n\n## Timeline\n\n"
        "- 16:52 UTC Engineers respond to alarms\n"
        "- 16:53 UTC Operations engineers revert site repo changes\n"
        "- 16:56 UTC Operations engineers attempted to restart the stalled job\n"
        "- 17:20 UTC The team disabled the leaked token and stopped uploads\n"
        "- 17:30 UTC Start of customer impact\n"
    )
    got = header_times(text)
    assert got["first_mitigation_at"] == at(2021, 5, 26, 16, 53)  # the first one, not the later attempt
    assert got["mitigated_at"] == at(2021, 5, 26, 17, 20)
    assert got["impact_started_at"] == at(2021, 5, 26, 17, 30) and "started_at" not in got


def test_an_entry_that_mentions_a_revert_in_passing_is_not_an_attempt():
    text = (
        "# X\n\nDate: 2021-05-26\n\n## Timeline\n\n"
        "- 16:53 UTC The change that was reverted last week shipped again\n"
    )
    assert "first_mitigation_at" not in header_times(text)


def test_rough_times_are_marked_approximate_and_exact_ones_are_not():
    text = (
        "# X\n\nDate: 2026-01-14\n\n## Summary\n\nAt approximately 09:15 UTC the import began failing. "
        "The alert detected it at 09:40 UTC.\n"
    )
    times = import_markdown(text).doc.header.times
    assert times.started_at == at(2026, 1, 14, 9, 15) and times.detected_at == at(2026, 1, 14, 9, 40)
    assert times.approximate == ["started_at"]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Security incident with package uploads", TriggerKind.SECURITY),
        ("Compromised self-hosted runners", TriggerKind.SECURITY),
        ("Phishing attempt via email", TriggerKind.SECURITY),
        ("Unauthorized access to the billing console", TriggerKind.SECURITY),
        ("Data loss in the export bucket", TriggerKind.DATA_LOSS),
        ("Checkout outage", TriggerKind.OUTAGE),
    ],
)
def test_the_incident_kind_comes_from_the_title(title, kind):
    assert import_markdown(f"# {title}\n\n## Summary\n\nSomething happened.\n").doc.header.trigger is kind


def test_a_type_line_names_the_kind_too():
    doc = import_markdown("# Exports stopped\n\n- Type: security\n\n## Summary\n\nSomething happened.\n").doc
    assert doc.header.trigger is TriggerKind.SECURITY


@pytest.mark.parametrize("heading", ["What should you do?", "What can you do?", "What customers should do"])
def test_customer_steps_go_to_the_public_what_to_do_text(heading):
    result = import_markdown(
        f"# Leaked token\n\n## Summary\n\nA token leaked.\n\n## {heading}\n\n"
        "- Rotate any token you created before 1 April.\n"
    )
    assert "Rotate any token" in result.doc.public.what_to_do
    assert "Rotate any token" not in result.doc.impact.description
    assert not any("Export step" in w for w in result.warnings)


def test_a_security_write_up_without_customer_steps_is_told_where_to_write_them():
    result = import_markdown("# Leaked token\n\n## Summary\n\nA token leaked.\n")
    assert result.doc.header.trigger is TriggerKind.SECURITY and result.doc.public.what_to_do == ""
    assert any("what customers should do" in w and "Export step" in w for w in result.warnings)


def test_timeline_entries_that_say_the_whole_service_is_down_and_back_give_the_customer_window():
    text = (
        "# Site down\n\nDate: 2021-09-06\n\n## Timeline\n\n"
        "| Time | Event |\n|---|---|\n"
        "| 2021-09-06 07:30 | Automated node roll over started |\n"
        "| 2021-09-06 08:00 | All Kubernetes services returning 404 |\n"
        "| 2021-09-06 08:20 | EC2 network traffic went down to normal levels |\n"
        "| 2021-09-06 09:08 | All ingress traffic working as intended |\n"
    )
    got = header_times(text)
    assert (got["impact_started_at"], got["impact_ended_at"]) == (at(2021, 9, 6, 8, 0), at(2021, 9, 6, 9, 8))


@pytest.mark.parametrize(
    "entry", ["Site is hard down", "The checkout service was unavailable", "Website offline"]
)
def test_down_and_unavailable_entries_start_the_customer_impact(entry):
    got = header_times(f"# X\n\nDate: 2021-05-26\n\n## Timeline\n\n- 16:52 UTC {entry}\n")
    assert got.get("impact_started_at") == at(2021, 5, 26, 16, 52)


def test_a_timeline_that_says_its_times_are_approximate_marks_the_times_it_gives():
    text = (
        "# Site down\n\nDate: 2021-05-26\n\n## Timeline (all times approximate)\n\n"
        "- 04:52 PM UTC Site is hard down\n- 06:00 PM UTC Site is fully recovered\n"
    )
    times = import_markdown(text).doc.header.times
    assert times.impact_started_at == at(2021, 5, 26, 16, 52)
    assert sorted(times.approximate) == ["impact_ended_at", "impact_started_at"]
    exact = import_markdown(text.replace(" (all times approximate)", "")).doc.header.times
    assert exact.approximate == []


def test_the_import_report_names_each_new_time_in_words_with_its_source():
    from postmortem.mdimport.report import time_rows

    text = (
        "# Leaked token\n\n- Date: 2025-04-01\n- Customer impact began: 13:00 UTC\n- First mitigation: 13:40 UTC\n"
        "- Downtime: 13:10–13:20 UTC\n\n## Summary\n\nA token leaked.\n"
    )
    rows = {row["field"]: row for row in time_rows(import_markdown(text))}
    assert rows["impact_started_at"]["label"] == "Customer impact began"
    assert rows["first_mitigation_at"]["label"] == "First mitigation attempt"
    assert rows["unavailable_from"]["sentence"] == "Downtime: 13:10–13:20 UTC"


def test_a_duration_that_ends_at_the_mitigation_makes_it_the_end_of_impact():
    """rustup 1.24.0's report: the revert ends the impact because start + the stated duration is its time."""
    text = (
        "# Rustup 1.24.0 release incident report for 2021-04-27\n\n"
        "On 2021-04-27 at 15:09 UTC we released a new version of Rustup (1.24.0). At\n"
        "15:23 UTC we received a report that we had introduced a regression. At 15:27 UTC we had confirmed\n"
        "and identified the cause of the problem, and while we worked on a fix, we reverted the released\n"
        "Rustup to version 1.23.1 - an action completed by 15:56 UTC.\n\nThis means that for approximately "
        "47 minutes, CI jobs may have had spurious failures.\n"
    )
    found = header_times(text)
    assert found["mitigated_at"] == found["impact_ended_at"] == at(2021, 4, 27, 15, 56)
    other = header_times(text.replace("47 minutes", "20 minutes"))  # a duration of one phase among several
    assert "impact_ended_at" not in other and other["mitigated_at"] == at(2021, 4, 27, 15, 56)
