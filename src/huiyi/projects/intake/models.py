"""Inquiries, key-step clocks, the requirements list 《会议需求清单》 and its revisions (REQ-INT-01…07)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel, TimeStampedModel

ZERO_TO_ONE = [MinValueValidator(0), MaxValueValidator(1)]


class Inquiry(AuthoredModel):
    """A first contact by a client, taken through the four initial-contact steps of REQ-INT-01."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        VISIT = "visit", _("Visit")
        WEBSITE = "website", _("Website")
        WECHAT = "wechat", _("WeChat")
        REFERRAL = "referral", _("Referral")

    class Classification(models.TextChoices):
        REGULAR = "regular", _("Regular")
        CUSTOM = "custom", _("Custom")
        URGENT = "urgent", _("Urgent")

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="inquiries"
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+"
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    summary = models.TextField(_("summary of the request"))
    received_at = models.DateTimeField(_("received at"), db_index=True)

    credentials_note = models.CharField(_("credentials checked"), max_length=300, blank=True)
    client_identified_at = models.DateTimeField(_("client identified at"), null=True, blank=True)
    classification = models.CharField(
        _("classification"), max_length=10, choices=Classification.choices, blank=True
    )
    request_classified_at = models.DateTimeField(_("request classified at"), null=True, blank=True)
    capability_ok = models.BooleanField(_("we can serve it"), null=True, blank=True)
    capability_note = models.CharField(_("capability note"), max_length=300, blank=True)
    capability_matched_at = models.DateTimeField(_("capability matched at"), null=True, blank=True)
    next_appointment = models.DateTimeField(_("next appointment"), null=True, blank=True)
    next_appointment_note = models.CharField(_("next appointment note"), max_length=300, blank=True)
    next_appointment_agreed_at = models.DateTimeField(_("next appointment agreed at"), null=True, blank=True)

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.client} · {self.received_at:%Y-%m-%d %H:%M}"


