"""Forms of complaints: they collect input; the services judge it (one path with the API)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.accounts.models import User

from . import services, sla
from .models import Channel, Complaint

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type by content, size, count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def severity_choices(rulebook) -> list[tuple[str, str]]:
    return sla.severity_choices(rulebook)


class ComplaintForm(forms.Form):
    """Staff entry: a complaint received by phone, e-mail, on site, WeChat, letter …"""

    channel = forms.ChoiceField(label=pgettext_lazy("complaints", "Channel"), choices=Channel.choices)
    severity = forms.ChoiceField(label=pgettext_lazy("complaints", "Severity"))
    received_at = forms.DateTimeField(label=pgettext_lazy("complaints", "Received at"), widget=DATETIME)
    complainant_name = forms.CharField(
        label=pgettext_lazy("complaints", "Complainant"), required=False, max_length=100
    )
    complainant_contact = forms.CharField(
        label=_("Contact (phone, WeChat …)"), required=False, max_length=200
    )
    complainant_email = forms.EmailField(
        label=pgettext_lazy("complaints", "E-mail"),
        required=False,
        max_length=200,
        help_text=_("If given, the complainant receives an acknowledgement with the reference number."),
    )
    content = forms.CharField(
        label=pgettext_lazy("complaints", "Complaint"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.CONTENT_MAX_CHARS,
    )
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("complaints", "Owner"), queryset=User.objects.none(), required=False
    )
    attachments = MultipleFileField(label=_("Attachments (PDF, JPEG, PNG)"))

    def __init__(self, *args, project, rulebook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = severity_choices(rulebook)
        self.fields["severity"].initial = sla.normal_default(rulebook)
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, pk__in=project.members.values("user_id")
        ).order_by("display_name", "username")
        self.fields["owner"].empty_label = _("Default (the rulebook's owner role)")
        _style(self)


class PublicComplaintForm(forms.Form):
    """The form behind a project's public link: no account, a honeypot, size limits."""

    complainant_name = forms.CharField(label=_("Your name"), required=False, max_length=100)
    complainant_contact = forms.CharField(label=_("Phone or WeChat"), required=False, max_length=200)
    complainant_email = forms.EmailField(
        label=pgettext_lazy("complaints", "E-mail"),
        required=False,
        max_length=200,
        help_text=_("We send the acknowledgement with your reference number here."),
    )
    severity = forms.ChoiceField(
        label=_("How serious is it?"),
        choices=[
            (sla.NORMAL, _("A problem we should put right")),
            (sla.SERIOUS, _("Serious: it harmed the meeting or people")),
        ],
        initial=sla.NORMAL,
        widget=forms.RadioSelect,
    )
    content = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.CONTENT_MAX_CHARS,
    )
    attachments = MultipleFileField(label=_("Photos or documents (PDF, JPEG, PNG)"))
    #: Left empty by people (it is hidden from them); bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self):
        data = super().clean()
        if not (data.get("complainant_contact") or data.get("complainant_email")):
            self.add_error(
                "complainant_contact", _("Leave a phone number, WeChat or e-mail so that we can answer you.")
            )
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("complaints", "Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("complaints", "Reason"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=pgettext_lazy("complaints", "Resolution"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    confirmed_by_name = forms.CharField(label=_("Confirmed by (client)"), required=False, max_length=100)
    confirmed_at = forms.DateTimeField(
        label=pgettext_lazy("complaints", "Confirmed at"), required=False, widget=DATETIME
    )
    confirmation_method = forms.ChoiceField(
        label=pgettext_lazy("complaints", "Confirmed how"),
        required=False,
        choices=[("", "—"), *Complaint.ConfirmationMethod.choices],
    )
    no_confirmation_reason = forms.CharField(
        label=_("…or why the client could not confirm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(label=pgettext_lazy("complaints", "Severity"))
    note = forms.CharField(label=pgettext_lazy("complaints", "Why"), required=False)

    def __init__(self, *args, rulebook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = severity_choices(rulebook)
        _style(self)


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=pgettext_lazy("complaints", "Owner"), queryset=User.objects.none())

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, pk__in=project.members.values("user_id")
        ).order_by("display_name", "username")
        _style(self)


class LinkForm(forms.Form):
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=3660, initial=90)


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=pgettext_lazy("complaints", "Show"),
        required=False,
        choices=[
            ("", pgettext_lazy("complaints", "All")),
            ("open", pgettext_lazy("complaints", "Open")),
            ("breached", pgettext_lazy("complaints", "Target missed")),
            ("closed", pgettext_lazy("complaints", "Resolved or closed")),
        ],
    )
    severity = forms.ChoiceField(label=pgettext_lazy("complaints", "Severity"), required=False)
    project = forms.IntegerField(required=False, widget=forms.HiddenInput)
    start = forms.DateField(
        label=_("Meetings from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("complaints", "to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keys = dict.fromkeys([*sla.SEVERITY_LABELS])
        self.fields["severity"].choices = [("", pgettext_lazy("complaints", "All"))] + [
            (k, sla.severity_label(k)) for k in keys if k != sla.NORMAL
        ]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("“To” must not be before “From”."))
        return data
