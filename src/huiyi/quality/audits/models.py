"""Internal quality audits (REQ-QLT-07, §11.1, §11.5): plan → checklist → execution → findings → follow-up.

An :class:`Audit` is planned with a scope — chapters and requirements of the rulebook, and/or meeting
projects and organisation units —, a lead auditor, auditors and auditees. Its checklist is built from the
rulebook's rules in scope: one :class:`AuditItem` per rule (and one per requirement of the scope that has no
rule), with the evidence the auditor asks for. Executing the audit assesses each item as a conformity, a
nonconformity or an observation; a nonconformity opens a quality ``Nonconformance`` (source "audit") with its
CAPA loop, linked back to the item. The follow-up verification closes the audit once its nonconformances are
closed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AuthoredModel, TimeStampedModel
from huiyi.core.translation import localize
from huiyi.quality.models import Severity


class Audit(AuthoredModel):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("audit", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("audit", "In progress")
        REPORTED = "reported", pgettext_lazy("audit", "Reported, follow-up open")
        CLOSED = "closed", pgettext_lazy("audit", "Closed")

    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"), blank=True)
    scope_chapters = models.JSONField(
        _("chapters in scope"),
        default=list,
        blank=True,
        help_text=_("Chapter codes of the rulebook (QLT …)."),
    )
    scope_requirements = models.JSONField(
        _("requirements in scope"), default=list, blank=True, help_text=_("Requirement IDs (REQ-QLT-07 …).")
    )
    projects = models.ManyToManyField(
        "projects.MeetingProject", verbose_name=_("meeting projects audited"), blank=True, related_name="+"
    )
    org_units = models.ManyToManyField(
        "accounts.OrgUnit", verbose_name=_("units audited"), blank=True, related_name="+"
    )
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lead auditor"), on_delete=models.PROTECT, related_name="+"
    )
    auditors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("auditors"), blank=True, related_name="+"
    )
    auditees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("auditees"), blank=True, related_name="+"
    )
    planned_date = models.DateField(_("planned date"))
    rulebook_version = models.ForeignKey(
        "rulebook.RulebookVersion",
        verbose_name=_("rulebook version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    summary = models.TextField(_("audit conclusion"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    follow_up_note = models.TextField(_("follow-up verification"), blank=True)

    class Meta:
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        ordering = ["-planned_date", "-pk"]
        permissions = [
            ("conduct_audit", _("Can conduct internal audits")),
            ("close_audit", _("Can verify the follow-up and close internal audits")),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"IA-{self.number:04d}" if self.number else "IA-?"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class AuditItem(TimeStampedModel):
    """One line of an audit's checklist — a rule (or a requirement without rule) of the rulebook in scope."""

    class Result(models.TextChoices):
        CONFORMITY = "conformity", _("Conformity")
        NONCONFORMITY = "nonconformity", _("Nonconformity")
        OBSERVATION = "observation", _("Observation")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    audit = models.ForeignKey(Audit, verbose_name=_("audit"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    chapter = models.CharField(_("chapter"), max_length=10)
    req = models.CharField(_("requirement"), max_length=20)
    rule_id = models.CharField(_("criterion"), max_length=120, blank=True)
    clause = models.CharField(_("clause"), max_length=60, blank=True)
    name = models.JSONField(_("name"), default=dict)
    requirement_text = models.JSONField(_("requirement text"), default=dict, blank=True)
    evidence_asked = models.JSONField(_("evidence asked"), default=dict)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True, db_index=True)
    evidence = models.TextField(_("evidence seen"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The meeting project the finding was made on (needed for a nonconformity)."),
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True, db_index=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nonconformance = models.ForeignKey(
        "quality.Nonconformance",
        verbose_name=_("nonconformance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_items",
    )

    class Meta:
        verbose_name = _("audit checklist item")
        verbose_name_plural = _("audit checklist items")
        ordering = ["audit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "position"], name="audits_item_position"),
            models.UniqueConstraint(fields=["audit", "req", "rule_id"], name="audits_item_once_per_rule"),
        ]
        indexes = [models.Index(fields=["rule_id", "-assessed_at"], name="audits_item_rule_latest")]

    def __str__(self):
        return f"{self.audit.code} #{self.position} {self.rule_id or self.req}"

    @property
    def name_text(self) -> str:
        return localize(self.name) or self.rule_id or self.req

    @property
    def evidence_asked_text(self) -> str:
        return localize(self.evidence_asked)

    @property
    def requirement_text_value(self) -> str:
        return localize(self.requirement_text)

    @property
    def is_finding(self) -> bool:
        return self.result in (self.Result.NONCONFORMITY, self.Result.OBSERVATION)


#: Items assessed as a nonconformity whose nonconformance is still live (used by the KPI and the list).
OPEN_FINDING = Q(result=AuditItem.Result.NONCONFORMITY) & ~Q(nonconformance__status="closed")
