"""Forms of the rulebook: edit one rule of a draft, activate a draft with a change note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import display
from .loader import Rule


class RuleEditForm(forms.Form):
    """A rule's value(s), names and description. Ids, kinds, requirement, metric, operator and unit stay."""

    value = forms.DecimalField(label=_("Value"), required=True)
    low = forms.DecimalField(label=_("Minimum"), required=True)
    high = forms.DecimalField(label=_("Maximum"), required=True)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, rule: Rule, **kwargs):
        self.rule = rule
        initial = {
            "name_zh": rule.name.zh_hans,
            "name_en": rule.name.en,
            "description_zh": rule.description.zh_hans if rule.description else "",
            "description_en": rule.description.en if rule.description else "",
        }
        if isinstance(rule.value, tuple):
            initial["low"] = display.to_display_number(rule.value[0], rule.unit).normalize()
            initial["high"] = display.to_display_number(rule.value[1], rule.unit).normalize()
        elif rule.value is not None:
            initial["value"] = display.to_display_number(rule.value, rule.unit).normalize()
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if self.has_range:
            del self.fields["value"]
        else:
            del self.fields["low"], self.fields["high"]
            if not self.has_value:
                del self.fields["value"]
        unit = display.unit_label(rule.unit)
        help_text = _("In percent: 5 means 5 %.") if rule.unit == "ratio" else unit
        for key in ("value", "low", "high"):
            if key in self.fields:
                self.fields[key].help_text = help_text
                self.fields[key].widget.attrs.update({"step": "any", "inputmode": "decimal"})

    @property
    def has_range(self) -> bool:
        return self.rule.op == "between"

    @property
    def has_value(self) -> bool:
        """Permanent retention has no number and a checklist item is always 1 (met): nothing to edit."""
        return not self.rule.permanent and self.rule.kind != "checklist"

    def clean(self):
        data = super().clean()
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and low > high:
            self.add_error("high", _("The maximum must not be below the minimum."))
        return data

    def changes(self) -> dict:
        """Keyword arguments for ``services.update_rule``."""
        data = self.cleaned_data
        unit = self.rule.unit
        changes: dict = {
            "name": {"zh-hans": data["name_zh"], "en": data["name_en"]},
            "description": {"zh-hans": data["description_zh"], "en": data["description_en"]},
        }
        if self.has_range:
            changes["value"] = [
                display.from_display_number(data["low"], unit),
                display.from_display_number(data["high"], unit),
            ]
        elif self.has_value:
            changes["value"] = display.from_display_number(data["value"], unit)
        return changes

    def add_service_errors(self, error) -> None:
        """Put a ``ValidationError`` of ``services.update_rule`` on the fields it names."""
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                target = {"value": "low" if self.has_range else "value", "name": "name_zh"}.get(field, field)
                if field == "description":
                    target = "description_zh"
                if target not in self.fields:
                    target = None
                for message in errors:
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class ActivateForm(forms.Form):
    change_note = forms.CharField(
        label=_("Change note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed and why; it is kept with the version."),
        max_length=4000,
    )
