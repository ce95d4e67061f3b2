"""Forms of the preparation pages; they collect input, the services validate and save it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import Role, User

from .models import AttendeeCommunication, ClientMessage, MaterialItem, ReviewStep, TrainingSession

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def team_choices(project):
    return User.objects.filter(project_memberships__project=project).distinct().order_by("username")


class TaskForm(StyledForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due = forms.DateTimeField(label=_("Due"), widget=DATETIME)
    done_criterion = forms.CharField(label=_("Done when"), max_length=300)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_choices(project)


class ReviewDecisionForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in ReviewStep.Outcome.choices if c[0] != ReviewStep.Outcome.PENDING],
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TrainingForm(StyledForm):
    topic = forms.ChoiceField(label=_("Topic"), choices=TrainingSession.Topic.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    audience_roles = forms.MultipleChoiceField(
        label=_("Audience roles"), required=False, widget=forms.CheckboxSelectMultiple
    )
    held_at = forms.DateTimeField(label=_("Date"), widget=DATETIME)
    trainer = forms.CharField(label=_("Trainer"), max_length=100)
    pass_mark = forms.DecimalField(
        label=_("Pass mark"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Set by HR for this session's assessment (0–100)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_roles"].choices = [(r.key, str(r)) for r in Role.objects.order_by("key")]


class AttendanceForm(forms.Form):
    """One row per team member: attended and score (built dynamically)."""

    def __init__(self, *args, session, members, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {a.user_id: a for a in session.attendances.all()}
        self.members = list(members)
        for user in self.members:
            row = existing.get(user.pk)
            self.fields[f"attended_{user.pk}"] = forms.BooleanField(
                label=str(user), required=False, initial=bool(row and row.attended)
            )
            self.fields[f"attended_{user.pk}"].widget.attrs["class"] = "form-check-input"
            self.fields[f"score_{user.pk}"] = forms.DecimalField(
                label=_("Score of %(name)s") % {"name": user},
                required=False,
                max_digits=5,
                decimal_places=2,
                initial=row.score if row else None,
            )
            self.fields[f"score_{user.pk}"].widget.attrs.update({"class": "form-control", "step": "0.5"})

    def rows(self):
        for user in self.members:
            yield user, self[f"attended_{user.pk}"], self[f"score_{user.pk}"]


class HostEvaluationForm(StyledForm):
    host_name = forms.CharField(label=_("Host / MC"), max_length=100)
    score = forms.DecimalField(label=_("Score (0–100)"), max_digits=5, decimal_places=2)
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


class MaterialForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialItem.Kind.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    planned_delivery = forms.DateTimeField(label=_("Planned delivery"), widget=DATETIME)


class DesignDecisionForm(StyledForm):
    approved = forms.TypedChoiceField(
        label=_("Client's decision"),
        choices=[("1", _("Approved")), ("0", _("Rejected"))],
        coerce=lambda value: value == "1",
    )
    client_name = forms.CharField(label=_("Client's name"), max_length=100)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class DeliveryForm(StyledForm):
    delivered_at = forms.DateTimeField(label=_("Delivered at"), widget=DATETIME)
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=[("", "—"), *MaterialItem.Satisfaction.choices], required=False
    )


class ClientMessageForm(StyledForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=ClientMessage.Channel.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=ClientMessage.Direction.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=ClientMessage.Stage.choices)
    summary = forms.CharField(label=_("Summary"), max_length=500)
    received_at = forms.DateTimeField(label=_("Received / sent at"), widget=DATETIME)


class AttendeeCommunicationForm(StyledForm):
    kind = forms.ChoiceField(label=_("Content"), choices=AttendeeCommunication.Kind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=AttendeeCommunication.Channel.choices)
    planned_for = forms.DateTimeField(label=_("Planned for"), widget=DATETIME)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PublicDesignDecisionForm(StyledForm):
    client_name = forms.CharField(label=_("Your name"), max_length=100)
    comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
