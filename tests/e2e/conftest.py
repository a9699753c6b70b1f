"""Run the real app in a subprocess and drive it with Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser_settle import WATCH_SOCKET

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """No browser: fail in CI (DEBRIEF_REQUIRE_BROWSER=1), skip with the reason on a laptop."""
    if CHROMIUM.exists():
        return
    if os.environ.get("DEBRIEF_REQUIRE_BROWSER"):
        raise pytest.UsageError(
            "Chromium is missing at /usr/bin/chromium; run .ci/run or apt-get install chromium"
        )
    marker = pytest.mark.skip(reason="Debian chromium is not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(marker)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(proc: subprocess.Popen, url: str, timeout: float = 30) -> None:
    """Return once `url`/_stcore/health answers ok; raise if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"streamlit did not become healthy within {timeout:g} s")


class AppServer:
    """One streamlit process on a database file; can be stopped and started again on the same file."""

    def __init__(self, db_path: Path, *, address: str = "127.0.0.1", env: dict[str, str] | None = None):
        self.db_path, self.port, self.proc = db_path, _free_port(), None
        self.address, self.env = address, env or {}

    @property
    def url(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        # The presence heartbeat is a fragment rerun every 15 s; tests that count reruns would see it,
        # so it is slowed to hourly unless a test sets its own interval (test_concurrent_browser.py).
        env = {
            **os.environ,
            "DEBRIEF_DB": str(self.db_path),
            "DEBRIEF_PRESENCE_SECONDS": os.environ.get("DEBRIEF_PRESENCE_SECONDS", "3600"),
            **self.env,
        }
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
                self.address,
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_healthy(self.proc, self.url)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[AppServer]:
    server = AppServer(tmp_path / "e2e.db")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROME_ARGS}


@pytest.fixture(autouse=True)
def _count_server_messages(request: pytest.FixtureRequest) -> None:
    """Pages of the test's own context count the server's messages (e2e_helpers.run_and_wait), with the
    browser bench's counter: a run too short to show in the page's script state shows there."""
    if "page" in request.fixturenames:
        request.getfixturevalue("context").add_init_script(WATCH_SOCKET)
