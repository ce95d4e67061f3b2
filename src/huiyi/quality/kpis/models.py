"""Models of kpis: the monthly report's setting and the reports sent (REQ-QLT-09)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyReportSetting(models.Model):
    """Who receives the monthly KPI report (one row, edited by the quality officer)."""

    enabled = models.BooleanField(_("send the monthly report"), default=True)
    roles = models.JSONField(
        _("roles receiving it"), default=list, blank=True, help_text=_("Role keys, e.g. quality_officer.")
    )
    language = models.CharField(
        _("language of the report"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("monthly report setting")
        verbose_name_plural = _("monthly report settings")
        permissions = [
            ("view_dashboard", _("Can see the KPI dashboard")),
            ("export_dashboard", _("Can export the KPI dashboard")),
        ]

    def __str__(self):
        return str(_("Monthly KPI report"))


class MonthlyReport(models.Model):
    """The PDF of one month's KPIs, as sent (linked from the notification)."""

    period = models.CharField(_("period"), max_length=10, unique=True)
    file = models.FileField(_("file"), upload_to="kpis/monthly/%Y/")
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("monthly KPI report")
        verbose_name_plural = _("monthly KPI reports")
        ordering = ["-period"]

    def __str__(self):
        return self.period
