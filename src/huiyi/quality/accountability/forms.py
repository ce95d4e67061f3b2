from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import OrgUnit, Role, User
from huiyi.core.translation import localize
from huiyi.projects.queries import visible_projects

from .models import Violation


def _style(form):
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.get_full_name() or obj.username


class ReportForm(forms.Form):
    title = forms.CharField(label=_("What happened"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    occurred_at = forms.DateTimeField(
        label=_("Occurred at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    project = forms.ModelChoiceField(label=_("Meeting project"), queryset=None, required=False)
    org_unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        help_text=_("Taken from the meeting project when left empty."),
    )
    rule_id = forms.CharField(
        label=_("Criterion breached"),
        required=False,
        max_length=120,
        help_text=_("The rulebook's rule ID, e.g. ons.agenda.segment_deviation."),
    )
    clause = forms.CharField(label=_("Clause breached"), required=False, max_length=60)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = visible_projects(user).order_by("-start")
        self.fields["project"].label_from_instance = lambda p: f"{p.code} {p}"
        _style(self)


class InvestigateForm(forms.Form):
    investigator = PersonChoice(label=_("Investigator"), queryset=User.objects.filter(is_active=True))


class DetermineForm(forms.Form):
    findings = forms.CharField(label=_("Investigation findings"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_person = PersonChoice(
        label=_("Person responsible"), queryset=User.objects.filter(is_active=True)
    )
    responsible_role = forms.ChoiceField(label=_("Role held"))
    note = forms.CharField(
        label=_("Responsibility"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_role"].choices = [("", "—")] + [
            (r.key, localize(r.name) or r.key) for r in Role.objects.order_by("key")
        ]


class SanctionForm(forms.Form):
    sanction = forms.ChoiceField(label=_("Sanction"), choices=Violation.Sanction.choices)
    detail = forms.CharField(
        label=_("Sanction detail"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppealForm(forms.Form):
    text = forms.CharField(label=_("Grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideAppealForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Appeal decision"), choices=Violation.AppealOutcome.choices)
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    performance_review_ref = forms.CharField(
        label=_("Performance review reference"),
        required=False,
        max_length=100,
        help_text=_("Optional: the performance review this case feeds."),
    )


class NonconformanceForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=[("minor", _("Minor")), ("major", _("Major"))])


STEP_FORMS = {
    "investigate": (InvestigateForm, "accountability.investigate"),
    "determine": (DetermineForm, "accountability.investigate"),
    "sanction": (SanctionForm, "accountability.sanction"),
    "appeal": (AppealForm, "accountability.appeal"),
    "decide-appeal": (DecideAppealForm, "accountability.sanction"),
    "close": (CloseForm, "accountability.sanction"),
    "nonconformance": (NonconformanceForm, "accountability.investigate"),
}


def styled(form):
    _style(form)
    return form
