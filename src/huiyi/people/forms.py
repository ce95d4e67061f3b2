"""Forms of people: they read input; the services judge it (errors shown through apply_service_errors)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.accounts.models import OrgUnit, Role
from huiyi.core.safe_urls import validate_link_or_reference

from . import measures, queries
from .models import RATING_MAX, RATING_MIN, MandarinLevel, Method

RATING_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]
DATE = {"type": "date"}


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        field.label = capfirst(field.label)
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def role_choices():
    return [(r.key, str(r)) for r in Role.objects.order_by("key")]


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or job title"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.filter(is_active=True), required=False, empty_label=_("All")
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    certificates = forms.ChoiceField(
        label=_("Certificates"),
        required=False,
        choices=[("", _("All")), ("expiring", _("Expiring soon")), ("expired", _("Expired"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All"))] + role_choices()
        _style(self)


class ProfileForm(forms.Form):
    job_title = forms.CharField(label=_("job title"), required=False, max_length=100)
    employee_number = forms.CharField(label=_("employee number"), required=False, max_length=30)
    hired_on = forms.DateField(label=_("joined on"), required=False, widget=forms.DateInput(attrs=DATE))
    phone = forms.CharField(label=_("phone"), required=False, max_length=30)
    mandarin_level = forms.ChoiceField(
        label=_("Mandarin level"), required=False, choices=MandarinLevel.choices
    )
    languages = forms.CharField(
        label=_("other languages"),
        required=False,
        max_length=200,
        help_text=_("For example: English (fluent), Japanese"),
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CertificationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("certification", "certificate"), max_length=150)
    issuer = forms.CharField(label=_("issued by"), max_length=150)
    number = forms.CharField(label=_("certificate number"), required=False, max_length=80)
    issued_on = forms.DateField(label=_("issued on"), required=False, widget=forms.DateInput(attrs=DATE))
    expires_on = forms.DateField(
        label=_("expires on"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Leave empty for a certificate that does not expire."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ModulePlanForm(forms.Form):
    content_zh = forms.CharField(label=_("content (Chinese)"), required=False, max_length=500)
    content_en = forms.CharField(label=_("content (English)"), required=False, max_length=500)
    methods = forms.MultipleChoiceField(
        label=_("methods"), choices=Method.choices, widget=forms.CheckboxSelectMultiple
    )
    outcome_zh = forms.CharField(label=_("expected outcome (Chinese)"), required=False, max_length=500)
    outcome_en = forms.CharField(label=_("expected outcome (English)"), required=False, max_length=500)
    target_roles = forms.MultipleChoiceField(
        label=_("target roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None selected: every staff member."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_roles"].choices = role_choices()
        _style(self)


class SessionForm(forms.Form):
    module = forms.ChoiceField(label=_("module"))
    title = forms.CharField(label=pgettext_lazy("training", "title"), required=False, max_length=200)
    held_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs=DATE))
    trainer = forms.CharField(label=_("trainer"), max_length=100)
    place = forms.CharField(label=_("place"), required=False, max_length=200)
    method = forms.ChoiceField(label=_("method"), choices=Method.choices)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [(m.key, m.name) for m in queries.modules()]
        self.fields["held_on"].initial = timezone.localdate()
        _style(self)


class AttendanceForm(forms.Form):
    """One row per candidate: attended? and the assessment score (0–100)."""

    def __init__(self, *args, people, session, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {a.user_id: a for a in session.attendances.all()}
        self.people = list(people)
        for person in self.people:
            row = existing.get(person.pk)
            self.fields[f"attended_{person.pk}"] = forms.BooleanField(
                label=str(person), required=False, initial=bool(row and row.attended)
            )
            self.fields[f"score_{person.pk}"] = forms.DecimalField(
                label=_("assessment score"),
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=row.score if row else None,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.5"}),
            )
        self.existing = existing

    def rows(self):
        """(person, attended field, score field) for the template."""
        return [(p, self[f"attended_{p.pk}"], self[f"score_{p.pk}"]) for p in self.people]

    def cleaned_rows(self) -> list[dict]:
        rows = []
        for person in self.people:
            attended = self.cleaned_data.get(f"attended_{person.pk}")
            score = self.cleaned_data.get(f"score_{person.pk}")
            if attended or person.pk in self.existing or score is not None:
                rows.append({"user": person.pk, "attended": bool(attended), "score": score})
        return rows


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=pgettext_lazy("stats", "Period"),
        required=False,
        initial="quarter",
        choices=[
            ("month", pgettext_lazy("period", "Month")),
            ("quarter", pgettext_lazy("period", "Quarter")),
            ("year", pgettext_lazy("period", "Year")),
        ],
    )
    day = forms.DateField(label=_("Containing"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def bounds(self):
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("period") or "quarter"
        day = data.get("day") or timezone.localdate()
        return kind, queries.period_bounds(kind, day)


class SessionFilterForm(forms.Form):
    module = forms.ChoiceField(label=_("Module"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label=_("Until (exclusive)"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", _("All"))] + [(m.key, m.name) for m in queries.modules()]
        _style(self)


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("teamwork score"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        help_text=_("1 poor … 5 excellent"),
    )
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReviewForm(forms.Form):
    period_start = forms.DateField(label=_("from"), widget=forms.DateInput(attrs=DATE))
    period_end = forms.DateField(label=_("to"), widget=forms.DateInput(attrs=DATE))
    overall = forms.ChoiceField(label=_("overall rating"), required=False, choices=RATING_CHOICES)
    strengths = forms.CharField(
        label=_("strengths"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    improvements = forms.CharField(
        label=_("to improve"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    accountability_link = forms.CharField(
        label=_("accountability record"),
        required=False,
        max_length=300,
        validators=[validate_link_or_reference],
        help_text=_(
            "Link or reference of a violation / accountability case this review led to (REQ-QLT-08)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in measures.DIMENSIONS:
            self.fields[f"rating_{key}"] = forms.ChoiceField(
                label=label, required=False, choices=RATING_CHOICES
            )
        _style(self)

    def rating_fields(self):
        return [self[f"rating_{key}"] for key, _label in measures.DIMENSIONS]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        ratings = {key: data.pop(f"rating_{key}", "") for key, _label in measures.DIMENSIONS}
        data["ratings"] = {k: v for k, v in ratings.items() if v}
        data["overall"] = data.get("overall") or None
        return data


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("your comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
