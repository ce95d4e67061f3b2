"""The live agenda of the meeting day (§2.6(3) 3.2, §3.2 CCP 8): agenda items with planned and actual times,
Q&A answers, tea-break reminders, progress reports every few hours (§2 overview), the photo/video coverage
checklist, on-site satisfaction entries and the minutes owner (§4.3(3)).

Every number these records are judged against (the ±3 min tolerance, the Q&A limit, the tea-break range, the
reminder lead time, the report interval) comes from the project's pinned rulebook, never from here.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AuthoredModel, TimeStampedModel
from huiyi.projects.models import MeetingProject

#: Scores on the on-site scale are out of a hundred (the rulebook's ``score_100`` unit).
SCORE_MAX = 100


class AgendaSettings(TimeStampedModel):
    """The live agenda's settings of one project: who takes the minutes (REQ-PPL-04, §4.3(3))."""

    project = models.OneToOneField(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="live_agenda_settings",
    )
    minutes_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_owner_name = models.CharField(
        _("minutes owner (not in the team)"),
        max_length=100,
        blank=True,
        help_text=_("For example the client's secretary, when the minutes are not taken by our team."),
    )

    class Meta:
        verbose_name = _("live agenda settings")
        verbose_name_plural = _("live agenda settings")

    def __str__(self):
        return str(self.project)

    @property
    def minutes_owner_display(self) -> str:
        if self.minutes_owner_id:
            return str(self.minutes_owner)
        return self.minutes_owner_name

    @property
    def minutes_owner_named(self) -> bool:
        return bool(self.minutes_owner_id or self.minutes_owner_name.strip())


