from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    AgendaItem,
    BudgetLine,
    PlanReview,
    PlanSection,
    PlanVersion,
    ResourceLine,
    ReviewOutcome,
    RiskItem,
)

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_widget():
    return forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)


class StyledForm:
    """Bootstrap classes on every widget."""

    def style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 2


class GoalsForm(StyledForm, forms.ModelForm):
    """Research and goals (REQ-PLN-01)."""

    class Meta:
        model = PlanVersion
        fields = [
            "goals",
            "scale",
            "venue",
            "meeting_start",
            "meeting_end",
            "technical_support",
            "catering",
            "translation",
            "change_note",
        ]
        widgets = {"meeting_start": _datetime_widget(), "meeting_end": _datetime_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()
        self.fields["goals"].widget.attrs["rows"] = 3
        self.fields["scale"].widget.attrs["min"] = 0


class AgendaItemForm(StyledForm, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "ends_at", "title", "notes"]
        widgets = {"starts_at": _datetime_widget(), "ends_at": _datetime_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class ResourceLineForm(StyledForm, forms.ModelForm):
    class Meta:
        model = ResourceLine
        fields = ["kind", "name", "quantity", "start", "end", "notes"]
        widgets = {"start": _datetime_widget(), "end": _datetime_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()
        self.fields["quantity"].widget.attrs["min"] = 1


class BudgetLineForm(StyledForm, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]
        # A text box (not type=number) so that whatever is typed reaches the server and gets a clear error.
        widgets = {"amount": forms.TextInput(attrs={"inputmode": "decimal"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()
        self.fields["amount"].error_messages["invalid"] = _("Enter an amount of money, e.g. 12800.00.")


class RiskItemForm(StyledForm, forms.ModelForm):
    class Meta:
        model = RiskItem
        fields = ["risk", "description", "response", "owner"]
        widgets = {"description": forms.Textarea, "response": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


LINE_FORMS = {
    "agenda": AgendaItemForm,
    "resources": ResourceLineForm,
    "budget": BudgetLineForm,
    "risks": RiskItemForm,
}


class ReviewForm(StyledForm, forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["score", "outcome", "comment"]
        widgets = {"comment": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()
        self.fields["score"].widget.attrs.update(min=0, max=100)
        self.fields["score"].help_text = _("0–100")


class ConcludeReviewForm(StyledForm, forms.Form):
    outcome = forms.ChoiceField(label=_("Review outcome"), choices=ReviewOutcome.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class SendForm(StyledForm, forms.Form):
    recipient = forms.CharField(label=_("Recipient (client contact)"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class SignedCopyForm(StyledForm, forms.Form):
    file = forms.FileField(label=_("E-signed copy"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


ACCEPT = "accept"
COMMENT = "comment"


class ClientAnswerForm(StyledForm, forms.Form):
    """Per section: accept or comment; a typed name as signature."""

    signer_name = forms.CharField(label=_("Your full name (signature)"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section, label in PlanSection.choices:
            self.fields[f"{section}_answer"] = forms.ChoiceField(
                label=label,
                choices=[(ACCEPT, _("Accept")), (COMMENT, _("Comment / request a change"))],
                widget=forms.RadioSelect,
                initial=ACCEPT,
            )
            self.fields[f"{section}_comment"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea
            )
        self.style()

    def answers(self) -> dict[str, tuple[bool, str]]:
        data = self.cleaned_data
        return {
            section: (data[f"{section}_answer"] == ACCEPT, data.get(f"{section}_comment", ""))
            for section in PlanSection.values
        }
