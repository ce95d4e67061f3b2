from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.clients.models import Client

from . import queries
from .models import GreenMeasure, MeetingProject, MeetingType, ServiceGrade


class ProjectForm(forms.ModelForm):
    service_grades = forms.MultipleChoiceField(
        label=_("Service grades bought"),
        choices=ServiceGrade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    green_measures = forms.MultipleChoiceField(
        label=_("Green measures applied"),
        choices=GreenMeasure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    """Basic meeting information (REQ-INT-03) and classification (REQ-GEN-01/02)."""

    class Meta:
        model = MeetingProject
        fields = [
            "name",
            "name_en",
            "client",
            "meeting_type",
            "org_unit",
            "start",
            "end",
            "venue_name",
            "address",
            "venue_type",
            "expected_attendees",
            "out_of_scope",
            "service_grades",
            "green_measures",
        ]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = queries.units_for_new_projects(user)
        self.fields["client"].queryset = Client.objects.filter(
            pk__in=queries.clients_for_new_projects(user).values("pk")
        ).order_by("name")
        self.fields["meeting_type"].queryset = MeetingType.objects.filter(is_active=True)
        self.fields["expected_attendees"].widget.attrs["min"] = 1
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
        self.fields["org_unit"].label_from_instance = lambda unit: "— " * unit.depth + str(unit)

    def clean_expected_attendees(self):
        value = self.cleaned_data["expected_attendees"]
        if value is not None and value < 1:
            raise forms.ValidationError(_("A meeting needs at least one attendee."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The meeting must end after it starts."))
        return data


class MemberForm(forms.Form):
    """Add a person to the project team with a role (REQ-PPL-01)."""

    user = forms.ModelChoiceField(label=_("Person"), queryset=None)
    role = forms.ModelChoiceField(label=_("Role"), queryset=None)

    def __init__(self, *args, project, **kwargs):
        from huiyi.accounts.models import Role, User

        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["role"].queryset = Role.objects.order_by("key")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")

    def clean(self):
        data = super().clean()
        user, role = data.get("user"), data.get("role")
        if user and role and self.project.members.filter(user=user, role=role).exists():
            raise forms.ValidationError(_("This person already holds this role on the project."))
        return data
