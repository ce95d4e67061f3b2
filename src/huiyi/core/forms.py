from collections.abc import Mapping

from auditlog.models import LogEntry
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import queries


def apply_service_errors(
    form: forms.Form, error: ValidationError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on a form: each message on the field it names (through ``aliases``
    where the service's name differs from the form's), anything else on the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    aliases = aliases or {}
    for key, messages in error.message_dict.items():
        name = aliases.get(key, key)
        form.add_error(name if name in form.fields else None, messages)


class AuditSearchForm(forms.Form):
    text = forms.CharField(label=_("Record"), required=False, max_length=200)
    actor = forms.CharField(label=_("By"), required=False, max_length=150)
    model = forms.ChoiceField(label=_("Kind of record"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All"))] + [
            (
                f"{ct.app_label}.{ct.model}",
                str(ct.model_class()._meta.verbose_name) if ct.model_class() else ct.model,
            )
            for ct in queries.audited_models()
        ]
        self.fields["action"].choices = [("", _("All"))] + [
            (str(value), label) for value, label in LogEntry.Action.choices
        ]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("“To” must not be before “From”."))
        return data
