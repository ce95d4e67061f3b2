"""Emergency preparedness of a meeting (§2.8, §9): emergency resources, contacts, the risk register, and the
organisation's support desk (REQ-INC-07/08/10, REQ-ONS-09, REQ-TEC-01, REQ-PLN-04)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AuthoredModel, TimeStampedModel


class EmergencyResource(AuthoredModel):
    """One line of a meeting's emergency-resource checklist (REQ-INC-08, §2.8(7)).

    ``resource`` is the key of a rulebook item (``applies_to.resource`` of the rules of
    ``emergency_resource_present``); an item the team adds beyond the rulebook has no key and its own name.
    A line is *checked* when someone confirmed the quantity in place and where it is.
    """

    project = models.ForeignKey(
        "projects.MeetingProject",
        on_delete=models.CASCADE,
        related_name="emergency_resources",
        verbose_name=_("project"),
    )
    resource = models.CharField(_("resource"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: When the line was first complete: readiness "before the meeting starts" is judged on it.
    first_checked_at = models.DateTimeField(_("first checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("emergency resource")
        verbose_name_plural = _("emergency resources")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "resource"], condition=~Q(resource=""), name="emergency_resource_once"
            )
        ]

    def __str__(self):
        return self.name or self.resource

    @property
    def is_checked(self) -> bool:
        return self.checked_at is not None and bool(self.quantity)


class EmergencyContact(AuthoredModel):
    """A person or service to call in an emergency (REQ-ONS-09): posted on the venue wall, sent to staff."""

    project = models.ForeignKey(
        "projects.MeetingProject",
        on_delete=models.CASCADE,
        related_name="emergency_contacts",
        verbose_name=_("project"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")
        ordering = ["project", "position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.role})"

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link: digits and a leading +."""
        digits = "".join(c for c in self.phone if c.isdigit())
        return f"+{digits}" if self.phone.strip().startswith("+") else digits


class ContactSheet(models.Model):
    """Whether a project's emergency contacts are posted at the venue and sent to every staff member."""

    project = models.OneToOneField(
        "projects.MeetingProject",
        on_delete=models.CASCADE,
        related_name="contact_sheet",
        verbose_name=_("project"),
    )
    changed_at = models.DateTimeField(_("contacts changed at"), default=timezone.now)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_to = models.PositiveIntegerField(_("staff members sent to"), default=0)

    class Meta:
        verbose_name = _("contact sheet")
        verbose_name_plural = _("contact sheets")

    def __str__(self):
        return str(self.project)

    @property
    def posted_current(self) -> bool:
        return self.posted_at is not None and self.posted_at >= self.changed_at

    @property
    def sent_current(self) -> bool:
        return self.sent_at is not None and self.sent_at >= self.changed_at


class Risk(AuthoredModel):
    """A row of the risk register (REQ-INC-10, §9; REQ-PLN-04): of a project, or organisation-wide."""

    class Type(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment failure")
        ATTENDANCE = "attendance", _("Attendees late or absent")
        WEATHER = "weather", _("Bad weather")
        HEALTH = "health", _("Health and medical")
        FIRE = "fire", _("Fire")
        SECURITY = "security", _("Security and crowds")
        SUPPLIER = "supplier", _("Supplier or venue")
        INFORMATION = "information", _("Information and public opinion")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("risk status", "open")
        CLOSED = "closed", pgettext_lazy("risk status", "closed")

    project = models.ForeignKey(
        "projects.MeetingProject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="register_risks",
        verbose_name=_("project"),
    )
    title = models.CharField(_("risk"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.OTHER)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), null=True, blank=True)
    impact = models.PositiveSmallIntegerField(_("impact"), null=True, blank=True)
    #: 1 (major) … 4 (low): the rulebook's risk levels (inc.risk_level.*), from likelihood × impact.
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True, db_index=True)
    prevention = models.TextField(_("prevention"), blank=True)
    trigger = models.TextField(_("trigger condition for the emergency plan"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_name = models.CharField(_("owner (as written)"), max_length=100, blank=True)
    review_date = models.DateField(_("next review"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    plan_item = models.OneToOneField(
        "planning.RiskItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_risk",
        verbose_name=_("from the plan's risk table"),
    )

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["level", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(likelihood__isnull=True) & Q(impact__isnull=True) & Q(level__isnull=True))
                | (Q(likelihood__isnull=False) & Q(impact__isnull=False) & Q(level__isnull=False)),
                name="risk_assessed_whole",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def assessed(self) -> bool:
        return self.level is not None

    def review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.review_date is not None and self.review_date < today


class SupportDesk(TimeStampedModel):
    """The organisation's technical-support hotline (REQ-TEC-01); one row. The hours are the calendar's
    support hours (huiyi.calendar BusinessHours, defaulting to the rulebook's ``tec.support_hours``)."""

    hotline = models.CharField(_("hotline"), max_length=30, blank=True)
    after_hours_phone = models.CharField(_("after-hours phone"), max_length=30, blank=True)
    email = models.EmailField(_("support e-mail"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("support desk")
        verbose_name_plural = _("support desk")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="support_desk_single_row")]

    def __str__(self):
        return str(_("Support desk"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
