"""Quality records: measurements, control-point results, nonconformances and their actions.

The PDCA loop of §3.1 as data (ARCHITECTURE.md): a metric is *measured* (``ManualMeasurement`` or a
registered computation), the evaluator stores a ``ControlPointResult`` per criterion (append-only), a failed
criterion opens a ``Nonconformance`` (REQ-QLT-06), which is corrected by ``CorrectiveAction`` rows and closed
only after its effect is verified.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.core import locks
from huiyi.core.models import TimeStampedModel
from huiyi.core.translation import localize

DECIMAL = {"max_digits": 24, "decimal_places": 8}


class ManualMeasurement(models.Model):
    """A value entered by a person (a reviewer's creativity score, a ticked checklist item, …).

    The latest row per (project, metric) is the measured value; its author is who measured it. Rows are
    never edited: a correction is a new measurement.
    """

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="manual_measurements",
    )
    metric = models.CharField(_("metric"), max_length=80)
    value = models.DecimalField(_("value"), **DECIMAL)
    inputs = models.JSONField(
        _("inputs"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("The figures the value was computed from."),
    )
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("measured by"), on_delete=models.PROTECT, related_name="+"
    )
    measured_at = models.DateTimeField(_("measured at"), default=timezone.now)

    class Meta:
        verbose_name = _("manual measurement")
        verbose_name_plural = _("manual measurements")
        ordering = ["-measured_at", "-pk"]
        indexes = [models.Index(fields=["project", "metric", "-measured_at"], name="quality_mm_latest")]

    def __str__(self):
        return f"{self.metric} = {self.value}"


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")


class Nonconformance(TimeStampedModel):
    """A nonconformance and its CAPA record (REQ-QLT-06)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTION_PLANNED = "action_planned", _("Action planned")
        ACTION_DONE = "action_done", _("Action done")
        EFFECT_VERIFIED = "effect_verified", _("Effect verified")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        CCP = "ccp", _("Control point")
        AUDIT = "audit", _("Audit")
        COMPLAINT = "complaint", _("Complaint")
        INCIDENT = "incident", _("Incident")
        INSPECTION = "inspection", _("On-site inspection")
        VIOLATION = "violation", _("Violation")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="nonconformances",
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.CCP)
    control_point = models.CharField(_("control point"), max_length=10, blank=True)
    rule_id = models.CharField(_("criterion"), max_length=120, blank=True)
    req = models.CharField(_("requirement"), max_length=20, blank=True)
    clause = models.CharField(_("clause"), max_length=60, blank=True)
    description = models.JSONField(_("description"), help_text=_('{"zh-hans": …, "en": …}'))
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    owner_role = models.CharField(_("owner role"), max_length=40, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    due_confirmed = models.BooleanField(
        _("due date confirmed"),
        default=True,
        help_text=_("False when the deadline falls in a year whose official holiday schedule is not loaded."),
    )
    due_rule = models.CharField(_("deadline rule"), max_length=120, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    verification_note = models.TextField(_("verification of effect"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nonconformance")
        verbose_name_plural = _("nonconformances")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            # Two concurrent evaluations of a failing criterion cannot open two live nonconformances.
            models.UniqueConstraint(
                fields=["project", "rule_id"],
                condition=~Q(status="closed") & ~Q(rule_id=""),
                name="quality_one_live_nc_per_rule",
            )
        ]
        indexes = [models.Index(fields=["project", "status"], name="quality_nc_project_status")]

    def __str__(self):
        return f"NC-{self.pk or '?'} {self.description_text}"[:200]

    @property
    def code(self) -> str:
        return f"NC-{self.pk:05d}" if self.pk else "NC-?"

    @property
    def description_text(self) -> str:
        return localize(self.description)

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.CLOSED

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_live and self.due_at is not None and self.due_at < now


class ControlPointResultManager(models.Manager):
    def record(self, **fields) -> "ControlPointResult":
        """Add a result and keep ``is_current`` on the latest one of its project and criterion (by
        ``evaluated_at``, then id), holding a lock on that pair so that two evaluations cannot both keep
        theirs as the latest."""
        with transaction.atomic():
            project_id = fields.get("project_id") or fields["project"].pk
            locks.hold("quality.control_point_result", project_id)
            row = self.create(**fields, is_current=False)
            same = self.filter(project_id=project_id, rule_id=row.rule_id)
            latest = same.order_by("-evaluated_at", "-pk").values_list("pk", flat=True).first()
            same.filter(is_current=True).exclude(pk=latest).update(is_current=False)
            same.filter(pk=latest).update(is_current=True)
            row.is_current = row.pk == latest
        return row


class ControlPointResult(models.Model):
    """One evaluation of one criterion of a control point. Append-only: re-evaluation adds a row; the latest
    of each project and criterion is marked ``is_current`` (add rows with ``objects.record``)."""

    class Verdict(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NOT_MEASURABLE = "not_measurable", _("Not yet measurable")

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="control_point_results",
    )
    control_point = models.CharField(_("control point"), max_length=10)
    rule_id = models.CharField(_("criterion"), max_length=120)
    name = models.JSONField(_("name"), default=dict)
    req = models.CharField(_("requirement"), max_length=20)
    clause = models.CharField(_("clause"), max_length=60)
    metric = models.CharField(_("metric"), max_length=80)
    value = models.DecimalField(_("measured value"), null=True, blank=True, **DECIMAL)
    op = models.CharField(_("operator"), max_length=10)
    threshold = models.JSONField(_("threshold"), null=True)
    unit = models.CharField(_("unit"), max_length=30)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    source = models.CharField(_("measurement source"), max_length=10, blank=True)
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("measured by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence = models.JSONField(_("evidence"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    rulebook_version = models.ForeignKey(
        "rulebook.RulebookVersion",
        verbose_name=_("rulebook version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), default=timezone.now)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nonconformance = models.ForeignKey(
        Nonconformance,
        verbose_name=_("nonconformance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
    )
    is_current = models.BooleanField(_("latest result of its criterion"), default=False, editable=False)

    objects = ControlPointResultManager()

    class Meta:
        verbose_name = _("control point result")
        verbose_name_plural = _("control point results")
        ordering = ["-evaluated_at", "-pk"]
        indexes = [
            models.Index(fields=["project", "rule_id", "-evaluated_at"], name="quality_cpr_latest"),
            models.Index(
                fields=["project", "verdict"], condition=Q(is_current=True), name="quality_cpr_current"
            ),
        ]

    def __str__(self):
        return f"{self.control_point} {self.rule_id}: {self.verdict}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("control point results are append-only: evaluate again instead of editing")
        super().save(*args, **kwargs)

    @property
    def name_text(self) -> str:
        return localize(self.name) or self.rule_id

    @property
    def reason_text(self) -> str:
        return localize(self.reason)


class CorrectiveAction(TimeStampedModel):
    """An immediate, corrective, preventive or improvement action of a nonconformance (REQ-QLT-06)."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediate correction")
        CORRECTIVE = "corrective", _("Corrective action")
        PREVENTIVE = "preventive", _("Preventive action")
        IMPROVEMENT = "improvement", _("Improvement")

    nonconformance = models.ForeignKey(
        Nonconformance, verbose_name=_("nonconformance"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CORRECTIVE)
    description = models.TextField(_("description"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:80]}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
