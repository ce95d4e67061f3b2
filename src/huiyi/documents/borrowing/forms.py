"""Forms of borrowing: they only shape the input; the services judge it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Medium


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; fields with errors are marked invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class BorrowForm(StyledForm):
    document = forms.TypedChoiceField(label=_("Document"), coerce=int)
    medium = forms.ChoiceField(label=_("Medium"), choices=Medium.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label=_("From"), widget=DateTimeLocal())
    due_at = forms.DateTimeField(label=_("Until"), widget=DateTimeLocal())

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", "—")] + [(d.pk, label) for d, label in documents]


class DecisionForm(StyledForm):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
