"""An admin sees, in the running app, the notices `notify` could not deliver; they survive a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.e2e_helpers import idle, shot
from tests.notify_servers import start_http

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def test_failed_notices_show_on_the_admin_page(app_server, page):
    http, hooks = start_http()
    hooks.fail["/hook"] = 1000  # the endpoint keeps failing
    try:
        env = {
            **os.environ,
            "DEBRIEF_DB": str(app_server.db_path),
            "PYTHONPATH": str(ROOT),
            "DEBRIEF_WEBHOOK_URL": f"http://127.0.0.1:{http.server_address[1]}/hook",
            "DEBRIEF_BASE_URL": app_server.url,
        }
        subprocess.run(
            [sys.executable, "-m", "postmortem", "demo"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        done = subprocess.run(
            [sys.executable, "-m", "postmortem", "notify"], env=env, cwd=ROOT, capture_output=True, text=True
        )
    finally:
        http.shutdown()
    assert done.returncode == 1 and "failed" in done.stdout
    app_server.restart()
    page.goto(app_server.url + "/admin")
    idle(page)
    page.get_by_text("Notifications not delivered").click()
    idle(page)
    expect(page.get_by_text("not delivered yet; each is tried again")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").last).to_be_visible()
    shot(page, "notify-admin-failures")
