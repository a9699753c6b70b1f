"""The Learning page in Chromium, on the demo archive: the figures show with their definitions and every chart draws."""

from __future__ import annotations

import subprocess
import sys

import pytest
from e2e_helpers import shot
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.e2e


def test_the_dashboard_draws_its_charts_from_the_demo_archive(app_server, page: Page):
    loaded = subprocess.run(
        [sys.executable, "-m", "postmortem", "demo", "--db", str(app_server.db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.count("Created") == 3
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto(f"{app_server.url}/learning")
    expect(page.get_by_role("heading", name="Learning")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stMetric").first).to_contain_text("Post-mortems", timeout=30_000)
    expect(page.get_by_test_id("stMetric").first).to_contain_text("3")
    charts = page.locator(".vega-embed")
    expect(charts).to_have_count(9, timeout=30_000)
    for n in range(9):  # Vega draws each chart on a canvas (or as SVG)
        expect(charts.nth(n).locator("canvas, svg").first).to_be_attached(timeout=30_000)
    expect(page.get_by_text("Published within the deadline")).to_be_visible()
    # The definition is one hover away: the help icon of a figure opens its tooltip.
    page.get_by_test_id("stMetric").nth(1).get_by_test_id("stTooltipHoverTarget").hover()
    expect(page.get_by_text("first change to", exact=False).first).to_be_visible(timeout=10_000)
    shot(page, "learning-demo")
