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


class StoredFigure(models.Model):
    """A KPI's figure for one period that has ended, as a trend point (no breakdown): kept so a dashboard
    with five-year trends does not recount five years of records on every view (issue 9). It is derived
    data, forgotten when a record it counts changes, when older than ``HUIYI_KPI_STORED_HOURS``, and never
    read under another rulebook version (see ``stored``)."""

    kpi = models.CharField(_("KPI"), max_length=60)
    period = models.CharField(_("period"), max_length=10)
    scope = models.CharField(_("scope"), max_length=120)  # the filters and whose view: stored.scope_key
    rulebook = models.CharField(_("rulebook version digest"), max_length=64)
    figures = models.JSONField(_("figures"))  # value, numerator, denominator: see stored.encode
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("stored KPI figure")
        verbose_name_plural = _("stored KPI figures")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period", "scope", "rulebook"], name="kpis_stored_once")
        ]
        indexes = [models.Index(fields=["scope", "rulebook", "period"], name="kpis_stored_lookup")]

    def __str__(self):
        return f"{self.kpi} {self.period}"
