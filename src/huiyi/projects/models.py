"""Meeting projects, their types (REQ-GEN-01) and their teams."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import OrgUnit, Role
from huiyi.clients.models import Client
from huiyi.core.models import AuthoredModel, TimeStampedModel
from huiyi.core.translation import TranslatedField, localize


class MeetingType(TimeStampedModel):
    """Board meeting, seminar, academic conference … (REQ-GEN-01); an editable list."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = TranslatedField(_("name"))
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("meeting type")
        verbose_name_plural = _("meeting types")
        ordering = ["position", "key"]

    def __str__(self):
        return localize(self.name) or self.key


class Phase(models.IntegerChoices):
    """The five phases of the service process (REQ-QLT-01, §3.1(2))."""

    NEEDS = 1, _("Needs analysis & service design")
    RESOURCES = 2, _("Resource preparation")
    EXECUTION = 3, _("Execution & control")
    EVALUATION = 4, _("Evaluation & feedback")
    IMPROVEMENT = 5, _("Improvement & optimisation")


class ServiceGrade(models.TextChoices):
    """§4.1: the service grades a client buys (REQ-QLT-05)."""

    PLANNING = "planning", _("Grade 1 · planning")
    EXECUTION = "execution", _("Grade 2 · execution")
    SUMMARY = "summary", _("Grade 3 · summary")


class GreenMeasure(models.TextChoices):
    """§1.4(5) green meetings (REQ-GEN-05): measures applied, reported per period."""

    PAPERLESS = "paperless", _("Paperless materials and sign-in")
    ENERGY_SAVING = "energy_saving", _("Energy-saving devices")
    ECO_MATERIALS = "eco_materials", _("Environmentally friendly materials")
    WASTE_REDUCTION = "waste_reduction", _("Waste reduction and recycling")
    PUBLIC_TRANSPORT = "public_transport", _("Public transport / shared shuttles")
    ONLINE_PARTICIPATION = "online_participation", _("Online participation offered")


class MeetingProject(AuthoredModel):
    class VenueType(models.TextChoices):
        INDOOR = "indoor", _("Indoor")
        OUTDOOR = "outdoor", _("Outdoor")
        ONLINE = "online", _("Online")

    class OutOfScope(models.TextChoices):
        """§1.2(3): meetings the specification does not cover; excluded from every KPI (REQ-GEN-02)."""

        INFORMAL = "informal", _("Informal internal chat without a formal agenda")
        UNOFFICIAL = "unofficial", _("Unofficial, self-organised meeting")
        THIRD_PARTY = "third_party", _("Run by a third party; we only assist")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="projects"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="projects"
    )
    meeting_type = models.ForeignKey(
        MeetingType, verbose_name=_("meeting type"), on_delete=models.PROTECT, related_name="projects"
    )
    phase = models.PositiveSmallIntegerField(
        _("phase"), choices=Phase.choices, default=Phase.NEEDS, db_index=True
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    venue_type = models.CharField(_("venue type"), max_length=10, choices=VenueType.choices, default="indoor")
    expected_attendees = models.PositiveIntegerField(_("expected attendees"))
    out_of_scope = models.CharField(
        _("out of scope because"), max_length=20, choices=OutOfScope.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    service_grades = models.JSONField(_("service grades bought"), default=list, blank=True)
    green_measures = models.JSONField(_("green measures applied"), default=list, blank=True)
    rulebook_version = models.ForeignKey(
        "rulebook.RulebookVersion",
        verbose_name=_("rulebook version"),
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("The rules in force when the project started; later rulebook changes never rewrite it."),
    )

    class Meta:
        verbose_name = _("meeting project")
        verbose_name_plural = _("meeting projects")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="project_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["org_unit", "phase"]),
            models.Index(fields=["-start"], name="project_start_desc"),
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        """The grades bought and the green measures applied are lists of known values, whoever saves them."""
        errors = {}
        for field, choices in (("service_grades", ServiceGrade), ("green_measures", GreenMeasure)):
            value = getattr(self, field)
            if not isinstance(value, list) or any(item not in choices.values for item in value):
                errors[field] = _("Choose from the listed values.")
            else:
                setattr(self, field, [item for item in choices.values if item in value])
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return localize({"zh-hans": self.name, "en": self.name_en})

    @property
    def duration(self):
        """REQ-INT-03: duration = end − start."""
        return self.end - self.start


class ProjectMember(TimeStampedModel):
    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="project_memberships",
    )
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "role"], name="unique_project_member")
        ]

    def __str__(self):
        return f"{self.user} · {self.role}"


class PhaseClosure(models.Model):
    """A closed phase (REQ-QLT-01): outputs and control points checked, or overridden with a reason."""

    project = models.ForeignKey(MeetingProject, on_delete=models.CASCADE, related_name="phase_closures")
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices)
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField(_("override reason"), blank=True)
    missing = models.JSONField(_("missing at closing"), default=dict, blank=True)

    class Meta:
        verbose_name = _("phase closure")
        verbose_name_plural = _("phase closures")
        ordering = ["project", "phase"]
        constraints = [models.UniqueConstraint(fields=["project", "phase"], name="phase_closed_once")]

    def __str__(self):
        return f"{self.project} · {self.get_phase_display()}"
