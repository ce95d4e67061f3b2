"""Forms of the attendee pages; they collect input, the services validate and save it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import importing
from .models import Attendee, Category, Language


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def _max(name: str) -> int:
    return Attendee._meta.get_field(name).max_length


class AttendeeForm(StyledForm):
    name = forms.CharField(label=pgettext_lazy("attendee", "Name"), max_length=_max("name"))
    organisation = forms.CharField(
        label=pgettext_lazy("attendee", "Organisation"), max_length=_max("organisation"), required=False
    )
    title = forms.CharField(
        label=pgettext_lazy("attendee", "Title"), max_length=_max("title"), required=False
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=_max("phone"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        max_length=_max("email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.GUEST)
    seat = forms.CharField(label=_("Seat"), max_length=_max("seat"), required=False)
    dietary = forms.CharField(label=_("Dietary needs"), max_length=_max("dietary"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.ZH_HANS)


class CancelForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The ticket is refused at the door from now on; the record stays and can be reinstated."),
    )


class UploadForm(StyledForm):
    file = forms.FileField(
        label=_("Attendee list (.xlsx or .csv)"),
        help_text=_(
            "The first row names the columns (姓名, 单位, 职务, 手机, 邮箱, 类别, 座位 …). CSV files may be "
            "UTF-8 or GBK."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


class MappingForm(StyledForm):
    """One select per attendee field listing the file's columns; a column serves one field at most."""

    skip_bad_rows = forms.BooleanField(
        label=_("Skip bad rows and import the others"),
        required=False,
        help_text=_("Otherwise one bad row stops the whole import and nothing is saved."),
    )

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— not in the file —"))] + [
            (str(index), f"{index + 1}. {header or '—'}") for index, header in enumerate(headers)
        ]
        skip = self.fields.pop("skip_bad_rows")
        for name in importing.FIELDS:
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=importing.FIELD_LABELS[name],
                choices=choices,
                required=name == "name",
                widget=forms.Select(attrs={"class": "form-select", "data-field": name}),
            )
        self.fields["skip_bad_rows"] = skip

    def mapping(self) -> dict[str, int]:
        return {
            name: int(self.cleaned_data[f"col_{name}"])
            for name in importing.FIELDS
            if self.cleaned_data.get(f"col_{name}") not in (None, "")
        }

    @staticmethod
    def initial_for(mapping: dict[str, int]) -> dict:
        return {f"col_{name}": str(index) for name, index in mapping.items()}
