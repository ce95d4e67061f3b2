"""The improvement loop of a meeting (§2.9(2)–(3), §3.1(3)): REQ-FBK-04, REQ-QLT-06, REQ-QLT-10, REQ-QLT-11.

* :class:`FeedbackAnalysis` — one per meeting: the issues found (on the spot + reported by the client,
  REQ-QLT-11) and the strengths and weaknesses table 服务优差分析表 (a phase-5 output).
* :class:`ImprovementAction` — an item of the improvement plan 改进措施计划书 (the other phase-5 output):
  problem, action, owner, deadline, expected effect, status; its effect is evaluated within the rulebook's
  deadline after it is done. It may address nonconformances (their CAPA stays in ``quality``) and change a
  procedure (SOPs come later: a free-text / URL reference for now).
* :class:`QuarterlyReport` — the quarterly improvement report of an organisation unit (§2.9(3)).

The deadlines and intervals these records are judged against come from the project's pinned rulebook.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AuthoredModel
from huiyi.projects.models import MeetingProject


class Category(models.TextChoices):
    """What part of the service an issue or a line of the strengths/weaknesses table is about."""

    AGENDA = "agenda", _("Agenda and time control")
    CONTENT = "content", _("Content and speakers")
    VENUE = "venue", _("Venue and layout")
    TECHNICAL = "technical", _("Technical support")
    RECEPTION = "reception", _("Registration and reception")
    CATERING = "catering", _("Catering")
    ACCOMMODATION = "accommodation", _("Accommodation and transport")
    MATERIALS = "materials", _("Materials")
    COMMUNICATION = "communication", _("Communication with the client")
    SAFETY = "safety", _("Safety and emergencies")
    STAFF = "staff", _("Staff and service attitude")
    COST = "cost", _("Budget and settlement")
    OTHER = "other", _("Other")


class FeedbackAnalysis(AuthoredModel):
    """The analysis of one meeting's feedback (REQ-QLT-11, §2.9(2))."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("feedback analysis", "In progress")
        COMPLETED = "completed", pgettext_lazy("feedback analysis", "Completed")

    project = models.OneToOneField(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="feedback_analysis",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    summary = models.TextField(_("summary"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("feedback analysis")
        verbose_name_plural = _("feedback analyses")

    def __str__(self):
        return f"{self.project.code} · {self._meta.verbose_name}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class AnalysisIssue(AuthoredModel):
    """One issue of the analysis. Issues found = found on the spot + reported by the client (REQ-QLT-11)."""

    class Source(models.TextChoices):
        ON_SITE = "on_site", _("Found on the spot")
        CLIENT = "client", _("Reported by the client")
        SURVEY = "survey", _("Satisfaction survey")
        COMPLAINT = "complaint", _("Complaint")
        INCIDENT = "incident", _("Incident")
        NONCONFORMANCE = "nonconformance", _("Nonconformance")

    #: Which sources count as found on the spot and which as reported by the client (REQ-QLT-11).
    ON_SPOT_SOURCES = (Source.ON_SITE, Source.INCIDENT, Source.NONCONFORMANCE)
    CLIENT_SOURCES = (Source.CLIENT, Source.SURVEY, Source.COMPLAINT)

    analysis = models.ForeignKey(
        FeedbackAnalysis, verbose_name=_("analysis"), on_delete=models.CASCADE, related_name="issues"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    description = models.TextField(_("description"))
    nonconformance = models.ForeignKey(
        "quality.Nonconformance",
        verbose_name=_("nonconformance"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: Where a pre-filled issue came from ("nc:12", "progress:4", "complaints:7"): filled once, never twice.
    origin = models.CharField(_("taken from"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("issue found")
        verbose_name_plural = _("issues found")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "origin"], condition=~Q(origin=""), name="improvement_issue_origin_once"
            )
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def found_on_spot(self) -> bool:
        return self.source in self.ON_SPOT_SOURCES


class StrengthWeakness(AuthoredModel):
    """A line of the service strengths and weaknesses table 服务优差分析表."""

    analysis = models.ForeignKey(
        FeedbackAnalysis, verbose_name=_("analysis"), on_delete=models.CASCADE, related_name="lines"
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Category.choices)
    strength = models.TextField(_("strength"), blank=True)
    weakness = models.TextField(_("weakness"), blank=True)
    cause = models.TextField(_("cause"), blank=True)

    class Meta:
        verbose_name = _("strength or weakness")
        verbose_name_plural = _("strengths and weaknesses")
        ordering = ["pk"]

    def __str__(self):
        return self.get_dimension_display()


class ImprovementAction(AuthoredModel):
    """An item of the improvement plan (REQ-FBK-04): planned → in progress → done → effect evaluated."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("improvement action", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("improvement action", "In progress")
        DONE = "done", pgettext_lazy("improvement action", "Done")
        EFFECT_EVALUATED = "effect_evaluated", pgettext_lazy("improvement action", "Effect evaluated")

    #: Statuses that count as done for the completion rate (done / all, §2.9(2)).
    DONE_STATUSES = (Status.DONE, Status.EFFECT_EVALUATED)
    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    class Effect(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="improvement_actions",
    )
    number = models.PositiveIntegerField(_("number"))
    problem = models.TextField(_("problem"))
    action = models.TextField(pgettext_lazy("improvement", "action"))
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    expected_effect = models.TextField(_("expected effect"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    nonconformances = models.ManyToManyField(
        "quality.Nonconformance", verbose_name=_("nonconformances addressed"), blank=True, related_name="+"
    )
    issues = models.ManyToManyField(
        AnalysisIssue, verbose_name=_("issues addressed"), blank=True, related_name="actions"
    )
    procedure_changed = models.CharField(
        _("procedure changed"),
        max_length=500,
        blank=True,
        help_text=_("The SOP or procedure this action changes: its name, number or link."),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.TextField(_("what was done"), blank=True)
    effect_due = models.DateTimeField(_("effect evaluation due"), null=True, blank=True)
    effect_due_rule = models.CharField(_("deadline rule"), max_length=120, blank=True)
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices, blank=True)
    effect_note = models.TextField(_("effect evaluation"), blank=True)
    effect_evaluated_at = models.DateTimeField(_("effect evaluated at"), null=True, blank=True)
    effect_evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("effect evaluated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="improvement_action_number_once")
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="improvement_status_deadline")]
        permissions = [("evaluate_effect", _("Can evaluate the effect of an improvement action"))]

    def __str__(self):
        return f"{self.code} {self.problem[:60]}"

    @property
    def code(self) -> str:
        return f"{self.project.code}-IA{self.number:02d}"

    @property
    def is_done(self) -> bool:
        return self.status in self.DONE_STATUSES

    def is_overdue(self, today=None) -> bool:
        """Open after its deadline (the plan item is late)."""
        today = today or timezone.localdate()
        return self.status in self.OPEN_STATUSES and self.deadline < today

    def effect_overdue(self, now=None) -> bool:
        """Done, not evaluated, and past the effect-evaluation deadline."""
        now = now or timezone.now()
        return self.status == self.Status.DONE and self.effect_due is not None and self.effect_due < now


class QuarterlyReport(AuthoredModel):
    """The quarterly improvement report of an organisation unit (§2.9(3), REQ-FBK-04)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("organisation unit"),
        on_delete=models.PROTECT,
        related_name="improvement_reports",
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("content"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarterly improvement report")
        verbose_name_plural = _("quarterly improvement reports")
        ordering = ["-year", "-quarter", "org_unit"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year", "quarter"], name="improvement_report_once")
        ]

    def __str__(self):
        return f"{self.year} Q{self.quarter} · {self.org_unit}"

    @property
    def period(self) -> str:
        return f"{self.year} Q{self.quarter}"
