from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import User

from . import calculator
from .models import (
    Booking,
    Equipment,
    Layout,
    MaintenanceRecord,
    MaterialAcceptance,
    Room,
    ScorecardCriterion,
    SparePart,
    Supplier,
    TestReport,
    UsageLog,
    Venue,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Styled:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class StyledModelForm(Styled, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class VenueForm(StyledModelForm):
    class Meta:
        model = Venue
        fields = ["name", "name_en", "city", "address", "transport_notes", "notes", "is_active"]
        widgets = {
            "transport_notes": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class RoomForm(StyledModelForm):
    """A room with one seat count per layout (empty = the layout is not offered)."""

    class Meta:
        model = Room
        fields = ["name", "floor", "area_m2", "facilities", "is_active"]
        widgets = {"facilities": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = (self.instance.capacities or {}) if self.instance else {}
        for key, label in Layout.choices:
            self.fields[f"seats_{key}"] = forms.IntegerField(
                label=_("Seats — %(layout)s") % {"layout": label},
                min_value=0,
                required=False,
                initial=existing.get(key),
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def capacities(self) -> dict:
        return {
            key: self.cleaned_data[f"seats_{key}"]
            for key in Layout.values
            if self.cleaned_data.get(f"seats_{key}") is not None
        }

    def model_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["capacities"] = self.capacities()
        return data


class EquipmentForm(StyledModelForm):
    class Meta:
        model = Equipment
        fields = [
            "name",
            "category",
            "model_name",
            "serial_number",
            "ccc_certified",
            "ccc_certificate_no",
            "is_key",
            "status",
            "last_maintenance_on",
            "notes",
        ]
        widgets = {"last_maintenance_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class TestReportForm(StyledModelForm):
    class Meta:
        model = TestReport
        fields = ["kind", "passed", "readings", "tester", "tested_at"]
        widgets = {"tested_at": DATETIME}


class UsageForm(StyledModelForm):
    class Meta:
        model = UsageLog
        fields = ["used_at", "condition", "note"]
        widgets = {"used_at": DATETIME}


class MaintenanceForm(StyledModelForm):
    class Meta:
        model = MaintenanceRecord
        fields = ["performed_on", "performed_by", "description"]
        widgets = {"performed_on": DATE}


class SparePartForm(StyledModelForm):
    class Meta:
        model = SparePart
        fields = ["name", "category", "quantity", "reorder_level"]


class SupplierForm(StyledModelForm):
    class Meta:
        model = Supplier
        fields = [
            "name",
            "category",
            "qualification",
            "qualification_expires_on",
            "contact_name",
            "phone",
            "qualified",
        ]
        widgets = {"qualification_expires_on": DATE}


class ScorecardForm(Styled, forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from huiyi.rulebook.display import text

        self.criteria = list(ScorecardCriterion.objects.filter(is_active=True))
        for criterion in self.criteria:
            self.fields[criterion.key] = forms.DecimalField(
                label=_("%(name)s (weight %(weight)s)")
                % {"name": text(criterion.name), "weight": criterion.weight},
                min_value=0,
                max_value=100,
                decimal_places=2,
            )
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class MaterialAcceptanceForm(StyledModelForm):
    class Meta:
        model = MaterialAcceptance
        fields = [
            "project",
            "supplier",
            "material",
            "material_class",
            "specification",
            "quantity_ordered",
            "quantity_received",
            "appearance_ok",
            "performance_ok",
            "environmental_ok",
            "storage_humidity",
            "received_on",
            "result",
            "notes",
        ]
        widgets = {"received_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["supplier"].queryset = Supplier.objects.filter(qualified=True)


class CalculatorForm(Styled, forms.Form):
    attendees = forms.IntegerField(label=_("Attendees"), min_value=1, initial=100)
    layout = forms.ChoiceField(label=_("Layout"), choices=Layout.choices, initial=Layout.THEATRE)
    tiers = forms.MultipleChoiceField(
        label=_("Service tiers"),
        choices=[("basic", _("Basic")), ("standard", _("Standard")), ("custom", _("Custom"))],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        initial=["basic"],
    )
    alpha = forms.DecimalField(label=_("Custom coefficient α"), required=False, decimal_places=2)
    custom_units = forms.DecimalField(label=_("Custom resources R_custom"), required=False, min_value=0)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self._style()


class ApplyProposalForm(Styled, forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    override_reason = forms.CharField(
        label=_("Reason for deviating"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        for key in ("projectors", "tea_break_sets", *calculator.STAFF_ROLES):
            self.fields[f"chosen_{key}"] = forms.IntegerField(min_value=0, required=False)
        self._style()

    def chosen(self) -> dict:
        return {
            key.removeprefix("chosen_"): value
            for key, value in self.cleaned_data.items()
            if key.startswith("chosen_") and value is not None
        }


class BookingForm(StyledModelForm):
    class Meta:
        model = Booking
        fields = [
            "kind",
            "room",
            "layout",
            "equipment",
            "staff",
            "staff_role",
            "material",
            "quantity",
            "plan_item",
            "supplier",
            "starts_at",
            "ends_at",
            "confirmation_document",
            "layout_drawing",
            "notes",
        ]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args, rooms, plan_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        names = list(dict.fromkeys(line.name for line in plan_lines))
        self.fields["plan_item"].widget = forms.Select(
            choices=[("", "—")] + [(name, name) for name in names], attrs={"class": "form-select"}
        )
        self.fields["equipment"].queryset = Equipment.objects.filter(status=Equipment.Status.IN_SERVICE)
        self.fields["staff"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["supplier"].queryset = Supplier.objects.filter(qualified=True)


class ConfirmBookingForm(Styled, forms.Form):
    document = forms.FileField(label=_("Confirmation letter / contract"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RehearsalForm(Styled, forms.Form):
    held_at = forms.DateTimeField(label=_("held at"), widget=DATETIME)
    note = forms.CharField(label=_("note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
