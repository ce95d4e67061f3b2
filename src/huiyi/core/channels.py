"""Notification channels: how a notice reaches a person beyond the bell, like an on-call tool.

A :class:`Channel` has a ``key``, a ``label`` and ``send(delivery)``, which returns when the channel took
the message and raises :class:`ChannelError` (or any exception) when it did not. Built in:

* ``inapp`` — the :class:`~huiyi.core.models.Notification` row itself (delivered when it is written);
* ``email`` — Django's mail to the recipient's address;
* ``webhook:<id>`` — a :class:`~huiyi.core.models.ChannelConfig` an administrator keeps in the database:
  a POST of JSON to a URL with an HMAC-SHA256 signature and a timeout, so a WeCom or DingTalk group robot
  or an SMS gateway is attached by configuration, without code.

Each send is a :class:`~huiyi.core.models.Delivery` (pending → sent, or failed after its attempts). The
sending happens in the background: :func:`plan` writes the deliveries with the notification and enqueues one
huey task per delivery when the transaction commits, so a channel that is down never blocks the caller. A
failed attempt is retried with backoff (``HUIYI_DELIVERY_BACKOFF`` seconds, one entry per retry); after the
last one the delivery is *failed* and shows on the failed-deliveries page, where it can be retried by hand.
A minute's sweep (:func:`deliver_due`) picks up any pending delivery whose time has come, so a lost task or a
crashed worker delays a message but never loses it.

Verifying a generic webhook (receiver side)::

    expected = "sha256=" + hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    # timestamp: the X-Huiyi-Timestamp header; compare with X-Huiyi-Signature using hmac.compare_digest
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import ChannelConfig, Delivery, Notification

log = logging.getLogger(__name__)

INAPP = "inapp"
EMAIL = "email"
WEBHOOK_PREFIX = "webhook:"
#: Seconds to wait before each automatic retry; a delivery is failed after 1 + len(backoff) attempts.
DEFAULT_BACKOFF = (30, 120, 600, 1800)
#: Extra seconds a claimed delivery stays claimed beyond the channel's timeout (a crashed worker's claim
#: expires and the sweep tries again).
CLAIM_MARGIN = 60
MAX_RESPONSE_BYTES = 65536
MAX_ERROR_LENGTH = 1000


class ChannelError(Exception):
    """The channel did not take the message; the text says why (shown to administrators)."""


class Channel(ABC):
    key: str
    label: str

    def wants(self, notification: Notification) -> bool:
        """Whether this channel carries ``notification`` at all."""
        return True

    @abstractmethod
    def send(self, delivery: Delivery) -> None:
        """Hand the message over; raise on failure."""


class InAppChannel(Channel):
    key = INAPP
    label = _("In-app")

    def send(self, delivery: Delivery) -> None:
        """The notification row is the in-app message: written, hence delivered."""


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.HUIYI_BASE_URL.rstrip('/')}{path}"


class EmailChannel(Channel):
    key = EMAIL
    label = _("E-mail")

    def wants(self, notification: Notification) -> bool:
        return bool(notification.recipient.email)

    def send(self, delivery: Delivery) -> None:
        notification = delivery.notification
        address = notification.recipient.email
        if not address:
            raise ChannelError("the recipient has no e-mail address")
        link = f"\n\n{absolute_url(notification.url)}" if notification.url else ""
        send_mail(
            notification.title,
            f"{notification.body}{link}",
            settings.DEFAULT_FROM_EMAIL,
            [address],
            fail_silently=False,
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook answers itself: a redirect is a misconfiguration, reported, not followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Huiyi-Signature of a generic webhook request."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload(notification: Notification, delivery_pk: int | None = None) -> dict:
    recipient = notification.recipient
    return {
        "id": notification.pk,
        "delivery": delivery_pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": absolute_url(notification.url),
        "created_at": notification.created_at.isoformat() if notification.created_at else None,
        "recipient": {
            "username": recipient.get_username(),
            "name": str(recipient),
            "email": recipient.email,
            "phone": getattr(recipient, "phone", ""),
        },
    }


def _text(notification: Notification) -> str:
    parts = [notification.title, notification.body, absolute_url(notification.url)]
    return "\n".join(part for part in parts if part)


class WebhookChannel(Channel):
    """POST a JSON body; 2xx is success. WeCom/DingTalk robots also answer ``errcode`` 0 on success."""

    def __init__(self, config: ChannelConfig):
        self.config = config
        self.key = config.channel_key
        self.label = config.name

    def wants(self, notification: Notification) -> bool:
        return self.config.active and self.config.receives(notification.kind)

    def request(self, delivery: Delivery, *, now: float | None = None) -> urllib.request.Request:
        config, notification = self.config, delivery.notification
        now = time.time() if now is None else now
        timestamp = str(int(now))
        url = config.url
        phone = getattr(notification.recipient, "phone", "")
        if config.payload_format == ChannelConfig.Format.WECOM:
            text = {"content": _text(notification)}
            if phone:
                text["mentioned_mobile_list"] = [phone]
            data = {"msgtype": "text", "text": text}
        elif config.payload_format == ChannelConfig.Format.DINGTALK:
            data = {"msgtype": "text", "text": {"content": _text(notification)}}
            if phone:
                data["at"] = {"atMobiles": [phone]}
            if config.secret:  # DingTalk's signed robots: timestamp (ms) and sign in the query string
                millis = str(int(now * 1000))
                digest = hmac.new(
                    config.secret.encode(), f"{millis}\n{config.secret}".encode(), hashlib.sha256
                ).digest()
                sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
                url = f"{url}{'&' if '?' in url else '?'}timestamp={millis}&sign={sign}"
        else:
            data = payload(notification, delivery.pk)
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Huiyi-Webhook/1",
            "X-Huiyi-Delivery": str(delivery.pk),
            "X-Huiyi-Timestamp": timestamp,
        }
        if config.secret:
            headers["X-Huiyi-Signature"] = signature(config.secret, timestamp, body)
        if not url.startswith(("http://", "https://")):
            raise ChannelError("the webhook URL must start with http:// or https://")
        return urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310

    def send(self, delivery: Delivery) -> None:
        request = self.request(delivery)
        try:
            with _OPENER.open(request, timeout=self.config.timeout_seconds) as response:
                status = response.status
                answer = response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as error:
            raise ChannelError(f"HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise ChannelError(f"cannot reach the webhook: {error.reason}") from None
        except TimeoutError:
            raise ChannelError(f"no answer within {self.config.timeout_seconds} s") from None
        except OSError as error:
            raise ChannelError(f"connection failed: {error}") from None
        if not 200 <= status < 300:
            raise ChannelError(f"HTTP {status}")
        if self.config.payload_format in (ChannelConfig.Format.WECOM, ChannelConfig.Format.DINGTALK):
            try:
                code = json.loads(answer or b"{}").get("errcode", 0)
            except (ValueError, AttributeError):
                code = 0
            if code:
                raise ChannelError(f"the robot refused the message: errcode {code}")


_BUILT_IN: dict[str, Channel] = {INAPP: InAppChannel(), EMAIL: EmailChannel()}
_REGISTERED: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    """Add a channel written in code (e.g. an SMS provider's SDK); it carries every notification it wants."""
    _REGISTERED[channel.key] = channel


def unregister(key: str) -> None:
    _REGISTERED.pop(key, None)


def channel_for(key: str, config: ChannelConfig | None = None) -> Channel | None:
    if key in _BUILT_IN:
        return _BUILT_IN[key]
    if key in _REGISTERED:
        return _REGISTERED[key]
    if key.startswith(WEBHOOK_PREFIX):
        if config is None:
            config = ChannelConfig.objects.filter(pk=key.removeprefix(WEBHOOK_PREFIX)).first()
        return WebhookChannel(config) if config is not None else None
    return None


def label(key: str, config: ChannelConfig | None = None) -> str:
    if key in _BUILT_IN:
        return str(_BUILT_IN[key].label)
    if key in _REGISTERED:
        return str(_REGISTERED[key].label)
    if config is not None:
        return config.name
    return key


def backoff() -> tuple[int, ...]:
    return tuple(getattr(settings, "HUIYI_DELIVERY_BACKOFF", DEFAULT_BACKOFF))


def max_attempts() -> int:
    return 1 + len(backoff())


# -- planning and sending -----------------------------------------------------------------------------------


def plan(notification: Notification, *, email: bool = True) -> list[Delivery]:
    """Write the deliveries of a new notification (one insert) and enqueue them when the transaction commits.

    In-app is delivered by the row itself; e-mail when asked for and the recipient has an address; each
    active webhook whose kinds include the notification's kind; each channel registered in code that wants it.
    """
    now = timezone.now()
    rows = [Delivery(notification=notification, channel=INAPP, status=Delivery.Status.SENT, sent_at=now)]
    if email and _BUILT_IN[EMAIL].wants(notification):
        rows.append(Delivery(notification=notification, channel=EMAIL, next_attempt_at=now))
    for config in ChannelConfig.objects.filter(active=True):
        if config.receives(notification.kind):
            rows.append(
                Delivery(
                    notification=notification, channel=config.channel_key, config=config, next_attempt_at=now
                )
            )
    for channel in _REGISTERED.values():
        if channel.wants(notification):
            rows.append(Delivery(notification=notification, channel=channel.key, next_attempt_at=now))
    Delivery.objects.bulk_create(rows)
    pending = [row for row in rows if row.status == Delivery.Status.PENDING]
    if pending:
        if any(row.pk is None for row in pending):  # databases that do not return ids from bulk inserts
            pending = list(Delivery.objects.filter(notification=notification, status=Delivery.Status.PENDING))
        ids = [row.pk for row in pending]
        transaction.on_commit(lambda: _enqueue(ids))
    return rows


def _enqueue(ids: list[int]) -> None:
    for pk in ids:
        try:
            # The first attempt goes now, whatever the worker's clock says (a clock a little behind the web
            # server's must not hold a fresh notice back until the sweep).
            deliver_task(pk, first=True)
        except Exception:  # the queue is down: the minute's sweep sends it
            log.exception("could not enqueue delivery %s", pk)


def _claim(pk: int, now, *, manual: bool, first: bool = False) -> Delivery | None:
    """Take a pending delivery for one attempt (no two workers send the same delivery at once)."""
    candidates = Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING)
    if first:
        candidates = candidates.filter(attempts=0)
    elif not manual:
        candidates = candidates.filter(next_attempt_at__lte=now)
    delivery = candidates.select_related("notification__recipient", "config").first()
    if delivery is None:
        return None
    timeout = delivery.config.timeout_seconds if delivery.config else 0
    lease = now + timedelta(seconds=timeout + CLAIM_MARGIN)
    claimed = candidates.filter(next_attempt_at=delivery.next_attempt_at).update(next_attempt_at=lease)
    return delivery if claimed else None


