"""Forms of intake: the inquiry, its four steps, conversion to a project and the requirements list."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.clients.models import Client
from huiyi.projects import queries as project_queries
from huiyi.projects.models import MeetingProject, MeetingType

from .catalogue import BASIC_SERVICES, FIVE_W_TWO_H, ITEM_PROMPTS, ITEM_QUESTIONS, TIERS
from .models import Inquiry, RequirementItem, RequirementsRevision

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
HUNDRED = Decimal(100)


def _plain(number: Decimal) -> Decimal:
    """50.0000 → 50 and 12.50 → 12.5, never 5E+1."""
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class InquiryForm(forms.ModelForm):
    new_client_name = forms.CharField(label=_("or a new client: name"), max_length=200, required=False)
    new_client_kind = forms.ChoiceField(
        label=_("new client: kind"), choices=[("", "—"), *Client.Kind.choices], required=False
    )

    class Meta:
        model = Inquiry
        fields = ["client", "contact_name", "contact_phone", "contact_email", "channel", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].required = False
        self.fields["client"].queryset = Client.objects.filter(
            pk__in=project_queries.clients_for_new_projects(user).values("pk")
        ).order_by("name")
        order = ["client", "new_client_name", "new_client_kind", "contact_name", "contact_phone"]
        self.order_fields([*order, "contact_email", "channel", "summary"])
        _style(self)

    def clean(self):
        data = super().clean()
        if not data.get("client"):
            if not data.get("new_client_name"):
                self.add_error("client", _("Choose a client or enter a new one."))
            elif not data.get("new_client_kind"):
                self.add_error("new_client_kind", _("Say what kind of organisation the new client is."))
        return data


class IdentifyForm(forms.Form):
    credentials_note = forms.CharField(
        label=_("How the client and its credentials were verified"),
        max_length=300,
        help_text=_("e.g. business licence checked, unified social credit code confirmed"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(label=_("Classification"), choices=Inquiry.Classification.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CapabilityForm(forms.Form):
    capability_ok = forms.TypedChoiceField(
        label=_("Can we serve this request?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
    capability_note = forms.CharField(label=_("Capability note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AppointmentForm(forms.Form):
    next_appointment = forms.DateTimeField(
        label=_("Next appointment"), widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)
    )
    next_appointment_note = forms.CharField(label=_("What it is for"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


STEP_FORMS = {
    "identify_client": IdentifyForm,
    "classify_request": ClassifyForm,
    "capability_match": CapabilityForm,
    "next_appointment": AppointmentForm,
}


class ConvertForm(forms.ModelForm):
    """The basic information a new project needs (REQ-INT-03)."""

    class Meta:
        model = MeetingProject
        fields = [
            "name",
            "name_en",
            "meeting_type",
            "start",
            "end",
            "venue_name",
            "address",
            "venue_type",
            "expected_attendees",
        ]
        widgets = {
            "start": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
            "end": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].queryset = MeetingType.objects.filter(is_active=True)
        self.fields["expected_attendees"].widget.attrs["min"] = 1
        _style(self)


class AttachForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Existing project"), queryset=MeetingProject.objects.none())

    def __init__(self, *args, inquiry, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_queries.visible_projects(user).filter(
            client=inquiry.client, closed_at__isnull=True
        )
        _style(self)


class RequirementsForm(forms.Form):
    """The 《会议需求清单》: basic information, services, budget and payment, 5W2H (REQ-INT-03…06)."""

    BASIC = ["name", "start", "end", "venue_name", "address", "venue_type", "expected_attendees"]
    PAYMENT = [
        "budget",
        "payment_schedule",
        "advance_amount",
        "advance_due",
        "balance_amount",
        "balance_due",
        "payment_method",
        "refund_window_days",
        "refund_non_refundable_percent",
        "refund_notes",
    ]

    def __init__(self, *args, project, revision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.revision = project, revision
        basic = forms.fields_for_model(MeetingProject, fields=self.BASIC)
        basic["start"].widget = forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)
        basic["end"].widget = forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)
        self.fields.update(basic)
        for tier in TIERS:
            self.fields[f"services_{tier.key}"] = forms.MultipleChoiceField(
                label=tier.label, choices=tier.items, required=False, widget=forms.CheckboxSelectMultiple
            )
        self.fields["custom_services"] = forms.CharField(
            label=_("Other custom services"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        payment = forms.fields_for_model(
            RequirementsRevision, fields=[f for f in self.PAYMENT if "percent" not in f]
        )
        payment["advance_due"].widget = forms.DateInput(attrs={"type": "date"})
        payment["balance_due"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields.update(payment)
        self.fields["refund_non_refundable_percent"] = forms.DecimalField(
            label=_("Non-refundable share on late cancellation (%)"),
            min_value=0,
            max_value=100,
            decimal_places=2,
            required=False,
        )
        self.order_fields(
            [*self.BASIC, *[f"services_{t.key}" for t in TIERS], "custom_services", *self.PAYMENT]
        )
        for key in FIVE_W_TWO_H:
            self.fields[f"{key}_text"] = forms.CharField(
                label=ITEM_PROMPTS[key], required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            if key in ITEM_QUESTIONS:
                self.fields[f"{key}_flag"] = forms.NullBooleanField(
                    label=ITEM_QUESTIONS[key],
                    required=False,
                    widget=forms.Select(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]),
                )
            if key == "why":
                self.fields["why_purpose"] = forms.ChoiceField(
                    label=_("Purpose"), choices=[("", "—"), *RequirementItem.Purpose.choices], required=False
                )
            self.fields[f"{key}_completion"] = forms.DecimalField(
                label=_("Completion (%)"), min_value=0, max_value=100, decimal_places=0, required=False
            )
            self.fields[f"{key}_unclear"] = forms.BooleanField(label=_("Unclear"), required=False)
        _style(self)
        for key in FIVE_W_TWO_H:
            self.fields[f"{key}_completion"].widget.attrs.update(
                step=5, **{"class": "form-control completion"}
            )
        if not self.is_bound:
            self.initial.update(self._initial())

    def _initial(self) -> dict:
        initial = {name: getattr(self.project, name) for name in self.BASIC}
        revision = self.revision
        if revision is None:
            from .services import refund_defaults

            defaults = refund_defaults(self.project)
            initial["services_basic"] = list(BASIC_SERVICES)
            initial["refund_window_days"] = defaults["refund_window_days"]
            initial["refund_non_refundable_percent"] = _plain(
                defaults["refund_non_refundable_share"] * HUNDRED
            )
            return initial
        for tier in TIERS:
            keys = {key for key, _label in tier.items}
            initial[f"services_{tier.key}"] = [s for s in revision.services if s in keys]
        initial["custom_services"] = revision.custom_services
        for name in self.PAYMENT:
            if name == "refund_non_refundable_percent":
                share = revision.refund_non_refundable_share
                initial[name] = None if share is None else _plain(share * HUNDRED)
            else:
                initial[name] = getattr(revision, name)
        for item in revision.items.all():
            initial[f"{item.key}_text"] = item.text
            initial[f"{item.key}_flag"] = item.flag
            initial[f"{item.key}_completion"] = (item.completion * HUNDRED).quantize(Decimal(1))
            initial[f"{item.key}_unclear"] = item.unclear
            if item.key == "why":
                initial["why_purpose"] = item.purpose
        return initial

    # -- what the services receive ------------------------------------------------------------------
    def basic(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.BASIC}

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.PAYMENT if name != "refund_non_refundable_percent"}
        percent = data.get("refund_non_refundable_percent")
        values["refund_non_refundable_share"] = None if percent is None else percent / HUNDRED
        values["services"] = [s for tier in TIERS for s in data.get(f"services_{tier.key}") or []]
        values["custom_services"] = data.get("custom_services") or ""
        return values

    def items(self) -> dict:
        data = self.cleaned_data
        items = {}
        for key in FIVE_W_TWO_H:
            completion = data.get(f"{key}_completion")
            items[key] = {
                "text": data.get(f"{key}_text") or "",
                "completion": (completion or Decimal(0)) / HUNDRED,
                "unclear": bool(data.get(f"{key}_unclear")),
                "flag": data.get(f"{key}_flag") if key in ITEM_QUESTIONS else None,
                "purpose": data.get("why_purpose") or "" if key == "why" else "",
            }
        return items

    def item_rows(self):
        """(key, bound fields) per 5W2H item, for the template."""
        rows = []
        for key in FIVE_W_TWO_H:
            names = [f"{key}_text", f"{key}_flag", "why_purpose" if key == "why" else None]
            names += [f"{key}_completion", f"{key}_unclear"]
            rows.append((key, [self[name] for name in names if name and name in self.fields]))
        return rows

    def group(self, names):
        return [self[name] for name in names]

    def basic_fields(self):
        return self.group(self.BASIC)

    def service_fields(self):
        return self.group([*[f"services_{t.key}" for t in TIERS], "custom_services"])

    def payment_fields(self):
        return self.group(self.PAYMENT)


class DiscrepancyForm(forms.Form):
    item = forms.ChoiceField(label=_("Item"))
    description = forms.CharField(label=_("What differs"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = choices
        _style(self)


class ConfirmForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
