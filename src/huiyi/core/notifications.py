"""In-app notifications, carried further by the notification channels (e-mail, webhooks: huiyi.core.channels).

``notify`` writes the notification and its deliveries in one transaction and enqueues the sending when the
caller's transaction commits: it never waits for a mail server or a webhook.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import channels
from .models import Notification


def notify(
    recipient,
    title: str,
    *,
    body: str = "",
    url: str = "",
    kind: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> Notification | None:
    """Tell `recipient`. With a `dedupe_key`, the same notice is never sent twice (retries, periodic jobs).

    Returns the notification, or None when one with the same key was sent before. Besides the in-app row, an
    e-mail copy goes to the recipient's address (unless ``email=False``) and every active webhook channel that
    receives ``kind`` gets it, in the background with retries."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                title=title[:200],
                body=body,
                url=url[:300],
                kind=kind,
                dedupe_key=dedupe_key,
            )
            channels.plan(notification, email=email)
    except IntegrityError:
        return None
    return notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, pks=None) -> int:
    notifications = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        notifications = notifications.filter(pk__in=pks)
    return notifications.update(read_at=timezone.now())
