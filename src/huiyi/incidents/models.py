"""Incidents and emergencies (REQ-INC-01…07, 09; REQ-ONS-09; REQ-TEC-02).

An :class:`Incident` is reported on a project (type, place, time, initial impact, optional photo); its level
I–IV is suggested and then confirmed by the site lead. Reporting opens the checklist of the type's
:class:`ResponsePlan` (:class:`IncidentTask`) and pages the command chain step by step (:class:`ChainStep`,
each with an acknowledgement timer from the rulebook). Everything that happens is a :class:`TimelineEntry`;
information released to the public is an :class:`InformationRelease`. Closing opens a :class:`PlanReview`.
A :class:`Drill` is run as an incident marked ``is_drill``: same screens, never counted in real KPIs.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AuthoredModel, TimeStampedModel
from huiyi.core.translation import TranslatedField, localize


class IncidentType(models.TextChoices):
    EQUIPMENT_FAILURE = "equipment_failure", _("Equipment failure")
    CONFLICT = "conflict", _("Conflict between people")
    HEALTH = "health", _("Health emergency")
    FIRE = "fire", _("Fire")
    EARTHQUAKE = "earthquake", _("Earthquake")
    SECURITY = "security", _("Security event")
    WEATHER = "weather", _("Severe weather")
    MISSING_PERSON = "missing_person", _("Missing person")
    OTHER = "other", pgettext_lazy("incident type", "Other")


class Level(models.TextChoices):
    """REQ-INC-01 (§2.8(2)). The code is the rulebook's ``level_code``; the rank is its ``value``."""

    I = "I", _("Level I")  # noqa: E741 — the level's name in the specification
    II = "II", _("Level II")
    III = "III", _("Level III")
    IV = "IV", _("Level IV")


LEVEL_RANK = {"I": 1, "II": 2, "III": 3, "IV": 4}


class ResponsePlan(AuthoredModel):
    """The response plan of one incident type (REQ-INC-04): steps to tick, owner role, version, review."""

    incident_type = models.CharField(
        _("incident type"), max_length=20, choices=IncidentType.choices, unique=True
    )
    title = TranslatedField(_("title"))
    owner_role = models.CharField(_("owner role"), max_length=40)
    #: [{"zh-hans": …, "en": …}, …] in order.
    steps = models.JSONField(_("steps"), default=list)
    version = models.PositiveIntegerField(_("version"), default=1)
    last_reviewed_at = models.DateTimeField(_("last reviewed at"))

    class Meta:
        verbose_name = _("response plan")
        verbose_name_plural = _("response plans")
        ordering = ["incident_type"]

    def __str__(self):
        return f"{localize(self.title)} v{self.version}"

    @property
    def display_title(self) -> str:
        return localize(self.title)

    def step_texts(self) -> list[str]:
        return [localize(step) for step in self.steps]


class Drill(AuthoredModel):
    """A planned emergency drill (REQ-INC-07, §2.8(5)); run as an incident with ``is_drill``."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", pgettext_lazy("drill", "Running")
        EVALUATED = "evaluated", _("Evaluated")

    project = models.ForeignKey(
        "projects.MeetingProject", verbose_name=_("project"), on_delete=models.CASCADE, related_name="drills"
    )
    scenario_type = models.CharField(_("scenario"), max_length=20, choices=IncidentType.choices)
    scenario = models.TextField(_("scenario description"), blank=True)
    scheduled_at = models.DateTimeField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True, related_name="+"
    )
    resources = models.TextField(_("resources used"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    findings = models.TextField(_("findings"), blank=True)
    #: Snapshot of the step-by-step timeliness when the drill was evaluated.
    evaluation = models.JSONField(_("evaluation"), default=dict, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-scheduled_at", "-pk"]

    def __str__(self):
        return f"{self.get_scenario_type_display()} · {self.scheduled_at:%Y-%m-%d}"


class Incident(AuthoredModel):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("incident", "Open")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", pgettext_lazy("incident", "Closed")

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    number = models.PositiveIntegerField(_("number"))
    type = models.CharField(_("type"), max_length=20, choices=IncidentType.choices)
    place = models.CharField(_("place"), max_length=200)
    occurred_at = models.DateTimeField(_("occurred at"))
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reporter"), on_delete=models.PROTECT, related_name="+"
    )
    impact = models.TextField(_("initial impact"))
    injuries = models.BooleanField(_("people injured"), default=False)
    attendees_affected = models.BooleanField(_("attendees affected"), default=False)
    meeting_interrupted = models.BooleanField(_("meeting interrupted"), default=False)
    photo = models.ImageField(_("photo"), upload_to="incidents/%Y/%m/", blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    equipment = models.ForeignKey(
        "resources.Equipment",
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    suggested_level = models.CharField(_("suggested level"), max_length=3, choices=Level.choices)
    level = models.CharField(_("level"), max_length=3, choices=Level.choices)
    level_confirmed_at = models.DateTimeField(_("level confirmed at"), null=True, blank=True)
    level_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_drill = models.BooleanField(_("drill"), default=False, db_index=True)
    drill = models.OneToOneField(
        Drill,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident",
        verbose_name=_("drill"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    plan = models.ForeignKey(
        ResponsePlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    plan_version = models.PositiveIntegerField(_("plan version"), null=True, blank=True)
    #: Clock stops: first acknowledgement in the command chain; director's diagnosis; report to the host.
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    diagnosed_at = models.DateTimeField(_("diagnosed at"), null=True, blank=True)
    host_reported_at = models.DateTimeField(_("reported to host at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lessons = models.TextField(_("lessons learned"), blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-reported_at", "-pk"]
        permissions = [("manage_incident", "Can confirm levels, close incidents and run drills")]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="incident_number_per_project"),
        ]
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["status", "is_drill"])]

    def __str__(self):
        return f"{self.project.code} #{self.number} {self.get_type_display()}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.level]


class IncidentTask(models.Model):
    """One step of the response plan's checklist, opened on the incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(_("position"))
    text = TranslatedField(_("step"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("response step")
        verbose_name_plural = _("response steps")
        ordering = ["incident", "position"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "position"], name="incident_task_position")
        ]

    def __str__(self):
        return localize(self.text)

    @property
    def display_text(self) -> str:
        return localize(self.text)


