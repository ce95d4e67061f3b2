"""Forms of disposition: they collect input; the services judge it (one path with the API)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .queries import DEFAULT_PREVIEW_DAYS


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class QueueFilterForm(forms.Form):
    STATES = [
        ("due", _("Retention ended")),
        ("upcoming", _("Ends soon")),
        ("requested", _("Awaiting approval")),
        ("approved", _("Approved, to destroy")),
        ("held", _("Under legal hold")),
    ]
    state = forms.ChoiceField(label=_("Show"), choices=STATES, required=False)
    days = forms.IntegerField(label=_("Ending within (days)"), min_value=1, max_value=3660, required=False)
    doc_type = forms.ChoiceField(label=_("Type"), required=False)
    retention_class = forms.ChoiceField(label=_("Retention class"), required=False)

    def __init__(self, *args, types=(), classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [("", _("All"))] + list(types)
        self.fields["retention_class"].choices = [("", _("All"))] + list(classes)
        self.fields["days"].widget.attrs["placeholder"] = str(DEFAULT_PREVIEW_DAYS)
        _style(self)

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "state": data.get("state") or "due",
            "days": data.get("days") or DEFAULT_PREVIEW_DAYS,
            "doc_type": data.get("doc_type") or "",
            "retention_class": data.get("retention_class") or "",
        }


class RequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for destruction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        initial="",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Required when you reject."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class HoldForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
