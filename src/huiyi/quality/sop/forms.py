from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import OrgUnit, User
from huiyi.feedback.improvement.models import ImprovementAction
from huiyi.projects.queries import visible_projects

from .models import OptimisationMeeting


def _style(form):
    for field in form.fields.values():
        css = (
            "form-select" if isinstance(field.widget, forms.Select | forms.SelectMultiple) else "form-control"
        )
        field.widget.attrs.setdefault("class", css)


def _ids(raw: str) -> list[str]:
    return [part for part in (raw or "").replace(",", " ").replace("，", " ").split() if part]


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.get_full_name() or obj.username


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.get_full_name() or obj.username


class ActionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.project.code} #{obj.number} {obj.problem[:60]}"


def _actions(user):
    return (
        ImprovementAction.objects.filter(project__in=visible_projects(user).values("pk"))
        .select_related("project")
        .order_by("-created_at")
    )


class ProcedureForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    requirements = forms.CharField(
        label=_("Requirements"), required=False, help_text=_("e.g. REQ-ONS-03 REQ-DOC-05")
    )
    rule_ids = forms.CharField(
        label=_("Criteria"), required=False, help_text=_("Rule IDs of the rulebook, separated by spaces.")
    )
    owner_unit = forms.ModelChoiceField(
        label=_("Owning unit"), queryset=OrgUnit.objects.filter(is_active=True), required=False
    )
    owner = PersonChoice(label=_("Owner"), queryset=User.objects.filter(is_active=True), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_requirements(self):
        return _ids(self.cleaned_data.get("requirements"))

    def clean_rule_ids(self):
        return _ids(self.cleaned_data.get("rule_ids"))


class VersionForm(forms.Form):
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(label=_("File"), required=False)
    change_note = forms.CharField(label=_("Change note"), widget=forms.Textarea(attrs={"rows": 2}))
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    approved_by = PersonChoice(label=_("Approved by"), queryset=User.objects.filter(is_active=True))
    meeting = forms.ModelChoiceField(
        label=_("Decided at meeting"), queryset=OptimisationMeeting.objects.all(), required=False
    )
    improvement_actions = ActionChoice(
        label=_("Improvement actions that led to the change"), queryset=None, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["improvement_actions"].queryset = _actions(user)
        _style(self)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    attendees = PeopleChoice(
        label=_("Attendees"), queryset=User.objects.filter(is_active=True), required=False
    )
    other_attendees = forms.CharField(label=_("Other attendees"), max_length=500, required=False)
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    improvement_actions = ActionChoice(label=_("Improvement actions reviewed"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["improvement_actions"].queryset = _actions(user)
        _style(self)
