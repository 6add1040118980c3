"""Sending what the service delivers: every delivery is recorded in storage
first (``store.deliveries``: kind, key, channel, state, attempts, last
error), then sent; a failure is retried and never lost, and a delivery that
went out is never sent again.

- ``request_report`` / ``request_alert`` record what is to be sent (once per
  week, or per topic, day and channel).
- ``deliver_due`` sends everything pending or failed, oldest first, each
  through the sources' backoff helper (``listener.sources.backoff``, on
  tenacity): a connection refused, a timeout, an SMTP 4xx or an HTTP 429/5xx
  is retried a few times at once (``RETRY``); what still fails stays
  ``failed`` and is tried again by the next ``deliver_due``: the service's
  ``deliveries`` job (every ``service.delivery_retry_minutes``), the next
  report or alert check, or ``listener deliveries --retry``.
- A sender dying mid-send leaves its delivery ``sending``; after
  ``STALE_AFTER`` it is due again (a relay that accepted the message just
  before the crash may then get it twice: at least once, never lost).

Other kinds (issue 19's team digests) register their senders with
``register_sender(kind, channel, fn)`` and record deliveries with
``store.deliveries.request(kind, key, channel, payload)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from listener.config import Settings
from listener.redact import redact
from listener.sources.backoff import Retry, RetryPolicy, call_with_retry
from reports.alerts import Alert
from reports.deliver import DeliveryError, build_message, post_webhook, send_email
from reports.email_body import email_html, email_text
from storage import Store
from storage.deliveries import Delivery
from storage.timefmt import iso

log = logging.getLogger(__name__)

REPORT, ALERT = "weekly_report", "alert"
STALE_AFTER = timedelta(minutes=30)
RETRY = RetryPolicy(max_attempts=3, base_seconds=2.0, max_wait_seconds=60.0,
                    min_wait_seconds=1.0)
MAILED_SUFFIXES = (".html", ".pdf", ".md")

Env = Mapping[str, str] | None
Sender = Callable[[Settings, Delivery, Env], None]
_SENDERS: dict[tuple[str, str], Sender] = {}


def register_sender(kind: str, channel: str, send: Sender) -> None:
    """How deliveries of ``kind`` go out on ``channel``; ``send`` raises
    ``reports.deliver.DeliveryError`` (``retryable`` when trying again may help)."""
    _SENDERS[(kind, channel)] = send


@dataclass(frozen=True)
class Outcome:
    delivery: Delivery
    sent: bool
    error: str | None = None


def report_message(settings: Settings, paths: Sequence[Path]) -> EmailMessage:
    """The weekly report's e-mail: the Markdown report as a clean plain-text
    body with an HTML alternative (the Markdown rendered,
    ``reports.email_body``), the HTML, PDF and Markdown files attached."""
    md = next((p for p in paths if p.suffix == ".md"), None)
    stem = (md or paths[0]).name.split(".")[0]
    subject = f"{settings.reports.title}: {stem.removeprefix('report-')}"
    markdown = md.read_text(encoding="utf-8") if md else None
    body = email_text(markdown) if markdown else (
        f"The {settings.reports.title.lower()} is attached.")
    return build_message(settings.reports.email, subject, body,
                         [p for p in paths if p.suffix in MAILED_SUFFIXES],
                         html=email_html(markdown, subject) if markdown else None)


def _send_report(settings: Settings, delivery: Delivery, env: Env) -> None:
    paths = [Path(name) for name in delivery.payload["files"]]
    missing = [p.name for p in paths if not p.is_file()]
    if missing or not paths:
        raise DeliveryError(f"the report files of {delivery.key} are gone "
                            f"({', '.join(missing) or 'none recorded'}): write the report again")
    send_email(settings.reports.email, report_message(settings, paths), env)


def _alert_title(delivery: Delivery) -> str:
    return f"Emerging issue: {delivery.payload['label']}"


def _send_alert_email(settings: Settings, delivery: Delivery, env: Env) -> None:
    send_email(settings.reports.email, build_message(
        settings.reports.email, _alert_title(delivery), str(delivery.payload["text"])), env)


def _send_alert_webhook(settings: Settings, delivery: Delivery, env: Env) -> None:
    alerts = settings.reports.alerts
    post_webhook(alerts.webhook_url_env, _alert_title(delivery), str(delivery.payload["text"]),
                 env, kind=alerts.webhook_format)


register_sender(REPORT, "email", _send_report)
register_sender(ALERT, "email", _send_alert_email)
register_sender(ALERT, "webhook", _send_alert_webhook)


def request_report(store: Store, week: str, paths: Sequence[Path]) -> Delivery:
    """The weekly report of ``week`` by e-mail (its files as written)."""
    files = [str(p.resolve()) for p in paths if p.suffix in MAILED_SUFFIXES]
    return store.deliveries.request(REPORT, week, "email", {"week": week, "files": files})


def alert_channels(settings: Settings) -> list[str]:
    alerts = settings.reports.alerts
    return (["email"] if alerts.email else []) + (["webhook"] if alerts.webhook_url_env else [])


def request_alert(store: Store, settings: Settings, alert: Alert) -> list[Delivery]:
    """An alert on each configured channel, at most once per topic and day."""
    payload = {"topic": alert.topic, "label": alert.label, "day": alert.day,
               "posts": alert.posts, "text": alert.text}
    return [store.deliveries.request(ALERT, f"{alert.topic}:{alert.day}", channel, payload)
            for channel in alert_channels(settings)]


def _retryable(exc: BaseException) -> Retry | None:
    if isinstance(exc, DeliveryError) and exc.retryable:
        return Retry(wait=exc.wait, reason=str(exc))
    return None


def deliver_due(settings: Settings, store: Store, *, kinds: Collection[str] = (),
                env: Env = None, sleep: Callable[[float], None] | None = None,
                now: datetime | None = None) -> list[Outcome]:
    """Send every delivery that is due (of ``kinds``, or all), each retried
    at once on a transient failure; record each result."""
    stale = iso((now or datetime.now(UTC)) - STALE_AFTER)
    outcomes = []
    for delivery in store.deliveries.due(stale_before=stale, kinds=kinds):
        send = _SENDERS.get((delivery.kind, delivery.channel))
        if send is None or not store.deliveries.claim(delivery.id, stale_before=stale):
            continue  # another kind's sender is not loaded here, or another sender has it
        try:
            call_with_retry(lambda d=delivery, s=send: s(settings, d, env),  # type: ignore[misc]
                            classify=_retryable, policy=RETRY, sleep=sleep,
                            describe=f"{delivery.kind} {delivery.key} by {delivery.channel}")
        except Exception as exc:  # recorded and retried later: a delivery is never lost
            error = redact(str(exc) if isinstance(exc, DeliveryError)
                           else f"{type(exc).__name__}: {exc}")
            store.deliveries.failed(delivery.id, error)
            log.warning("%s %s by %s not delivered (attempt %d; retried later): %s",
                        delivery.kind, delivery.key, delivery.channel, delivery.attempts + 1,
                        error)
            outcomes.append(Outcome(delivery, False, error))
        else:
            store.deliveries.sent(delivery.id)
            log.info("%s %s delivered by %s", delivery.kind, delivery.key, delivery.channel)
            outcomes.append(Outcome(delivery, True))
    return outcomes


def deliver_report(settings: Settings, store: Store, week: str, paths: Sequence[Path], *,
                   env: Env = None) -> Delivery:
    """Record the week's report e-mail (once) and send what is due; the
    report's delivery as it stands afterwards (``state`` sent or failed)."""
    request_report(store, week, paths)
    deliver_due(settings, store, kinds=[REPORT], env=env)
    found = store.deliveries.get(REPORT, week, "email")
    assert found is not None
    return found
