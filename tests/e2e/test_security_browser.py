"""In a real browser: markup typed into every field of a post-mortem never runs on any step, and the
server never writes a secret to its log, even at debug level with sign-in configured."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_helpers import idle, shot
from playwright.sync_api import Browser, expect

import storage
from components.steps import STEPS
from tests.e2e.conftest import ROOT, _free_port, wait_healthy
from tests.hostile import hostile_postmortem

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)
COOKIE_SECRET = f"cookie-secret-{secrets.token_hex(12)}"
CLIENT_SECRET = f"client-secret-{secrets.token_hex(12)}"
PROXY_USER = "reviewer@example.com"


class LoggedServer:
    def __init__(self, tmp: Path):
        self.tmp, self.port = tmp, _free_port()
        self.db_path, self.log = tmp / "sec.db", tmp / "server.log"
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        secrets_file = self.tmp / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{self.url}/oauth2callback"\n'
            f'cookie_secret = "{COOKIE_SECRET}"\n'
            'client_id = "debrief-test"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n'
        )
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.tmp),
            "DEBRIEF_DB": str(self.db_path),
            "DEBRIEF_AUTH": "proxy",
            "DEBRIEF_PROXY_HEADER": "X-Forwarded-User",
            "DEBRIEF_PRESENCE_SECONDS": "3",
        }
        self.handle = self.log.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                "--logger.level",
                "debug",
                "--secrets.files",
                str(secrets_file),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        wait_healthy(self.proc, self.url)

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.handle.close()
        return self.log.read_text(errors="replace")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LoggedServer]:
    app = LoggedServer(tmp_path)
    app.start()
    try:
        yield app
    finally:
        app.stop()


def test_markup_never_runs_on_any_step_and_no_secret_reaches_the_log(server, browser: Browser):
    doc_id = storage.create(
        db=storage.connect(server.db_path, actor=storage.LOCAL), doc=hostile_postmortem()
    ).id
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, extra_http_headers={"X-Forwarded-User": PROXY_USER}
    )
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for step in STEPS:
            url_path = Path(step.script).stem.split("_", 1)[1]  # pages/05_went_well.py is /went_well
            page.goto(f"{server.url}/{url_path}?doc={doc_id}")
            expect(page.get_by_role("heading", name=step.title, exact=True)).to_be_visible()
            idle(page)
            page.wait_for_timeout(500)  # let components (the causal graph's iframe) draw
            assert page.get_by_test_id("stException").count() == 0, step.slug
            expect(page.get_by_test_id("stSidebar")).to_contain_text("onerror=alert(1)")  # shown, as text
            for frame in page.frames:
                assert frame.locator("img[src='x']").count() == 0, f"{step.slug}: an <img> from user text"
                assert (
                    frame.evaluate("[...document.scripts].filter(s => s.text.includes('alert(')).length") == 0
                )
                assert frame.locator("a[href^='javascript']").count() == 0, f"{step.slug}: a javascript: link"
            if step.slug in ("header", "root-cause", "review"):
                shot(page, f"security-{step.slug}")
        assert dialogs == []
    finally:
        context.close()
    log = server.stop()
    assert "Streamlit" in log or "streamlit" in log  # the log was captured at all
    for secret in (COOKIE_SECRET, CLIENT_SECRET):
        assert secret not in log
