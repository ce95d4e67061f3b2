"""Complaints with SLA clocks, escalation and closure with the client's confirmation (REQ-FBK-05, 06).

A complaint keeps its two clocks (first response, resolution) as :class:`huiyi.calendar.clocks.SlaClock`
values serialised to JSON, plus the due instants they currently give (``None`` while paused) so lists can
filter and sort without rebuilding clocks. The targets and the clock kind come from the project's pinned
rulebook (``fbk.complaint.<severity>.response|resolution``); the rule IDs are stored with the complaint.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AuthoredModel


class Channel(models.TextChoices):
    PHONE = "phone", pgettext_lazy("complaints", "Phone")
    EMAIL = "email", pgettext_lazy("complaints", "E-mail")
    ON_SITE = "on_site", pgettext_lazy("complaints", "On site")
    WEB_FORM = "web_form", pgettext_lazy("complaints", "Web form")
    WECHAT = "wechat", pgettext_lazy("complaints", "WeChat")
    LETTER = "letter", pgettext_lazy("complaints", "Letter")
    OTHER = "other", pgettext_lazy("complaints", "Other")


class Complaint(AuthoredModel):
    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("complaint status", "New")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("complaint status", "Acknowledged")
        IN_PROGRESS = "in_progress", pgettext_lazy("complaint status", "In progress")
        WAITING = "waiting", pgettext_lazy("complaint status", "Waiting for the client")
        RESOLVED = "resolved", pgettext_lazy("complaint status", "Resolved")
        CLOSED = "closed", pgettext_lazy("complaint status", "Closed")

    class Source(models.TextChoices):
        STAFF = "staff", pgettext_lazy("complaints", "Staff entry")
        PUBLIC = "public", pgettext_lazy("complaints", "Public form")
        API = "api", _("API")

    class ConfirmationMethod(models.TextChoices):
        PHONE = "phone", pgettext_lazy("complaints", "Phone call")
        EMAIL = "email", pgettext_lazy("complaints", "E-mail")
        IN_PERSON = "in_person", pgettext_lazy("complaints", "In person")
        WRITTEN = "written", _("Signed in writing")
        WECHAT = "wechat", pgettext_lazy("complaints", "WeChat")
        OTHER = "other", pgettext_lazy("complaints", "Other")

    OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING)

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    reference = models.CharField(
        pgettext_lazy("complaints", "reference"), max_length=30, unique=True, null=True, blank=True
    )
    channel = models.CharField(pgettext_lazy("complaints", "channel"), max_length=12, choices=Channel.choices)
    source = models.CharField(_("entered through"), max_length=8, choices=Source.choices, default="staff")
    complainant_name = models.CharField(_("complainant"), max_length=100, blank=True)
    complainant_contact = models.CharField(pgettext_lazy("complaints", "contact"), max_length=200, blank=True)
    complainant_email = models.EmailField(_("e-mail for the acknowledgement"), max_length=200, blank=True)
    content = models.TextField(pgettext_lazy("complaints", "complaint"))
    #: The rulebook's severity key (minor / major / serious in the default rulebook).
    severity = models.CharField(pgettext_lazy("complaints", "severity"), max_length=20)
    #: What was reported: serious or normal (the API's and the public form's two levels).
    reported_severity = models.CharField(_("reported severity"), max_length=10, blank=True)
    received_at = models.DateTimeField(pgettext_lazy("complaints", "received at"), db_index=True)
    status = models.CharField(
        pgettext_lazy("complaints", "status"),
        max_length=14,
        choices=Status.choices,
        default=Status.NEW,
        db_index=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("complaints", "owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    response_rule = models.CharField(_("response rule"), max_length=120, blank=True)
    resolution_rule = models.CharField(_("resolution rule"), max_length=120, blank=True)
    response_clock = models.JSONField(_("response clock"), default=dict)
    resolution_clock = models.JSONField(_("resolution clock"), default=dict)
    response_due = models.DateTimeField(_("response due"), null=True, blank=True, db_index=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True, db_index=True)
    due_confirmed = models.BooleanField(_("due dates confirmed"), default=True)
    response_breached_at = models.DateTimeField(_("response target missed at"), null=True, blank=True)
    resolution_breached_at = models.DateTimeField(_("resolution target missed at"), null=True, blank=True)

    responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolution = models.TextField(pgettext_lazy("complaints", "resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_by_name = models.CharField(_("confirmed by (client)"), max_length=100, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_method = models.CharField(
        _("confirmed how"), max_length=10, choices=ConfirmationMethod.choices, blank=True
    )
    no_confirmation_reason = models.TextField(_("why the client could not confirm"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nonconformance = models.OneToOneField(
        "quality.Nonconformance",
        verbose_name=_("nonconformance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaint",
    )

    class Meta:
        verbose_name = pgettext_lazy("complaints", "complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("close_complaint", _("Can close and reopen complaints")),
            ("escalate_complaint", _("Can escalate complaints")),
            ("raise_nonconformance", _("Can raise a nonconformance from a complaint")),
            ("manage_complaint_links", _("Can issue public complaint links")),
        ]
        indexes = [
            models.Index(fields=["project", "status"], name="complaint_project_status"),
            models.Index(fields=["severity", "received_at"], name="complaint_severity_received"),
        ]

    def __str__(self):
        return f"{self.reference or '?'} {self.content[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_breached(self) -> bool:
        return self.response_breached_at is not None or self.resolution_breached_at is not None


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=pgettext_lazy("complaints", "complaint"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(pgettext_lazy("complaints", "file"), upload_to="complaints/%Y/%m/")
    name = models.CharField(pgettext_lazy("complaints", "file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    mime = models.CharField(_("MIME type"), max_length=100)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("complaint attachment")
        verbose_name_plural = _("complaint attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ComplaintEvent(models.Model):
    """One line of a complaint's timeline. Breaches and escalations are unique per clock / level, so the
    periodic check, a retry or two workers at once record each of them once."""

    class Kind(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("complaints", "Received")
        ACK_SENT = "ack_sent", pgettext_lazy("complaints", "Acknowledgement sent to the complainant")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("complaints", "First response")
        STARTED = "started", pgettext_lazy("complaints", "Work started")
        PAUSED = "paused", pgettext_lazy("complaints", "Waiting for the client (clock paused)")
        RESUMED = "resumed", pgettext_lazy("complaints", "Client answered (clock resumed)")
        SEVERITY = "severity", pgettext_lazy("complaints", "Severity changed")
        OWNER = "owner", pgettext_lazy("complaints", "Owner changed")
        BREACHED = "breached", pgettext_lazy("complaints", "Target missed")
        ESCALATED = "escalated", pgettext_lazy("complaints", "Escalated")
        RESOLVED = "resolved", pgettext_lazy("complaints", "Resolved")
        CLOSED = "closed", pgettext_lazy("complaints", "Closed")
        REOPENED = "reopened", pgettext_lazy("complaints", "Reopened")
        NONCONFORMANCE = "nonconformance", pgettext_lazy("complaints", "Nonconformance raised")
        NOTE = "note", pgettext_lazy("complaints", "Note")

    class Clock(models.TextChoices):
        RESPONSE = "response", pgettext_lazy("complaint clock", "First response")
        RESOLUTION = "resolution", pgettext_lazy("complaint clock", "Resolution")

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=pgettext_lazy("complaints", "complaint"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(pgettext_lazy("complaints", "kind"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(pgettext_lazy("complaints", "at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("complaints", "by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clock = models.CharField(
        pgettext_lazy("complaints", "clock"), max_length=10, choices=Clock.choices, blank=True
    )
    level = models.PositiveSmallIntegerField(pgettext_lazy("complaints", "level"), null=True, blank=True)
    note = models.TextField(pgettext_lazy("complaints", "note"), blank=True)
    data = models.JSONField(pgettext_lazy("complaints", "details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "clock"],
                condition=Q(kind="breached"),
                name="complaint_one_breach_per_clock",
            ),
            models.UniqueConstraint(
                fields=["complaint", "level"],
                condition=Q(kind="escalated"),
                name="complaint_one_escalation_per_level",
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
