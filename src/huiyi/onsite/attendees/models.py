"""Attendees of a meeting and their tickets (REQ-ONS-02)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.models import AuthoredModel
from huiyi.projects.models import MeetingProject


class Category(models.TextChoices):
    VIP = "vip", _("VIP")
    SPEAKER = "speaker", _("Speaker")
    GUEST = "guest", _("Guest")
    STAFF = "staff", pgettext_lazy("attendee", "Staff")
    PRESS = "press", _("Press")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class Attendee(AuthoredModel):
    """One person expected at a meeting. Phone and e-mail are personal data (masked in lists)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Registered")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="attendees"
    )
    #: The stable key an import matches on, so that importing the same file again updates instead of adding.
    external_key = models.CharField(_("import key"), max_length=120)
    name = models.CharField(pgettext_lazy("attendee", "name"), max_length=120)
    organisation = models.CharField(pgettext_lazy("attendee", "organisation"), max_length=200, blank=True)
    title = models.CharField(pgettext_lazy("attendee", "title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    category = models.CharField(
        _("category"), max_length=10, choices=Category.choices, default=Category.GUEST
    )
    seat = models.CharField(_("seat"), max_length=40, blank=True)
    dietary = models.CharField(_("dietary needs"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["project", "name", "pk"]
        permissions = [("view_attendee_contact", _("Can see attendees' phone numbers and e-mail addresses"))]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_key"], name="attendee_key_per_project")
        ]
        indexes = [models.Index(fields=["project", "category"]), models.Index(fields=["project", "status"])]

    def __str__(self):
        return self.name

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


def new_ticket_code() -> str:
    """128 random bits, URL- and QR-safe (22 characters)."""
    return secrets.token_urlsafe(16)


class Ticket(models.Model):
    """The admission of one attendee. `code` is what the QR carries; `project` is copied for the scanner."""

    attendee = models.OneToOneField(
        Attendee, verbose_name=_("attendee"), on_delete=models.CASCADE, related_name="ticket"
    )
    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="tickets"
    )
    code = models.CharField(_("ticket code"), max_length=64, unique=True, default=new_ticket_code)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        permissions = [("scan_ticket", _("Can scan tickets and check attendees in"))]

    def __str__(self):
        return f"{self.attendee} · {self.code[:6]}…"
