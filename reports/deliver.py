"""Delivery channels: the report by e-mail through an SMTP relay, short
alerts to a Teams or Slack webhook. Credentials and the webhook URL come
from environment variables named in the config; none of them is ever logged
or put in an error message.

Each failure is a ``DeliveryError`` that says whether trying again may
help (a connection refused, a timeout, an SMTP 4xx, HTTP 429 or 5xx) and
how long the server asked to wait; ``listener.deliveries`` retries those
with the sources' backoff helper and records every delivery in storage.

Teams: the webhooks of Teams "Workflows" (which replace the retired Office
365 connectors) take an Adaptive Card in a message attachment, so Teams gets
``adaptive_card_message``; Slack's incoming webhooks take ``{"text": ...}``.
``webhook_format: auto`` tells them apart by the URL's host.
"""

from __future__ import annotations

import mimetypes
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from reports.config import EmailSettings

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.4"  # what Teams renders in channels and chats
RETRY_HTTP = frozenset({408, 425, 429, 500, 502, 503, 504})


class DeliveryError(RuntimeError):
    """A report or alert could not be delivered; ``retryable`` when trying
    again may help, ``wait`` the seconds the server asked for (if any)."""

    def __init__(self, message: str, *, retryable: bool = False,
                 wait: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.wait = wait


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


def _smtp_retryable(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPNotSupportedError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500  # 4xx: try again later; 5xx: refused for good
    # a refused or dropped connection, a timeout, a relay that hung up
    return isinstance(exc, OSError | smtplib.SMTPServerDisconnected)


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
        code = getattr(exc, "smtp_code", None)
        raise DeliveryError(
            f"e-mail to {email.smtp_host}:{email.smtp_port} failed: {type(exc).__name__}"
            + (f": {code}" if code is not None else ""),
            retryable=_smtp_retryable(exc)) from None


def adaptive_card(title: str, text: str) -> dict[str, Any]:
    """An Adaptive Card with a bold title and the text, wrapped."""
    return {
        "$schema": CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": [
            {"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium",
             "wrap": True},
            {"type": "TextBlock", "text": text, "wrap": True},
        ],
    }


def adaptive_card_message(title: str, text: str) -> dict[str, Any]:
    """The body a Teams Workflows webhook takes: a message with one card."""
    return {"type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive",
        "contentUrl": None,
        "content": adaptive_card(title, text),
    }]}


def webhook_kind(url: str, declared: str) -> str:
    """``teams`` or ``slack``: as configured, or (``auto``) by the URL's host."""
    if declared != "auto":
        return declared
    host = (urlsplit(url).hostname or "").lower()
    return "slack" if host == "hooks.slack.com" or host.endswith(".slack.com") else "teams"


def post_webhook(url_env: str, title: str, text: str, env: Mapping[str, str] | None = None,
                 *, kind: str = "auto", timeout: float = 10.0) -> None:
    """POST an alert: an Adaptive Card to Teams, ``{"text": ...}`` to Slack."""
    env = os.environ if env is None else env
    body = {"text": f"{title}\n{text}"} if webhook_kind(env.get(url_env, ""), kind) == "slack" \
        else adaptive_card_message(title, text)
    post_json(url_env, body, env, timeout)


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
        raise DeliveryError(f"webhook failed: {type(exc).__name__}",
                            retryable=isinstance(exc, httpx.TransportError)) from None
    if response.status_code >= 400:
        hint = response.headers.get("retry-after", "")
        raise DeliveryError(f"webhook answered HTTP {response.status_code}",
                            retryable=response.status_code in RETRY_HTTP
                            or response.status_code >= 500,
                            wait=float(hint) if hint.strip().isdigit() else None)
