"""E-mail over real TLS: aiosmtpd on loopback with a certificate made by the test, once with STARTTLS
(the server refuses anything before it) and once with TLS from the start, both with a login. The
certificate is verified by default; DEBRIEF_SMTP_CA_FILE trusts a private CA; a certificate from
another CA is refused with a message that says what to do, and recorded for a retry."""

from __future__ import annotations

import pytest

import storage
from channels import smtp_mail
from channels.run import run
from channels.settings import settings
from postmortem.models import Contact, DocStatus, Header, PostMortem
from postmortem.notices import Kind, Notice
from storage import notices as sent_table
from tests import tls_certs
from tests.notify_servers import AUTH_WITHOUT_TLS, BASE, NOW, smtp_url, start_smtp

pytestmark = AUTH_WITHOUT_TLS  # aiosmtpd's warning for the implicit TLS listener (see notify_servers)
SCHEMES = {"starttls": "smtp+starttls", "tls": "smtps"}


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("certs")
    return tls_certs.make(folder, "debrief-test"), tls_certs.make(folder, "someone-else")


@pytest.fixture(params=["starttls", "tls"])
def tls_server(request, certs):
    controller, inbox = start_smtp(request.param, certs[0].server_context())
    yield request.param, controller.port, inbox
    controller.stop()


def _config(security: str, port: int, ca_file="", password=None):
    environ = {"DEBRIEF_SMTP_URL": smtp_url(port, scheme=SCHEMES[security]), "DEBRIEF_BASE_URL": BASE}
    if password is not None:
        environ["DEBRIEF_SMTP_URL"] = smtp_url(port, password, SCHEMES[security])
    if ca_file:
        environ["DEBRIEF_SMTP_CA_FILE"] = str(ca_file)
    return settings(environ).smtp


NOTICE = Notice("test:1", Kind.REVIEW, "Review requested: INC-1 Queue stalled", "Please review.", BASE)


def test_mail_goes_through_tls_with_a_login_when_the_ca_is_trusted(tls_server, certs):
    security, port, inbox = tls_server
    config = _config(security, port, ca_file=certs[0].ca_file)
    assert config.security == security
    smtp_mail.send(config, smtp_mail.message(NOTICE, "debrief@example.org", "ben@example.org"))
    [(rcpts, mail)] = inbox.messages
    assert rcpts == ["ben@example.org"] and mail["Subject"] == NOTICE.subject


def test_an_unknown_ca_is_refused_by_default_with_what_to_do(tls_server):
    security, port, inbox = tls_server
    with pytest.raises(smtp_mail.SmtpTlsError) as refused:
        smtp_mail.send(_config(security, port), smtp_mail.message(NOTICE, "d@example.org", "b@example.org"))
    message = str(refused.value)
    assert f"127.0.0.1:{port} sent a certificate that could not be verified" in message
    assert "DEBRIEF_SMTP_CA_FILE" in message and inbox.messages == []


def test_a_certificate_from_another_ca_is_refused(tls_server, certs):
    security, port, inbox = tls_server
    config = _config(security, port, ca_file=certs[1].ca_file)
    with pytest.raises(smtp_mail.SmtpTlsError, match="could not be verified"):
        smtp_mail.send(config, smtp_mail.message(NOTICE, "d@example.org", "b@example.org"))
    assert inbox.messages == []


def test_a_wrong_password_over_tls_is_refused_by_the_server(tls_server, certs):
    security, port, inbox = tls_server
    config = _config(security, port, ca_file=certs[0].ca_file, password="wrong")
    with pytest.raises(smtp_mail.smtplib.SMTPAuthenticationError):
        smtp_mail.send(config, smtp_mail.message(NOTICE, "d@example.org", "b@example.org"))
    assert inbox.messages == []


def test_an_unreadable_ca_file_is_named_in_the_error(tls_server, tmp_path):
    security, port, _ = tls_server
    missing = tmp_path / "no-such-ca.pem"
    with pytest.raises(smtp_mail.SmtpTlsError, match=f"DEBRIEF_SMTP_CA_FILE={missing} cannot be read"):
        smtp_mail.send(
            _config(security, port, ca_file=missing), smtp_mail.message(NOTICE, "d@e.org", "b@e.org")
        )


def test_a_plain_server_is_refused_when_starttls_is_asked_for(certs):
    controller, inbox = start_smtp()  # no TLS at all
    try:
        config = _config("starttls", controller.port, ca_file=certs[0].ca_file)
        with pytest.raises(smtp_mail.smtplib.SMTPNotSupportedError, match="STARTTLS"):
            smtp_mail.send(config, smtp_mail.message(NOTICE, "d@example.org", "b@example.org"))
    finally:
        controller.stop()
    assert inbox.messages == []


def test_the_notify_run_records_the_certificate_failure_for_the_admin_page(db, tls_server):
    security, port, _ = tls_server
    doc = PostMortem(
        header=Header(incident_id="INC-9", title="Queue stalled", status=DocStatus.IN_REVIEW),
        contacts=[Contact(name="Cleo Example", role="Incident commander", contact="cleo@example.org")],
    )
    storage.create(db=db, doc=doc)
    config = settings({"DEBRIEF_SMTP_URL": smtp_url(port, scheme=SCHEMES[security])})
    [outcome] = [o for o in run(db, config, NOW) if o.channel == "email"]
    assert outcome.status == "failed"
    [failure] = sent_table.failures(db=db)
    assert failure.last_error.startswith("SmtpTlsError: The SMTP server 127.0.0.1:")
    assert "DEBRIEF_SMTP_CA_FILE" in failure.last_error


def test_the_ca_file_setting_reaches_the_smtp_channel_through_the_app_settings():
    from channels.settings import from_settings
    from postmortem.settings import Settings

    loaded = Settings.load(
        {
            "DEBRIEF_SMTP_URL": "smtp+starttls://mail.example.org",
            "DEBRIEF_SMTP_CA_FILE": "/etc/debrief/ca.pem",
        },
        argv=[],
    )
    assert from_settings(loaded).smtp.ca_file == "/etc/debrief/ca.pem"
