"""Notices as e-mail over SMTP (STARTTLS or TLS, with authentication when a user is configured)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from channels.settings import Smtp
from postmortem.errors import DebriefError
from postmortem.notices import Notice

TIMEOUT_SECONDS = 20


def message(notice: Notice, sender: str, to: str) -> EmailMessage:
    """A plain-text message: the notice's text, then its link. User text stays text, never HTML."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, notice.subject
    mail["X-Debrief-Notice"] = notice.key  # lets a mail filter or a test tell notices apart
    mail.set_content(f"{notice.body}\n\nOpen in Debrief: {notice.link}\n")
    return mail


class SmtpTlsError(DebriefError, OSError):
    """The SMTP server's TLS could not be trusted or set up; the message says what to check.
    An OSError, so the notify run records it for a retry like any other network failure."""


def tls_context(config: Smtp) -> ssl.SSLContext:
    """Certificates are always verified, host name included: the system's CAs, plus the one CA file
    the admin names for a private CA. There is deliberately no setting that turns checking off."""
    try:
        return ssl.create_default_context(cafile=config.ca_file or None)
    except (OSError, ssl.SSLError) as problem:
        raise SmtpTlsError(
            f"DEBRIEF_SMTP_CA_FILE={config.ca_file} cannot be read as a PEM file of CA certificates "
            f"({problem})."
        ) from problem


def send(config: Smtp, mail: EmailMessage) -> None:
    """Deliver one message; any failure raises (OSError or smtplib.SMTPException) for the retry table."""
    context = tls_context(config) if config.security != "none" else None
    try:
        _send(config, mail, context)
    except ssl.SSLCertVerificationError as problem:
        raise SmtpTlsError(
            f"The SMTP server {config.host}:{config.port} sent a certificate that could not be verified "
            f"({problem.verify_message}). Fix the server's certificate, or, for a private CA, set "
            "DEBRIEF_SMTP_CA_FILE to that CA's certificate."
        ) from problem


def _send(config: Smtp, mail: EmailMessage, context: ssl.SSLContext | None) -> None:
    if config.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            config.host, config.port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT_SECONDS)
    with client:
        if config.security == "starttls":
            client.starttls(context=context)
        if config.username:
            client.login(config.username, config.password)
        client.send_message(mail)