class AgendaItem(AuthoredModel):
    """One segment of the meeting day, with planned times and the actual times tapped on site (REQ-ONS-05)."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening")
        SPEECH = "speech", _("Speech / session")
        QA = "qa", _("Q&A")
        TEA_BREAK = "tea_break", _("Tea break")
        MEAL = "meal", _("Meal")
        CEREMONY = "ceremony", _("Ceremony / signing")
        CLOSING = "closing", _("Closing")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="live_agenda_items",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(pgettext_lazy("live agenda", "title"), max_length=200)
    speaker = models.CharField(pgettext_lazy("live agenda", "speaker"), max_length=200, blank=True)
    room = models.ForeignKey(
        "resources.Room",
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    room_text = models.CharField(_("room (free text)"), max_length=200, blank=True)
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The planning.AgendaItem this item was copied from (copying again skips it).
    plan_item_id = models.PositiveIntegerField(_("copied from the plan's agenda item"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["project", "planned_start", "pk"]
        permissions = [("control_agendaitem", "Can mark the actual start and end of agenda items")]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("planned_start")),
                name="liveagenda_item_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | (Q(actual_start__isnull=False) & Q(actual_end__gte=F("actual_start"))),
                name="liveagenda_item_actual_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["project", "plan_item_id"],
                condition=Q(plan_item_id__isnull=False),
                name="liveagenda_item_copied_once",
            ),
        ]
        indexes = [models.Index(fields=["kind", "planned_end"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.planned_start and self.planned_end and self.planned_end <= self.planned_start:
            raise ValidationError({"planned_end": _("The planned end must be after the planned start.")})

    @property
    def room_display(self) -> str:
        return self.room.name if self.room_id else self.room_text

    @property
    def is_started(self) -> bool:
        return self.actual_start is not None

    @property
    def is_running(self) -> bool:
        return self.actual_start is not None and self.actual_end is None

    @property
    def is_done(self) -> bool:
        return self.actual_end is not None

    @property
    def planned_duration(self):
        return self.planned_end - self.planned_start

    @property
    def actual_duration(self):
        if self.actual_start is None or self.actual_end is None:
            return None
        return self.actual_end - self.actual_start


class QaAnswer(TimeStampedModel):
    """One answer of a Q&A, timed with a tap at its start and its end (REQ-ONS-05)."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="answers"
    )
    label = models.CharField(_("question / who answers"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("timed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Q&A answer")
        verbose_name_plural = _("Q&A answers")
        ordering = ["item", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(ended_at__isnull=True), name="liveagenda_one_running_answer"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="liveagenda_answer_end_after_start",
            ),
        ]

    def __str__(self):
        return self.label or str(_("Answer"))

    @property
    def duration(self):
        return None if self.ended_at is None else self.ended_at - self.started_at


class TeaBreakReminder(models.Model):
    """The reminder sent before a tea break ends (REQ-ONS-05): one per tea break, whatever the retries."""

    item = models.OneToOneField(
        AgendaItem, verbose_name=_("tea break"), on_delete=models.CASCADE, related_name="tea_break_reminder"
    )
    expected_end = models.DateTimeField(_("end announced"))
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        verbose_name = _("tea-break reminder")
        verbose_name_plural = _("tea-break reminders")
        ordering = ["sent_at"]

    def __str__(self):
        return f"{self.item} · {self.sent_at:%H:%M}"

    @property
    def lead_time(self):
        return self.expected_end - self.sent_at


class ProgressReport(AuthoredModel):
    """The on-site director's progress report during the meeting (REQ-ONS-06, §2 overview)."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    reported_at = models.DateTimeField(_("report time"), default=timezone.now)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reporter"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    issues = models.TextField(_("issues"), blank=True)
    solutions = models.TextField(_("solutions"), blank=True)
    owner = models.CharField(_("owner of the solution"), max_length=100, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    client_feedback = models.TextField(_("client feedback"), blank=True)
    satisfaction = models.DecimalField(
        _("running satisfaction (0–100)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)],
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "reported_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | (Q(satisfaction__gte=0) & Q(satisfaction__lte=SCORE_MAX)),
                name="liveagenda_report_satisfaction_range",
            )
        ]

    def __str__(self):
        return f"{self.project} · {timezone.localtime(self.reported_at):%H:%M}"


class CoverageItem(AuthoredModel):
    """A key moment to photograph or film (REQ-ONS-08, §3.2 CCP 8), ticked with who and when."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening")
        SPEECH = "speech", _("Keynote / speech")
        CEREMONY = "ceremony", _("Signing / ceremony")
        GROUP_PHOTO = "group_photo", _("Group photo")
        CLOSING = "closing", _("Closing")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="coverage_items",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coverage_items",
    )
    kind = models.CharField(_("moment"), max_length=20, choices=Kind.choices)
    title = models.CharField(pgettext_lazy("live agenda", "title"), max_length=200)
    required = models.BooleanField(pgettext_lazy("live agenda", "required"), default=True)
    covered_at = models.DateTimeField(_("covered at"), null=True, blank=True)
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("covered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    link = models.URLField(_("link to the photos or video"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("coverage item")
        verbose_name_plural = _("coverage items")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "agenda_item"],
                condition=Q(agenda_item__isnull=False),
                name="liveagenda_coverage_once_per_agenda_item",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def safe_link(self) -> str:
        """The link when it is a web address: anything else (``javascript:`` …) is never put in an href
        (issue 10; the form already refuses it, this holds for records written any other way)."""
        return self.link if urlsplit(self.link or "").scheme.lower() in ("http", "https") else ""

    @property
    def is_covered(self) -> bool:
        return self.covered_at is not None


class SatisfactionEntry(AuthoredModel):
    """A score from a quick on-site survey of an attendee or the host (REQ-ONS-08, §3.2 CCP 8), 0–100."""

    class Respondent(models.TextChoices):
        ATTENDEE = "attendee", _("Attendee")
        HOST = "host", _("Host")

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="onsite_satisfaction_entries",
    )
    respondent = models.CharField(_("respondent"), max_length=10, choices=Respondent.choices)
    respondent_name = models.CharField(_("name (optional)"), max_length=100, blank=True)
    score = models.DecimalField(
        _("score (0–100)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("on-site satisfaction entry")
        verbose_name_plural = _("on-site satisfaction entries")
        ordering = ["project", "-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=SCORE_MAX), name="liveagenda_satisfaction_range"
            )
        ]

    def __str__(self):
        return f"{self.get_respondent_display()} · {self.score}"
