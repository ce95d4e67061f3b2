"""Forms of the inspection pages. They only collect input: the services validate, judge and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import items as sheet
from . import queries
from .models import SiteMilestone

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
YES_NO = [("1", _("Yes")), ("0", _("No"))]


class Styled:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class ReadingsMixin:
    """One input per item of the sheet (numeric, or yes/no for checklist items) and a device per section."""

    def _add_items(self, project, item_list: list[sheet.Item]):
        self.items = item_list
        self.aliases = {item.id: item.field_name for item in item_list}
        for item in item_list:
            if item.is_checklist:
                field = forms.ChoiceField(
                    label=item.name, choices=YES_NO, required=False, widget=forms.RadioSelect
                )
            else:
                field = forms.CharField(label=item.name, required=False, max_length=30)
                field.widget.attrs.update(
                    {"inputmode": "decimal", "autocomplete": "off", "class": "form-control reading-input"}
                )
            field.item = item
            self.fields[item.field_name] = field
        self.device_fields = {}
        for section, _members in sheet.grouped(item_list):
            if not section.categories:
                continue
            devices = queries.devices_for(project, section.categories)
            if not devices:
                continue
            name = f"device_{section.key}"
            self.fields[name] = forms.ChoiceField(
                label=_("Device"),
                required=False,
                choices=[("", _("— not named —"))]
                + [(str(d.pk), f"{d}{' ★' if d.is_booked else ''}") for d in devices],
            )
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
            self.device_fields[section.key] = name

    def readings(self) -> list[dict]:
        """The readings given (blank items are simply not checked yet)."""
        given = []
        for item in self.items:
            raw = self.cleaned_data.get(item.field_name)
            if raw in (None, ""):
                continue
            device = self.cleaned_data.get(self.device_fields.get(item.section.key, ""), "")
            given.append({"rule": item.id, "value": raw, "equipment": device or None})
        return given

    def sections(self):
        """(section, device field, [bound fields]) for the template."""
        found = []
        for section, members in sheet.grouped(self.items):
            device = self.device_fields.get(section.key)
            found.append(
                (
                    section,
                    self[device] if device else None,
                    [(item, self[item.field_name]) for item in members],
                )
            )
        return found


class RoundForm(ReadingsMixin, Styled, forms.Form):
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=None, required=False, empty_label=_("— other room —")
    )
    room_name = forms.CharField(
        label=_("Room name"),
        required=False,
        max_length=200,
        help_text=_("When the room is not in the list (e.g. a client's board room)."),
    )
    is_main_hall = forms.BooleanField(label=_("Main hall"), required=False, initial=True)
    held_at = forms.DateTimeField(label=_("Time"), required=False, widget=DATETIME)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    complete = forms.BooleanField(label=_("Round complete"), required=False)

    def __init__(self, *args, project, rulebook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = queries.booked_rooms(project)
        self._style()
        self.fields["is_main_hall"].widget.attrs["class"] = "form-check-input"
        self.fields["complete"].widget.attrs["class"] = "form-check-input"
        self._add_items(project, sheet.all_items(rulebook))


class AddReadingsForm(ReadingsMixin, forms.Form):
    def __init__(self, *args, project, item_list, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_items(project, item_list)


class CorrectionForm(Styled, forms.Form):
    value = forms.CharField(label=_("Corrected reading"), max_length=30)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    measured_at = forms.DateTimeField(
        label=_("Measured at"), required=False, widget=DATETIME, help_text=_("Leave empty for now.")
    )

    def __init__(self, *args, item: sheet.Item, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        if item.is_checklist:
            self.fields["value"] = forms.ChoiceField(
                label=_("Corrected reading"), choices=YES_NO, widget=forms.RadioSelect
            )
        else:
            self.fields["value"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})


class MilestoneForm(Styled, forms.Form):
    milestone = forms.ChoiceField(label=_("What is done"), choices=SiteMilestone.Milestone.choices)
    at = forms.DateTimeField(
        label=_("Time"), required=False, widget=DATETIME, help_text=_("Leave empty for now.")
    )
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=None, required=False, empty_label=_("— the whole meeting —")
    )
    room_name = forms.CharField(label=_("or room name"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    reason = forms.CharField(
        label=_("Reason for a correction"),
        required=False,
        max_length=300,
        help_text=_("Only when you correct a time recorded before."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = queries.booked_rooms(project)
        self._style()


class CheckInForm(Styled, forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    at = forms.DateTimeField(label=_("In place at"), required=False, widget=DATETIME)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
