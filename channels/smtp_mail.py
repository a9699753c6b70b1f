"""Notices as e-mail over SMTP (STARTTLS or TLS, with authentication when a user is configured)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from channels.settings import Smtp
from postmortem.notices import Notice

TIMEOUT_SECONDS = 20


def message(notice: Notice, sender: str, to: str) -> EmailMessage:
    """A plain-text message: the notice's text, then its link. User text stays text, never HTML."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, notice.subject
    mail["X-Debrief-Notice"] = notice.key  # lets a mail filter or a test tell notices apart
    mail.set_content(f"{notice.body}\n\nOpen in Debrief: {notice.link}\n")
    return mail


def send(config: Smtp, mail: EmailMessage) -> None:
    """Deliver one message; any failure raises (OSError or smtplib.SMTPException) for the retry table."""
    context = ssl.create_default_context()
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
