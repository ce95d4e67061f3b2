"""Forms of the live agenda pages; they collect input, the services validate and save it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.accounts.models import User
from huiyi.resources.models import Room

from .models import SCORE_MAX, AgendaItem, CoverageItem, ProgressReport, SatisfactionEntry

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class AgendaItemForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItem.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    speaker = forms.CharField(label=pgettext_lazy("live agenda", "Speaker"), max_length=200, required=False)
    planned_start = forms.DateTimeField(label=_("Planned start"), widget=DATETIME)
    planned_end = forms.DateTimeField(label=_("Planned end"), widget=DATETIME)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    room_text = forms.CharField(
        label=_("Room (free text)"),
        max_length=200,
        required=False,
        help_text=_("When the room is not in the venue register."),
    )
    reason = forms.CharField(
        label=_("Reason for changing the planned times"),
        max_length=300,
        required=False,
        help_text=_("Required once the item has started: its planned times are frozen."),
    )

    def __init__(self, *args, started: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(is_active=True).select_related("venue")
        if not started:
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("The planned end must be after the planned start."))
        return data


class CorrectTimesForm(StyledForm):
    actual_start = forms.DateTimeField(label=_("Actual start"), widget=DATETIME, required=False)
    actual_end = forms.DateTimeField(label=_("Actual end"), widget=DATETIME, required=False)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


class ProgressReportForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ProgressReport.Status.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    issues = forms.CharField(label=_("Issues"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    solutions = forms.CharField(
        label=_("Solutions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(label=_("Owner of the solution"), max_length=100, required=False)
    resolved_at = forms.DateTimeField(label=_("Resolved at"), widget=DATETIME, required=False)
    client_feedback = forms.CharField(
        label=_("Client feedback"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    satisfaction = forms.DecimalField(
        label=_("Running satisfaction (0–100)"),
        required=False,
        min_value=0,
        max_value=SCORE_MAX,
        max_digits=5,
        decimal_places=2,
    )


class CoverageTickForm(StyledForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    link = forms.URLField(
        label=_("Link to the photos or video"), max_length=500, required=False, assume_scheme="https"
    )


class CoverageItemForm(StyledForm):
    kind = forms.ChoiceField(label=_("Moment"), choices=CoverageItem.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    required = forms.BooleanField(
        label=pgettext_lazy("live agenda", "Required"), required=False, initial=True
    )


class SatisfactionForm(StyledForm):
    score = forms.DecimalField(
        label=_("Score (0–100)"), min_value=0, max_value=SCORE_MAX, max_digits=5, decimal_places=2
    )
    respondent = forms.ChoiceField(label=_("Respondent"), choices=SatisfactionEntry.Respondent.choices)
    respondent_name = forms.CharField(label=_("Name (optional)"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MinutesOwnerForm(StyledForm):
    minutes_owner = forms.ModelChoiceField(
        label=_("Minutes owner (team member)"), queryset=User.objects.none(), required=False
    )
    minutes_owner_name = forms.CharField(
        label=_("…or someone outside the team"),
        max_length=100,
        required=False,
        help_text=_("For example the client's secretary."),
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes_owner"].queryset = team
