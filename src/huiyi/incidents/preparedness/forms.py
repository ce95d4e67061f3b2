"""Forms of emergency preparedness: they read input; the services validate the business rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.accounts.models import User
from huiyi.core.models import ChannelConfig

from .models import Risk

LEVEL_CHOICES_EMPTY = [("", "—")]


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class ResourceCheckForm(StyledForm):
    quantity = forms.IntegerField(label=_("Quantity in place"), min_value=1)
    location = forms.CharField(
        label=_("Location"), max_length=200, help_text=_("Where it is, e.g. “east door, beside the stage”.")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ResourceAddForm(StyledForm):
    name = forms.CharField(
        label=pgettext_lazy("emergency resources", "Item"),
        max_length=100,
        help_text=_("An item beyond the standard list, e.g. an AED."),
    )


class ResourceClearForm(StyledForm):
    reason = forms.CharField(
        label=_("Why is it no longer in place?"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContactForm(StyledForm):
    role = forms.CharField(
        label=pgettext_lazy("emergency contact", "Role"),
        max_length=100,
        help_text=_("e.g. on-site director, venue security, first aid, 120"),
    )
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


def _scale_choices(scale: dict) -> list:
    from huiyi.rulebook.display import text

    return LEVEL_CHOICES_EMPTY + [(str(k), f"{k} · {text(v)}") for k, v in sorted(scale.items())]


class RiskForm(StyledForm):
    title = forms.CharField(label=_("Risk"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=Risk.Type.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    likelihood = forms.ChoiceField(label=_("Likelihood"), required=False)
    impact = forms.ChoiceField(label=_("Impact"), required=False)
    prevention = forms.CharField(
        label=_("Prevention"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trigger = forms.CharField(
        label=_("Trigger condition for the emergency plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("When this happens, the emergency plan starts."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    owner_name = forms.CharField(label=_("Owner (if not a user)"), max_length=100, required=False)
    review_date = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, matrix, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["likelihood"].choices = _scale_choices(matrix.likelihood)
        self.fields["impact"].choices = _scale_choices(matrix.impact)
        self.fields["owner"].queryset = owners


class ReviewForm(StyledForm):
    next_review = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ChannelForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("Webhook URL"), max_length=500, widget=forms.URLInput(attrs={"autocomplete": "off"})
    )
    payload_format = forms.ChoiceField(
        label=_("Payload format"),
        choices=[
            (ChannelConfig.Format.GENERIC, _("Huiyi JSON, signed")),
            (ChannelConfig.Format.WECOM, _("WeCom group robot")),
            (ChannelConfig.Format.DINGTALK, _("DingTalk group robot")),
        ],
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Left empty: the stored secret is kept."),
    )
    kinds = forms.CharField(
        label=_("Notification kinds"),
        max_length=500,
        required=False,
        help_text=_("Comma-separated, e.g. “incident, emergency_contacts”. Empty: every notification."),
    )
    timeout_seconds = forms.IntegerField(label=_("Timeout (seconds)"), min_value=1, max_value=30, initial=5)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SupportDeskForm(StyledForm):
    hotline = forms.CharField(label=_("Support hotline"), max_length=30, required=False)
    after_hours_phone = forms.CharField(label=_("After-hours phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Support e-mail"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