class KeyStep(TimeStampedModel):
    """One clock of REQ-INT-02 (initial survey, plan recommendation, service agreement) of a project."""

    class Key(models.TextChoices):
        INITIAL_SURVEY = "initial_survey", _("Initial requirements survey")
        PLAN_RECOMMENDATION = "plan_recommendation", _("Plan recommendation")
        SERVICE_AGREEMENT = "service_agreement", _("Service agreement signed")

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="key_steps",
    )
    key = models.CharField(_("step"), max_length=30, choices=Key.choices)
    started_at = models.DateTimeField(_("clock started at"))
    due_at = models.DateTimeField(_("due at"))
    due_confirmed = models.BooleanField(_("due time confirmed"), default=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    overdue_notified_at = models.DateTimeField(_("overdue notice sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("key step")
        verbose_name_plural = _("key steps")
        ordering = ["project", "due_at"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="unique_key_step_per_project")]

    def __str__(self):
        return f"{self.project_id} · {self.get_key_display()}"

    def is_late(self, now) -> bool:
        """Completed after its due time, or still open past it."""
        return (self.completed_at or now) > self.due_at


class RequirementsRevision(AuthoredModel):
    """One revision of a project's 《会议需求清单》; a confirmed revision is frozen (REQ-INT-07)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent to the client")
        CONFIRMED = "confirmed", _("Confirmed by the client")

    class PaymentSchedule(models.TextChoices):
        ADVANCE_BALANCE = "advance_balance", _("Advance T1 + balance T2")
        MONTHLY = "monthly", _("Monthly settlement")

    class PaymentMethod(models.TextChoices):
        TRANSFER = "transfer", _("Corporate bank transfer")
        ACCEPTANCE_BILL = "acceptance_bill", _("Acceptance bill")

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="requirement_revisions",
    )
    number = models.PositiveIntegerField(_("revision"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    services = models.JSONField(_("services"), default=list, blank=True)
    custom_services = models.TextField(_("other custom services"), blank=True)

    budget = models.DecimalField(
        _("fixed budget (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    payment_schedule = models.CharField(
        _("payment schedule"), max_length=20, choices=PaymentSchedule.choices, blank=True
    )
    advance_amount = models.DecimalField(
        _("advance T1 (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    advance_due = models.DateField(_("advance due on"), null=True, blank=True)
    balance_amount = models.DecimalField(
        _("balance T2 (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    balance_due = models.DateField(_("balance due on"), null=True, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    refund_window_days = models.PositiveIntegerField(
        _("late cancellation window (days)"), null=True, blank=True
    )
    refund_non_refundable_share = models.DecimalField(
        _("non-refundable share on late cancellation"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=ZERO_TO_ONE,
    )
    refund_notes = models.CharField(_("refund policy notes"), max_length=500, blank=True)

    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("confirmed by"), max_length=100, blank=True)
    confirmed_address = models.CharField(_("confirmed from address"), max_length=64, blank=True)
    confirmation_link = models.ForeignKey(
        "core.AccessLink",
        verbose_name=_("confirmation link"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("requirements list revision")
        verbose_name_plural = _("requirements list revisions")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_requirements_revision"),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="confirmed_revision_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {_('requirements list')} r{self.number}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class RequirementItem(models.Model):
    """One 5W2H item of a revision (REQ-INT-05) with its completion Cᵢ ∈ [0, 1]."""

    class Key(models.TextChoices):
        WHAT = "what", _("What")
        WHEN = "when", _("When")
        WHERE = "where", _("Where")
        WHO = "who", _("Who")
        WHY = "why", _("Why")
        HOW = "how", _("How")
        HOW_MUCH = "how_much", _("How much")

    class Purpose(models.TextChoices):
        PR = "pr", _("Public relations")
        INTERNAL = "internal", _("Internal communication")
        TRAINING = "training", _("Training")

    revision = models.ForeignKey(
        RequirementsRevision, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="items"
    )
    key = models.CharField(_("item"), max_length=10, choices=Key.choices)
    text = models.TextField(_("what the client said"), blank=True)
    # where: alternative venue needed? who: VIP protection? how: custom segments? how much: budget flexible?
    flag = models.BooleanField(_("yes/no answer"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, blank=True)
    completion = models.DecimalField(
        _("completion"), max_digits=3, decimal_places=2, default=0, validators=ZERO_TO_ONE
    )
    unclear = models.BooleanField(_("unclear"), default=False)

    class Meta:
        verbose_name = _("5W2H item")
        verbose_name_plural = _("5W2H items")
        constraints = [models.UniqueConstraint(fields=["revision", "key"], name="unique_item_per_revision")]

    def __str__(self):
        return self.get_key_display()

    @property
    def is_recorded(self) -> bool:
        return bool(self.text.strip())


class Discrepancy(AuthoredModel):
    """A difference between the confirmed list and what the client needed, found later (REQ-INT-07)."""

    revision = models.ForeignKey(
        RequirementsRevision,
        verbose_name=_("confirmed revision"),
        on_delete=models.CASCADE,
        related_name="discrepancies",
    )
    item = models.CharField(_("item"), max_length=40)
    description = models.TextField(_("description"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("found by"), on_delete=models.PROTECT, related_name="+"
    )
    found_at = models.DateTimeField(_("found at"))

    class Meta:
        verbose_name = _("requirements discrepancy")
        verbose_name_plural = _("requirements discrepancies")
        ordering = ["-found_at"]

    def __str__(self):
        return f"{self.revision} · {self.item}"


class ClientComment(models.Model):
    """What the client wrote through the confirmation link instead of confirming (REQ-INT-07)."""

    revision = models.ForeignKey(
        RequirementsRevision, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=100)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    address = models.CharField(_("from address"), max_length=64, blank=True)
    link = models.ForeignKey(
        "core.AccessLink", verbose_name=_("link"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("client comment")
        verbose_name_plural = _("client comments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.revision} · {self.name}"
