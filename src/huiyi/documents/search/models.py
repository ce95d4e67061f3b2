"""Searchable text of document versions (REQ-DOC-01, REQ-DOC-08).

One DocumentText per stored version; the document's current version is the one searched. ``title_tokens`` and
``tokens`` hold the segmented text (see ``segment``); on PostgreSQL ``vector`` is their tsvector (title weight
A, body weight B) under a GIN index, on SQLite an FTS5 table over the two columns (see the migrations).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class TsVectorField(SearchVectorField):
    """A tsvector column on PostgreSQL; an unused text column elsewhere (SQLite searches through FTS5)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class DocumentText(models.Model):
    class Status(models.TextChoices):
        INDEXED = "indexed", _("Text indexed")
        TITLE_ONLY = "title_only", _("Title only (very high)")
        NO_TEXT = "no_text", _("No text in this kind of file")
        TOO_LARGE = "too_large", _("Too large to read")
        FAILED = "failed", _("Text could not be read")

    version = models.OneToOneField(
        "documents.DocumentVersion",
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="search_text",
    )
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    title_tokens = models.TextField(blank=True)
    tokens = models.TextField(blank=True)
    vector = TsVectorField(null=True, blank=True, editable=False)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")

    def __str__(self):
        return f"{self.version} ({self.status})"
