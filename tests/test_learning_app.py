"""The Learning page in AppTest: headline figures with their definitions, charts, the quarter range, empty states."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from pyarrow import ipc

import storage
from components import learning, learning_charts
from postmortem import metrics
from postmortem.demo import demo_documents
from tests.apptest_helpers import app_for

TODAY = date(2026, 11, 25)
PAGE = "pages/22_learning.py"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(learning, "_today", lambda: TODAY)


def open_learning(db_path, monkeypatch):
    at = app_for(db_path, monkeypatch)
    return at.switch_page(PAGE).run()


def charts(at) -> list[dict]:
    """Every chart's Vega-Lite spec in page order, with the rows Streamlit moved out to Arrow under "rows"."""
    found = []

    def visit(element) -> None:
        if getattr(element, "type", None) == "vega_lite_chart":
            rows = [
                row
                for ds in element.proto.datasets
                for row in ipc.open_stream(ds.data.data).read_all().to_pylist()
            ]
            found.append({**json.loads(element.proto.spec), "rows": rows})
        for child in getattr(element, "children", {}).values():
            visit(child)

    visit(at.main)
    return found


@pytest.fixture
def demo_db(db_path):
    db = storage.connect(db_path, actor=storage.LOCAL)
    for doc in demo_documents():  # Sev1 in March, Sev2 in April, Sev3 in May 2026
        storage.create(db=db, doc=doc)
    return db_path


def test_an_empty_archive_says_so(db_path, monkeypatch):
    at = open_learning(db_path, monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Learning"
    assert any("No post-mortems yet" in i.value for i in at.info)
    assert charts(at) == [] and len(at.metric) == 0


def test_every_figure_has_its_definition_and_every_chart_is_drawn(demo_db, monkeypatch):
    at = open_learning(demo_db, monkeypatch)
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels[:5] == [
        "Post-mortems",
        "Published on time",
        "Done in 30 days",
        "Done in 90 days",
        "Cancelled",
    ]
    assert len(labels) == 10
    assert all(m.help and len(m.help) > 60 for m in at.metric)
    assert at.metric[0].value == "3"
    on_time = at.metric[1]
    # None is published; the Sev3 showed a new class of failure, so it has a deadline as well.
    assert on_time.value == "0%" and "Chosen quarters: 0 of 3." in on_time.help
    assert "audit trail" in on_time.help and "business days" in on_time.help
    drawn = charts(at)
    assert len(drawn) == 9
    assert all("layer" in spec or "mark" in spec for spec in drawn)
    assert [s.value for s in at.subheader][:2] == [
        "Post-mortems by severity",
        "Published within the deadline",
    ]
    assert any("No post-mortems in 2026 Q3, 2026 Q4." in c.value for c in at.caption)


def test_the_severity_chart_counts_each_quarter(demo_db, monkeypatch):
    at = open_learning(demo_db, monkeypatch)
    severity = charts(at)[0]
    rows = [row for row in severity["rows"] if "severity" in row]
    assert sorted((r["quarter"], r["severity"], r["count"]) for r in rows) == [
        ("2026 Q1", "Sev1", 1),
        ("2026 Q2", "Sev2", 1),
        ("2026 Q2", "Sev3", 1),
    ]
    notes = [row for row in severity["rows"] if "note" in row]
    assert {r["quarter"] for r in notes} == {"2026 Q3", "2026 Q4"}


def test_choosing_quarters_changes_the_figures(demo_db, monkeypatch):
    at = open_learning(demo_db, monkeypatch)
    at.select_slider(key=learning.KEY).set_range("2026 Q2", "2026 Q2").run()
    assert not at.exception
    assert at.metric[0].value == "2"
    # Among the Q2 post-mortems only the Sev3 one is signed off (final), with no Allspaw answer.
    allspaw = next(m for m in at.metric if m.label == "Allspaw passed")
    assert allspaw.value == "0%" and "0 of 1" in allspaw.help


def test_a_missed_target_is_shown_in_grey_words(demo_db, monkeypatch):
    at = open_learning(demo_db, monkeypatch)
    went_well = next(m for m in at.metric if m.label == "Went well ≥ 1")
    assert went_well.value == "100%" and "target 100% met" in went_well.proto.delta
    allspaw = next(m for m in at.metric if m.label == "Allspaw passed")
    assert "pts under 100%" in allspaw.proto.delta


def test_every_chart_is_valid_vega_lite():
    """The page skips Altair's schema check for speed (learning_charts._shape); here every shape gets it."""
    for name, shape in learning_charts.SHAPES.items():
        assert shape().to_dict(validate=True), name


def test_every_chart_gets_its_rows():
    at = datetime(2026, 2, 1, tzinfo=UTC)
    docs = [
        metrics.DocFacts(
            id=1,
            severity="Sev1",
            status="published",
            incident_at=at,
            closed_at=at,
            published_at=at,
            allspaw_fair=True,
            went_well=2,
            detect_min=3.0,
            mitigate_min=20.0,
            resolve_min=80.0,
            failure_class="dns",
            services=frozenset({"edge"}),
            items=metrics.ItemCounts(2, 1, 0, {30: 1, 90: 1}),
        )
    ]
    specs = learning_charts.specs(metrics.dashboard(docs, metrics.last_quarters(TODAY), TODAY, country="US"))
    assert set(specs) == set(learning_charts.SHAPES)
    for name, spec in specs.items():
        assert spec["datasets"]["bars"], name
        assert "config" not in spec
    assert [r["quarter"] for r in specs["severity"]["datasets"]["notes"]] == ["2026 Q2", "2026 Q3", "2026 Q4"]
    assert specs["detect_min"]["datasets"]["bars"] == [
        {"severity": "Sev1", "minutes": 3.0, "count": 1, "label": "3 min"}
    ]
    assert '"target": 0.7' in json.dumps(specs["items"]) and '"target": 0.9' in json.dumps(specs["items"])
