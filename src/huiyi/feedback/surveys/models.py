"""Satisfaction surveys (REQ-FBK-01…03) and client revisits 回访 (REQ-FBK-07, §3.2 CCP 9).

A template holds weighted questions; once any answer exists for a version it is frozen and an edit creates
the next version (same ``family``). A survey runs one template version for one project and audience, with
an anonymous link (``public_code``, printed as a QR code) and personal signed links (one ``Invitation`` per
person, one ``Response`` per invitation, updated when answered again). Answers carry the survey id as well,
so that results are aggregated in SQL over one indexed table.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AccessLink, AuthoredModel
from huiyi.onsite.attendees.models import Attendee
from huiyi.projects.models import MeetingProject


class Audience(models.TextChoices):
    ATTENDEES = "attendees", pgettext_lazy("survey audience", "Attendees")
    CLIENT = "client", pgettext_lazy("survey audience", "Client")


class Dimension(models.TextChoices):
    """The rulebook's weight group survey_dimensions (§2.9(1)): the values are its `applies_to.dimension`."""

    AGENDA = "agenda", _("Agenda")
    CONTENT = "content", _("Content quality")
    VENUE = "venue", _("Venue")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")
    OVERALL = "overall", _("Overall satisfaction")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Five-point satisfaction scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


def new_public_code() -> str:
    return secrets.token_urlsafe(12)


class SurveyTemplate(AuthoredModel):
    family = models.UUIDField(_("template family"), default=uuid.uuid4, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("English introduction"), blank=True)
    is_default = models.BooleanField(_("default template of §2.9(1)"), default=False)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="survey_template_version"),
        ]
        permissions = [("manage_surveys", _("Can run satisfaction surveys and edit their templates"))]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def localized_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def localized_intro(self, language: str) -> str:
        return self.intro_en if language == "en" and self.intro_en else self.intro

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class Question(models.Model):
    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices, blank=True)
    #: None: the weight of the dimension in the project's rulebook, shared by the dimension's scale questions.
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=4, null=True, blank=True)
    required = models.BooleanField(_("required"), default=True)
    #: For choice questions: [{"zh-hans": "…", "en": "…"}, …]; an answer stores the option's index.
    choices = models.JSONField(_("options"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="survey_question_position"),
        ]

    def __str__(self):
        return f"{self.position}. {self.text}"

    def localized_text(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text

    def options(self, language: str) -> list[str]:
        key = "en" if language == "en" else "zh-hans"
        return [str(c.get(key) or c.get("zh-hans") or c.get("en") or "") for c in self.choices]

    @property
    def is_scored(self) -> bool:
        return self.kind == QuestionKind.SCALE


class Survey(AuthoredModel):
    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="surveys"
    )
    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="surveys"
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    closed_at = models.DateTimeField(_("closed early at"), null=True, blank=True)
    only_checked_in = models.BooleanField(_("only attendees who checked in"), default=True)
    categories = models.JSONField(_("attendee categories"), default=list, blank=True)
    public_code = models.CharField(
        _("anonymous link code"), max_length=32, unique=True, default=new_public_code
    )
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)
    analysed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("analysed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    analysis = models.TextField(_("analysis"), blank=True)
    # The collection figures as they stood when collection ended (REQ-FBK-02), recorded once a few minutes
    # after the end by ``services.record_final_counts`` and cleared if the survey reopens; until then they
    # are counted from the rows. The KPIs read these instead of counting every attendee of every year.
    final_responses = models.PositiveIntegerField(
        _("responses when collection ended"), null=True, editable=False
    )
    final_targeted = models.PositiveIntegerField(
        _("attendees targeted when collection ended"), null=True, editable=False
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["project", "-opens_at", "pk"]
        indexes = [models.Index(fields=["project", "audience"])]

    def __str__(self):
        return f"{self.project.code} · {self.template.name}"

    @property
    def ends_at(self):
        """When collection ended or ends: the early close, else the planned close."""
        return self.closed_at if self.closed_at and self.closed_at < self.closes_at else self.closes_at

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.ends_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "scheduled"
        return "open" if now < self.ends_at else "closed"

    def status_label(self, now=None) -> str:
        return {
            "scheduled": pgettext_lazy("survey", "Scheduled"),
            "open": pgettext_lazy("survey", "Open"),
            "closed": pgettext_lazy("survey", "Closed"),
        }[self.status(now)]


class Invitation(models.Model):
    """One person asked to answer through a personal link (an attendee, or a client contact)."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations"
    )
    attendee = models.ForeignKey(
        Attendee,
        verbose_name=_("attendee"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    link = models.ForeignKey(
        AccessLink, verbose_name=_("link"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    last_error = models.CharField(_("last sending error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "attendee"],
                condition=models.Q(attendee__isnull=False),
                name="survey_invitation_per_attendee",
            ),
        ]

    def __str__(self):
        return f"{self.survey_id} · {self.name}"


class Response(models.Model):
    class Source(models.TextChoices):
        PUBLIC = "public", _("Anonymous link")
        PERSONAL = "personal", _("Personal link")
        STAFF = "staff", _("Entered by staff")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    #: Weighted satisfaction Σ aᵢ·wᵢ / Σ wᵢ of this response's scale answers (on the rulebook's scale).
    score = models.DecimalField(_("weighted score"), max_digits=7, decimal_places=4, null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["survey", "-submitted_at", "pk"]
        indexes = [models.Index(fields=["survey", "submitted_at"])]

    def __str__(self):
        return f"{self.survey_id} · {self.pk}"


class Answer(models.Model):
    """One answer: a scale value or option index in `value` (one row per chosen option), or free `text`."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.SmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["survey", "question", "value"])]

    def __str__(self):
        return f"{self.question_id}: {self.value if self.value is not None else self.text[:30]}"


class Revisit(AuthoredModel):
    """A client revisit 回访 (§3.2 CCP 9): who was called or written to, how, when, and what they said."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Telephone")
        EMAIL = "email", _("E-mail")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        VISIT = "visit", _("Visit in person")
        MESSAGE = "message", _("Instant message")

    class Outcome(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("revisit", "Planned")
        DONE = "done", pgettext_lazy("revisit", "Revisited")
        UNREACHABLE = "unreachable", pgettext_lazy("revisit", "Not reached")

    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="revisits"
    )
    contact = models.CharField(_("contact"), max_length=120)
    channel = models.CharField(_("channel"), max_length=15, choices=Channel.choices)
    on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.DONE)
    score = models.PositiveSmallIntegerField(_("satisfaction score (0–100)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("client revisit")
        verbose_name_plural = _("client revisits")
        ordering = ["project", "-on", "-pk"]

    def __str__(self):
        return f"{self.project_id} · {self.contact} · {self.on}"
