from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import OrgUnit, User
from huiyi.core.translation import localize
from huiyi.projects.queries import visible_projects
from huiyi.rulebook.queries import CHAPTERS

from .models import AuditItem


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.get_full_name() or obj.username


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.get_full_name() or obj.username


class AuditPlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    objective = forms.CharField(
        label=_("Objective"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_date = forms.DateField(label=_("Planned date"), widget=forms.DateInput(attrs={"type": "date"}))
    scope_chapters = forms.MultipleChoiceField(
        label=_("Chapters in scope"), required=False, widget=forms.CheckboxSelectMultiple
    )
    scope_requirements = forms.CharField(
        label=_("Requirements in scope"),
        required=False,
        help_text=_("Requirement IDs separated by spaces or commas, e.g. REQ-ONS-03 REQ-DOC-05."),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Meeting projects audited"), queryset=None, required=False
    )
    org_units = forms.ModelMultipleChoiceField(
        label=_("Units audited"), queryset=OrgUnit.objects.filter(is_active=True), required=False
    )
    lead_auditor = PersonChoice(label=_("Lead auditor"), queryset=User.objects.filter(is_active=True))
    auditors = PeopleChoice(label=_("Auditors"), queryset=User.objects.filter(is_active=True), required=False)
    auditees = PeopleChoice(label=_("Auditees"), queryset=User.objects.filter(is_active=True), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_chapters"].choices = [
            (code, f"{code} · {localize(name)}") for code, (name, _clause) in CHAPTERS.items()
        ]
        self.fields["projects"].queryset = visible_projects(user).order_by("-start")
        self.fields["projects"].label_from_instance = lambda p: (
            f"{p.code} {localize({'zh-hans': p.name, 'en': p.name_en})}"
        )
        self.fields["org_units"].label_from_instance = lambda u: str(u)
        for name in ("projects", "org_units", "auditors", "auditees"):
            self.fields[name].widget.attrs["size"] = 5
        _style(self)

    def clean_scope_requirements(self):
        raw = self.cleaned_data.get("scope_requirements") or ""
        return [part for part in raw.replace(",", " ").replace("，", " ").split() if part]


class AssessForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=AuditItem.Result.choices)
    evidence = forms.CharField(
        label=_("Evidence seen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", "—"), ("minor", _("Minor")), ("major", _("Major"))]
    )
    project = forms.ModelChoiceField(label=_("Meeting project"), queryset=None, required=False)

    def __init__(self, *args, audit=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = audit.projects.all() if audit is not None and audit.projects.exists() else None
        if projects is None:
            projects = visible_projects(user)
            if audit is not None and audit.org_units.exists():
                paths = [u.path for u in audit.org_units.all()]
                from django.db.models import Q

                condition = Q()
                for path in paths:
                    condition |= Q(org_unit__path__startswith=path)
                projects = projects.filter(condition)
        self.fields["project"].queryset = projects.order_by("-start")
        self.fields["project"].label_from_instance = lambda p: p.code
        _style(self)
        for field in self.fields.values():
            field.widget.attrs["class"] = field.widget.attrs["class"] + " form-control-sm"


class CompleteForm(forms.Form):
    summary = forms.CharField(label=_("Audit conclusion"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Follow-up verification"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
