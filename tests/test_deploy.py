"""The deployment guide's files: the unit parses, the image's paths exist, nginx strips identities,
and the app starts with the command and settings the guide prescribes."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
GUIDE = (ROOT / "docs" / "deploy.md").read_text()
SECRET_WORDS = re.compile(r"(client_secret|cookie_secret|password|token)\s*[=:]", re.IGNORECASE)


def unit() -> dict[str, list[tuple[str, str]]]:
    """The unit file as {section: [(key, value), ...]}: keys repeat (Environment=), so no dict per section."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in (DEPLOY / "debrief.service").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
        else:
            key, _, value = line.partition("=")
            current.append((key, value))
    return sections


def unit_value(section: str, key: str) -> str:
    [value] = [v for k, v in unit()[section] if k == key]
    return value


def unit_environment() -> dict[str, str]:
    return dict(v.split("=", 1) for k, v in unit()["Service"] if k == "Environment")


def test_the_unit_runs_streamlit_on_loopback_as_its_own_user_with_the_data_in_its_state_directory():
    assert set(unit()) == {"Unit", "Service", "Install"}
    assert unit_value("Service", "User") == "debrief"
    command = shlex.split(unit_value("Service", "ExecStart"))
    assert command[1:5] == ["-m", "streamlit", "run", "app.py"]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    env = unit_environment()
    assert env["DEBRIEF_DB"].startswith(f"/var/lib/{unit_value('Service', 'StateDirectory')}/")
    assert env["DEBRIEF_AUTH"] == "proxy"
    assert unit_value("Service", "ProtectSystem") == "strict"
    assert not SECRET_WORDS.search((DEPLOY / "debrief.service").read_text())


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_verifies_the_unit(tmp_path):
    # Only the install paths differ from this machine; every key and value is checked as written.
    text = (DEPLOY / "debrief.service").read_text()
    text = text.replace("/opt/debrief/.venv/bin/python", sys.executable).replace("/opt/debrief", str(ROOT))
    copy = tmp_path / "debrief.service"
    copy.write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and (result.stdout + result.stderr).strip() == "", (
        result.stdout + result.stderr
    )