def attempt(pk: int, *, manual: bool = False, first: bool = False, now=None) -> Delivery | None:
    """One attempt at a pending delivery whose time has come; returns it (None: nothing to do).

    A failure schedules the next attempt with backoff; after the last (or a manual retry's) failure the
    delivery is failed."""
    now = now or timezone.now()
    delivery = _claim(pk, now, manual=manual, first=first)
    if delivery is None:
        return None
    channel = channel_for(delivery.channel, delivery.config)
    error = ""
    try:
        if channel is None:
            raise ChannelError("the channel no longer exists")
        channel.send(delivery)
    except Exception as exc:  # any failure of a channel is recorded, never raised into the queue
        error = (str(exc) or exc.__class__.__name__)[:MAX_ERROR_LENGTH]
    delivery.attempts += 1
    finished = timezone.now()
    if not error:
        delivery.status, delivery.sent_at, delivery.next_attempt_at = Delivery.Status.SENT, finished, None
        delivery.last_error = ""
    else:
        delivery.last_error = error
        waits = backoff()
        if manual or delivery.attempts > len(waits):
            delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        else:
            wait = waits[delivery.attempts - 1]
            delivery.next_attempt_at = finished + timedelta(seconds=wait)
    delivery.save(
        update_fields=["status", "sent_at", "next_attempt_at", "last_error", "attempts", "updated_at"]
    )
    if delivery.status == Delivery.Status.PENDING:
        try:
            deliver_task.schedule(args=(delivery.pk,), eta=delivery.next_attempt_at)
        except Exception:
            log.exception("could not schedule the retry of delivery %s", delivery.pk)
    return delivery


def deliver_due(now=None, limit: int = 200) -> int:
    """Attempt every pending delivery whose time has come (the sweep); returns how many were attempted."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    done = 0
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        if attempt(pk, now=now) is not None:
            done += 1
    return done


def retry(delivery: Delivery, *, by=None) -> Delivery:
    """An administrator's retry of a failed delivery: one attempt now, in the background."""
    from django.core.exceptions import ValidationError

    updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    if not updated:
        raise ValidationError({"status": _("Only a failed delivery can be retried.")})
    transaction.on_commit(lambda: _enqueue_manual(delivery.pk))
    delivery.refresh_from_db()
    return delivery


def _enqueue_manual(pk: int) -> None:
    try:
        deliver_task(pk, manual=True)
    except Exception:
        log.exception("could not enqueue the retry of delivery %s", pk)


@db_task()
def deliver_task(pk: int, manual: bool = False, first: bool = False) -> None:
    attempt(pk, manual=manual, first=first)


@db_periodic_task(crontab(minute="*"))
def deliveries_sweep() -> None:
    deliver_due()
