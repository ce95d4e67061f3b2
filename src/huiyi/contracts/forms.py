from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.rulebook.display import text

from .models import Breach, ChangeRequest, Contract, Stage


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-control")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "number",
            "title",
            "client_representative",
            "value",
            "scope_preparation",
            "scope_onsite",
            "scope_in_meeting",
            "scope_post_meeting",
            "acceptance_basis",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "scope_preparation",
                "scope_onsite",
                "scope_in_meeting",
                "scope_post_meeting",
                "acceptance_basis",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Left empty: HT-<project code>.")
        self.fields["title"].required = False
        _style(self)

    def _post_clean(self):
        # The service validates the whole contract (with project and client) and names the fields.
        pass


class PaymentLineForm(StyledForm):
    name = forms.CharField(label=_("Instalment"), max_length=100)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label=_("Amount (CNY)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )


PaymentFormSet = forms.formset_factory(
    PaymentLineForm, extra=0, min_num=1, validate_min=True, can_delete=True
)


class StandardForm(StyledForm):
    acceptance_point = forms.CharField(
        label=_("Acceptance point"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


StandardFormSet = forms.formset_factory(StandardForm, extra=0)


class SignedCopyForm(StyledForm):
    signed_copy = forms.FileField(label=_("Signed copy (PDF, JPEG or PNG)"))


class ChangeRequestForm(StyledForm):
    kind = forms.ChoiceField(label=_("What changes"), choices=ChangeRequest.Kind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    affected_at = forms.DateTimeField(
        label=_("Affected date"),
        required=False,  # the service names the field when it is missing
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_(
            "When the change takes effect; a request closer than the rulebook's lead time is flagged late."
        ),
    )
    extension_days = forms.DecimalField(
        label=_("Meeting extended by (days)"),
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "When the change extends the meeting, the cost impact is computed "
            "with the rulebook's coefficient."
        ),
    )
    cost_impact = forms.DecimalField(
        label=_("Cost impact (CNY)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("For other changes: the extra amount agreed (0 if none)."),
    )
    scope_stage = forms.ChoiceField(
        label=_("Stage whose scope changes"), required=False, choices=[("", "—"), *Stage.choices]
    )
    scope_text = forms.CharField(
        label=_("New scope of that stage"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ClientRecordForm(StyledForm):
    client_name = forms.CharField(label=_("Client's person who confirmed"), max_length=100)


class RejectForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ClientConfirmForm(StyledForm):
    name = forms.CharField(label=_("Your name"), max_length=100)


class ClientDeclineForm(StyledForm):
    name = forms.CharField(label=_("Your name"), max_length=100)
    reason = forms.CharField(label=_("Why you decline"), widget=forms.Textarea(attrs={"rows": 2}))


class BreachForm(StyledForm):
    breach_class = forms.ChoiceField(label=_("Class"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    occurred_at = forms.DateTimeField(
        label=_("Occurred at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    responsibility = forms.ChoiceField(label=_("Responsibility"), choices=Breach.Responsibility.choices)
    refund_percent = forms.DecimalField(
        label=_("Proportional refund (percentage of the contract value)"),
        required=False,
        max_digits=7,
        decimal_places=4,
        min_value=0,
    )
    remedy_amount = forms.DecimalField(
        label=_("Or a remedy amount (CNY)"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    remedy_measures = forms.CharField(label=_("Remedy measures"), widget=forms.Textarea(attrs={"rows": 2}))
    remedy_deadline = forms.DateField(
        label=_("Remedy deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["breach_class"].choices = [
            (
                rule.level_code,
                f"{text(rule.name)} — {text(rule.description)}" if rule.description else text(rule.name),
            )
            for rule in classes
        ]
        _style(self)

    @property
    def refund_ratio(self):
        percent = self.cleaned_data.get("refund_percent")
        return None if percent is None else percent / 100


class RemedyStatusForm(StyledForm):
    remedy_status = forms.ChoiceField(label=_("Remedy status"), choices=Breach.RemedyStatus.choices)
