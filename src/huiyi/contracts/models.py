"""Service contracts (REQ-CON-01…05): versions, quality standards, payments, change requests, breaches.

A `Contract` row is one version of a project's contract: v1 is the original, every amendment agreed through
a change request is a new row (v2, v3 …) that copies its predecessor with the change applied; the earlier
version stays as it was, marked "amended".
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel
from huiyi.core.translation import localize

MONEY = {"max_digits": 14, "decimal_places": 2}


class Stage(models.TextChoices):
    """The four stages of the service scope (REQ-CON-01, §2.3(1))."""

    PREPARATION = "preparation", _("Pre-meeting preparation")
    ONSITE = "onsite", _("On-site execution")
    IN_MEETING = "in_meeting", _("In-meeting support")
    POST_MEETING = "post_meeting", _("Post-meeting summary")


SCOPE_FIELDS = {
    Stage.PREPARATION: "scope_preparation",
    Stage.ONSITE: "scope_onsite",
    Stage.IN_MEETING: "scope_in_meeting",
    Stage.POST_MEETING: "scope_post_meeting",
}


class Contract(AuthoredModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        AMENDED = "amended", _("Amended (superseded)")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    number = models.CharField(_("contract number"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    title = models.CharField(_("title"), max_length=200)
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client (party B)"), on_delete=models.PROTECT, related_name="+"
    )
    client_representative = models.CharField(_("client representative"), max_length=100, blank=True)
    scope_preparation = models.TextField(_("Pre-meeting preparation"))
    scope_onsite = models.TextField(_("On-site execution"))
    scope_in_meeting = models.TextField(_("In-meeting support"))
    scope_post_meeting = models.TextField(_("Post-meeting summary"))
    acceptance_basis = models.TextField(
        _("acceptance basis"),
        blank=True,
        help_text=_("How the client accepts the service against the quality standards below."),
    )
    value = models.DecimalField(_("contract value (CNY)"), **MONEY)
    amendment_note = models.TextField(_("amendment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_copy = models.FileField(_("signed copy"), upload_to="contracts/%Y/%m/", blank=True)
    signed_copy_name = models.CharField(_("file name"), max_length=200, blank=True)
    signed_copy_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    signed_copy_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    signed_copy_mime = models.CharField(_("MIME type"), max_length=100, blank=True)
    retention_until = models.DateField(_("keep until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["project", "number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number", "version"], name="unique_contract_version"),
            models.CheckConstraint(condition=Q(value__gte=0), name="contract_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.number} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SIGNED)

    def scope(self) -> list[tuple[str, str, str]]:
        """(stage, label, description) for the four stages, in order."""
        return [(stage.value, stage.label, getattr(self, field)) for stage, field in SCOPE_FIELDS.items()]


class QualityStandard(models.Model):
    """A quality standard written into the contract, prefilled from a con.quality.* rule (REQ-CON-01)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="standards")
    rule_id = models.CharField(_("rule"), max_length=100, blank=True)
    name = models.JSONField(_("standard"))
    target = models.JSONField(_("target"))
    acceptance_point = models.TextField(_("acceptance point"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("quality standard")
        verbose_name_plural = _("quality standards")
        ordering = ["contract", "position", "pk"]

    def __str__(self):
        return localize(self.name)

    @property
    def display_name(self) -> str:
        return localize(self.name)

    @property
    def display_target(self) -> str:
        return localize(self.target)


class PaymentLine(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payments")
    name = models.CharField(_("instalment"), max_length=100)
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["contract", "position", "due_date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return f"{self.name} {self.amount}"


class ChangeRequest(AuthoredModel):
    """A written change to the contract (REQ-CON-02/03); both sides confirm before it amends the contract."""

    class Kind(models.TextChoices):
        TIME = "time", _("Time / dates")
        BUDGET = "budget", _("Budget")
        SCOPE = "scope", _("Service scope")
        VENUE = "venue", _("Venue")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        APPLIED = "applied", _("Confirmed — contract amended")
        REJECTED = "rejected", _("Rejected")

    class ClientChannel(models.TextChoices):
        LINK = "link", _("Through the link")
        RECORDED = "recorded", _("Recorded by our staff")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="change_requests"
    )
    sequence = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("what changes"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("description"))
    affected_at = models.DateTimeField(_("affected date"))
    submitted_at = models.DateTimeField(_("submitted at"))
    lead_hours = models.DecimalField(_("lead time (hours)"), max_digits=10, decimal_places=2)
    required_lead_hours = models.DecimalField(
        _("required lead time (hours)"), max_digits=10, decimal_places=2
    )
    is_late = models.BooleanField(_("late"), default=False)
    extension_days = models.DecimalField(
        _("meeting extended by (days)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    extension_ratio = models.DecimalField(
        _("extension ratio"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    cost_coefficient = models.DecimalField(
        _("cost coefficient"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    cost_impact = models.DecimalField(_("cost impact (CNY)"), **MONEY)
    cost_from_formula = models.BooleanField(_("cost from the formula"), default=False)
    scope_stage = models.CharField(
        _("stage whose scope changes"), max_length=20, choices=Stage.choices, blank=True
    )
    scope_text = models.TextField(_("new scope of that stage"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    client_confirmed_at = models.DateTimeField(_("client confirmed at"), null=True, blank=True)
    client_confirmed_name = models.CharField(_("confirmed by (client)"), max_length=100, blank=True)
    client_channel = models.CharField(
        _("client confirmed"), max_length=10, choices=ClientChannel.choices, blank=True
    )
    client_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)
    resulting_version = models.OneToOneField(
        Contract,
        verbose_name=_("amended version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
    )

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="unique_change_request_number"),
            models.CheckConstraint(condition=Q(cost_impact__gte=0), name="change_cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.contract.number} CR-{self.sequence}"

    @property
    def code(self) -> str:
        return f"CR-{self.sequence}"

    @property
    def both_confirmed(self) -> bool:
        return self.approved_at is not None and self.client_confirmed_at is not None


class Breach(AuthoredModel):
    """A breach of the contract with its class, responsibility and remedy agreement (REQ-CON-04)."""

    class Responsibility(models.TextChoices):
        PROVIDER = "provider", _("Us (service provider)")
        CLIENT = "client", _("Client")
        SUPPLIER = "supplier", _("Supplier / third party")
        FORCE_MAJEURE = "force_majeure", _("Force majeure")

    class RemedyStatus(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract version"), on_delete=models.PROTECT, related_name="breaches"
    )
    breach_class = models.CharField(_("class"), max_length=20)
    rule_id = models.CharField(_("rule"), max_length=100)
    description = models.TextField(_("description"))
    occurred_at = models.DateTimeField(_("occurred at"))
    responsibility = models.CharField(_("responsibility"), max_length=20, choices=Responsibility.choices)
    refund_ratio = models.DecimalField(
        _("refund ratio"), max_digits=7, decimal_places=6, null=True, blank=True
    )
    remedy_amount = models.DecimalField(_("refund / remedy amount (CNY)"), **MONEY)
    remedy_measures = models.TextField(_("remedy measures"))
    remedy_deadline = models.DateField(_("remedy deadline"))
    remedy_status = models.CharField(
        _("remedy status"), max_length=15, choices=RemedyStatus.choices, default=RemedyStatus.AGREED
    )
    remedy_completed_at = models.DateTimeField(_("remedy completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-occurred_at"]
        constraints = [models.CheckConstraint(condition=Q(remedy_amount__gte=0), name="remedy_not_negative")]

    def __str__(self):
        return f"{self.contract} · {self.breach_class} · {self.occurred_at:%Y-%m-%d}"
