"""Real loopback servers for the notification tests: SMTP (aiosmtpd, with a login) and HTTP (stdlib)."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "debrief", "s3cret pass"
BASE = "https://debrief.example.org"
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
# The plain loopback SMTP server asks for a login without TLS; aiosmtpd warns of it.
AUTH_WITHOUT_TLS = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


def smtp_url(port: int, password: str = PASSWORD, scheme: str = "smtp") -> str:
    return f"{scheme}://{USER}:{quote(password)}@127.0.0.1:{port}"


class Inbox:
    """Messages the SMTP server accepted, with the envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USER
        and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


def _free_port() -> int:
    # aiosmtpd's controller checks its server by connecting to the port it was given, so port 0 will not do.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp(tls: str = "", context: ssl.SSLContext | None = None) -> tuple[Controller, Inbox]:
    """A loopback SMTP server asking for a login: plain (tls=""), "starttls" (refuses mail and login
    before STARTTLS) or "tls" (TLS from the first byte), with the server `context`'s certificate."""
    inbox = Inbox()
    security = {
        "": dict(auth_require_tls=False),  # loopback only, no certificate: the relay's TLS is not tested here
        "starttls": dict(tls_context=context, require_starttls=True),
        # aiosmtpd only counts STARTTLS as TLS when it decides whether to offer AUTH; on an implicit TLS
        # listener every byte is encrypted already, so AUTH is allowed there explicitly.
        "tls": dict(ssl_context=context, auth_require_tls=False),
    }[tls]
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=_authenticate,
        auth_required=True,
        **security,
    )
    controller.start()
    return controller, inbox


class Hooks:
    """JSON bodies posted to the HTTP server, by path; `fail[path]` answers 500 that many times first."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []
        self.fail: dict[str, int] = {}
        self.lock = threading.Lock()

    def on(self, path: str) -> list[dict]:
        return [body for p, body in self.posts if p == path]


def start_http() -> tuple[ThreadingHTTPServer, Hooks]:
    hooks = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with hooks.lock:
                failing = hooks.fail.get(self.path, 0)
                if failing:
                    hooks.fail[self.path] = failing - 1
                else:
                    hooks.posts.append((self.path, body))
            self.send_response(500 if failing else 200)
            self.end_headers()
            self.wfile.write(b"error" if failing else b"ok")

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hooks
