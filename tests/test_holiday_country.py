"""One configured holiday country, one deadline everywhere it shows (issue 16: the Header step counted
the configured holidays while the executive brief fell back to US ones).

The sample incident closes on Wednesday 1 April 2026. A Sev1 post-mortem is due five business days
later: Wednesday 8 April with US holidays, Friday 10 April with German ones (Good Friday, 3 April, and
Easter Monday, 6 April, are German public holidays, not US federal ones).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

import storage
from channels import settings as channels
from components import tracker_table
from exports.render import render
from postmortem.models import ActionItem, DocStatus, IncidentTimes, Severity
from postmortem.notices import DocFacts, deadline_notices
from postmortem.settings import Settings
from postmortem.severity import business_days_between, deadline_for
from storage import tracker
from tests.apptest_helpers import app_for
from tests.conftest import build_postmortem

CLOSED = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
DE_DUE, US_DUE = date(2026, 4, 10), date(2026, 4, 8)


def _due_where_the_countries_differ(today: date) -> date:
    """The first day whose business-day count from `today` differs between DE and US holidays."""
    return next(
        day
        for day in (today + timedelta(days=n) for n in range(3, 400))
        if business_days_between(today, day, "DE") != business_days_between(today, day, "US")
    )


@pytest.fixture
def incident(db_path, monkeypatch) -> int:
    monkeypatch.setenv("DEBRIEF_HOLIDAYS_COUNTRY", "DE")
    header = build_postmortem().header
    times = IncidentTimes(**{**header.times.model_dump(), "closed_at": CLOSED})
    doc = build_postmortem(
        header=header.model_copy(
            update={"severity": Severity.SEV1, "status": DocStatus.DRAFT, "times": times}
        ),
        action_items=[
            ActionItem(
                title="Alert on pool saturation",
                owner="Dana Reyes",
                due=_due_where_the_countries_differ(date.today()),
            )
        ],
    )
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id


def _texts(at) -> str:
    kinds = ("title", "markdown", "caption", "warning", "info", "error")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def test_the_fixture_dates_tell_the_countries_apart(db_path, incident):
    doc = storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=incident).doc
    assert (deadline_for(doc, "DE"), deadline_for(doc, "US")) == (DE_DUE, US_DUE)


def test_header_home_and_review_show_the_configured_countrys_deadline(db_path, monkeypatch, incident):
    at = app_for(db_path, monkeypatch)  # Home
    assert not at.exception
    home = _texts(at)
    assert "10 Apr 2026 · " in home and "08 Apr 2026" not in home

    at = app_for(db_path, monkeypatch, incident).switch_page("pages/01_header.py").run()
    assert not at.exception
    assert "due **Fri 10 Apr 2026**" in _texts(at) and "08 Apr" not in _texts(at)

    at = at.switch_page("pages/12_review.py").run()
    assert not at.exception
    review = _texts(at)
    assert "The deadline was Fri 10 Apr 2026." in review  # the troubleshooting guidance
    assert "The deadline (10 Apr 2026) has passed" in review  # the review meeting's caption
    assert "08 Apr" not in review


def test_the_export_step_and_the_executive_brief_use_it(db_path, monkeypatch, incident):
    at = app_for(db_path, monkeypatch, incident).switch_page("pages/13_export.py").run()
    assert not at.exception
    [brief] = [h.proto.body for h in at.get("html") if "<h1>Executive brief: " in h.proto.body]
    assert "2026-04-10" in brief and "2026-04-08" not in brief  # the brief's preview

    doc = storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=incident).doc
    country = Settings.load().holidays_country
    assert "| Post-mortem due | 2026-04-10 |" in render(doc, "exec", "md", country=country).decode()
    assert json.loads(render(doc, "exec", "json", country=country))["postmortem_due"] == "2026-04-10"


def test_the_tracker_counts_business_days_with_it(db_path, monkeypatch, incident):
    today = date.today()
    [item] = tracker.items(
        db=storage.connect(db_path, actor=storage.LOCAL), filters=tracker.Filters(today=today)
    )
    due = date.fromisoformat(item.due)
    de, us = business_days_between(today, due, "DE"), business_days_between(today, due, "US")
    assert de != us  # a holiday of one country only is inside the window
    at = app_for(db_path, monkeypatch).switch_page("pages/21_tracker.py").run()
    assert not at.exception
    assert tracker_table.due_text(item, today) == f"in {de}"
    editor = next(e for e in at.data_editor if "tracker:table" in e.proto.id)
    assert list(editor.value["when"]) == [f"in {de}"]


def test_the_deadline_notices_use_it(db_path, incident):
    doc = storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=incident).doc
    country = channels.from_settings(Settings.load()).country
    notices = deadline_notices(DocFacts(incident, doc), "https://x", date(2026, 6, 1), country)
    [late] = [n for n in notices if ":publication:" in n.key]
    assert late.body == "The publication was due Fri 10 Apr 2026; it has passed."
