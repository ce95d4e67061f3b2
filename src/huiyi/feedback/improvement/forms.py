"""Forms of the improvement pages; they collect input, the services validate and save it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import User
from huiyi.quality.models import Nonconformance

from .models import AnalysisIssue, Category, ImprovementAction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def _text(label, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 2}), **kwargs)


class IssueForm(StyledForm):
    source = forms.ChoiceField(label=_("Source"), choices=AnalysisIssue.Source.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    description = _text(_("Description"), max_length=4000)


class LineForm(StyledForm):
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Category.choices)
    strength = _text(_("Strength"), required=False, max_length=2000)
    weakness = _text(_("Weakness"), required=False, max_length=2000)
    cause = _text(_("Cause"), required=False, max_length=2000)


class CompleteForm(StyledForm):
    summary = _text(_("Summary"), required=False, max_length=4000)


def people_of(project, *also):
    ids = set(project.members.values_list("user_id", flat=True)) | {u.pk for u in also if u is not None}
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "username")


class ActionForm(StyledForm):
    problem = _text(_("Problem"), max_length=4000)
    action = _text(_("Action"), max_length=4000)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    expected_effect = _text(_("Expected effect"), max_length=4000)
    nonconformances = forms.ModelMultipleChoiceField(
        label=_("Nonconformances addressed"),
        queryset=Nonconformance.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("Issues addressed"),
        queryset=AnalysisIssue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    procedure_changed = forms.CharField(
        label=_("Procedure changed"),
        max_length=500,
        required=False,
        help_text=_("The SOP or procedure this action changes: its name, number or link."),
    )

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(project, user)
        self.fields["nonconformances"].queryset = Nonconformance.objects.filter(project=project)
        self.fields["nonconformances"].label_from_instance = lambda nc: f"{nc.code} {nc.description_text}"
        self.fields["issues"].queryset = AnalysisIssue.objects.filter(analysis__project=project)
        self.fields["issues"].label_from_instance = lambda issue: issue.description[:120]
        if not self.fields["nonconformances"].queryset.exists():
            del self.fields["nonconformances"]
        if not self.fields["issues"].queryset.exists():
            del self.fields["issues"]


class DoneForm(StyledForm):
    result = _text(_("What was done"), max_length=4000)


class EvaluateForm(StyledForm):
    effect = forms.ChoiceField(label=_("Effect"), choices=ImprovementAction.Effect.choices)
    effect_note = _text(_("How the effect was evaluated"), max_length=4000)


class ActionFilterForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Organisation unit"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses"))] + ImprovementAction.Status.choices,
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("All units")


class QuarterForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Organisation unit"), queryset=None, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("All units")


class ReportForm(StyledForm):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.filter(is_active=True))
    content = forms.CharField(
        label=_("Content"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was improved this quarter, what is still open and what comes next."),
    )
