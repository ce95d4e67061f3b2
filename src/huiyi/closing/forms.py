"""Forms of the closing page: they collect input, the services validate (money included) and save it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.core.translation import localize

from . import checklist

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.prefix_name}_%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    prefix_name = "f"

    def mark_invalid(self):
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class LostItemForm(StyledForm):
    prefix_name = "lost"
    description = forms.CharField(label=pgettext_lazy("closing", "Item"), max_length=200)
    found_where = forms.CharField(label=_("Where found"), max_length=200)
    found_at = forms.DateTimeField(label=_("Found at"), widget=DATETIME)
    found_by_name = forms.CharField(
        label=_("Found by"), max_length=100, required=False, help_text=_("Leave empty if you found it.")
    )
    stored_where = forms.CharField(label=_("Kept at"), max_length=200, required=False)


class ReturnForm(StyledForm):
    prefix_name = "return"
    returned_to = forms.CharField(label=_("Returned to"), max_length=100)
    returned_at = forms.DateTimeField(label=_("Returned at"), widget=DATETIME, required=False)


class DisposeForm(StyledForm):
    prefix_name = "dispose"
    disposal_note = forms.CharField(label=_("How disposed of"), max_length=300)
    disposed_at = forms.DateTimeField(label=_("Disposed of at"), widget=DATETIME, required=False)


class SiteCheckForm(StyledForm):
    prefix_name = "check"
    checked_at = forms.DateTimeField(label=_("Checked at"), widget=DATETIME, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in checklist.SITE_CHECK_ITEMS:
            self.fields[f"item_{key}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"item_{key}"].widget.attrs["class"] = "form-check-input"
        self.order_fields([f"item_{k}" for k in checklist.SITE_CHECK_KEYS] + ["checked_at", "note"])

    def results(self) -> dict:
        return {key: bool(self.cleaned_data.get(f"item_{key}")) for key in checklist.SITE_CHECK_KEYS}


class ArchiveForm(StyledForm):
    prefix_name = "archive"
    location = forms.CharField(label=_("Where archived"), max_length=200, required=False)


class SettlementForm(StyledForm):
    prefix_name = "settlement"
    final_amount = forms.CharField(label=_("Final amount (CNY)"), required=False, widget=MONEY)
    agreed_value = forms.CharField(
        label=_("Agreed value (CNY)"),
        required=False,
        widget=MONEY,
        help_text=_("Only when the project has no signed contract in Huiyi."),
    )
    agreed_value_note = forms.CharField(
        label=_("Where the agreed value comes from"), max_length=300, required=False
    )
    settled_at = forms.DateField(label=_("Settled on"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, has_contract=False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_contract:
            del self.fields["agreed_value"]
            del self.fields["agreed_value_note"]


class InvoiceForm(StyledForm):
    prefix_name = "invoice"
    number = forms.CharField(label=_("Invoice number"), max_length=40)
    amount = forms.CharField(label=_("Amount (CNY)"), widget=MONEY)
    issued_at = forms.DateField(label=_("Issued on"), widget=DATE)
    correct = forms.BooleanField(label=_("Issued correctly"), required=False, initial=True)
    correction = forms.CharField(label=_("Correction"), max_length=500, required=False)
    corrected_at = forms.DateField(label=_("Corrected on"), widget=DATE, required=False)


class CorrectInvoiceForm(StyledForm):
    prefix_name = "correct"
    correction = forms.CharField(label=_("What was wrong and how it was corrected"), max_length=500)
    corrected_at = forms.DateField(label=_("Corrected on"), widget=DATE)


class PaymentForm(StyledForm):
    prefix_name = "payment"
    name = forms.CharField(label=pgettext_lazy("closing", "Instalment"), max_length=100)
    amount = forms.CharField(label=_("Amount due (CNY)"), widget=MONEY)
    due_date = forms.DateField(label=pgettext_lazy("closing", "Due date"), widget=DATE)


class PaidForm(StyledForm):
    prefix_name = "paid"
    paid_amount = forms.CharField(label=_("Amount paid (CNY)"), widget=MONEY)
    paid_at = forms.DateField(label=_("Paid on"), widget=DATE)


class DisputeForm(StyledForm):
    prefix_name = "dispute"
    subject = forms.CharField(label=_("Subject"), max_length=300)
    opened_at = forms.DateField(label=_("Opened on"), widget=DATE, required=False)
    amount = forms.CharField(label=_("Amount in dispute (CNY)"), widget=MONEY, required=False)


class ResolveForm(StyledForm):
    prefix_name = "resolve"
    resolution = forms.CharField(label=_("Resolution"), max_length=1000)
    resolved_at = forms.DateField(label=_("Resolved on"), widget=DATE, required=False)


class EvaluationForm(StyledForm):
    """The service evaluation form: one score per rulebook item, the goal attainment of CCP 12."""

    prefix_name = "evaluation"

    def __init__(self, *args, form, **kwargs):
        super().__init__(*args, **kwargs)
        low, high = form.scale
        for item in form.items:
            self.fields[f"score_{item.key}"] = forms.DecimalField(
                label=localize(item.name), min_value=low, max_value=high, decimal_places=2, max_digits=5
            )
            self.fields[f"score_{item.key}"].widget.attrs.update({"class": "form-control", "step": "0.5"})
            self.fields[f"comment_{item.key}"] = forms.CharField(
                label=pgettext_lazy("closing", "Comment"), max_length=300, required=False
            )
            self.fields[f"comment_{item.key}"].widget.attrs["class"] = "form-control"
        self.fields["goal_attainment"] = forms.DecimalField(
            label=_("Goal attainment score"), required=False, decimal_places=2, max_digits=6
        )
        self.fields["goal_note"] = forms.CharField(
            label=_("How the goals were met"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        for name in ("goal_attainment", "goal_note"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.items = form.items

    def item_rows(self):
        return [(self[f"score_{i.key}"], self[f"comment_{i.key}"]) for i in self.items]

    def scores(self):
        return {i.key: self.cleaned_data.get(f"score_{i.key}") for i in self.items}

    def comments(self):
        return {i.key: self.cleaned_data.get(f"comment_{i.key}") or "" for i in self.items}


class ReportForm(StyledForm):
    prefix_name = "report"
    language = forms.ChoiceField(label=_("Language"), choices=[("zh-hans", "中文"), ("en", "English")])
