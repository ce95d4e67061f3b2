"""Closing a meeting (CCP 10–12, REQ-ONS-07/08, REQ-DOC-03, REQ-QLT-04).

* ``LostItem`` — the lost-and-found log 遗留物品登记 (CCP 11);
* ``SiteCheck`` — the site check after tear-down: checklist items, passed yes/no, by, at (CCP 11);
* ``ArchiveItem`` — the project's archive checklist: each required record with its archived-at time
  (REQ-DOC-03, CCP 11);
* ``Settlement`` with ``Invoice``, ``Payment`` and ``Dispute`` — the financial settlement (CCP 10);
* ``ServiceEvaluation`` with ``EvaluationScore`` — the service evaluation form of §4 (REQ-QLT-04) and the
  goal-attainment score of CCP 12;
* ``SummaryReport`` — each generated service summary report 服务总结报告, a numbered version with its file
  and SHA-256.

Money is Decimal (``MONEY``); ratios are computed, never stored as floats.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class LostItem(AuthoredModel):
    class Status(models.TextChoices):
        STORED = "stored", _("In safekeeping")
        RETURNED = "returned", _("Returned to the owner")
        DISPOSED = "disposed", _("Disposed of")

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="lost_items",
    )
    description = models.CharField(_("item"), max_length=200)
    found_where = models.CharField(_("where found"), max_length=200)
    found_at = models.DateTimeField(_("found at"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("found by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    found_by_name = models.CharField(_("found by (name)"), max_length=100, blank=True)
    stored_where = models.CharField(_("kept at"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STORED, db_index=True
    )
    returned_to = models.CharField(_("returned to"), max_length=100, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    disposed_at = models.DateTimeField(_("disposed of at"), null=True, blank=True)
    disposal_note = models.CharField(_("how disposed of"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lost-and-found item")
        verbose_name_plural = _("lost-and-found items")
        ordering = ["found_at", "pk"]

    def __str__(self):
        return self.description

    @property
    def finder(self) -> str:
        return self.found_by_name or (str(self.found_by) if self.found_by_id else "")

    @property
    def is_complete(self) -> bool:
        """A log line is complete when the item is kept somewhere known, returned or disposed of."""
        if self.status == self.Status.RETURNED:
            return bool(self.returned_to and self.returned_at)
        if self.status == self.Status.DISPOSED:
            return bool(self.disposed_at and self.disposal_note)
        return bool(self.stored_where)


class SiteCheck(models.Model):
    """One site check after tear-down (CCP 11). Append-only: the latest check counts."""

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="site_checks",
    )
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    #: [{"key": …, "ok": true/false}] in the order of ``checklist.SITE_CHECK_ITEMS``.
    items = models.JSONField(_("checklist"), default=list)
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("site check")
        verbose_name_plural = _("site checks")
        ordering = ["-checked_at", "-pk"]

    def __str__(self):
        return f"{self.project_id} {self.checked_at:%Y-%m-%d %H:%M}"


class ArchiveItem(models.Model):
    """A record the project must archive (REQ-DOC-01 scope) and when it was archived (REQ-DOC-03)."""

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="archive_items",
    )
    key = models.CharField(_("record"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location = models.CharField(_("where archived"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("archive checklist item")
        verbose_name_plural = _("archive checklist items")
        ordering = ["project", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="closing_archive_item_once")]

    def __str__(self):
        return self.key


class Settlement(AuthoredModel):
    """The project's financial settlement (CCP 10): the agreed value against the final amount."""

    project = models.OneToOneField(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="settlement",
    )
    #: Used only when the project has no contract in Huiyi: the value agreed otherwise, with a note.
    agreed_value = models.DecimalField(_("agreed value (CNY)"), null=True, blank=True, **MONEY)
    agreed_value_note = models.CharField(_("where the agreed value comes from"), max_length=300, blank=True)
    final_amount = models.DecimalField(_("final amount (CNY)"), null=True, blank=True, **MONEY)
    settled_at = models.DateField(_("settled on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.CheckConstraint(
                condition=Q(final_amount__isnull=True) | Q(final_amount__gte=0),
                name="closing_final_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(agreed_value__isnull=True) | Q(agreed_value__gt=0), name="closing_agreed_positive"
            ),
        ]

    def __str__(self):
        return f"{self.project_id} settlement"


