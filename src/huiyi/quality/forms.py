"""Forms of the quality pages. They only collect input; the services validate and act."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import User
from huiyi.rulebook.loader import Rule
from huiyi.rulebook.schema import UNITS

from .display import lang_key, number_for_input
from .models import CorrectiveAction, Nonconformance, Severity
from .services import BUDGET_METRIC


def unit_hint(unit: str) -> str:
    if unit == "ratio":
        return "%"
    entry = UNITS.get(unit)
    if not entry or unit in ("boolean", "count"):
        return ""
    return entry[lang_key()]


class MeasurementForm(forms.Form):
    """A manual measurement of one criterion: a value (a percentage for ratios) or yes/no, and a note."""

    value = forms.DecimalField(label=_("Measured value"), required=True, max_digits=20, decimal_places=6)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.TextInput())

    def __init__(self, *args, rule: Rule, **kwargs):
        self.rule = rule
        kwargs.setdefault("prefix", f"m-{rule.id}")
        super().__init__(*args, **kwargs)
        if rule.unit == "boolean":
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Met?"),
                choices=[("1", _("Yes, met")), ("0", _("No, not met"))],
                coerce=int,
                widget=forms.RadioSelect,
            )
        else:
            self.fields["value"].help_text = unit_hint(rule.unit)
        for name in self.fields:
            self.fields[name].widget.attrs.setdefault("class", "form-control form-control-sm")
        if rule.unit == "boolean":
            self.fields["value"].widget.attrs["class"] = "form-check-input"


class BudgetForm(forms.Form):
    """REQ-PLN-03: the plan's cost and the client's budget; the deviation is computed from them."""

    planned = forms.DecimalField(label=_("Planned cost (yuan)"), max_digits=16, decimal_places=2)
    budget = forms.DecimalField(label=_("Client budget (yuan)"), max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, rule: Rule, **kwargs):
        self.rule = rule
        kwargs.setdefault("prefix", f"m-{rule.id}")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


def measurement_form(rule: Rule, data=None):
    form_class = BudgetForm if rule.metric == BUDGET_METRIC else MeasurementForm
    return form_class(data, rule=rule)


def _control(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-control")
    return form


class RootCauseForm(forms.Form):
    root_cause = forms.CharField(
        label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CorrectiveAction.Kind.choices, initial="corrective")
    description = forms.CharField(
        label=_("Action to take"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["owner"].queryset = User.objects.filter(
                project_memberships__project=project
            ).distinct()
        _control(self)


class CompleteActionForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class VerifyForm(forms.Form):
    verification_note = forms.CharField(
        label=_("How the effect was verified"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class NonconformanceFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("live", _("Not closed")), *Nonconformance.Status.choices],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("All")), *Severity.choices]
    )
    project = forms.ChoiceField(label=_("Meeting project"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [
            ("", _("All")),
            *((str(p.pk), f"{p.code} {p.display_name}") for p in projects),
        ]
        _control(self)
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"


def initial_value(rule: Rule, value) -> str:
    return number_for_input(value, rule.unit)
