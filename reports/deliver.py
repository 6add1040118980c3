"""Delivery: the report by e-mail through an SMTP relay, short alerts to a
Teams or Slack incoming webhook. Credentials and the webhook URL come from
environment variables named in the config; none of them is ever logged or
put in an error message."""

from __future__ import annotations

import mimetypes
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

from reports.config import EmailSettings


class DeliveryError(RuntimeError):
    """A report or alert could not be delivered."""


def build_message(email: EmailSettings, subject: str, body: str,
                  attachments: Sequence[Path] = (), html: str | None = None) -> EmailMessage:
    """The message: ``body`` as plain text, ``html`` (when given) as its HTML
    alternative, then the attachments. Sending is ``send_email``."""
    if not email.sender or not email.to:
        raise DeliveryError("reports.email.sender and reports.email.to must be set to e-mail")
    msg = EmailMessage()
    msg["From"] = email.sender
    msg["To"] = ", ".join(email.to)
    msg["Subject"] = subject
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for path in attachments:
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".md":
            ctype = "text/markdown"
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype,
                           filename=path.name)
    return msg


def send_email(email: EmailSettings, msg: EmailMessage,
               env: Mapping[str, str] | None = None) -> None:
    """Send through the configured relay: STARTTLS when configured, login
    when the username variable is set."""
    env = os.environ if env is None else env
    user = env.get(email.username_env, "") if email.username_env else ""
    password = env.get(email.password_env, "") if email.password_env else ""
    try:
        with smtplib.SMTP(email.smtp_host, email.smtp_port,
                          timeout=email.timeout_seconds) as smtp:
            if email.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if user:
                smtp.login(user, password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(
            f"e-mail to {email.smtp_host}:{email.smtp_port} failed: {type(exc).__name__}"
            f"{': ' + str(getattr(exc, 'smtp_code', '')) if hasattr(exc, 'smtp_code') else ''}"
        ) from None


def post_webhook(url_env: str, text: str, env: Mapping[str, str] | None = None,
                 timeout: float = 10.0) -> None:
    """POST ``{"text": ...}``, the shape both Slack and Teams incoming
    webhooks accept."""
    post_json(url_env, {"text": text}, env, timeout)


def post_json(url_env: str, payload: Mapping[str, Any], env: Mapping[str, str] | None = None,
              timeout: float = 10.0) -> None:
    """POST ``payload`` as JSON to the webhook whose URL is in ``url_env``."""
    env = os.environ if env is None else env
    url = env.get(url_env, "")
    if not url:
        raise DeliveryError(f"the webhook URL variable {url_env} is not set")
    try:
        response = httpx.post(url, json=dict(payload), timeout=timeout)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook failed: {type(exc).__name__}") from None
    if response.status_code >= 400:
        raise DeliveryError(f"webhook answered HTTP {response.status_code}")
