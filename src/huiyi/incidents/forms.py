"""Forms of the incident pages: input only — the services validate the business rules and save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Drill, IncidentType, InformationRelease, Level


class ReportForm(forms.Form):
    """One short form a phone fills in under 30 seconds: type buttons, place prefilled, time = now."""

    type = forms.ChoiceField(
        label=_("What happened?"), choices=IncidentType.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(label=_("Where?"), max_length=200)
    occurred_at = forms.DateTimeField(
        label=_("When?"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    impact = forms.CharField(
        label=_("Initial impact"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    injuries = forms.BooleanField(label=_("People injured"), required=False)
    attendees_affected = forms.BooleanField(label=_("Attendees affected"), required=False)
    meeting_interrupted = forms.BooleanField(label=_("Meeting interrupted"), required=False)
    equipment = forms.ModelChoiceField(label=_("Device"), queryset=None, required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, equipment=None, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        from huiyi.resources.models import Equipment

        self.fields["equipment"].queryset = equipment if equipment is not None else Equipment.objects.none()
        self.fields["equipment"].widget.attrs.update({"class": "form-select"})
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "capture": "environment"})
        self.fields["place"].widget.attrs.update({"list": "place-options", "autocomplete": "off"})
        self.places = list(places)
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
            if self.places:
                self.initial.setdefault("place", self.places[0])


class LevelForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=1000)


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("What was done or said"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("action", _("Action")), ("message", _("Message"))], initial="action"
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How was it resolved?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    lessons = forms.CharField(
        label=_("Lessons learned"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReleaseForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=InformationRelease.Channel.choices)
    facts = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(
        label=_("Measures taken"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    progress = forms.CharField(
        label=_("Progress of the meeting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("Notes for attendees"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DrillForm(forms.Form):
    scenario_type = forms.ChoiceField(label=_("Scenario"), choices=IncidentType.choices)
    scheduled_at = forms.DateTimeField(
        label=_("Date"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    scenario = forms.CharField(
        label=_("Scenario description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resources = forms.CharField(
        label=_("Resources used"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        from huiyi.accounts.models import User

        self.fields["participants"].queryset = members if members is not None else User.objects.none()


class EvaluateForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    steps_zh = forms.CharField(
        label=_("Steps in Chinese (one a line)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    steps_en = forms.CharField(
        label=_("Steps in English (one a line, same order)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def steps(self):
        zh = [line.strip() for line in self.cleaned_data.get("steps_zh", "").splitlines() if line.strip()]
        en = [line.strip() for line in self.cleaned_data.get("steps_en", "").splitlines() if line.strip()]
        if not zh and not en:
            return None
        length = max(len(zh), len(en))
        zh += [""] * (length - len(zh))
        en += [""] * (length - len(en))
        return [{"zh-hans": a, "en": b} for a, b in zip(zh, en, strict=True)]


DRILL_STATUSES = Drill.Status
