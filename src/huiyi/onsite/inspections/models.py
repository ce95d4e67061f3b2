"""On-site inspections of the meeting day (§2.6, CCP 6): readings in the rooms, set-up and tear-down times,
and the staff roll-call.

Readings and set-up/tear-down records are insert-only: a wrong one is superseded by a correction (a new
record pointing at the one it corrects, with a reason), so the trail of what was measured stays complete.
Each record keeps the rule it was judged by (id, operator, threshold, unit, name) as it was at entry.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel
from huiyi.projects.models import MeetingProject

VALUE = {"max_digits": 14, "decimal_places": 4}


class InsertOnly(models.Model):
    """A record that is never changed once saved (a correction is a new record)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A saved record cannot be changed; record a correction instead."))
        super().save(*args, **kwargs)


class JudgedRecord(InsertOnly):
    """The rule a record was judged by, as it was when the record was made, and the verdict."""

    rule_id = models.CharField(_("criterion"), max_length=120)
    metric = models.CharField(_("metric"), max_length=80)
    unit = models.CharField(_("unit"), max_length=30)
    op = models.CharField(_("operator"), max_length=10)
    threshold = models.JSONField(_("threshold"))
    rule_name = models.JSONField(_("criterion name"))
    value = models.DecimalField(_("value"), **VALUE)
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    #: Why this record replaces the one it corrects (required for a correction).
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    nonconformance = models.ForeignKey(
        "quality.Nonconformance",
        verbose_name=_("nonconformance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class InspectionRound(AuthoredModel):
    """One walk through a room checking equipment and environment against the rulebook (REQ-ONS-03/04)."""

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="inspection_rounds",
    )
    room = models.ForeignKey(
        "resources.Room",
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: The room as written on site when it is not a room of the register (or the register room's name).
    room_name = models.CharField(_("room"), max_length=200, blank=True)
    is_main_hall = models.BooleanField(_("main hall"), default=True)
    held_at = models.DateTimeField(_("time"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["project", "held_at"])]

    def __str__(self):
        return f"{self.room_label} · {self.held_at:%Y-%m-%d %H:%M}"

    @property
    def room_label(self) -> str:
        if self.room_id:
            return self.room_name or self.room.name
        return self.room_name

    @property
    def room_key(self) -> str:
        """Rounds in the same room share this key (register room, else the written name)."""
        return room_key(self.room_id, self.room_name)

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


def room_key(room_id, room_name: str) -> str:
    if room_id:
        return f"room:{room_id}"
    return "name:" + " ".join((room_name or "").split()).casefold() if room_name else ""


class Reading(JudgedRecord):
    """One reading of one rulebook item in a round, judged on entry (REQ-ONS-03, REQ-ONS-04)."""

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("inspection round"), on_delete=models.CASCADE, related_name="readings"
    )
    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="+"
    )
    equipment = models.ForeignKey(
        "resources.Equipment",
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measured_at = models.DateTimeField(_("measured at"))
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )

    class Meta:
        verbose_name = _("inspection reading")
        verbose_name_plural = _("inspection readings")
        ordering = ["measured_at", "pk"]
        indexes = [models.Index(fields=["project", "metric"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "rule_id"],
                condition=Q(corrects__isnull=True),
                name="inspection_one_first_reading_per_item",
            )
        ]

    def __str__(self):
        return f"{self.rule_id} = {self.value} · {self.measured_at:%Y-%m-%d %H:%M}"


class SiteMilestone(JudgedRecord):
    """Set-up complete (REQ-ONS-01), equipment recovered, venue restored (REQ-ONS-07): a time, judged."""

    class Milestone(models.TextChoices):
        SETUP_DONE = "setup_done", _("Set-up complete")
        EQUIPMENT_RECOVERED = "equipment_recovered", _("Equipment recovered and counted")
        VENUE_RESTORED = "venue_restored", _("Venue restored")

    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="site_milestones",
    )
    milestone = models.CharField(_("milestone"), max_length=30, choices=Milestone.choices)
    room = models.ForeignKey(
        "resources.Room",
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    room_name = models.CharField(_("room"), max_length=200, blank=True)
    #: "" for the whole project, else the room key (one live record per milestone and scope).
    scope = models.CharField(max_length=220, blank=True)
    at = models.DateTimeField(_("time"))
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )

    class Meta:
        verbose_name = _("set-up / tear-down record")
        verbose_name_plural = _("set-up / tear-down records")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "milestone", "scope"],
                condition=Q(corrects__isnull=True),
                name="inspection_one_first_milestone_per_scope",
            )
        ]

    def __str__(self):
        return f"{self.get_milestone_display()} · {self.at:%Y-%m-%d %H:%M}"

    @property
    def room_label(self) -> str:
        if self.room_id:
            return self.room_name or self.room.name
        return self.room_name


class RollCall(models.Model):
    """A staff member in place on the meeting day (REQ-PPL-04): one per person and project."""

    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="roll_calls"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    #: The person's roles in the meeting when they checked in (team roles and on-site bookings).
    roles = models.JSONField(_("roles"), default=list)
    checked_in_at = models.DateTimeField(_("in place at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    nonconformance = models.ForeignKey(
        "quality.Nonconformance",
        verbose_name=_("nonconformance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("roll-call entry")
        verbose_name_plural = _("roll-call entries")
        ordering = ["checked_in_at", "pk"]
        permissions = [("check_in_staff", _("Can check other staff in at the roll-call"))]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="inspection_roll_call_once")]

    def __str__(self):
        return f"{self.user} · {self.checked_in_at:%Y-%m-%d %H:%M}"
