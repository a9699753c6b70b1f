"""'Unless otherwise noted all events happened on DAY': a line that gives its own date is that one
exception, and the time-only lines after it are back on the stated day (docs.rs outage, 2019)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from postmortem.mdimport import import_markdown

REAL = Path(__file__).parent / "data" / "markdown" / "real"


def _times(text: str) -> list[datetime]:
    return [event.at for event in import_markdown(text).doc.timeline]


def test_time_only_lines_after_an_exception_are_on_the_stated_day():
    text = (
        "# Outage\n\n## Timeline\n\nUnless otherwise noted all events happened on 2019-10-21, and all times "
        "are in UTC.\n\n- 2019-10-20 00:55: builds started failing\n- 01:38: alerts fired\n- 02:06: back online\n"
    )
    assert _times(text) == [
        datetime(2019, 10, 20, 0, 55, tzinfo=UTC),
        datetime(2019, 10, 21, 1, 38, tzinfo=UTC),
        datetime(2019, 10, 21, 2, 6, tzinfo=UTC),
    ]


def test_without_a_stated_day_a_dated_line_still_carries_its_day():
    text = "# Outage\n\n## Timeline\n\n- 2019-10-20 23:55: builds started failing\n- 23:58: alerts fired\n"
    assert _times(text)[1] == datetime(2019, 10, 20, 23, 58, tzinfo=UTC)


def test_the_docs_rs_timeline_agrees_with_its_header():
    result = import_markdown((REAL / "rust_docsrs_outage_postmortem.md").read_text())
    alerts = next(e for e in result.doc.timeline if "alerts fired" in e.text)
    assert alerts.at == result.doc.header.times.started_at == datetime(2019, 10, 21, 1, 38, tzinfo=UTC)


def test_a_hard_wrapped_action_item_keeps_its_whole_title():
    titles = [
        a.title
        for a in import_markdown((REAL / "rust_docsrs_outage_postmortem.md").read_text()).doc.action_items
    ]
    assert titles[0] == "Update the docs.rs source code to cleanup the offending directory automatically."
    assert titles[3].endswith("has the permissions to either react to the incidents or escalate.")