class Invoice(AuthoredModel):
    settlement = models.ForeignKey(
        Settlement, verbose_name=_("settlement"), on_delete=models.CASCADE, related_name="invoices"
    )
    number = models.CharField(_("invoice number"), max_length=40)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    issued_at = models.DateField(_("issued on"))
    #: Issued correctly the first time. A corrected invoice stays counted as not correct (CCP 10).
    correct = models.BooleanField(_("correct"), default=True)
    correction = models.TextField(_("correction"), blank=True)
    corrected_at = models.DateField(_("corrected on"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "number"], name="closing_invoice_number_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="closing_invoice_amount_positive"),
        ]

    def __str__(self):
        return self.number


class Payment(AuthoredModel):
    """An instalment due from the client (from the contract's payment schedule) and when it was paid."""

    settlement = models.ForeignKey(
        Settlement, verbose_name=_("settlement"), on_delete=models.CASCADE, related_name="payments"
    )
    schedule_line = models.ForeignKey(
        "contracts.PaymentLine",
        verbose_name=_("payment schedule line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("instalment"), max_length=100)
    amount = models.DecimalField(_("amount due (CNY)"), **MONEY)
    due_date = models.DateField(_("due date"))
    paid_amount = models.DecimalField(_("amount paid (CNY)"), null=True, blank=True, **MONEY)
    paid_at = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="closing_payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_amount__isnull=True) | Q(paid_amount__gte=0),
                name="closing_paid_not_negative",
            ),
            models.UniqueConstraint(
                fields=["settlement", "schedule_line"],
                condition=Q(schedule_line__isnull=False),
                name="closing_payment_line_once",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None and self.paid_amount is not None and self.paid_amount >= self.amount

    @property
    def on_time(self) -> bool:
        return self.is_paid and self.paid_at <= self.due_date


class Dispute(AuthoredModel):
    """A client fee dispute (CCP 10: no disputes)."""

    settlement = models.ForeignKey(
        Settlement, verbose_name=_("settlement"), on_delete=models.CASCADE, related_name="disputes"
    )
    opened_at = models.DateField(_("opened on"))
    subject = models.CharField(_("subject"), max_length=300)
    amount = models.DecimalField(_("amount in dispute (CNY)"), null=True, blank=True, **MONEY)
    resolved_at = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("fee dispute")
        verbose_name_plural = _("fee disputes")
        ordering = ["opened_at", "pk"]

    def __str__(self):
        return self.subject


class ServiceEvaluation(AuthoredModel):
    """The service evaluation form of §4 (REQ-QLT-04) and the goal attainment of CCP 12, one per project."""

    project = models.OneToOneField(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="service_evaluation",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), on_delete=models.PROTECT, related_name="+"
    )
    goal_attainment = models.DecimalField(
        _("goal attainment score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    goal_note = models.TextField(_("how the goals were met"), blank=True)

    class Meta:
        verbose_name = _("service evaluation")
        verbose_name_plural = _("service evaluations")

    def __str__(self):
        return f"{self.project_id} evaluation"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(ServiceEvaluation, on_delete=models.CASCADE, related_name="scores")
    item = models.CharField(_("item"), max_length=40)
    name = models.JSONField(_("name"), default=dict)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("evaluation score")
        verbose_name_plural = _("evaluation scores")
        ordering = ["evaluation", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="closing_score_item_once")]

    def __str__(self):
        return f"{self.item} {self.score}"


class SummaryReport(models.Model):
    """One generated service summary report (PDF), a numbered version per project."""

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="summary_reports",
    )
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10)
    file = models.FileField(_("file"), upload_to="closing/reports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    #: The headline figures printed in the report, as decimal strings (for comparison with the scorecard).
    figures = models.JSONField(_("figures"), default=dict)
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("service summary report")
        verbose_name_plural = _("service summary reports")
        ordering = ["project", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="closing_report_version_once")
        ]

    def __str__(self):
        return f"{self.file_name} v{self.version}"