def dockerfile() -> list[tuple[str, str]]:
    """Instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    return [
        (line.split()[0].upper(), line.split(None, 1)[1])
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_the_dockerfile_copies_paths_that_exist_and_runs_unprivileged_with_a_health_check():
    steps = dockerfile()
    assert steps[0] == ("FROM", "python:3.11-slim")
    copied = [src for op, args in steps if op == "COPY" for src in args.split()[:-1]]
    assert copied and all((ROOT / src).exists() for src in copied), [
        s for s in copied if not (ROOT / s).exists()
    ]
    users = [args for op, args in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(op == "VOLUME" and "/data" in args for op, args in steps)
    assert any(op == "HEALTHCHECK" and "/_stcore/health" in args for op, args in steps)
    assert any(op == "ENV" and "DEBRIEF_DB=/data/" in args for op, args in steps)
    assert not any("secrets" in args for op, args in steps if op in ("COPY", "ADD"))
    assert not SECRET_WORDS.search((DEPLOY / "Dockerfile").read_text())
    assert ".streamlit/secrets.toml" in (ROOT / ".dockerignore").read_text().split()


def nginx_locations() -> dict[str, str]:
    text = (DEPLOY / "nginx.conf").read_text()
    return {m.group(1).strip(): m.group(2) for m in re.finditer(r"location\s+([^{]+)\{([^}]*)\}", text)}


def test_nginx_upgrades_the_websocket_and_sets_the_identity_only_from_oauth2_proxy():
    text = (DEPLOY / "nginx.conf").read_text()
    assert text.count("{") == text.count("}")
    locations = nginx_locations()
    for where in ("/_stcore/stream", "/"):
        block = locations[where]
        assert "auth_request /oauth2/auth;" in block
        assert "auth_request_set $debrief_email $upstream_http_x_auth_request_email;" in block
        assert "proxy_set_header X-Forwarded-User $debrief_email;" in block  # replaces what a client sent
        for header in ("X-Forwarded-Email", "X-Auth-Request-User", "X-Auth-Request-Email", "Remote-User"):
            assert f'proxy_set_header {header} "";' in block
        assert "proxy_pass http://127.0.0.1:8501;" in block
    stream = locations["/_stcore/stream"]
    assert "proxy_http_version 1.1;" in stream and "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    upload_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert f"client_max_body_size {upload_mb}m;" in text


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_config(tmp_path):
    main = tmp_path / "nginx.conf"
    site = (DEPLOY / "nginx.conf").read_text().replace("listen 443 ssl http2;", "listen 8443;")
    site = re.sub(r"\s*ssl_certificate(_key)? [^;]+;", "", site)
    main.write_text(f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}} http {{ {site} }}")
    result = subprocess.run(
        ["nginx", "-t", "-c", str(main), "-p", str(tmp_path)], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_oauth2_proxy_answers_auth_requests_and_holds_no_secret():
    text = (DEPLOY / "oauth2-proxy.cfg").read_text()
    config = tomllib.loads(text)
    assert config["set_xauthrequest"] is True and config["reverse_proxy"] is True
    assert config["http_address"] == "127.0.0.1:4180" and "4180" in (DEPLOY / "nginx.conf").read_text()
    assert config["cookie_secure"] is True
    assert not {"client_secret", "cookie_secret"} & set(config)


def test_the_guide_documents_every_setting_the_app_reads():
    code = [ROOT / "app.py", *ROOT.glob("pages/*.py")] + [
        p
        for package in ("components", "storage", "postmortem", "exports")
        for p in (ROOT / package).rglob("*.py")
    ]
    read = {name for path in code for name in re.findall(r"\bDEBRIEF_[A-Z_]+\b", path.read_text())}
    assert {"DEBRIEF_DB", "DEBRIEF_PRESENCE_SECONDS"} <= read
    documented = set(re.findall(r"^\| `(DEBRIEF_[A-Z_]+)`", GUIDE, re.MULTILINE))
    expected_auth = {
        "DEBRIEF_AUTH",
        "DEBRIEF_PROXY_HEADER",
        "DEBRIEF_TRUSTED_PROXIES",
        "DEBRIEF_ADMINS",
        "DEBRIEF_DEFAULT_ROLE",
    }
    assert read | expected_auth <= documented, sorted((read | expected_auth) - documented)
    for option in (
        "server.address",
        "server.port",
        "server.baseUrlPath",
        "server.maxUploadSize",
        "server.enableXsrfProtection",
    ):
        assert f"| `{option}` |" in GUIDE
    assert "deploy.md" in (ROOT / "README.md").read_text()


def test_the_app_starts_as_the_unit_runs_it_in_none_mode_and_is_healthy(tmp_path):
    spec = importlib.util.spec_from_file_location("e2e_conftest", ROOT / "tests" / "e2e" / "conftest.py")
    e2e = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(e2e)
    command = shlex.split(unit_value("Service", "ExecStart"))
    command[0] = sys.executable
    port = e2e._free_port()
    command[command.index("--server.port") + 1] = str(port)
    env = {
        **os.environ,
        **unit_environment(),
        "HOME": str(tmp_path),
        "DEBRIEF_AUTH": "none",
        "DEBRIEF_DB": str(tmp_path / "data" / "debrief.db"),
    }
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        e2e.wait_healthy(proc, f"http://127.0.0.1:{port}")
        # The image's HEALTHCHECK command, pointed at this server, reports it healthy.
        [health] = [args for op, args in dockerfile() if op == "HEALTHCHECK"]
        check = json.loads(health[health.index("CMD") + 3 :].strip().replace(":8501/", f":{port}/"))
        assert subprocess.run([sys.executable, *check[1:]], check=False, timeout=30).returncode == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
