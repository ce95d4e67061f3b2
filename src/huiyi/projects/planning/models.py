"""Plan 策划方案 versions (REQ-PLN-01…04), their internal review and the client's confirmation (CCP 2–3)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel, TimeStampedModel

SCORE_MAX = 100  # the scale of a score (0–100), not a threshold: thresholds live in the rulebook


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In internal review")
    SENT = "sent", _("Sent to client")
    CONFIRMED = "confirmed", _("Confirmed (frozen)")
    SUPERSEDED = "superseded", _("Superseded")


class ReviewOutcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for rework")


class PlanSection(models.TextChoices):
    """The parts of a plan the client accepts or comments one by one."""

    GOALS = "goals", _("Research & goals")
    AGENDA = "agenda", _("Agenda")
    RESOURCES = "resources", _("Resource plan")
    BUDGET = "budget", _("Budget")
    RISKS = "risks", _("Risk assessment")


class PlanVersion(AuthoredModel):
    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="plan_versions",
    )
    number = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    # Research and goals (REQ-PLN-01)
    goals = models.TextField(_("goals"), blank=True)
    scale = models.PositiveIntegerField(_("scale (attendees)"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    meeting_start = models.DateTimeField(_("meeting start"), null=True, blank=True)
    meeting_end = models.DateTimeField(_("meeting end"), null=True, blank=True)
    technical_support = models.TextField(_("technical support"), blank=True)
    catering = models.TextField(_("catering"), blank=True)
    translation = models.TextField(_("translation / simultaneous interpretation"), blank=True)
    # Internal review (REQ-PLN-03)
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)
    review_outcome = models.CharField(
        _("review outcome"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    reviewed_at = models.DateTimeField(_("review concluded at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("review concluded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Client (REQ-PLN-02, CCP 3)
    sent_at = models.DateTimeField(_("sent to client at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="planning_version_number_unique"),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status="confirmed"),
                name="planning_one_confirmed_version",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} v{self.number}"

    @property
    def label(self) -> str:
        return f"v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status in (PlanStatus.CONFIRMED, PlanStatus.SUPERSEDED)

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def clean(self):
        if self.meeting_start and self.meeting_end and self.meeting_end < self.meeting_start:
            raise ValidationError({"meeting_end": _("The end must not be before the start.")})


class AgendaItem(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["version", "starts_at", "position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The end must not be before the start.")})


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("Venue")
    EQUIPMENT = "equipment", _("Equipment")
    STAFF = "staff", _("Staff")
    MATERIAL = "material", _("Material")


class ResourceLine(models.Model):
    """A resource the plan needs; bookings (resources app) are checked against the frozen version's lines."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="resource_lines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("resource line")
        verbose_name_plural = _("resource lines")
        ordering = ["version", "position", "pk"]

    def __str__(self):
        return f"{self.name} × {self.quantity}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must not be before the start.")})


class BudgetCategory(models.TextChoices):
    VENUE = "venue", _("Venue")
    EQUIPMENT = "equipment", _("Equipment & AV")
    CATERING = "catering", _("Catering")
    ACCOMMODATION = "accommodation", _("Accommodation")
    TRANSPORT = "transport", _("Transport")
    STAFF = "staff", _("Staff")
    MATERIALS = "materials", _("Materials & printing")
    TRANSLATION = "translation", _("Translation & interpretation")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    category = models.CharField(_("category"), max_length=15, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["version", "position", "pk"]

    def __str__(self):
        return f"{self.description}: {self.amount}"


class RiskItem(models.Model):
    """A row of the risk table (REQ-PLN-04)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="risks")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    risk = models.CharField(_("risk"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    response = models.TextField(_("response strategy"))
    owner = models.CharField(_("owner"), max_length=100)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["version", "position", "pk"]

    def __str__(self):
        return self.risk


class PlanReview(TimeStampedModel):
    """One reviewer's creativity score (0–100) and verdict on a version (REQ-PLN-03)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("creativity score"), validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)
    outcome = models.CharField(_("recommendation"), max_length=10, choices=ReviewOutcome.choices)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["version", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "reviewer"], name="planning_one_review_per_reviewer")
        ]

    def __str__(self):
        return f"{self.version} · {self.reviewer} · {self.score}"


class ClientResponse(TimeStampedModel):
    """What the client answered through a confirmation link: per-section acceptance and a typed signature."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="client_responses")
    link = models.ForeignKey(
        "core.AccessLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("signed by"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    address = models.CharField(_("from address"), max_length=64, blank=True)
    accepted_sections = models.PositiveSmallIntegerField(_("accepted sections"), default=0)
    total_sections = models.PositiveSmallIntegerField(_("sections"), default=0)

    class Meta:
        verbose_name = _("client response")
        verbose_name_plural = _("client responses")
        ordering = ["version", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.version} · {self.signer_name or '—'}"

    @property
    def all_accepted(self) -> bool:
        return self.total_sections > 0 and self.accepted_sections == self.total_sections


class SectionAnswer(models.Model):
    response = models.ForeignKey(ClientResponse, on_delete=models.CASCADE, related_name="answers")
    section = models.CharField(_("section"), max_length=10, choices=PlanSection.choices)
    accepted = models.BooleanField(_("accepted"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("section answer")
        verbose_name_plural = _("section answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "section"], name="planning_one_answer_per_section")
        ]

    def __str__(self):
        return f"{self.section}: {'✓' if self.accepted else '✗'}"


class SignedCopy(models.Model):
    """The client's e-signed copy of the confirmed plan, archived with its checksum (CCP 3)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="signed_copies")
    file = models.FileField(_("file"), upload_to="planning/signed/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("signed copy")
        verbose_name_plural = _("signed copies")
        ordering = ["version", "-uploaded_at", "-pk"]

    def __str__(self):
        return self.original_name
