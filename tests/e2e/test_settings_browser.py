"""In a real browser: the settings a server starts with hold for every page and reload, a restart
reads them again, and a value that cannot be used stops the app with a page naming it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from e2e_helpers import idle, shot
from playwright.sync_api import Page, expect

import storage
from postmortem.models import DocStatus, IncidentTimes, Severity
from tests.conftest import build_postmortem
from tests.e2e.conftest import AppServer

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)


@pytest.fixture
def seeded(tmp_path):
    """A Sev1 draft closed on Wed 1 Apr 2026: due Fri 10 Apr with German holidays, Wed 8 Apr with US ones."""
    path = tmp_path / "settings.db"
    header = build_postmortem().header
    times = IncidentTimes(**{**header.times.model_dump(), "closed_at": datetime(2026, 4, 1, 12, tzinfo=UTC)})
    doc = build_postmortem(
        header=header.model_copy(
            update={"severity": Severity.SEV1, "status": DocStatus.DRAFT, "times": times}
        )
    )
    storage.create(db=storage.connect(path, actor=storage.LOCAL), doc=doc)
    return path


def test_the_holiday_country_holds_across_pages_and_reload_and_a_restart_rereads_it(page: Page, seeded):
    server = AppServer(seeded, env={"DEBRIEF_HOLIDAYS_COUNTRY": "DE"})
    server.start()
    try:
        page.goto(f"{server.url}/header?doc=1")
        expect(page.get_by_text("due Fri 10 Apr 2026")).to_be_visible()
        shot(page, "settings-header-de")
        page.goto(server.url)
        expect(page.get_by_text("10 Apr 2026 ·")).to_be_visible()
        page.reload()
        idle(page)
        expect(page.get_by_text("10 Apr 2026 ·")).to_be_visible()
        server.env = {"DEBRIEF_HOLIDAYS_COUNTRY": "US"}
        server.restart()
        page.goto(f"{server.url}/header?doc=1")
        expect(page.get_by_text("due Wed 08 Apr 2026")).to_be_visible()
    finally:
        server.stop()


def test_a_bad_setting_is_a_page_that_names_it(page: Page, seeded):
    server = AppServer(seeded, env={"DEBRIEF_HOLIDAYS_COUNTRY": "Germany"})
    server.start()
    try:
        page.goto(f"{server.url}/header?doc=1")
        expect(page.get_by_role("heading", name="Debrief is not set up")).to_be_visible()
        expect(page.get_by_text("DEBRIEF_HOLIDAYS_COUNTRY='Germany': not a country code")).to_be_visible()
        expect(page.get_by_text("Checkout errors after a config push")).to_have_count(0)
        shot(page, "settings-bad-value")
    finally:
        server.stop()
