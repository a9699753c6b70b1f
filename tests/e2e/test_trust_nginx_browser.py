"""Issue 11, hole 8: a real nginx (Debian's nginx-light) on loopback in front of Debrief, the way
docs/deploy.md sets it up. nginx stands in for oauth2-proxy by setting the identity itself, adds
X-Forwarded-For (so the server reports the client's address, not nginx's) and the shared secret.
Signing in through nginx works; the same forged identity sent straight to the app's port is refused.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

import storage
from storage import users
from storage.access import bind
from tests.conftest import build_postmortem
from tests.e2e.conftest import AppServer, _free_port
from tests.e2e.e2e_helpers import idle, shot

NGINX = Path("/usr/sbin/nginx")
SECRET = "a-long-random-secret-only-nginx-and-debrief-know"
IDENTITY = "alice@example.com"  # what oauth2-proxy would have vouched for

CONFIG = """
worker_processes 1;
daemon off;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            # As deploy/nginx.conf: the identity is set here, replacing whatever the client sent.
            proxy_set_header X-Forwarded-User "{identity}";
            proxy_set_header X-Forwarded-Email "";
            proxy_set_header X-Debrief-Proxy-Secret "{secret}";
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Host $host;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 3600s;
            proxy_buffering off;
            proxy_pass http://127.0.0.1:{app_port};
        }}
    }}
}}
"""


def _wait_for(url: str, proc: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not answer on {url}")


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "e2e.db"
    db = storage.connect(path, actor=storage.LOCAL)
    admin = users.sign_in(db=db, identity=IDENTITY, admins=(IDENTITY,), first_user_admin=False)
    storage.create(db=bind(db, admin), doc=build_postmortem())
    db.close()
    return path


@pytest.fixture
def app_behind_nginx(tmp_path: Path, seeded: Path) -> Iterator[tuple[AppServer, str]]:
    # Listening beyond loopback with a trusted-proxy list: the set-up that locked everyone out before.
    server = AppServer(
        seeded,
        address="0.0.0.0",
        env={
            "DEBRIEF_AUTH": "proxy",
            "DEBRIEF_TRUSTED_PROXIES": "127.0.0.1",
            "DEBRIEF_PROXY_SECRET": SECRET,
            "DEBRIEF_ADMINS": IDENTITY,
        },
    )
    server.start()
    port, conf = _free_port(), tmp_path / "nginx.conf"
    user = "user root root;" if os.geteuid() == 0 else ""  # workers must reach the temp folders in tmp_path
    conf.write_text(
        CONFIG.format(
            user=user, tmp=tmp_path, port=port, identity=IDENTITY, secret=SECRET, app_port=server.port
        )
    )
    nginx = subprocess.Popen(
        [str(NGINX), "-c", str(conf), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/_stcore/health", nginx)
        yield server, f"http://127.0.0.1:{port}"
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        server.stop()


def test_hole8_signing_in_through_a_real_nginx_works_and_the_app_port_refuses_forged_identities(
    browser: Browser, app_behind_nginx
):
    server, nginx_url = app_behind_nginx
    # A client behind another proxy (a CDN, an office gateway) arrives with its own X-Forwarded-For:
    # the app then reports 203.0.113.9, not nginx's loopback address, as the peer.
    through = browser.new_context(
        extra_http_headers={"X-Forwarded-User": "mallory@example.com", "X-Forwarded-For": "203.0.113.9"},
        viewport={"width": 1400, "height": 900},
    )
    page = through.new_page()
    page.goto(nginx_url)
    expect(page.get_by_text("Signed in as")).to_be_visible(timeout=20_000)
    expect(page.get_by_text(IDENTITY)).to_be_visible()
    expect(page.get_by_text("mallory@example.com")).to_have_count(0)  # nginx replaced the client's header
    page.get_by_role("link", name="Admin", exact=True).click()
    idle(page)
    expect(page.get_by_role("tab", name="Backups")).to_be_visible()
    page.get_by_role("tab", name="Backups").click()
    expect(page.get_by_role("button", name="Restore this backup")).to_be_disabled()
    shot(page, "trust-nginx-admin-backups")
    through.close()

    # Straight to the app's port (any process on the host could do this): no secret, no entry.
    direct = browser.new_context(extra_http_headers={"X-Forwarded-User": IDENTITY})
    page = direct.new_page()
    page.goto(f"http://127.0.0.1:{server.port}")
    expect(page.get_by_text("Not through the sign-in proxy")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    shot(page, "trust-direct-refused")
    direct.close()
