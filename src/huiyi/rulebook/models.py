"""Rulebook versions: the standard as data, kept forever, one active at a time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyi.core.translation import TranslatedField


class RulebookVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = TranslatedField(_("title"))
    data = models.JSONField(_("rules"), help_text=_("The whole rulebook as validated data."))
    digest = models.CharField(_("digest"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    change_note = models.TextField(_("change note"), blank=True)
    shipped_digest = models.CharField(
        _("standard it descends from"),
        max_length=64,
        blank=True,
        help_text=_("Digest of the standard.yaml shipped with Huiyi that this version was made from."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rulebook version")
        verbose_name_plural = _("rulebook versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="active"), name="one_active_rulebook"
            )
        ]

    def __str__(self):
        return f"v{self.number}"


class ShippedRulebook(models.Model):
    """Each standard.yaml a Huiyi release shipped to this installation, kept to upgrade versions made from it:
    a rule the organisation left at the old default takes the new one, a value it changed stays."""

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    data = models.JSONField(_("rules"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipped standard")
        verbose_name_plural = _("shipped standards")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return self.digest[:12]
