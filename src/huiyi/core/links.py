"""Signed, expiring links for people without accounts (ARCHITECTURE.md, "Users and access").

A client confirms a requirements list, an attendee shows a ticket or answers a survey through a link whose
token is random (32 bytes), stored only as its SHA-256 hash, bound to one purpose and one record, with an
expiry and, for single-use links, the moment it was used. Resolving a link never changes anything; `consume`
marks a single-use link used inside the caller's transaction, so a retried or concurrent second use fails.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessLink

DEFAULT_LIFETIME = timedelta(days=int(getattr(settings, "HUIYI_LINK_DAYS", 14)))


class LinkError(Exception):
    code = "invalid"
    message = _("This link is not valid. Ask the sender for a new one.")


class LinkInvalid(LinkError):
    pass


class LinkExpired(LinkError):
    code = "expired"
    message = _("This link has expired. Ask the sender for a new one.")


class LinkUsed(LinkError):
    code = "used"
    message = _("This link has been used already; nothing was changed.")


class LinkRevoked(LinkError):
    code = "revoked"
    message = _("This link was withdrawn by the sender.")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    purpose: str,
    target,
    *,
    created_by=None,
    lifetime: timedelta | None = None,
    single_use: bool = True,
    recipient: str = "",
) -> tuple[AccessLink, str]:
    """Create a link for `purpose` on `target`; returns the record and the token (shown once, not stored)."""
    token = secrets.token_urlsafe(32)
    link = AccessLink.objects.create(
        purpose=purpose,
        content_type=ContentType.objects.get_for_model(target.__class__),
        object_id=str(target.pk),
        token_hash=_digest(token),
        expires_at=timezone.now() + (lifetime or DEFAULT_LIFETIME),
        single_use=single_use,
        recipient=recipient,
        created_by=created_by,
    )
    return link, token


def resolve(token: str, purpose: str, *, for_update: bool = False) -> AccessLink:
    """The live link for `token` and `purpose`, or a LinkError saying why not. Changes nothing."""
    if not token or len(token) > 100:
        raise LinkInvalid
    links = AccessLink.objects.select_related("content_type")
    if for_update:
        links = links.select_for_update()
    link = links.filter(token_hash=_digest(token), purpose=purpose).first()
    if link is None:
        raise LinkInvalid
    if link.revoked_at is not None:
        raise LinkRevoked
    if link.single_use and link.used_at is not None:
        raise LinkUsed
    if link.expires_at <= timezone.now():
        raise LinkExpired
    return link


@transaction.atomic
def consume(token: str, purpose: str, *, note: str = "", address: str = "") -> AccessLink:
    """Resolve and mark used in one transaction (row locked): of two concurrent uses, one fails."""
    link = resolve(token, purpose, for_update=True)
    link.used_at = timezone.now()
    link.use_count += 1
    link.last_used_from = address[:64]
    link.use_note = note[:500]
    link.save(update_fields=["used_at", "use_count", "last_used_from", "use_note"])
    return link


def revoke(link: AccessLink) -> None:
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
