"""Violations and accountability (REQ-QLT-08, §11.2–11.4).

A :class:`Violation` is recorded (what, when, the meeting project, the clause breached, who reported it),
investigated, the responsibility determined (the person and the role they held), a sanction decided and
notified; the person concerned may appeal within the rulebook's window (``qlt.violation.appeal_window``);
the appeal is decided and the case closed. Every step is a :class:`ViolationEvent` and goes to the audit
trail. Only the roles the rulebook names (``qlt.violation.visible_to``) see the records, within their units,
plus the person concerned who sees their own.

A performance review of the people app is linked only by an optional reference (no import of its models).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AuthoredModel


class Violation(AuthoredModel):
    class Status(models.TextChoices):
        REPORTED = "reported", pgettext_lazy("violation", "Reported")
        INVESTIGATING = "investigating", pgettext_lazy("violation", "Under investigation")
        DETERMINED = "determined", pgettext_lazy("violation", "Responsibility determined")
        SANCTIONED = "sanctioned", pgettext_lazy("violation", "Sanction notified")
        APPEALED = "appealed", pgettext_lazy("violation", "Under appeal")
        CLOSED = "closed", pgettext_lazy("violation", "Closed")

    class Sanction(models.TextChoices):
        NONE = "none", _("No sanction (responsibility not established)")
        REMINDER = "reminder", _("Reminder and coaching")
        WARNING = "warning", _("Written warning")
        CRITICISM = "criticism", _("Notice of criticism")
        RETRAINING = "retraining", _("Retraining before returning to the role")
        DEDUCTION = "deduction", _("Performance deduction")
        REASSIGNMENT = "reassignment", _("Removal from the role")

    class AppealOutcome(models.TextChoices):
        UPHELD = "upheld", _("Sanction upheld")
        REDUCED = "reduced", _("Sanction reduced")
        REVOKED = "revoked", _("Sanction revoked")

    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("what happened"), max_length=200)
    description = models.TextField(_("description"))
    occurred_at = models.DateTimeField(_("occurred at"))
    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    rule_id = models.CharField(_("criterion breached"), max_length=120, blank=True)
    req = models.CharField(_("requirement"), max_length=20, blank=True)
    clause = models.CharField(_("clause breached"), max_length=60, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED, db_index=True
    )
    investigation_due = models.DateTimeField(_("investigation due"), null=True, blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    investigation_started_at = models.DateTimeField(_("investigation started"), null=True, blank=True)
    findings = models.TextField(_("investigation findings"), blank=True)
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person responsible"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations_concerning",
    )
    responsible_role = models.CharField(_("role held"), max_length=40, blank=True)
    responsibility_note = models.TextField(_("responsibility"), blank=True)
    determined_at = models.DateTimeField(_("responsibility determined at"), null=True, blank=True)
    sanction = models.CharField(_("sanction"), max_length=20, choices=Sanction.choices, blank=True)
    sanction_detail = models.TextField(_("sanction detail"), blank=True)
    sanction_notified_at = models.DateTimeField(_("sanction notified at"), null=True, blank=True)
    appeal_due = models.DateTimeField(_("appeal possible until"), null=True, blank=True)
    appeal_due_confirmed = models.BooleanField(_("appeal deadline confirmed"), default=True)
    appeal_text = models.TextField(_("appeal"), blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_outcome = models.CharField(
        _("appeal decision"), max_length=10, choices=AppealOutcome.choices, blank=True
    )
    appeal_decision_note = models.TextField(_("reasons for the appeal decision"), blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appeal decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    appeal_decided_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    performance_review_ref = models.CharField(
        _("performance review reference"),
        max_length=100,
        blank=True,
        help_text=_("Reference of the performance review this case feeds (people app), if any."),
    )
    nonconformance = models.ForeignKey(
        "quality.Nonconformance",
        verbose_name=_("nonconformance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-reported_at", "-pk"]
        permissions = [
            ("investigate_violation", _("Can investigate violations and determine responsibility")),
            ("sanction_violation", _("Can decide sanctions and appeals and close violations")),
        ]
        indexes = [models.Index(fields=["org_unit", "status"], name="violation_unit_status")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"VR-{self.number:04d}" if self.number else "VR-?"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def appeal_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.SANCTIONED
            and self.appeal_due is not None
            and now <= self.appeal_due
            and not self.appealed_at
        )

    def investigation_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status in (self.Status.REPORTED, self.Status.INVESTIGATING)
            and self.investigation_due is not None
            and self.investigation_due < now
        )


class ViolationEvent(models.Model):
    """One step of a violation case (append-only): who did what, when, with which note."""

    class Step(models.TextChoices):
        REPORTED = "reported", pgettext_lazy("violation step", "Reported")
        INVESTIGATION = "investigation", pgettext_lazy("violation step", "Investigation opened")
        DETERMINED = "determined", pgettext_lazy("violation step", "Responsibility determined")
        SANCTIONED = "sanctioned", pgettext_lazy("violation step", "Sanction notified")
        APPEALED = "appealed", pgettext_lazy("violation step", "Appeal lodged")
        APPEAL_DECIDED = "appeal_decided", pgettext_lazy("violation step", "Appeal decided")
        NONCONFORMANCE = "nonconformance", pgettext_lazy("violation step", "Nonconformance opened")
        CLOSED = "closed", pgettext_lazy("violation step", "Closed")

    violation = models.ForeignKey(
        Violation, verbose_name=_("violation"), on_delete=models.CASCADE, related_name="events"
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("violation step")
        verbose_name_plural = _("violation steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.violation.code} {self.step}"
