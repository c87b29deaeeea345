"""Outgoing mail: SMTP when SMTP_URL is set, otherwise a file per message in the outbox folder.

A local install has no mail server, so messages (sign-up links) land in `MAIL_DIR` on the
server, readable only by whoever runs it. Links are credentials: they are never logged.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 15


class MailError(Exception):
    """The message could not be handed to the mail server."""


def _message(to: str, subject: str, text: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = get_settings().mail_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg["Message-ID"] = make_msgid(domain="dreamsuite.local")
    msg.set_content(text)
    return msg


def _smtp(url: str, msg: EmailMessage) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port
    try:
        if parts.scheme == "smtps":
            server = smtplib.SMTP_SSL(host, port or 465, timeout=SMTP_TIMEOUT, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port or 587, timeout=SMTP_TIMEOUT)
        with server:
            if parts.scheme == "smtp" and server.has_extn("starttls"):
                server.starttls(context=ssl.create_default_context())
            if parts.username:
                server.login(unquote(parts.username), unquote(parts.password or ""))
            server.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail could not be sent: %s", type(exc).__name__)
        raise MailError("The email could not be sent right now. Please try again in a few minutes.") from exc


def outbox() -> Path:
    return Path(get_settings().mail_dir)


def send(to: str, subject: str, text: str) -> None:
    msg = _message(to, subject, text)
    url = get_settings().smtp_url
    if url:
        _smtp(url, msg)
        return
    folder = outbox()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}.eml"
    path.write_bytes(bytes(msg))
    path.chmod(0o600)
    log.info("no SMTP_URL: message saved to %s", path)


def latest_to(to: str) -> EmailMessage | None:
    """The newest message in the outbox addressed to `to` (local installs and tests)."""
    from email import message_from_bytes, policy

    for path in sorted(outbox().glob("*.eml"), reverse=True):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        if msg["To"] == to:
            return msg  # type: ignore[return-value]
    return None
