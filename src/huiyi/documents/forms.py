from django import forms
from django.utils.translation import gettext_lazy as _

from . import catalogue
from .models import Confidentiality, TriggerKind


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; fields with errors are marked invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class DocumentForm(StyledForm):
    doc_type = forms.ChoiceField(label=_("Type"))
    title = forms.CharField(label=_("Title"), max_length=200)
    retention_class = forms.ChoiceField(label=_("Retention class"))
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=[("", _("As the retention class requires")), *Confidentiality.choices],
        required=False,
    )
    trigger_kind = forms.ChoiceField(label=_("Retention starts at"), choices=TriggerKind.choices)
    trigger_date = forms.DateField(
        label=_("Contract end"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only when retention starts at the contract's end."),
    )
    file = forms.FileField(label=_("File"))
    change_note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rulebook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = catalogue.doc_types(rulebook)
        self.fields["retention_class"].choices = [
            ("", _("As the type suggests")),
            *catalogue.retention_choices(rulebook),
        ]
        self.fields["retention_class"].required = False


class VersionForm(StyledForm):
    file = forms.FileField(label=_("File"))
    change_note = forms.CharField(label=_("Change note"), widget=forms.Textarea(attrs={"rows": 2}))
