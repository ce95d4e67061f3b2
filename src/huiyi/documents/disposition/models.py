"""Disposition of documents at the end of their retention (REQ-DOC-04, REQ-DOC-06, REQ-CON-05).

A :class:`DispositionRequest` asks to destroy one document whose retention has ended; the meeting's lead
approves or rejects it (never the requester); an approved request is executed by destroying every stored
version. The :class:`DestructionRecord` (with one :class:`DestroyedFile` per version) is written in the same
transaction as the document is marked destroyed, and outlives the bytes: file, time, person (§3.5(2) 2.3).
Legal holds placed and lifted, with their reasons, are :class:`LegalHoldEvent` rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DispositionRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        EXECUTED = "executed", _("Destroyed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = (Status.PENDING, Status.APPROVED)

    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="disposition_requests",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.TextField(_("reason for destruction"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    executed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposition request")
        verbose_name_plural = _("disposition requests")
        ordering = ["-requested_at", "-pk"]
        permissions = [
            ("approve_dispositionrequest", _("Can approve the destruction of documents")),
            ("destroy_document", _("Can destroy documents after approval")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status__in=["pending", "approved"]),
                name="disposition_one_open_request_per_document",
            )
        ]

    def __str__(self):
        return f"{self.document} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class DestructionRecord(models.Model):
    """What was destroyed, when, by whom, on whose request and approval. Never deleted."""

    request = models.OneToOneField(
        DispositionRequest,
        verbose_name=_("disposition request"),
        on_delete=models.PROTECT,
        related_name="record",
    )
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="destruction_record",
    )
    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="destruction_records",
    )
    project_code = models.CharField(_("project code"), max_length=30, blank=True)
    project_name = models.CharField(_("meeting"), max_length=200, blank=True)
    document_title = models.CharField(_("title"), max_length=200)
    doc_type = models.CharField(_("type"), max_length=60)
    confidentiality = models.CharField(_("confidentiality"), max_length=12)
    retention_class = models.CharField(_("retention class"), max_length=60)
    retention_until = models.DateField(_("kept until"), null=True, blank=True)
    reason = models.TextField(_("reason for destruction"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"))
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("destroyed by"), on_delete=models.PROTECT, related_name="+"
    )
    destroyed_at = models.DateTimeField(_("destroyed at"), db_index=True)
    storage_cleared_at = models.DateTimeField(
        _("storage cleared at"),
        null=True,
        blank=True,
        help_text=_("When every stored object of the document was confirmed deleted."),
    )

    class Meta:
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")
        ordering = ["-destroyed_at", "-pk"]

    def __str__(self):
        return f"{self.document_title} · {self.destroyed_at:%Y-%m-%d}"


class DestroyedFile(models.Model):
    """One destroyed version: its facts as they were, and whether its stored object is gone yet."""

    record = models.ForeignKey(
        DestructionRecord,
        verbose_name=_("destruction record"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("file name"), max_length=300)
    original_filename = models.CharField(_("original file name"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    mime = models.CharField(_("MIME type"), max_length=100)
    encrypted = models.BooleanField(_("encrypted at rest"), default=False)
    filed_at = models.DateTimeField(_("filed at"))
    stored_path = models.CharField(_("stored object"), max_length=300)
    deleted_at = models.DateTimeField(_("object deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("destroyed file")
        verbose_name_plural = _("destroyed files")
        ordering = ["record", "number"]

    def __str__(self):
        return f"{self.name} v{self.number}"


class LegalHoldEvent(models.Model):
    """A legal hold placed on or lifted from a document, with the reason (it blocks destruction)."""

    class Action(models.TextChoices):
        PLACED = "placed", _("Hold placed")
        LIFTED = "lifted", _("Hold lifted")

    document = models.ForeignKey(
        "documents.Document", verbose_name=_("document"), on_delete=models.PROTECT, related_name="hold_events"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("legal hold event")
        verbose_name_plural = _("legal hold events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.document} · {self.get_action_display()}"
