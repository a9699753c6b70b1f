"""Action items as Jira and Linear CSV: columns, dates, priorities, formula cells, quoting, UTF-8."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports.tracker_csv import FORMULA_START, file_name, render, safe_cell


@dataclass(frozen=True)
class Row:
    incident_id: str = "INC-2026-0001"
    doc_title: str = "Checkout errors"
    title: str = "Alert on queue depth"
    owner: str = "Ada Lovelace"
    due: str | None = "2026-03-20"
    priority: str | None = "P0"
    category: str | None = "detect"
    status: str = "open"
    tracker: str = "OPS-1"
    closed_at: str | None = None
    services: str = '["checkout", "order history"]'
    criteria: str = "Pages payments on-call when depth > 5,000."


def _parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_jira_columns_dates_priorities_and_labels():
    rows = _parse(
        render(
            [Row(), Row(priority="P2", due=None, category=None, status="cancelled", services="[]")],
            "jira",
            criteria=lambda item: item.criteria,
        )
    )
    header = rows[0]
    assert header[:8] == [
        "Summary",
        "Issue Type",
        "Description",
        "Assignee",
        "Priority",
        "Due date",
        "Status",
        "Resolution",
    ]
    assert header[8:] == ["Labels"] * 5  # repeated columns: Jira's way of giving several labels
    first, second = (dict(zip(header[:8], row[:8], strict=True)) for row in rows[1:])
    assert first["Summary"] == "Alert on queue depth" and first["Issue Type"] == "Task"
    assert first["Priority"] == "Highest" and first["Due date"] == "20/Mar/26 12:00 AM"
    assert first["Status"] == "To Do" and first["Resolution"] == ""
    assert first["Description"].splitlines() == [
        "Done when: Pages payments on-call when depth > 5,000.",
        "From post-mortem INC-2026-0001: Checkout errors",
        "Ticket: OPS-1",
    ]
    assert rows[1][8:] == ["post-mortem", "INC-2026-0001", "detect", "checkout", "order-history"]
    assert second["Priority"] == "Medium" and second["Due date"] == ""
    assert (second["Status"], second["Resolution"]) == ("Done", "Won't Do")
    assert rows[2][8:] == ["post-mortem", "INC-2026-0001", "", "", ""]


def test_linear_columns_dates_priorities_and_labels():
    done = Row(status="done", closed_at="2026-03-18T15:00:00Z", priority=None)
    rows = _parse(render([Row(priority="P1"), done], "linear"))
    assert rows[0] == [
        "Title",
        "Description",
        "Status",
        "Priority",
        "Assignee",
        "Labels",
        "Due Date",
        "Completed",
        "Canceled",
    ]
    first, second = (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    assert (first["Status"], first["Priority"], first["Due Date"]) == ("Todo", "High", "2026-03-20")
    assert first["Labels"] == "post-mortem, INC-2026-0001, detect, checkout, order history"
    assert (second["Status"], second["Priority"]) == ("Done", "No priority")
    assert second["Completed"] == "2026-03-18T15:00:00+00:00" and second["Canceled"] == ""
    assert "Done when" not in first["Description"]  # no criteria given


@pytest.mark.parametrize(
    "priority, jira, linear",
    [
        ("P0", "Highest", "Urgent"),
        ("P1", "High", "High"),
        ("P2", "Medium", "Medium"),
        (None, "", "No priority"),
    ],
)
def test_priority_mapping(priority, jira, linear):
    assert _parse(render([Row(priority=priority)], "jira"))[1][4] == jira
    assert _parse(render([Row(priority=priority)], "linear"))[1][3] == linear


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rx"])
def test_formula_cells_get_an_apostrophe(text):
    for flavour in ("jira", "linear"):
        rows = _parse(render([Row(title=text, owner=text, tracker=text)], flavour))
        title = rows[1][0]
        assert title == "'" + text
    assert safe_cell("a=b") == "a=b" and safe_cell(None) == ""


def test_commas_quotes_newlines_and_unicode_survive():
    title = 'Limit "retries", then\nback off — für Zoë 🚦'
    data = render([Row(title=title, owner="Zoë Ørsted")], "jira")
    assert data.decode("utf-8")  # UTF-8, no byte-order mark
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = _parse(data)
    assert rows[1][0] == title and rows[1][3] == "Zoë Ørsted"


def test_no_items_gives_just_a_header():
    assert _parse(render([], "jira"))[0][0] == "Summary"
    assert len(_parse(render([], "linear"))) == 1


def test_unknown_flavour_is_refused():
    with pytest.raises(ValueError, match="Unknown CSV flavour"):
        render([Row()], "asana")


def test_file_name():
    from datetime import date

    assert file_name("linear", date(2026, 11, 25)) == "action-items-linear-2026-11-25.csv"


cell_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@given(title=cell_text, owner=cell_text, tracker=cell_text)
def test_any_text_reads_back_as_written_apart_from_the_apostrophe(title, owner, tracker):
    item = replace(Row(), title=title, owner=owner, tracker=tracker)
    for flavour, title_col, owner_col in (("jira", 0, 3), ("linear", 0, 4)):
        rows = _parse(render([item], flavour))
        assert len(rows) == 2
        for column, text in ((title_col, title), (owner_col, owner)):
            cell = rows[1][column]
            expected = "'" + text if text.startswith(FORMULA_START) else text
            assert cell == expected
            assert not cell.startswith(("=", "+", "-", "@"))
