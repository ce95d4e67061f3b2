from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay


class CalendarDayForm(forms.ModelForm):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)

    class Meta:
        model = CalendarDay
        fields = ["date", "is_working_day", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "note": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name_zh"].initial = self.instance.name.get("zh-hans", "")
            self.fields["name_en"].initial = self.instance.name.get("en", "")
        _style(self)

    def save(self, commit=True):
        self.instance.name = {
            "zh-hans": self.cleaned_data["name_zh"],
            "en": self.cleaned_data.get("name_en", ""),
        }
        return super().save(commit)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Schedule file (.csv or .ics)"))
    confirm_year = forms.IntegerField(
        label=_("Mark this year's official schedule as complete"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only for a complete official schedule, never for a few corrections."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DueForm(forms.Form):
    KINDS = [
        ("working_days", _("working days")),
        ("business_hours", _("business hours")),
        ("hours", _("hours (calendar time)")),
    ]
    start = forms.DateTimeField(
        label=_("Start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=8, decimal_places=2)
    kind = forms.ChoiceField(label=_("Counted in"), choices=KINDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "working_days" and data.get("amount") is not None and data["amount"] % 1:
            self.add_error("amount", _("Working days are whole days."))
        return data


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
