"""Controlled documents (REQ-DOC-01, 02, 04, 07, 08, 09).

A Document is one record of a meeting (or of the organisation) with a type, a confidentiality class and a
retention class; its files are DocumentVersions, the newest being the current one. Very-high files are
stored encrypted (see ``crypto``). Reads of very-high documents are kept in the AccessLog.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel, TimeStampedModel


class Confidentiality(models.TextChoices):
    """Classes of §4.5(2), lowest first (their order matters: a document may be classed above its rule)."""

    GENERAL = "general", _("General")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


CONFIDENTIALITY_ORDER = [c.value for c in Confidentiality]


class TriggerKind(models.TextChoices):
    MEETING_END = "meeting_end", _("Meeting end")
    CONTRACT_END = "contract_end", _("Contract end")


class Document(AuthoredModel):
    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    doc_type = models.CharField(_("type"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.MEDIUM
    )
    retention_class = models.CharField(_("retention class"), max_length=60)
    trigger_kind = models.CharField(
        _("retention starts at"), max_length=20, choices=TriggerKind.choices, default=TriggerKind.MEETING_END
    )
    trigger_date = models.DateField(_("trigger date"), null=True, blank=True)
    retention_until = models.DateField(_("keep until"), null=True, blank=True)
    retention_permanent = models.BooleanField(_("kept permanently"), default=False)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    #: Set when the files were destroyed after an approved disposition (REQ-DOC-06, disposition app); the row
    #: stays as the trace of what existed, its versions keep their facts but no longer their bytes.
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destroyed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("view_very_high_document", _("Can read very-high confidentiality documents")),
        ]
        indexes = [models.Index(fields=["project", "doc_type"])]

    def __str__(self):
        return self.title

    @property
    def is_very_high(self) -> bool:
        return self.confidentiality == Confidentiality.VERY_HIGH

    @property
    def is_destroyed(self) -> bool:
        return self.destroyed_at is not None


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), max_length=300)
    name = models.CharField(_("file name"), max_length=300)
    original_filename = models.CharField(_("original file name"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    mime = models.CharField(_("MIME type"), max_length=100)
    encrypted = models.BooleanField(_("encrypted at rest"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    change_note = models.TextField(_("change note"), blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_number_unique")
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"


class AccessLog(models.Model):
    """Who read or downloaded a very-high document, when and from where (REQ-DOC-07)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        DOWNLOAD = "download", _("Downloaded")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="access_log"
    )
    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("version"), on_delete=models.SET_NULL, null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.action} {self.document}"


class ConfidentialityAgreement(TimeStampedModel):
    """A project member's signed confidentiality agreement (REQ-DOC-09)."""

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="confidentiality_agreements",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("confidentiality agreement")
        verbose_name_plural = _("confidentiality agreements")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="documents_agreement_once_per_member")
        ]

    def __str__(self):
        return f"{self.user} · {self.project}"