class ChainStep(models.Model):
    """A person of the command chain (REQ-INC-03, REQ-ONS-09), paged in turn with an acknowledgement timer."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        PAGED = "paged", _("Paged")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ESCALATED = "escalated", _("Not acknowledged — escalated")
        SKIPPED = "skipped", _("Nobody holds this role")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="chain")
    position = models.PositiveSmallIntegerField(_("position"))
    role = models.CharField(_("role"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    state = models.CharField(_("state"), max_length=14, choices=State.choices, default=State.WAITING)
    paged_at = models.DateTimeField(_("paged at"), null=True, blank=True)
    ack_due = models.DateTimeField(_("acknowledge by"), null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    via = models.CharField(_("acknowledged through"), max_length=20, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("command chain step")
        verbose_name_plural = _("command chain steps")
        ordering = ["incident", "position"]
        constraints = [models.UniqueConstraint(fields=["incident", "position"], name="chain_step_position")]

    def __str__(self):
        return f"{self.position}. {self.name or self.role}"

    @property
    def is_red(self) -> bool:
        return self.state == self.State.ESCALATED or (self.state == self.State.SKIPPED)

    @property
    def relay_seconds(self) -> float | None:
        if self.paged_at and self.acknowledged_at:
            return (self.acknowledged_at - self.paged_at).total_seconds()
        return None


class TimelineEntry(models.Model):
    """Everything that happened, in order (REQ-INC-05)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        MESSAGE = "message", _("Message")
        ACTION = "action", _("Action")
        PAGE = "page", _("Paged")
        ACK = "ack", _("Acknowledged")
        ESCALATION = "escalation", _("Escalation")
        LEVEL = "level", _("Level")
        RELEASE = "release", _("Information release")
        STEP = "step", _("Plan step")
        CLOCK = "clock", _("Clock")
        STATUS = "status", _("Status")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("time"), db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["incident", "at", "pk"]

    def __str__(self):
        return f"{self.at:%H:%M:%S} {self.text[:60]}"


class InformationRelease(models.Model):
    """Information released through a channel (REQ-INC-05, §2.8(3) 3.4): facts, measures, progress, notes."""

    class Channel(models.TextChoices):
        BROADCAST = "broadcast", _("On-site broadcast")
        SOCIAL_MEDIA = "social_media", _("Social media")
        WEBSITE = "website", _("Official website")
        PRESS = "press", pgettext_lazy("information release channel", "Press")  # not the attendee category

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="releases")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    facts = models.TextField(_("what happened"))
    measures = models.TextField(_("measures taken"), blank=True)
    progress = models.TextField(_("progress of the meeting"), blank=True)
    notes = models.TextField(_("notes for attendees"), blank=True)
    released_at = models.DateTimeField(_("released at"))
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("information release")
        verbose_name_plural = _("information releases")
        ordering = ["incident", "released_at", "pk"]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.released_at:%H:%M}"


class PlanReview(AuthoredModel):
    """A review of a response plan (REQ-INC-06): after each incident, and at least yearly."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("review", "Open")
        DONE = "done", _("Done")

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="reviews")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_reviews"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    findings = models.TextField(_("findings"), blank=True)
    version_before = models.PositiveIntegerField(_("version reviewed"))
    version_after = models.PositiveIntegerField(_("resulting version"), null=True, blank=True)
    steps_before = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("response plan review")
        verbose_name_plural = _("response plan reviews")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "incident"],
                condition=models.Q(incident__isnull=False),
                name="one_review_per_incident",
            )
        ]

    def __str__(self):
        return f"{self.plan} · {self.get_status_display()}"


class CalmMeeting(TimeStampedModel):
    """The site lead's confirmation that a meeting had no real incident (phase output ``incident_report``)."""

    project = models.OneToOneField(
        "projects.MeetingProject", on_delete=models.CASCADE, related_name="calm_confirmation"
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("no-incident confirmation")
        verbose_name_plural = _("no-incident confirmations")

    def __str__(self):
        return str(self.project)


__all__ = [
    "CalmMeeting",
    "ChainStep",
    "Drill",
    "Incident",
    "IncidentTask",
    "IncidentType",
    "InformationRelease",
    "LEVEL_RANK",
    "Level",
    "PlanReview",
    "ResponsePlan",
    "TimelineEntry",
]
