"""In-app notifications, with an e-mail copy when the recipient has an address."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

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
    """Tell `recipient`. With a `dedupe_key`, the same notice is never sent twice (retries, periodic jobs)."""
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
    except IntegrityError:
        return None
    if email and recipient.email:
        link = f"\n\n{settings.HUIYI_BASE_URL.rstrip('/')}{url}" if url else ""
        transaction.on_commit(
            lambda: send_mail(
                title[:200],
                f"{body}{link}",
                settings.DEFAULT_FROM_EMAIL,
                [recipient.email],
                fail_silently=True,
            )
        )
    return notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, pks=None) -> int:
    notifications = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        notifications = notifications.filter(pk__in=pks)
    return notifications.update(read_at=timezone.now())
