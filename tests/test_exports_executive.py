"""The executive brief: one printed page that decides, whatever the document holds."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta

import pytest

from exports.executive import executive_facts, executive_markdown, top_actions
from exports.render import render
from postmortem.demo import demo_documents
from postmortem.models import ActionItem, ActionStatus, Contact, Priority
from tests.conftest import build_postmortem


def sixty_actions():
    """A document with 60 long action items of every priority and status, and a very long summary."""
    statuses = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.IN_REVIEW]
    items = [
        ActionItem(
            title=f"Action {n}: " + "make the failover runbook clearer and test it twice " * 5,
            owner="Dana Reyes",
            due=date(2026, 4, 1) + timedelta(days=n % 17),
            priority=[Priority.P2, Priority.P1, None, Priority.P0][n % 4],
            status=statuses[n % 4],
        )
        for n in range(60)
    ]
    doc = build_postmortem(action_items=items, contacts=[Contact(name="Dana Reyes", role="Storage lead")])
    return doc.model_copy(
        update={
            "summary": "The queue backed up and orders waited. " * 120,
            "resolution": "We drained the queue by hand and then fixed the consumer. " * 40,
        }
    )


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.mark.parametrize("which", ["demo", "sixty actions"])
def test_the_brief_prints_on_one_page(tmp_path, which):
    doc = demo_documents()[0] if which == "demo" else sixty_actions()
    docx = tmp_path / "brief.docx"
    docx.write_bytes(render(doc, "exec", "docx", country="US"))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert _pages(tmp_path / "brief.pdf") == 1


def test_three_most_important_open_actions_then_the_rest_counted():
    doc = sixty_actions()
    facts = executive_facts(doc, country="US")
    assert [a["priority"] for a in facts["top_actions"]] == ["P0", "P0", "P0"]
    assert all(a["status"] != "done" for a in facts["top_actions"])
    assert facts["top_actions"][0]["owner_role"] == "Storage lead"  # the role, never the name
    assert "Dana Reyes" not in executive_markdown(doc, country="US")
    assert facts["more_actions"] == 57
    assert sorted(facts["more_actions_by_status"].split(", ")) == [
        "12 in review",
        "15 done",
        "15 in progress",
        "15 open",
    ]
    assert f"And 57 more action items: {facts['more_actions_by_status']}." in executive_markdown(
        doc, country="US"
    )


def test_top_actions_order_by_priority_then_due_date():
    items = [
        ActionItem(title="later P1", priority=Priority.P1, due=date(2026, 5, 1)),
        ActionItem(title="no priority"),
        ActionItem(title="done P0", priority=Priority.P0, status=ActionStatus.DONE),
        ActionItem(title="sooner P1", priority=Priority.P1, due=date(2026, 4, 1)),
        ActionItem(title="P2", priority=Priority.P2),
    ]
    doc = build_postmortem(action_items=items)
    assert [a.title for a in top_actions(doc)] == ["sooner P1", "later P1", "P2", "no priority"]


def test_business_summary_is_used_and_the_summary_stands_in_when_it_is_empty():
    doc = build_postmortem()
    assert "A config push broke checkout" in executive_markdown(doc, country="US")
    written = doc.model_copy(update={"business_summary": "Customers could not pay for 13 minutes."})
    assert "Customers could not pay for 13 minutes" in executive_markdown(written, country="US")
    assert "A config push broke checkout." not in executive_markdown(written, country="US")


def test_impact_in_customers_money_and_minutes_from_the_recorded_times():
    facts = executive_facts(demo_documents()[0], country="US")
    assert (
        facts["customers_affected"],
        facts["revenue"],
        facts["customer_impact_minutes"],
        facts["incident_minutes"],
    ) == (9200, {"amount": 41500.0, "currency": "USD"}, 31, 177)
    assert facts["resolution"].startswith("Customer impact ended when")


def test_an_approximate_time_reads_about_in_every_audience():
    doc = demo_documents()[0]
    times = doc.header.times.model_copy(update={"approximate": ["impact_started_at"]})
    doc = doc.model_copy(update={"header": doc.header.model_copy(update={"times": times})})
    for audience in ("team", "engineering", "exec", "public"):
        assert "about 2026-03-10 14:02" in render(doc, audience, "md", country="US").decode(), audience
    assert "about 31 min" in render(doc, "exec", "md", country="US").decode()
