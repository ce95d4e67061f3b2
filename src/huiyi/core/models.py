"""Shared model bases: timestamps and who made a record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuthoredModel(TimeStampedModel):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class AccessLink(models.Model):
    """A signed link for someone without an account (see huiyi.core.links); its token is never stored."""

    purpose = models.CharField(_("purpose"), max_length=50)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    single_use = models.BooleanField(_("single use"), default=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)
    use_note = models.CharField(max_length=500, blank=True)
    last_used_from = models.CharField(max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access link")
        verbose_name_plural = _("access links")
        indexes = [models.Index(fields=["content_type", "object_id", "purpose"])]

    def __str__(self):
        return f"{self.purpose} → {self.content_type.model} {self.object_id}"

    @property
    def target(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class Notification(models.Model):
    """An in-app message for one user (reminders, escalations); shown under the bell in the navigation."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once",
            )
        ]

    def __str__(self):
        return self.title


# -- notification channels and deliveries (huiyi.core.channels) --------------------------------------------


class ChannelConfig(AuthoredModel):
    """A channel an administrator attaches without code: a webhook (WeCom, DingTalk, an SMS gateway …).

    It receives the notifications of the listed kinds (none listed: every kind). The secret signs each
    request (HMAC-SHA256); it is never shown again nor written to the audit trail.
    """

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", _("Webhook")

    class Format(models.TextChoices):
        GENERIC = "generic", _("Huiyi JSON, signed")
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WEBHOOK)
    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    payload_format = models.CharField(
        _("payload format"), max_length=20, choices=Format.choices, default=Format.GENERIC
    )
    kinds = models.JSONField(_("notification kinds"), default=list, blank=True)
    timeout_seconds = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=5)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def channel_key(self) -> str:
        return f"webhook:{self.pk}"

    def receives(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class Delivery(models.Model):
    """One notification sent through one channel: the record that it went out, or why not yet."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=40)
    config = models.ForeignKey(
        ChannelConfig,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("channel settings"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.notification_id} → {self.channel}: {self.status}"


class ParkedTask(models.Model):
    """A background task that could not be queued because Redis did not answer: its huey message, kept here
    until the queue is back and the consumer moves it there (``huiyi.core.resilience``, issue 10)."""

    data = models.BinaryField()
    priority = models.IntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"parked task {self.pk} ({self.created_at:%Y-%m-%d %H:%M:%S})"
