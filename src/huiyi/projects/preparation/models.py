"""Preparation records: execution-plan tasks, cross-department review, training, materials, communications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel
from huiyi.projects.models import MeetingProject


class Task(AuthoredModel):
    """One numbered task of a project's execution plan (REQ-PLN-05, REQ-PRE-01)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="preparation_tasks",
    )
    due = models.DateTimeField(_("due"))
    done_criterion = models.CharField(_("done when"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="task_number_per_project")]
        indexes = [
            models.Index(fields=["status", "due"]),
            # E (on time) per project read from the index alone (PostgreSQL; elsewhere a plain index)
            models.Index(
                fields=["project", "due"], include=["status", "done_at"], name="preparation_task_on_time"
            ),
        ]

    def __str__(self):
        return f"#{self.number} {self.title}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def is_overdue(self, now) -> bool:
        return not self.is_done and self.due < now


class PreparationSettings(models.Model):
    """The organisation's preparation settings (one row); not numbers of the standard."""

    task_reminder_lead_hours = models.PositiveIntegerField(
        _("remind task owners this many hours before the due time"), default=24
    )

    class Meta:
        verbose_name = _("preparation settings")
        verbose_name_plural = _("preparation settings")

    def __str__(self):
        return str(_("Preparation settings"))

    @classmethod
    def current(cls) -> "PreparationSettings":
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ReviewStep(models.Model):
    """One department's step of the cross-department review (REQ-PRE-04); its deadline is in working days."""

    class Department(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration drafts the request")
        FINANCE = "finance", _("Finance reviews the budget")
        TECHNOLOGY = "technology", _("Technology reviews equipment")
        HR = "hr", _("HR reviews staffing and logistics")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for rework")

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="review_steps",
    )
    position = models.PositiveSmallIntegerField(_("step"))
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    rule_id = models.CharField(_("rule"), max_length=80)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due = models.DateTimeField(_("due"), null=True, blank=True)
    due_confirmed = models.BooleanField(_("deadline confirmed by the holiday schedule"), default=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    comment = models.TextField(_("comment"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="review_step_position_per_project")
        ]

    def __str__(self):
        return self.get_department_display()

    @property
    def is_active(self) -> bool:
        return self.started_at is not None and self.completed_at is None

    def is_overdue(self, now) -> bool:
        return self.is_active and self.due is not None and self.due < now


class TrainingSession(AuthoredModel):
    """Staff training before the meeting (REQ-PRE-02); its pass mark is set by HR for this session."""

    class Topic(models.TextChoices):
        ETIQUETTE = "etiquette", _("Etiquette")
        COMMUNICATION = "communication", _("Communication")
        EMERGENCY = "emergency", _("Emergency handling")
        SERVICE_PROCESS = "service_process", _("Service process")
        EQUIPMENT = "equipment", _("Equipment operation")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="trainings"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    audience_roles = models.JSONField(_("audience roles"), default=list, blank=True)
    held_at = models.DateTimeField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=100)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["project", "held_at", "pk"]

    def __str__(self):
        return self.title or self.get_topic_display()


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField(_("attended"), default=True)
    score = models.DecimalField(_("assessment score"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["session", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_once_per_session")
        ]

    def __str__(self):
        return f"{self.session} · {self.user}"

    @property
    def passed(self) -> bool | None:
        if self.score is None:
            return None
        return self.score >= self.session.pass_mark


class HostEvaluation(AuthoredModel):
    """The host/MC's professional evaluation, 0–100 (REQ-PRE-02, CCP 7)."""

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="host_evaluations",
    )
    host_name = models.CharField(_("host / MC"), max_length=100)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("host evaluation")
        verbose_name_plural = _("host evaluations")
        ordering = ["project", "-created_at"]

    def __str__(self):
        return f"{self.host_name} · {self.score}"


class MaterialItem(AuthoredModel):
    """A designed, produced item (REQ-PRE-05, CCP 5): design approval, delivery, satisfaction."""

    class Kind(models.TextChoices):
        BADGE = "badge", _("Badge")
        BACKDROP = "backdrop", _("Backdrop")
        BANNER = "banner", _("Banner")
        BROCHURE = "brochure", _("Brochure")
        SIGNAGE = "signage", _("Signage")
        GIFT = "gift", _("Gift")
        OTHER = "other", _("Other")

    class Approval(models.TextChoices):
        PENDING = "pending", _("Awaiting client approval")
        APPROVED = "approved", _("Approved by the client")
        REJECTED = "rejected", _("Rejected by the client")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        DISSATISFIED = "dissatisfied", _("Not satisfied")

    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    planned_delivery = models.DateTimeField(_("planned delivery"))
    approval = models.CharField(
        _("design approval"), max_length=10, choices=Approval.choices, default=Approval.PENDING
    )
    approved_by_name = models.CharField(_("approved by (client)"), max_length=100, blank=True)
    approval_at = models.DateTimeField(_("approval recorded at"), null=True, blank=True)
    approval_via_link = models.BooleanField(_("through the client's link"), default=False)
    approval_comment = models.CharField(_("client's comment"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=15, choices=Satisfaction.choices, blank=True
    )

    class Meta:
        verbose_name = _("material item")
        verbose_name_plural = _("material items")
        ordering = ["project", "planned_delivery", "pk"]

    def __str__(self):
        return self.name

    @property
    def delivered_on_time(self) -> bool | None:
        if self.delivered_at is None:
            return None
        return self.delivered_at <= self.planned_delivery


class ClientMessage(AuthoredModel):
    """A client communication (REQ-FBK-05): incoming messages run the stage's response clock."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WECHAT = "wechat", _("WeChat")
        MEETING = "meeting", _("Meeting")
        ON_SITE = "on_site", _("On site")

    class Direction(models.TextChoices):
        INCOMING = "in", _("From the client")
        OUTGOING = "out", _("To the client")

    class Stage(models.TextChoices):
        INITIAL_CONTACT = "initial_contact", _("Initial contact")
        DETAILED_CONSULTATION = "detailed_consultation", _("Detailed consultation")
        PREPARATION = "preparation", _("Preparation")
        ON_SITE = "on_site", _("On site")
        AFTER_SALES = "after_sales", _("After-sales")

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="client_messages",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    stage = models.CharField(_("stage"), max_length=25, choices=Stage.choices)
    summary = models.CharField(_("summary"), max_length=500)
    received_at = models.DateTimeField(_("received / sent at"))
    respond_by = models.DateTimeField(_("respond by"), null=True, blank=True)
    respond_by_confirmed = models.BooleanField(default=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("client message")
        verbose_name_plural = _("client messages")
        ordering = ["project", "-received_at", "-pk"]

    def __str__(self):
        return self.summary[:60]

    @property
    def awaits_response(self) -> bool:
        return self.direction == self.Direction.INCOMING and self.responded_at is None

    def is_overdue(self, now) -> bool:
        return self.awaits_response and self.respond_by is not None and self.respond_by < now


class AttendeeCommunication(AuthoredModel):
    """A planned message to attendees (REQ-PRE-03): agenda, travel guide, catering … with channel and date."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        TRAVEL_GUIDE = "travel_guide", _("Travel guide")
        CATERING = "catering", _("Catering")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WECHAT = "wechat", _("WeChat")

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="attendee_communications",
    )
    kind = models.CharField(_("content"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    planned_for = models.DateTimeField(_("planned for"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendee communication")
        verbose_name_plural = _("attendee communications")
        ordering = ["project", "planned_for", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_channel_display()}"
