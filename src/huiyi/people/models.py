"""People (§5): staff profiles with certifications, the organisation's training plan (§5.2) with its sessions,
attendance and assessments, peer feedback and periodic performance reviews (§5.5).

The modules of the training plan and their cycles are the rulebook's (``ppl.training.<module>``); this app
stores what the rulebook does not say: each module's methods, expected outcome and target roles. Pre-meeting
trainings of one project (REQ-PRE-02) stay in ``projects.preparation``; a person's record reads both.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AuthoredModel, TimeStampedModel
from huiyi.core.safe_urls import local_href
from huiyi.core.translation import TranslatedField

#: Ratings of a review and scores of peer feedback run from 1 (poor) to 5 (excellent): a form scale, not a
#: number of the specification.
RATING_MIN, RATING_MAX = 1, 5


class MandarinLevel(models.TextChoices):
    """普通话水平测试 grades (REQ-PPL-04: staff speak Mandarin)."""

    NONE = "", pgettext_lazy("mandarin", "Not tested")
    L1A = "1a", _("Level 1-A (一级甲等)")
    L1B = "1b", _("Level 1-B (一级乙等)")
    L2A = "2a", _("Level 2-A (二级甲等)")
    L2B = "2b", _("Level 2-B (二级乙等)")
    L3A = "3a", _("Level 3-A (三级甲等)")
    L3B = "3b", _("Level 3-B (三级乙等)")


class Method(models.TextChoices):
    """How a module is taught (§5.2(2) names lectures, case studies, drills, role play, workshops)."""

    LECTURE = "lecture", _("Lecture")
    CASE_STUDY = "case_study", _("Case study")
    DRILL = "drill", _("Hands-on drill")
    SIMULATION = "simulation", _("Simulation")
    ROLE_PLAY = "role_play", _("Role play")
    WORKSHOP = "workshop", _("Workshop")
    ONLINE = "online", _("Online course")
    ON_THE_JOB = "on_the_job", _("On-the-job coaching")


class StaffProfile(TimeStampedModel):
    """One per user: what HR keeps beyond the account (units and roles come from the memberships)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="staff",
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    employee_number = models.CharField(_("employee number"), max_length=30, blank=True)
    hired_on = models.DateField(_("joined on"), null=True, blank=True)
    mandarin_level = models.CharField(
        _("Mandarin level"), max_length=2, choices=MandarinLevel.choices, blank=True, default=""
    )
    languages = models.CharField(
        _("other languages"),
        max_length=200,
        blank=True,
        help_text=_("For example: English (fluent), Japanese"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["user__username"]
        permissions = [("view_unit_staff", _("Can see the staff of their own units"))]

    def __str__(self):
        return str(self.user)


class Certification(AuthoredModel):
    """A qualification a person holds: issuer, number and expiry (expired / expiring are flagged)."""

    profile = models.ForeignKey(
        StaffProfile, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="certifications"
    )
    name = models.CharField(pgettext_lazy("certification", "certificate"), max_length=150)
    issuer = models.CharField(_("issued by"), max_length=150)
    number = models.CharField(_("certificate number"), max_length=80, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["expires_on", "name", "pk"]

    def __str__(self):
        return f"{self.name} · {self.profile}"


class ModulePlan(TimeStampedModel):
    """What the plan says about one rulebook module: methods, expected outcome, who must attend (§5.2(2))."""

    module = models.SlugField(_("module"), max_length=40, unique=True)
    content = TranslatedField(_("content"), blank=True)
    methods = models.JSONField(_("methods"), default=list, blank=True)
    expected_outcome = TranslatedField(_("expected outcome"), blank=True)
    target_roles = models.JSONField(
        _("target roles"), default=list, blank=True, help_text=_("None selected: every staff member.")
    )

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["pk"]

    def __str__(self):
        return self.module


class ModuleSession(AuthoredModel):
    """One session of a module of the plan: date, trainer, place, method and the pass mark in force."""

    module = models.SlugField(_("module"), max_length=40, db_index=True)
    title = models.CharField(pgettext_lazy("training", "title"), max_length=200, blank=True)
    held_on = models.DateField(_("date"), db_index=True)
    trainer = models.CharField(_("trainer"), max_length=100)
    place = models.CharField(_("place"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    #: Copied from the rulebook when the session is recorded, so a later change never rewrites history.
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2)
    pass_mark_rule = models.CharField(_("pass mark rule"), max_length=80, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["module", "held_on"], name="people_session_module_day")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title or self.module}"


class ModuleAttendance(models.Model):
    """A person at a session, with the assessment score when assessed (pass: score ≥ the session's mark)."""

    session = models.ForeignKey(
        ModuleSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="module_attendances",
    )
    attended = models.BooleanField(_("attended"), default=True)
    score = models.DecimalField(
        _("assessment score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["session", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="people_attendance_once"),
        ]
        indexes = [models.Index(fields=["user", "attended"], name="people_attendance_user")]

    def __str__(self):
        return f"{self.session} · {self.user}"

    @property
    def passed(self) -> bool | None:
        if self.score is None or not self.attended:
            return None
        return self.score >= self.session.pass_mark


class PeerFeedback(AuthoredModel):
    """A colleague's word on someone's teamwork (REQ-PPL-02 teamwork → team feedback)."""

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("about"),
        on_delete=models.CASCADE,
        related_name="peer_feedback_received",
    )
    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    given_on = models.DateField(_("date"), db_index=True)
    score = models.PositiveSmallIntegerField(
        _("teamwork score"), validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("peer feedback")
        verbose_name_plural = _("peer feedback")
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return f"{self.subject} {self.given_on:%Y-%m-%d} {self.score}"


class PerformanceReview(AuthoredModel):
    """A periodic review (§5.5): the measures of REQ-PPL-02 as computed, the reviewer's ratings and
    comments and the employee's acknowledgement. It may lead to accountability (REQ-QLT-08)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("review", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("review", "Awaiting acknowledgement")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("review", "Acknowledged")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="performance_reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    #: The measures as they were computed when the review was saved: {dimension: {value, formula, …}}.
    measures = models.JSONField(_("measures"), default=dict, blank=True)
    ratings = models.JSONField(_("ratings"), default=dict, blank=True)
    overall = models.PositiveSmallIntegerField(
        _("overall rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    strengths = models.TextField(_("strengths"), blank=True)
    improvements = models.TextField(_("to improve"), blank=True)
    status = models.CharField(
        pgettext_lazy("review", "status"), max_length=14, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    employee_comment = models.TextField(_("employee's comment"), blank=True)
    accountability_link = models.CharField(
        _("accountability record"),
        max_length=300,
        blank=True,
        help_text=_(
            "Link or reference of a violation / accountability case this review led to (REQ-QLT-08)."
        ),
    )

    class Meta:
        verbose_name = _("performance review")
        verbose_name_plural = _("performance reviews")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="review_period"
            ),
        ]

    def __str__(self):
        return f"{self.subject} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def accountability_href(self) -> str:
        """The accountability record as a link target when it is a page of this site, else "" and it is shown
        as text: never an off-site or script link, whoever wrote the value (issue 10)."""
        return local_href(self.accountability_link)
