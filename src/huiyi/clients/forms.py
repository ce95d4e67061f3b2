from django import forms

from huiyi.projects.queries import units_for_new_projects

from .models import Client, Contact


class _Styled:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class UpperCaseField(forms.CharField):
    """Credit codes are printed in capitals; accept them typed in either case."""

    def to_python(self, value):
        return super().to_python(value).upper()


class ClientForm(_Styled, forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "name_en", "kind", "credit_code", "address", "org_unit", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"credit_code": UpperCaseField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units_for_new_projects(user)
        self.fields["credit_code"].widget.attrs["maxlength"] = 18
        self._style()


class ContactForm(_Styled, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
