"""What an administrator keeps about time: corrected days, confirmed years, support hours.

* ``CalendarDay`` — one date declared a holiday (休) or a working day (班), overriding the packages. Next
  year's schedule is announced every November; it is entered here (or imported) before the packages know it.
* ``LoadedYear`` — marks a year's official schedule as complete, so deadlines in it are *confirmed*.
* ``BusinessHours`` — the organisation's support hours (REQ-TEC-01); a single row.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel, TimeStampedModel
from huiyi.core.translation import TranslatedField, localize

from .clocks import HoursSpec
from .schedule import Override


class CalendarDay(AuthoredModel):
    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: a working day (班). Not ticked: a holiday (休).")
    )
    name = TranslatedField(_("name"), help_text=_("For example 春节 / Spring Festival."))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where the entry came from.")
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        kind = _("working day") if self.is_working_day else _("holiday")
        return f"{self.date.isoformat()} {kind} {localize(self.name)}".strip()

    def to_override(self) -> Override:
        return Override(is_working=self.is_working_day, name=localize(self.name), note=self.note)


class LoadedYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where the schedule came from.")
    )
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("loaded year")
        verbose_name_plural = _("loaded years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


def _default_hours() -> dict:
    return HoursSpec.default().to_mapping()


class BusinessHours(TimeStampedModel):
    """The organisation's opening windows: ``{"0": [["09:00", "18:00"]], …, "adjusted": [...]}``.

    Keys "0"–"6" are Monday–Sunday; "adjusted" is the window on adjusted working days (调休). There is one
    row (primary key 1); without it the REQ-TEC-01 default applies.
    """

    windows = models.JSONField(_("opening windows"), default=_default_hours)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("business hours")
        verbose_name_plural = _("business hours")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="business_hours_single_row")]

    def __str__(self):
        return str(_("Business hours"))

    def save(self, *args, **kwargs):
        self.pk = 1
        if self._state.adding and self.created_at is None:
            # saving a fresh instance over the existing row: keep when the row was first made
            first = BusinessHours.objects.filter(pk=1).values_list("created_at", flat=True).first()
            self.created_at = first or timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        try:
            self.spec()
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValidationError({"windows": str(exc)}) from exc

    def spec(self) -> HoursSpec:
        return HoursSpec.from_mapping(self.windows)
